import { DIALECTS, clientFor, startTestApp, type TestApp } from './support/harness';

// Issue 10, point 1: first-time registrations arriving together deadlocked on MySQL (a gap lock
// taken by the UPDATE, then INSERTs into that gap) and came back as 500.
describe('concurrent first-time household registration on MySQL', () => {
  let t: TestApp;
  let buildingId: number;

  beforeAll(async () => {
    t = await startTestApp('mysql', 'registration');
    const [b] = await t.sql<{ id: unknown }>('SELECT id FROM buildings WHERE floors >= 6 ORDER BY id LIMIT 1');
    buildingId = Number(b!.id);
  });
  afterAll(() => t.close());

  /** Users who have logged in but not yet registered an address (staff: the dev login of a resident registers one). */
  async function newUsers(prefix: string, count: number) {
    const clients = [];
    for (let i = 0; i < count; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid: `${prefix}${i}`, role: 'staff' } });
      const body = res.json();
      clients.push(clientFor(t.app, body.token, body.user));
    }
    return clients;
  }

  it('100 residents registering at once all get their one household and no 5xx', async () => {
    const users = await newUsers('reg-', 100);
    const retriesBefore = t.app.linli.db.lockConflictRetries;
    const responses = await Promise.all(
      users.map((u, i) =>
        u.put('/api/v1/me/household', {
          buildingId,
          unit: '1',
          floor: 1 + (i % 6),
          room: `${1 + (i % 6)}0${1 + (i % 4)}`,
          contactName: `住户${i}`,
          phone: `139${String(10_000_000 + i)}`,
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200]));
    // One upsert per registration: nothing to deadlock, so the retry in Database had nothing to do.
    expect(t.app.linli.db.lockConflictRetries - retriesBefore).toBe(0);
    const rows = await t.sql<{ user_id: unknown; n: unknown }>(
      `SELECT user_id, COUNT(*) AS n FROM households WHERE user_id IN (${users.map(() => '?').join(', ')}) GROUP BY user_id`,
      users.map((u) => u.user.id),
    );
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    // Registering again corrects the same household rather than adding one.
    const again = await users[0]!.put('/api/v1/me/household', {
      buildingId,
      unit: '2',
      floor: 3,
      room: '302',
      contactName: '改名了',
      phone: '13900000000',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: responses[0]!.json().id, unit: '2', room: '302', contactName: '改名了' });
  });

  it('100 dev logins of new residents at once all succeed, each with one household', async () => {
    const retriesBefore = t.app.linli.db.lockConflictRetries;
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid: `burst-${i}`, role: 'resident' } }),
      ),
    );
    expect(responses.map((r) => r.statusCode).filter((s) => s !== 200)).toEqual([]);
    const ids = responses.map((r) => r.json().user.id as number);
    expect(responses.every((r) => r.json().user.household !== null)).toBe(true);
    expect(t.app.linli.db.lockConflictRetries - retriesBefore).toBe(0);
    const [count] = await t.sql<{ n: unknown; users: unknown }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS users FROM households WHERE user_id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    expect(Number(count!.n)).toBe(100);
    expect(Number(count!.users)).toBe(100);
  });
});

describe.each(DIALECTS)('registering a household again on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, 'reregister');
  });
  afterAll(() => t.close());

  it('corrects the one household in place', async () => {
    const resident = await t.login('resident', 'rereg-resident');
    const first = resident.user.household!;
    const res = await resident.put('/api/v1/me/household', {
      buildingId: first.buildingId,
      unit: '3',
      floor: 2,
      room: '202',
      contactName: '刘大爷',
      phone: '13911112222',
      elderlyAlone: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: first.id, unit: '3', floor: 2, room: '202', contactName: '刘大爷', elderlyAlone: true });
    const rows = await t.sql('SELECT id FROM households WHERE user_id = ?', [resident.user.id]);
    expect(rows).toHaveLength(1);
  });
});
