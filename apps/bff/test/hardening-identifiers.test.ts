import { DIALECTS, startTestApp, type Client, type TestApp } from './support/harness';

const water = { category: 'water', items: [{ name: '桶装水 18.9L', quantity: 1 }] };

/** The same identifier with the case of every letter swapped (ids always contain letters in practice). */
const swapCase = (s: string) => s.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));

// Issue 10, point 11: MySQL compared identifiers case-insensitively (utf8mb4_general_ci) while
// SQLite did not, so the same request meant different things on the two databases.
describe.each(DIALECTS)('identifiers are compared exactly on %s', (dialect) => {
  let t: TestApp;
  let resident: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect, 'identifiers');
    resident = await t.login('resident', 'ids-resident');
  });
  afterAll(() => t.close());

  it('an errand id with its letters in another case is not found', async () => {
    const created = await resident.post('/api/v1/errands', water, { 'idempotency-key': 'ids-case-errand-1' });
    expect(created.statusCode).toBe(201);
    const id: string = created.json().id;
    expect(swapCase(id)).not.toBe(id);
    expect((await resident.get(`/api/v1/errands/${id}`)).statusCode).toBe(200);
    const other = await resident.get(`/api/v1/errands/${swapCase(id)}`);
    expect(other.statusCode).toBe(404);
    expect((await resident.post(`/api/v1/errands/${swapCase(id)}/cancel`)).statusCode).toBe(404);
  });

  it('an upper-cased Idempotency-Key is another request, not a replay of the first', async () => {
    const first = await resident.post('/api/v1/errands', water, { 'idempotency-key': 'ids-key-abcdef' });
    expect(first.statusCode).toBe(201);
    const upper = await resident.post('/api/v1/errands', water, { 'idempotency-key': 'IDS-KEY-ABCDEF' });
    expect(upper.statusCode).toBe(201);
    expect(upper.headers['idempotent-replayed']).toBeUndefined();
    expect(upper.json().id).not.toBe(first.json().id);
    // The exact key still replays.
    const again = await resident.post('/api/v1/errands', water, { 'idempotency-key': 'ids-key-abcdef' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
  });

  it('two openids differing only in case are two people', async () => {
    const lower = await t.login('resident', 'ids-wx-user');
    const mixed = await t.login('resident', 'ids-WX-User');
    expect(mixed.user.id).not.toBe(lower.user.id);
  });
});
