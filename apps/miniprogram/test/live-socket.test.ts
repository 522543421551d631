import { liveRetryDelayMs } from '@linli/contracts';
import { SharedSocketUpdates, type SharedSocketOptions } from '../src/live/shared-socket';
import type { Topic } from '../src/live/updates';
import { host, type FakeSocket } from './support/taro-fake';

// The shared socket over the fake wx SocketTask (Taro.connectSocket), under jest's fake clock.
const URL = 'wss://bff.test/api/v1/ws';
const TOKEN = 'session-token-0123456789abcdef';
const ERRAND = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER = 'BBBBBBBBBBBBBBBBBBBBBB';

let token: string | undefined;
let seen: string[];

beforeEach(() => {
  jest.useFakeTimers();
  token = TOKEN;
  seen = [];
});

afterEach(() => jest.useRealTimers());

/** Lets promises settle (Taro hands the socket task over asynchronously) and moves the clock. */
const advance = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

function live(options: Partial<SharedSocketOptions> = {}): SharedSocketUpdates {
  return new SharedSocketUpdates({
    url: () => URL,
    token: () => token,
    ...options,
    // No jitter: the backoff steps are exact.
    timing: { retryDelayMs: (attempt) => liveRetryDelayMs(attempt, () => 0), ...options.timing },
  });
}

function watch(channel: SharedSocketUpdates, ...topics: Topic[]): (() => void)[] {
  return topics.map((topic) => channel.subscribe(topic, () => seen.push(topic)));
}

function latest(): FakeSocket {
  const socket = host.sockets.at(-1);
  if (!socket) throw new Error('no socket opened');
  return socket;
}

/** Opens the newest line and has the server welcome it. */
function welcome(lastEventId: number, resync = false): FakeSocket {
  const socket = latest();
  socket.emit('open');
  socket.push({ type: 'welcome', lastEventId, resync });
  return socket;
}

const errandUpdated = (id: number, errandId = ERRAND) => ({
  type: 'errand.updated',
  id,
  at: 1_700_000_000_000,
  errandId,
  status: 'accepted',
});

describe('the shared live socket', () => {
  it('says hello with the token first, and on reconnect resumes from the last event id it saw', async () => {
    const channel = live();
    watch(channel, `errand:${ERRAND}`);
    await advance();
    expect(latest().url).toBe(URL);

    latest().emit('open');
    expect(latest().messages()).toEqual([{ type: 'hello', token: TOKEN }]); // no position on a first connect
    latest().push({ type: 'welcome', lastEventId: 41, resync: false });
    expect(channel.isLive).toBe(true);
    latest().push(errandUpdated(42));

    latest().emit('close', { code: 1006, reason: 'abnormal closure' });
    await advance(1_000);
    expect(host.sockets).toHaveLength(2);
    latest().emit('open');
    expect(latest().messages()).toEqual([{ type: 'hello', token: TOKEN, lastEventId: 42 }]);
  });

  it('adopts the position the server welcomes it with', async () => {
    watch(live(), 'queue');
    await advance();
    welcome(100);
    latest().emit('close', { code: 1001, reason: 'going away' });
    await advance(1_000);
    latest().emit('open');
    expect(latest().messages()[0]).toEqual({ type: 'hello', token: TOKEN, lastEventId: 100 });
  });

  it('reloads every subscribed topic once when the welcome asks for a resync, and none when it does not', async () => {
    const channel = live();
    watch(channel, `errand:${ERRAND}`, 'my-errands', 'queue');
    await advance();
    welcome(7, false);
    expect(seen).toEqual([]);

    latest().emit('close', { code: 1006 });
    await advance(1_000);
    welcome(7, true);
    expect(seen.sort()).toEqual([`errand:${ERRAND}`, 'my-errands', 'queue']);
  });

  it('ignores events it has already seen', async () => {
    watch(live(), `errand:${ERRAND}`);
    await advance();
    welcome(10);
    latest().push(errandUpdated(9));
    latest().push(errandUpdated(10));
    expect(seen).toEqual([]);
    latest().push(errandUpdated(11));
    latest().push(errandUpdated(11)); // replayed after a resume
    latest().push(errandUpdated(12));
    expect(seen).toEqual([`errand:${ERRAND}`, `errand:${ERRAND}`]);
  });

  it('tells each page about the events that touch its topic, and nothing else', async () => {
    watch(live(), `errand:${ERRAND}`, `errand:${OTHER}`, 'my-errands', 'tasks', 'offers', 'queue');
    await advance();
    welcome(0);
    const socket = latest();
    const after = (event: unknown) => {
      seen = [];
      socket.push(event);
      return seen.sort();
    };
    expect(after(errandUpdated(1))).toEqual([`errand:${ERRAND}`, 'my-errands', 'tasks']);
    expect(after({ type: 'offer.created', id: 2, at: 1, errandId: OTHER })).toEqual([`errand:${OTHER}`, 'offers']);
    expect(after({ type: 'offer.withdrawn', id: 3, at: 1, errandId: ERRAND })).toEqual([`errand:${ERRAND}`, 'offers']);
    expect(after({ type: 'queue.changed', id: 4, at: 1, communityId: 1 })).toEqual(['queue']);
    expect(after({ type: 'pong' })).toEqual([]);
    expect(after({ type: 'errand.archived', id: 5, at: 1, errandId: ERRAND })).toEqual([]); // unknown to this version
    seen = [];
    socket.emit('message', { data: 'not json' });
    expect(seen).toEqual([]);
  });

  it('stops reconnecting on 4401 until someone logs in again, and keeps polling meanwhile', async () => {
    watch(live(), `errand:${ERRAND}`);
    await advance();
    welcome(5);
    latest().emit('close', { code: 4401, reason: 'unauthorized' });

    await advance(5 * 60_000);
    expect(host.sockets).toHaveLength(1);
    expect(seen).toHaveLength(60); // the errand page polled every 5 s instead

    token = 'a-new-session-token-after-login';
    await advance(5_000); // the next poll notices the new login
    expect(host.sockets).toHaveLength(2);
    latest().emit('open');
    // A new session starts afresh: the old position belonged to the old one.
    expect(latest().messages()).toEqual([{ type: 'hello', token: 'a-new-session-token-after-login' }]);
  });

  it('reconnects after other closes with growing pauses (1, 2, 4 … at most 30 s) and starts over once welcomed', async () => {
    watch(live({ timing: { pingEveryMs: 3_600_000 } }), 'queue');
    await advance();
    const openedAt: number[] = [Date.now()];
    const start = Date.now();
    for (let i = 0; i < 7; i++) {
      const before = host.sockets.length;
      latest().emit('close', { code: 1006 });
      while (host.sockets.length === before) await advance(100);
      openedAt.push(Date.now());
    }
    const pauses = openedAt.slice(1).map((t, i) => t - openedAt[i]!);
    expect(pauses).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(Date.now() - start).toBe(91_000);

    welcome(3);
    latest().emit('close', { code: 1011 });
    await advance(1_000);
    expect(host.sockets).toHaveLength(9);
  });

  it('counts a missing pong as a dead line: closes it and resumes on a new one', async () => {
    watch(live(), `errand:${ERRAND}`);
    await advance();
    const first = welcome(20);
    first.push(errandUpdated(21));

    await advance(25_000);
    expect(first.messages().at(-1)).toEqual({ type: 'ping' });
    first.push({ type: 'pong' }); // answered: the line stays
    await advance(25_000);
    expect(first.messages().filter((m) => m.type === 'ping')).toHaveLength(2);
    await advance(10_000); // no answer this time
    expect(first.closed).toBe(true);
    expect(host.sockets).toHaveLength(1);

    await advance(1_000);
    expect(host.sockets).toHaveLength(2);
    latest().emit('open');
    expect(latest().messages()).toEqual([{ type: 'hello', token: TOKEN, lastEventId: 21 }]);
    // Whatever the old line says now is ignored.
    seen = [];
    first.push(errandUpdated(22));
    first.emit('close', { code: 1006 });
    await advance(1_000);
    expect(seen).toEqual([]);
    expect(host.sockets).toHaveLength(2);
  });

  it('gives up on a line that never welcomes it and tries again', async () => {
    watch(live(), 'offers');
    await advance();
    latest().emit('open');
    await advance(10_000);
    expect(latest().closed).toBe(true);
    await advance(1_000);
    expect(host.sockets).toHaveLength(2);
  });

  it('polls at the normal pace while the socket is not live and only a safety poll while it is', async () => {
    watch(live({ timing: { pingEveryMs: 3_600_000 } }), `errand:${ERRAND}`);
    await advance();
    await advance(9_000); // connecting: the errand page polls every 5 s
    expect(seen).toHaveLength(1);

    welcome(1);
    seen = [];
    await advance(59_000);
    expect(seen).toEqual([]); // live: events do the work
    await advance(1_000);
    expect(seen).toEqual([`errand:${ERRAND}`]); // the 60 s safety poll

    latest().emit('close', { code: 1006 }); // WeChat suspended the app, say
    seen = [];
    await advance(5_000);
    expect(seen).toEqual([`errand:${ERRAND}`]); // polling at full pace again at once
  });

  it('shares one socket among all pages and closes it only after the last page has been gone a while', async () => {
    const channel = live();
    const stops = watch(channel, `errand:${ERRAND}`, 'my-errands', 'offers');
    await advance();
    const stopsLater = watch(channel, 'tasks', 'queue');
    await advance();
    expect(host.sockets).toHaveLength(1);
    welcome(1);

    [...stops, ...stopsLater].forEach((stop) => stop());
    await advance(1_000);
    const [stopAgain] = watch(channel, 'my-errands'); // reLaunch: the next page arrives just after the last one left
    await advance(10_000);
    expect(host.sockets).toHaveLength(1);
    expect(latest().closed).toBe(false);

    stopAgain!();
    await advance(5_000);
    expect(latest().closed).toBe(true);
    await advance(120_000);
    expect(host.sockets).toHaveLength(1); // nobody listens: no reconnecting either
  });

  it('replaces the line when someone else logs in while it is up, so nobody hears the previous session', async () => {
    const channel = live();
    const [stopHome] = watch(channel, 'my-errands');
    await advance();
    const first = welcome(50);
    stopHome!(); // log out: reLaunch to the login page

    token = 'someone-else-logged-in-just-now';
    watch(channel, 'my-errands'); // their home page, within the idle grace
    await advance();
    expect(first.closed).toBe(true);
    expect(host.sockets).toHaveLength(2);
    latest().emit('open');
    expect(latest().messages()).toEqual([{ type: 'hello', token: 'someone-else-logged-in-just-now' }]);
  });

  it('opens nothing while logged out, and the socket as soon as a poll finds a session', async () => {
    token = undefined;
    watch(live(), 'my-errands');
    await advance(9_000);
    expect(host.sockets).toHaveLength(0);
    token = TOKEN;
    await advance(1_000);
    expect(host.sockets).toHaveLength(1);
  });

  it('on app show after WeChat suspended it, reconnects at once and resumes; after a glance away it only checks the line', async () => {
    const channel = live();
    watch(channel, `errand:${ERRAND}`);
    await advance();
    const first = welcome(30);

    channel.hidden();
    jest.setSystemTime(Date.now() + 2_000); // timers do not run while suspended
    channel.shown();
    expect(first.messages().at(-1)).toEqual({ type: 'ping' });
    first.push({ type: 'pong' });
    expect(host.sockets).toHaveLength(1);

    channel.hidden();
    jest.setSystemTime(Date.now() + 10 * 60_000);
    channel.shown();
    await advance();
    expect(first.closed).toBe(true);
    expect(host.sockets).toHaveLength(2);
    latest().emit('open');
    expect(latest().messages()).toEqual([{ type: 'hello', token: TOKEN, lastEventId: 30 }]);
  });

  it('on app show skips a pending backoff pause', async () => {
    const channel = live({ timing: { retryDelayMs: () => 30_000 } });
    watch(channel, 'offers');
    await advance();
    latest().emit('close', { code: 1006 }); // the next try is 30 s away
    await advance(1_000);
    expect(host.sockets).toHaveLength(1);
    channel.shown();
    await advance();
    expect(host.sockets).toHaveLength(2);
  });
});
