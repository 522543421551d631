import { startTestApp, type Client, type TestApp } from './support/harness';
import { AcceptGate, offerChangesIn } from '../src/modules/errands/accept-gate';
import { UNNUMBERED_EVENTS } from '../src/modules/live/sequence-store';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

// The hot paths' round trips to MySQL, counted as the Database sees them (every packet sent:
// batched statements, START TRANSACTION and COMMIT included), so they cannot creep back up.
// Issue 14: a create in at most 4, accept/pickup/deliver/confirm in at most 3 each.

const water = { category: 'water', items: [{ name: '桶装水 18.9L', quantity: 2 }], notes: '放门口就行' };
let keySeq = 0;
const newKey = () => `rt-key-${Date.now()}-${keySeq++}`;

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('round trips per operation on MySQL', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let resident: Client;
  let helpers: Client[];

  beforeAll(async () => {
    proxy = await startTcpProxy(6379);
    t = await startTestApp('mysql', 'round-trips', {
      redis: { url: `redis://127.0.0.1:${proxy.port}` },
      dispatch: { offersPerRound: 200 },
    });
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'rt-resident');
    helpers = [];
    for (let i = 0; i < 8; i++) helpers.push(await t.login('helper', `rt-helper-${i}`));
    // Only the requests' own round trips are counted: the background passes stay quiet.
    await t.app.linli.jobs.stop();
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  /** Runs `action` and returns what it answered with the packets it sent. */
  async function counted<T>(action: () => Promise<T>): Promise<{ result: T; packets: string[] }> {
    const packets: string[] = [];
    const stop = t.app.linli.db.observe((sql) => packets.push(sql));
    try {
      return { result: await action(), packets };
    } finally {
      stop();
    }
  }

  it('creates in three round trips and carries the errand through in two each', async () => {
    const create = await counted(() => resident.post('/api/v1/errands', water, { 'idempotency-key': newKey() }));
    expect(create.result.statusCode).toBe(201);
    expect(create.result.json().status).toBe('offered');
    // Counted per request: the session lookup every authenticated request makes, then the
    // create's transaction in three packets (START TRANSACTION in the first, COMMIT in the last).
    expect(create.packets.length).toBeLessThanOrEqual(4);
    expect(create.packets[0]).toMatch(/FROM sessions/);
    expect(create.packets.slice(1)).toHaveLength(3);
    expect(create.packets[1]).toMatch(/^START TRANSACTION/m);
    expect(create.packets[create.packets.length - 1]).toMatch(/COMMIT$/);
    // Multi-row: one INSERT for each table in the last packet.
    const last = create.packets[create.packets.length - 1]!;
    for (const table of ['errands', 'errand_events', 'offers', 'outbox_events', 'deadlines', 'idempotency_keys']) {
      expect(last.split(`INSERT INTO ${table} `).length - 1).toBe(1);
    }
    const id = create.result.json().id as string;
    // The response was assembled, not read back: it equals what a later read shows.
    expect((await resident.get(`/api/v1/errands/${id}`)).json()).toEqual(create.result.json());

    const [winner] = helpers;
    const accept = await counted(() => winner!.post(`/api/v1/errands/${id}/accept`));
    expect(accept.result.statusCode).toBe(200);
    expect(accept.result.json().status).toBe('accepted');
    expect(accept.packets.length).toBeLessThanOrEqual(3);

    const pickup = await counted(() => winner!.post(`/api/v1/errands/${id}/pickup`));
    expect(pickup.result.json().status).toBe('in_progress');
    expect(pickup.packets.length).toBeLessThanOrEqual(3);

    const code = create.result.json().handoverCode as string;
    const deliver = await counted(() => winner!.post(`/api/v1/errands/${id}/deliver`, { handoverCode: code }));
    expect(deliver.result.json().status).toBe('delivered');
    expect(deliver.packets.length).toBeLessThanOrEqual(3);

    const confirm = await counted(() => resident.post(`/api/v1/errands/${id}/confirm`));
    expect(confirm.result.json().status).toBe('completed');
    expect(confirm.packets.length).toBeLessThanOrEqual(3);
  });

  it('numbers a relay batch in two round trips, the second with COMMIT', async () => {
    await resident.post('/api/v1/errands', water, { 'idempotency-key': newKey() });
    const { result, packets } = await counted(() => t.app.linli.relay.sequenceBatch());
    expect(result.length).toBeGreaterThan(0);
    expect(packets).toHaveLength(2);
    expect(packets[0]).toMatch(/^START TRANSACTION/m);
    expect(packets[1]).toMatch(/COMMIT$/);
    const [gaps] = await t.sql<{ n: unknown; top: unknown; low: unknown }>(
      'SELECT COUNT(*) AS n, MAX(seq) AS top, MIN(seq) AS low FROM outbox_events WHERE seq IS NOT NULL',
    );
    // Dense: as many numbered events as numbers between the lowest and the highest.
    expect(Number(gaps!.top) - Number(gaps!.low) + 1).toBe(Number(gaps!.n));
  });

  it('has the relay find unnumbered events through the seq index in id order, without sorting them', async () => {
    // Most events are numbered; the few that are not (with, under load, thousands of entries
    // awaiting purge) must be read in id order straight off the index: a sort of them on every pass
    // was most of the relay's cost in MariaDB (Migration20261130110000_outbox_seq_index).
    const [top] = await t.sql<{ s: unknown }>('SELECT COALESCE(MAX(seq), 0) AS s FROM outbox_events');
    const numbered = Array.from({ length: 4000 }, (_, i) => `(${Number(top!.s) + 1_000_000 + i}, 'queue.changed', 1, 0)`);
    const unnumbered = Array.from({ length: 20 }, () => "(NULL, 'queue.changed', 1, 0)");
    await t.sql(`INSERT INTO outbox_events (seq, type, community_id, created_at) VALUES ${[...numbered, ...unnumbered].join(', ')}`);
    try {
      await t.sql('ANALYZE TABLE outbox_events');
      const [plan] = await t.sql<{ key: unknown; Extra: unknown }>(`EXPLAIN ${UNNUMBERED_EVENTS}`, [20]);
      expect(plan!.key).toBe('outbox_events_seq_index');
      expect(String(plan!.Extra)).not.toMatch(/filesort/i);
    } finally {
      await t.sql("DELETE FROM outbox_events WHERE type = 'queue.changed' AND created_at = 0");
    }
  });

  it('reads an errand, its timeline and what the reader may see of it in one round trip', async () => {
    const id = (await resident.post('/api/v1/errands', water, { 'idempotency-key': newKey() })).json().id as string;
    const [helper] = helpers;
    expect((await helper!.get('/api/v1/helper/offers')).statusCode).toBe(200);
    for (const reader of [resident, helper!]) {
      const read = await counted(() => reader.get(`/api/v1/errands/${id}`));
      expect(read.result.statusCode).toBe(200);
      // The resident sees the whole story; an offered helper only what it needs to decide.
      expect(read.result.json().viewerRole).toBe(reader === resident ? 'resident' : 'helper');
      if (reader === resident) expect(read.result.json().timeline.length).toBeGreaterThan(0);
      // The caller is known already (the principal cache): the errand's packet is all there is.
      expect(read.packets).toHaveLength(1);
    }
    await resident.post(`/api/v1/errands/${id}/cancel`);
  });

  it('replays a repeated create from the key found in its first packet', async () => {
    const key = newKey();
    const first = await resident.post('/api/v1/errands', water, { 'idempotency-key': key });
    const again = await counted(() => resident.post('/api/v1/errands', water, { 'idempotency-key': key }));
    expect(again.result.statusCode).toBe(201);
    expect(again.result.json()).toEqual(first.json());
    // The session, the first packet (which finds the key), its COMMIT.
    expect(again.packets.length).toBeLessThanOrEqual(3);
    const other = await resident.post('/api/v1/errands', { ...water, notes: '别的' }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
  });

  /** All helpers accept one fresh errand at once; returns the answers and how many tried the UPDATE. */
  async function race(): Promise<{ codes: number[]; updates: number }> {
    const id = (await resident.post('/api/v1/errands', water, { 'idempotency-key': newKey() })).json().id as string;
    const { result, packets } = await counted(() => Promise.all(helpers.map((h) => h.post(`/api/v1/errands/${id}/accept`))));
    // Free the winner's capacity for the next race.
    await resident.post(`/api/v1/errands/${id}/cancel`);
    return { codes: result.map((r) => r.statusCode), updates: packets.filter((p) => p.includes('UPDATE errands SET status')).length };
  }

  it('answers the losers the relay told the gate about without a single SQL statement', async () => {
    const id = (await resident.post('/api/v1/errands', water, { 'idempotency-key': newKey() })).json().id as string;
    // The relay tells the gate who was offered the errand before publishing (the jobs are stopped
    // here, so this does by hand what its pass does).
    const relayed = await t.app.linli.relay.sequenceBatch();
    await new AcceptGate(t.app.linli.redis).offersChanged(offerChangesIn(relayed));
    for (const h of helpers) expect((await h.get('/api/v1/helper/offers')).statusCode).toBe(200);
    const { result, packets } = await counted(() => Promise.all(helpers.map((h) => h.post(`/api/v1/errands/${id}/accept`))));
    await resident.post(`/api/v1/errands/${id}/cancel`);
    expect(result.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(result.filter((r) => r.statusCode === 409)).toHaveLength(helpers.length - 1);
    // Sessions come from the cache; the winner's read and its transaction are all there is.
    expect(packets.length).toBeLessThanOrEqual(3);
    expect(packets.some((p) => /FROM sessions/.test(p))).toBe(false);
  });

  it('lets the Redis gate decide who tries the accept, and SQL alone decide when Redis is away', async () => {
    const gated = await race();
    expect(gated.codes.filter((c) => c === 200)).toHaveLength(1);
    expect(gated.codes.filter((c) => c !== 200).every((c) => c === 409)).toBe(true);
    // Only the gate's winner reached the conditional UPDATE.
    expect(gated.updates).toBe(1);

    await proxy.stop();
    await until(() => t.app.linli.redis!.status !== 'ready');
    const alone = await race();
    expect(alone.codes.filter((c) => c === 200)).toHaveLength(1);
    expect(alone.codes.filter((c) => c !== 200).every((c) => c === 409)).toBe(true);
    // Nobody was turned away by the gate: whoever read an open offer tried in SQL, and the
    // conditional UPDATE let one through.
    expect(alone.updates).toBeGreaterThanOrEqual(1);
    await proxy.start();
  });
});
