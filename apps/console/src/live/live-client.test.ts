import { LIVE_CLOSE } from '@linli/contracts';
import { LiveClient, liveSocketUrl, type LiveSignal } from './live-client';

class FakeSocket {
  static opened: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code: number) {
    this.closedWith = code;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const TOKEN = 'a'.repeat(40);

function client(token: () => string | undefined = () => TOKEN) {
  return new LiveClient({
    url: () => 'ws://desk/api/v1/ws',
    token,
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    timing: { retryDelayMs: () => 1_000, answerWithinMs: 5_000, pingEveryMs: 20_000 },
  });
}

beforeEach(() => {
  FakeSocket.opened = [];
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

describe('console live client', () => {
  it('says hello with the token, goes live on welcome and passes events on once', () => {
    const live = client();
    const heard: LiveSignal[] = [];
    live.subscribe((s) => heard.push(s));
    const ws = FakeSocket.opened[0]!;
    ws.open();
    expect(ws.sent).toEqual([{ type: 'hello', token: TOKEN }]);
    ws.receive({ type: 'welcome', lastEventId: 10, resync: false });
    expect(live.status).toBe('live');
    ws.receive({ type: 'queue.changed', id: 11, at: 1, communityId: 1 });
    ws.receive({ type: 'queue.changed', id: 11, at: 1, communityId: 1 }); // a repeat
    ws.receive({ type: 'something.new', id: 12 }); // unknown to this version: ignored
    expect(heard).toEqual([{ type: 'queue.changed', id: 11, at: 1, communityId: 1 }]);
  });

  it('reconnects after a drop and resumes from the last event id; resync tells pages to reload', () => {
    const live = client();
    const heard: LiveSignal[] = [];
    live.subscribe((s) => heard.push(s));
    const first = FakeSocket.opened[0]!;
    first.open();
    first.receive({ type: 'welcome', lastEventId: 7, resync: false });
    first.drop(1006);
    expect(live.status).toBe('offline');
    jest.advanceTimersByTime(1_000);
    const second = FakeSocket.opened[1]!;
    second.open();
    expect(second.sent).toEqual([{ type: 'hello', token: TOKEN, lastEventId: 7 }]);
    second.receive({ type: 'welcome', lastEventId: 7, resync: true });
    expect(heard).toEqual([{ type: 'resync' }]);
  });

  it('abandons a silent line and does not retry a token the server refused', () => {
    const live = client();
    live.subscribe(() => undefined);
    FakeSocket.opened[0]!.open();
    jest.advanceTimersByTime(5_000); // no welcome
    expect(FakeSocket.opened[0]!.closedWith).toBe(1000);
    jest.advanceTimersByTime(1_000);
    const second = FakeSocket.opened[1]!;
    second.open();
    second.drop(LIVE_CLOSE.unauthorized);
    jest.advanceTimersByTime(60_000);
    expect(FakeSocket.opened).toHaveLength(2);
  });

  it('opens no line while logged out, and pings once live', () => {
    const session: { token?: string } = {};
    const live = client(() => session.token);
    live.subscribe(() => undefined);
    expect(FakeSocket.opened).toHaveLength(0);
    session.token = TOKEN;
    live.sessionChanged();
    const ws = FakeSocket.opened[0]!;
    ws.open();
    ws.receive({ type: 'welcome', lastEventId: 0, resync: false });
    jest.advanceTimersByTime(20_000);
    expect(ws.sent).toContainEqual({ type: 'ping' });
  });

  it('maps the page origin to the ws address', () => {
    expect(liveSocketUrl('https://desk.example.cn/')).toBe('wss://desk.example.cn/api/v1/ws');
    expect(liveSocketUrl('http://127.0.0.1:3000')).toBe('ws://127.0.0.1:3000/api/v1/ws');
  });
});
