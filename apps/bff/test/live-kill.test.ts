import { kill, startBff, type Running } from './support/bff-process';
import { startTestApp, type Client, type TestApp } from './support/harness';
import { connectLive, type LiveClient } from './support/live-client';

// A real crash: instance A is a separate process, killed with SIGKILL while it is creating
// errands and relaying their events as fast as it can. Instance B (in this process) has the
// sockets; whatever A committed must reach them, each event once, in order.

describe('an instance killed with SIGKILL under load', () => {
  let b: TestApp;
  let a: Running | null = null;

  beforeAll(async () => {
    b = await startTestApp('mysql', 'sigkill', { live: { tailCheckMs: 200, relayIntervalMs: 200 } });
  });
  afterAll(async () => {
    if (a) await kill(a);
    await b.close();
  });

  it('loses no committed event and repeats none', async () => {
    const { config } = b.app.linli;
    a = await startBff({
      DATABASE_URL: config.db.url!,
      REDIS_URL: config.redis.url!,
      REDIS_KEY_PREFIX: config.redis.keyPrefix,
      SEED_DEMO: 'false',
      LOG_REQUESTS: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
    });
    const base = await b.listen();
    const residents: Client[] = [];
    const sockets: LiveClient[] = [];
    for (let i = 1; i <= 4; i++) {
      const r = await b.login('resident', `demo-resident-${i}`);
      residents.push(r);
      const s = await connectLive(base, { token: r.token });
      await s.welcome();
      sockets.push(s);
    }
    const from = Math.min(...sockets.map((s) => (s.messages[0] as { lastEventId: number }).lastEventId));

    // Keep A busy: every resident creates errands back to back through A.
    let running = true;
    let created = 0;
    const loops = residents.map(async (r, i) => {
      for (let n = 0; running; n++) {
        try {
          const res = await fetch(`${a!.baseUrl}/api/v1/errands`, {
            method: 'POST',
            headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json', 'idempotency-key': `kill-${i}-${n}` },
            body: JSON.stringify({ category: 'parcel', items: [{ name: '快递', quantity: 1 }] }),
          });
          if (res.status === 201) created++;
        } catch {
          return; // A is gone
        }
      }
    });
    while (created < 20) await new Promise((r) => setTimeout(r, 20));
    await kill(a);
    a = null;
    running = false;
    await Promise.all(loops);

    // B's relay takes over whatever A left unsequenced; B's gateway reads what A never published.
    const deadline = Date.now() + 10_000;
    const unsequenced = async () =>
      Number((await b.sql<{ n: unknown }>('SELECT COUNT(*) AS n FROM outbox_events WHERE seq IS NULL'))[0]!.n);
    while ((await unsequenced()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await unsequenced()).toBe(0);
    for (const [i, s] of sockets.entries()) {
      const rows = await b.sql<{ seq: unknown }>('SELECT seq FROM outbox_events WHERE household_id = ? AND seq > ? ORDER BY seq', [
        residents[i]!.user.household!.id,
        from,
      ]);
      const owed = rows.map((r) => Number(r.seq));
      expect(owed.length).toBeGreaterThan(0);
      await s.waitForEvents(owed.length, undefined, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(s.events().map((e) => e.id)).toEqual(owed);
      await s.close();
    }
    // Every errand A committed has its events, and only those.
    const errands = await b.sql<{ n: unknown }>(
      'SELECT COUNT(*) AS n FROM errands WHERE requester_id IN (?, ?, ?, ?)',
      residents.map((r) => r.user.id),
    );
    const announced = await b.sql<{ n: unknown }>("SELECT COUNT(DISTINCT errand_id) AS n FROM outbox_events WHERE type = 'errand.updated'");
    expect(Number(announced[0]!.n)).toBe(Number(errands[0]!.n));
    expect(Number(errands[0]!.n)).toBeGreaterThanOrEqual(created);
  });
});
