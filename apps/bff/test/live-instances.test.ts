import type { LiveEvent } from '@linli/contracts';
import { buildingsByName, north, placeHelper } from './support/fixtures';
import { clientFor, startTestApp, type Client, type TestApp } from './support/harness';
import { connectLive, type LiveClient } from './support/live-client';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

const water = { category: 'water', items: [{ name: '桶装水', quantity: 1 }] };
let n = 0;
const key = () => `instances-${Date.now()}-${n++}`;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The same session, talking to another instance (as a load balancer would send it). */
const via = (t: TestApp, c: Client) => clientFor(t.app, c.token, c.user);

/** Every event the database holds for this audience after `after`, in order: what a socket must have got. */
async function owed(t: TestApp, column: 'household_id' | 'helper_id', id: number, after: number): Promise<number[]> {
  const rows = await t.sql<{ seq: unknown }>(`SELECT seq FROM outbox_events WHERE ${column} = ? AND seq > ? ORDER BY seq`, [id, after]);
  return rows.map((r) => Number(r.seq));
}

async function arrange(t: TestApp): Promise<{ resident: Client; helper: Client }> {
  await t.sql('UPDATE helpers SET on_duty = 0');
  const resident = await t.login('resident', 'demo-resident-1');
  const home = (await buildingsByName(t)).get('河畔花园 1号楼')!;
  const helper = await placeHelper(t, { openid: 'instances-helper', at: north(home, 50), capacity: 10 });
  await t.reindex();
  return { resident, helper };
}

const idsOf = (s: LiveClient) => s.events().map((e: LiveEvent) => e.id);

describe('two BFF instances behind one load balancer', () => {
  let proxy: TcpProxy;
  let a: TestApp;
  let b: TestApp;
  let resident: Client;
  let helper: Client;
  let baseA: string;

  beforeAll(async () => {
    proxy = await startTcpProxy(6379);
    // No tail checks: what arrives, arrives through pub/sub or a gateway's own gap/reconnect catch-up.
    const overrides = { redis: { url: `redis://127.0.0.1:${proxy.port}` }, live: { tailCheckMs: 0 }, dispatch: { offersPerRound: 1 } };
    a = await startTestApp('mysql', 'instances', overrides);
    b = await a.twin();
    baseA = await a.listen();
    ({ resident, helper } = await arrange(a));
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await proxy.stop();
  });

  it('a socket on one instance hears a change made through the other', async () => {
    const socket = await connectLive(baseA, { token: resident.token });
    const { lastEventId } = await socket.welcome();
    const created = await via(b, resident).post('/api/v1/errands', water, { 'idempotency-key': key() });
    expect(created.statusCode).toBe(201);
    const [event] = await socket.waitForEvents(1);
    expect(event).toMatchObject({ type: 'errand.updated', errandId: created.json().id, status: 'offered' });
    expect(idsOf(socket)).toEqual(await owed(a, 'household_id', resident.user.household!.id, lastEventId));
    await socket.close();
  });

  it('Redis stopped while errands are created and accepted: once it is back every event reaches its socket, none twice', async () => {
    const rs = await connectLive(baseA, { token: resident.token });
    const hs = await connectLive(baseA, { token: helper.token });
    const from = (await rs.welcome()).lastEventId;
    await hs.welcome();

    await proxy.stop();
    await until(() => a.app.linli.redis!.status !== 'ready' && b.app.linli.redis!.status !== 'ready');
    const errands: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await via(b, resident).post('/api/v1/errands', water, { 'idempotency-key': key() });
      expect(res.statusCode).toBe(201);
      errands.push(res.json().id);
    }
    for (const id of errands.slice(0, 2)) expect((await via(b, helper).post(`/api/v1/errands/${id}/accept`)).statusCode).toBe(200);
    await b.app.linli.relay.runOnce(); // sequenced in MySQL; publishing fails while Redis is away
    await new Promise((r) => setTimeout(r, 300));
    expect(rs.events()).toEqual([]); // nothing could travel

    await proxy.start();
    const residentOwed = await owed(a, 'household_id', resident.user.household!.id, from);
    const helperOwed = await owed(a, 'helper_id', helper.user.helper!.id, from);
    expect(residentOwed).toHaveLength(6); // 4 offered + 2 accepted
    expect(helperOwed).toHaveLength(6); // 4 offers + 2 accepted
    await rs.waitForEvents(residentOwed.length, undefined, 10_000);
    await hs.waitForEvents(helperOwed.length, undefined, 10_000);
    await new Promise((r) => setTimeout(r, 300)); // room for any duplicate to show up
    expect(idsOf(rs)).toEqual(residentOwed);
    expect(idsOf(hs)).toEqual(helperOwed);
    await rs.close();
    await hs.close();
  });
});

describe('an instance killed mid-relay', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp('mysql', 'killed', { dispatch: { offersPerRound: 1 } });
    // The survivor has its fallback timers on, as every production instance does.
    b = await a.twin({ dispatch: { offersPerRound: 1 }, live: { tailCheckMs: 200, relayIntervalMs: 200 } });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('another instance delivers what it had sequenced but not published, and what it had not relayed at all', async () => {
    const { resident } = await arrange(a);
    const socket = await connectLive(await b.listen(), { token: resident.token });
    const from = (await socket.welcome()).lastEventId;

    await a.app.linli.relay.stop(); // from here on A's relay never publishes
    expect((await resident.post('/api/v1/errands', water, { 'idempotency-key': key() })).statusCode).toBe(201);
    const sequenced = await a.app.linli.relay.sequenceBatch(); // numbered and committed … and then A dies
    expect(sequenced.length).toBeGreaterThan(0);
    expect((await resident.post('/api/v1/errands', water, { 'idempotency-key': key() })).statusCode).toBe(201); // never relayed
    const gone = a.app.linli.db;
    await a.app.close().catch(() => undefined);
    expect(await gone.ping()).toBe(false);

    await until(async () => (await b.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM outbox_events WHERE seq IS NULL'))[0]!.n == 0);
    const expected = await owed(b, 'household_id', resident.user.household!.id, from);
    expect(expected).toHaveLength(2);
    await socket.waitForEvents(expected.length, undefined, 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(idsOf(socket)).toEqual(expected);
    await socket.close();
  });
});
