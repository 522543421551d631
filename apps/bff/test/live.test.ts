import type { LiveEvent } from '@linli/contracts';
import { buildingsByName, north, placeHelper } from './support/fixtures';
import { BACKENDS, startTestApp, type Client, type TestApp } from './support/harness';
import { connectLive, type LiveClient } from './support/live-client';

const water = { category: 'water', items: [{ name: '桶装水', quantity: 1 }] };
let n = 0;
const key = () => `live-${Date.now()}-${n++}`;
const ids = (events: LiveEvent[]) => events.map((e) => e.id);
const isAscendingWithoutRepeats = (list: number[]) => list.every((id, i) => i === 0 || id > list[i - 1]!);

// Every combination of database and bus: events are numbered in the database and travel on the bus.
describe.each(BACKENDS)('live events over GET /api/v1/ws ($db + $bus)', (backend) => {
  let t: TestApp;
  let base: string;
  let resident: Client; // 王秀兰, 河畔花园 1号楼
  let neighbour: Client; // another household
  let staff: Client;
  let h1: Client;
  let h2: Client;
  let idle: Client; // a helper off duty: offered nothing
  const sockets: LiveClient[] = [];
  const live = async (options: Parameters<typeof connectLive>[1]) => {
    const c = await connectLive(base, options);
    sockets.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startTestApp(backend, 'live', {
      dispatch: { offersPerRound: 2, radiiMeters: [500, 1000, 2000] },
      live: { heartbeatSeconds: 1, helloTimeoutMs: 400 },
    });
    base = await t.listen();
    await t.sql('UPDATE helpers SET on_duty = 0');
    resident = await t.login('resident', 'demo-resident-1');
    neighbour = await t.login('resident', 'demo-resident-2');
    staff = await t.login('staff', 'demo-staff-1');
    const home = (await buildingsByName(t)).get('河畔花园 1号楼')!;
    h1 = await placeHelper(t, { openid: 'live-h1', at: north(home, 60) });
    h2 = await placeHelper(t, { openid: 'live-h2', at: north(home, 90) });
    idle = await placeHelper(t, { openid: 'live-idle', at: north(home, 70), onDuty: false });
    await t.reindex();
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  const create = async () => {
    const res = await resident.post('/api/v1/errands', water, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  /** Everything committed so far has been relayed and handed to sockets. */
  const settle = async () => {
    await t.app.linli.relay.runOnce();
    await new Promise((r) => setTimeout(r, 150));
  };

  it('each person hears about their own errands, offers and queue, and nothing else', async () => {
    const opened = await Promise.all([resident, neighbour, staff, h1, h2, idle].map((c) => live({ token: c.token })));
    const [rs, ns, ss, s1, s2, si] = opened as [LiveClient, LiveClient, LiveClient, LiveClient, LiveClient, LiveClient];
    for (const s of [rs, ns, ss, s1, s2, si]) expect(await s.welcome()).toMatchObject({ type: 'welcome', resync: true });

    const errandId = await create();
    await rs.waitForEvents(1, (e) => e.type === 'errand.updated' && e.errandId === errandId && e.status === 'offered');
    await s1.waitForEvents(1, (e) => e.type === 'offer.created' && e.errandId === errandId);
    await s2.waitForEvents(1, (e) => e.type === 'offer.created' && e.errandId === errandId);
    await ss.waitForEvents(1, (e) => e.type === 'queue.changed' && e.communityId === 1);

    expect((await h1.post(`/api/v1/errands/${errandId}/accept`)).statusCode).toBe(200);
    await rs.waitForEvents(1, (e) => e.type === 'errand.updated' && e.status === 'accepted');
    await s1.waitForEvents(1, (e) => e.type === 'errand.updated' && e.status === 'accepted');
    await s2.waitForEvents(1, (e) => e.type === 'offer.withdrawn' && e.errandId === errandId);
    await ss.waitForEvents(2, (e) => e.type === 'queue.changed');
    await settle();

    // Nobody else's business reaches anyone.
    expect(ns.events()).toEqual([]);
    expect(si.events()).toEqual([]);
    expect(rs.events().every((e) => e.type === 'errand.updated')).toBe(true);
    expect(ss.events().every((e) => e.type === 'queue.changed')).toBe(true);
    expect(s2.events().some((e) => e.type === 'errand.updated')).toBe(false);
    // Public ids and statuses only: no address, phone or internal id travels.
    for (const e of [...rs.events(), ...s1.events()]) {
      expect(Object.keys(e).sort()).toEqual(
        e.type === 'errand.updated' ? ['at', 'errandId', 'id', 'status', 'type'] : ['at', 'errandId', 'id', 'type'],
      );
    }
    for (const s of [rs, ss, s1, s2]) expect(isAscendingWithoutRepeats(ids(s.events()))).toBe(true);
  });

  it('a client that comes back with the last id it saw gets what it missed, in order, then carries on live', async () => {
    const first = await live({ token: resident.token });
    await first.welcome();
    const errandId = await create();
    const [offered] = await first.waitForEvents(1, (e) => e.type === 'errand.updated' && e.errandId === errandId);
    await first.close();

    // While the phone is away: accepted, picked up.
    expect((await (await accepting(errandId)).post(`/api/v1/errands/${errandId}/pickup`)).statusCode).toBe(200);
    await settle();

    const back = await live({ token: resident.token, lastEventId: offered!.id });
    expect(await back.welcome()).toEqual({ type: 'welcome', lastEventId: offered!.id, resync: false });
    const missed = await back.waitForEvents(2);
    expect(missed.map((e) => e.type === 'errand.updated' && e.status)).toEqual(['accepted', 'in_progress']);
    expect(missed.every((e) => e.id > offered!.id)).toBe(true);
    // The welcome came before anything replayed.
    expect(back.messages[0]!.type).toBe('welcome');

    const code = (await t.sql<{ handover_code: string }>('SELECT handover_code FROM errands WHERE public_id = ?', [errandId]))[0]!
      .handover_code;
    const helper = (await h1.get(`/api/v1/errands/${errandId}`)).statusCode === 200 ? h1 : h2;
    expect((await helper.post(`/api/v1/errands/${errandId}/deliver`, { handoverCode: code })).statusCode).toBe(200);
    const all = await back.waitForEvents(3);
    expect(all.map((e) => e.type === 'errand.updated' && e.status)).toEqual(['accepted', 'in_progress', 'delivered']);
    expect(isAscendingWithoutRepeats(ids(all))).toBe(true);
  });

  /** Whichever helper was offered the errand accepts it. */
  async function accepting(errandId: string): Promise<Client> {
    for (const h of [h1, h2]) {
      const res = await h.post(`/api/v1/errands/${errandId}/accept`);
      if (res.statusCode === 200) return h;
    }
    throw new Error('nobody could accept');
  }

  it('a change that loses its race writes no event: events commit or roll back with their change', async () => {
    const errandId = await create();
    await settle();
    const results = await Promise.all([h1, h2].map((h) => h.post(`/api/v1/errands/${errandId}/accept`)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const events = await t.sql<{ type: string; status: string | null }>(
      'SELECT type, status FROM outbox_events WHERE errand_public_id = ? ORDER BY id',
      [errandId],
    );
    expect(events.filter((e) => e.type === 'errand.updated').map((e) => e.status)).toEqual(['offered', 'accepted']);
    expect(events.filter((e) => e.type === 'offer.created')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'offer.withdrawn')).toHaveLength(1); // the loser's offer, once
    // A refused request changes nothing, so it announces nothing.
    const count = async () => Number((await t.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM outbox_events'))[0]!.n);
    const before = await count();
    expect((await resident.post(`/api/v1/errands/${errandId}/rate`, { stars: 5 })).statusCode).toBe(409);
    expect((await resident.post(`/api/v1/errands/${errandId}/confirm`)).statusCode).toBe(409);
    expect(await count()).toBe(before);
  });

  it('forgets published events after the retention period, and sends a client from before then to reload', async () => {
    await create();
    await settle();
    const [{ last_seq: lastSeq }] = (await t.sql<{ last_seq: unknown }>('SELECT last_seq FROM event_sequence WHERE id = 1')) as [
      { last_seq: unknown },
    ];
    t.advance(73 * 3_600_000); // retention is 72 hours
    try {
      expect(await t.app.linli.relay.prune()).toBeGreaterThan(0);
      expect(await t.sql('SELECT seq FROM outbox_events WHERE seq IS NOT NULL')).toEqual([]);
      const away = await live({ token: resident.token, lastEventId: Number(lastSeq) - 1 });
      expect(await away.welcome()).toEqual({ type: 'welcome', lastEventId: Number(lastSeq), resync: true });
    } finally {
      t.advance(-73 * 3_600_000);
      await t.sql('UPDATE event_sequence SET pruned_through = 0 WHERE id = 1');
    }
  });

  it('a client away too long, new, or ahead of the server is told to reload instead', async () => {
    await create();
    await settle();
    const lastSeq = Number((await t.sql<{ last_seq: unknown }>('SELECT last_seq FROM event_sequence WHERE id = 1'))[0]!.last_seq);

    const fresh = await live({ token: resident.token });
    expect(await fresh.welcome()).toEqual({ type: 'welcome', lastEventId: lastSeq, resync: true });
    const ahead = await live({ token: resident.token, lastEventId: lastSeq + 1000 });
    expect(await ahead.welcome()).toEqual({ type: 'welcome', lastEventId: lastSeq, resync: true });

    await t.sql('UPDATE event_sequence SET pruned_through = ? WHERE id = 1', [lastSeq - 1]);
    try {
      const stale = await live({ token: resident.token, lastEventId: lastSeq - 2 });
      expect(await stale.welcome()).toEqual({ type: 'welcome', lastEventId: lastSeq, resync: true });
      expect(stale.events()).toEqual([]);
    } finally {
      await t.sql('UPDATE event_sequence SET pruned_through = 0 WHERE id = 1');
    }
  });

  it('takes the session from the Authorization header too; refuses bad sessions, bad messages and silence', async () => {
    const byHeader = await live({ headerToken: resident.token });
    expect((await byHeader.welcome()).type).toBe('welcome');

    const forged = await live({ token: 'x'.repeat(43) });
    expect(await forged.closed).toEqual({ code: 4401, reason: 'session invalid' });
    const anonymous = await live({});
    expect((await anonymous.closed).code).toBe(4401);

    const garbage = await live({ silent: true });
    garbage.socket.send('{"type":"hello","token":12}');
    expect((await garbage.closed).code).toBe(4400);
    const notJson = await live({ silent: true });
    notJson.socket.send('hello?');
    expect((await notJson.closed).code).toBe(4400);

    const silent = await live({ silent: true });
    expect(await silent.closed).toEqual({ code: 4408, reason: 'hello expected' });
  });

  it('closes the line when its session ends, on whichever instance the person logged out', async () => {
    const session = await t.login('resident', 'demo-resident-3');
    const c = await live({ token: session.token });
    await c.welcome();
    expect((await session.post('/api/v1/auth/logout')).statusCode).toBe(200);
    const started = Date.now();
    expect(await c.closed).toEqual({ code: 4401, reason: 'session ended' });
    expect(Date.now() - started).toBeLessThan(3000); // heartbeats every second here
  });

  it('answers pings, and drops a socket that stops answering its heartbeats', async () => {
    const c = await live({ token: resident.token });
    await c.welcome();
    c.socket.send(JSON.stringify({ type: 'ping' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(c.messages.at(-1)).toEqual({ type: 'pong' });

    const before = t.app.linli.gateway.openSockets;
    c.socket.pause(); // like a suspended phone: nothing read, no pong sent
    const started = Date.now();
    while (t.app.linli.gateway.openSockets === before && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
    // Heartbeats every second: the first unanswered ping ends it at the next beat.
    expect(t.app.linli.gateway.openSockets).toBe(before - 1);
    expect(Date.now() - started).toBeLessThan(3500);
    c.socket.resume();
    expect((await c.closed).code).toBe(1006); // cut off, not closed politely
  });
});

describe('live events in the embedded mode (SQLite, in-process bus)', () => {
  it('delivers a change to its owner and replays it on return', async () => {
    const t = await startTestApp('sqlite', 'live-embedded', { live: { maxSockets: 1 } });
    try {
      const base = await t.listen();
      const resident = await t.login('resident', 'demo-resident-1');
      const socket = await connectLive(base, { token: resident.token });
      const { lastEventId } = await socket.welcome();
      const res = await resident.post('/api/v1/errands', water, { 'idempotency-key': key() });
      expect(res.statusCode).toBe(201);
      const [event] = await socket.waitForEvents(1);
      expect(event).toMatchObject({ type: 'errand.updated', errandId: res.json().id });
      // One socket is this instance's limit here: the next is told to come back later.
      const extra = await connectLive(base, { token: resident.token });
      expect((await extra.closed).code).toBe(1013);
      await socket.close();

      const back = await connectLive(base, { token: resident.token, lastEventId });
      expect(await back.welcome()).toEqual({ type: 'welcome', lastEventId, resync: false });
      expect((await back.waitForEvents(1))[0]).toEqual(event);
      await back.close();
    } finally {
      await t.close();
    }
  });
});
