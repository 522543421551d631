import { liveSocketUrl, liveUpdates } from '../src/live';
import { connectWithBrowser } from '../src/live/connection';
import { SharedSocketUpdates } from '../src/live/shared-socket';
import { loggedIn } from './support/fixtures';
import { host, type FakeWebSocket } from './support/taro-fake';

// How the app wires the live channel: its address, the browser's WebSocket for h5, app show/hide.
const flush = () => new Promise((r) => setTimeout(r, 0));

function lastWebSocket(): FakeWebSocket {
  const ws = host.webSockets.at(-1);
  if (!ws) throw new Error('no WebSocket opened');
  return ws;
}

describe('the live channel in the app', () => {
  it('lives on the API host, ws:// for http:// and wss:// for https://; same origin when the API base is empty', () => {
    expect(liveSocketUrl('http://127.0.0.1:3000')).toBe('ws://127.0.0.1:3000/api/v1/ws');
    expect(liveSocketUrl('https://linli.example.cn/')).toBe('wss://linli.example.cn/api/v1/ws');
    expect(liveSocketUrl('', 'https://h5.example.cn')).toBe('wss://h5.example.cn/api/v1/ws');
    expect(liveSocketUrl('', 'http://127.0.0.1:41234')).toBe('ws://127.0.0.1:41234/api/v1/ws');
  });

  it('in the browser opens one WebSocket for all pages, says hello with the stored token, and listens for app show/hide', async () => {
    loggedIn('resident');
    const stops = [liveUpdates.subscribe('my-errands', () => undefined), liveUpdates.subscribe('offers', () => undefined)];
    await flush();
    expect(host.webSockets.map((ws) => ws.url)).toEqual(['ws://bff.test/api/v1/ws']);
    lastWebSocket().serverOpens();
    expect(lastWebSocket().sent.map((m) => JSON.parse(m))).toEqual([{ type: 'hello', token: 'test-token' }]);
    expect(host.appShow).toHaveLength(1);
    expect(host.appHide).toHaveLength(1);
    stops.forEach((stop) => stop());
  });

  it("hears the browser's close codes, so 4401 really stops the reconnecting", async () => {
    jest.useFakeTimers();
    try {
      const seen: string[] = [];
      const channel = new SharedSocketUpdates({
        url: () => 'wss://bff.test/api/v1/ws',
        token: () => 'x'.repeat(32),
        connect: connectWithBrowser,
      });
      channel.subscribe('queue', () => seen.push('queue'));
      await jest.advanceTimersByTimeAsync(0);
      lastWebSocket().serverOpens();
      lastWebSocket().serverSends({ type: 'welcome', lastEventId: 3, resync: false });
      lastWebSocket().serverSends({ type: 'queue.changed', id: 4, at: 1, communityId: 1 });
      expect(seen).toEqual(['queue']);

      lastWebSocket().serverCloses(1001);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(host.webSockets).toHaveLength(2);
      lastWebSocket().serverOpens();
      expect(JSON.parse(lastWebSocket().sent[0]!)).toEqual({ type: 'hello', token: 'x'.repeat(32), lastEventId: 4 });

      lastWebSocket().serverCloses(4401);
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(host.webSockets).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
