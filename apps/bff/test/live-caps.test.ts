import { randomBytes } from 'node:crypto';
import { LIVE_CLOSE } from '@linli/contracts';
import { startTestApp, type TestApp } from './support/harness';
import { connectLive, type LiveClient } from './support/live-client';

describe('live sockets are capped per session, per user and per instance', () => {
  let t: TestApp;
  let base: string;
  const open: LiveClient[] = [];
  const connect = async (options: Parameters<typeof connectLive>[1]) => {
    const socket = await connectLive(base, options);
    open.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp('sqlite', 'live-caps', { live: { maxSocketsPerSession: 5, maxSocketsPerUser: 7 } });
    base = await t.listen();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  it('refuses the 6th socket of one session with 4429, and lets one in again once a socket closes', async () => {
    const resident = await t.login('resident', 'caps-session');
    const five = [];
    for (let i = 0; i < 5; i++) {
      const socket = await connect({ token: resident.token });
      await socket.welcome();
      five.push(socket);
    }
    const sixth = await connect({ token: resident.token });
    expect(await sixth.closed).toEqual({ code: LIVE_CLOSE.tooManySockets, reason: 'too many sockets' });
    // The token in the upgrade header is the same session: no way around the count.
    const viaHeader = await connect({ headerToken: resident.token });
    expect((await viaHeader.closed).code).toBe(LIVE_CLOSE.tooManySockets);

    // A client reconnecting after its line died is not locked out by a stale count.
    await five[0]!.close();
    const back = await connect({ token: resident.token });
    expect((await back.welcome()).type).toBe('welcome');
  });

  it('caps one user over all their sessions', async () => {
    const first = await t.login('resident', 'caps-user');
    const second = await t.login('resident', 'caps-user');
    for (let i = 0; i < 5; i++) await (await connect({ token: first.token })).welcome();
    for (let i = 0; i < 2; i++) await (await connect({ token: second.token })).welcome();
    const eighth = await connect({ token: second.token });
    expect((await eighth.closed).code).toBe(LIVE_CLOSE.tooManySockets);
    // Another user is unaffected.
    const other = await t.login('resident', 'caps-other');
    expect((await (await connect({ token: other.token })).welcome()).type).toBe('welcome');
  });

  it('refuses a made-up header token paired with a real token in the hello', async () => {
    const resident = await t.login('resident', 'caps-conflict');
    const fake = randomBytes(24).toString('base64url');
    const socket = await connect({ headerToken: fake, token: resident.token });
    expect(await socket.closed).toEqual({ code: LIVE_CLOSE.badMessage, reason: 'conflicting tokens' });
    // The same token in both places is fine.
    expect((await (await connect({ headerToken: resident.token, token: resident.token })).welcome()).type).toBe('welcome');
  });
});

describe('a full instance', () => {
  it('refuses more sockets with 1013 and still answers /healthz', async () => {
    const t = await startTestApp('sqlite', 'live-full', { live: { maxSockets: 3 } });
    const sockets: LiveClient[] = [];
    try {
      const base = await t.listen();
      for (let i = 0; i < 3; i++) {
        const user = await t.login('resident', `full-${i}`);
        sockets.push(await connectLive(base, { token: user.token }));
        await sockets[i]!.welcome();
      }
      const late = await t.login('resident', 'full-late');
      const refused = await connectLive(base, { token: late.token });
      sockets.push(refused);
      expect((await refused.closed).code).toBe(1013);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(t.app.linli.gateway.openSockets).toBe(3);
    } finally {
      await Promise.all(sockets.map((s) => s.close()));
      await t.close();
    }
  });
});
