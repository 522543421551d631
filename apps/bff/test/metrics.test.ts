import { startTestApp, type TestApp } from './support/harness';
import { connectLive } from './support/live-client';

/** The value of one series (`name` or `name{labels}`) in Prometheus' text format, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mysql', 'metrics');
  });
  afterAll(() => t.close());

  it('counts requests by route and shows live sockets and the backlogs that say a queue is stuck', async () => {
    const resident = await t.login('resident', 'demo-resident-1');
    await resident.post(
      '/api/v1/errands',
      { category: 'water', items: [{ name: '桶装水', quantity: 1 }] },
      { 'idempotency-key': 'metrics-1' },
    );
    await resident.get('/api/v1/errands/AAAAAAAAAAAAAAAAAAAAAA');
    await t.app.linli.relay.runOnce();
    // The relay only nudges the planner; on a loaded machine /metrics could be read before it planned.
    await t.app.linli.notificationPlanning.runOnce();
    const socket = await connectLive(await t.listen(), { token: resident.token });
    await socket.welcome();

    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(sample(text, 'linli_http_request_duration_seconds_count', '{method="POST",route="/api/v1/errands",status="201"}')).toBe(1);
    expect(sample(text, 'linli_http_request_duration_seconds_count', '{method="GET",route="/api/v1/errands/:id",status="404"}')).toBe(1);
    expect(sample(text, 'linli_candidate_searches_total')).toBe(1);
    expect(sample(text, 'linli_candidate_searches_widened_total')).toBe(0);
    expect(sample(text, 'linli_live_sockets')).toBe(1);
    expect(sample(text, 'linli_live_events_relayed_total')).toBeGreaterThan(0);
    expect(sample(text, 'linli_outbox_unrelayed')).toBe(0);
    expect(sample(text, 'linli_deadlines_overdue')).toBe(0);
    expect(sample(text, 'linli_notifications_pending')).toBeGreaterThan(0); // offers planned, no sender has run
    expect(text).toContain('linli_process_cpu_seconds_total');
    await socket.close();

    // Offer windows run out while no sweeper runs: the backlog shows it.
    t.advance(10 * 60_000);
    expect(sample((await t.app.inject({ url: '/metrics' })).body, 'linli_deadlines_overdue')).toBeGreaterThan(0);
    t.advance(-10 * 60_000);
  });

  it('asks for the token when one is configured', async () => {
    const token = 'scrape-token-0123456789abcdef';
    const guarded = await startTestApp('sqlite', 'metrics-token', { metrics: { enabled: true, token } });
    try {
      expect((await guarded.app.inject({ url: '/metrics' })).statusCode).toBe(401);
      expect(
        (await guarded.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789abcd' } })).statusCode,
      ).toBe(401);
      expect((await guarded.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
