import { SharedSocketUpdates } from '../src/live/shared-socket';
import type { LiveUpdates, Topic } from '../src/live/updates';
import { PollingUpdates } from '../src/live/updates';
import { host } from './support/taro-fake';

/** A polling channel whose ticks the test fires by hand. */
class ManualPolling implements LiveUpdates {
  private subs = new Set<() => void>();
  subscribe(_topic: Topic, onChange: () => void): () => void {
    this.subs.add(onChange);
    return () => this.subs.delete(onChange);
  }
  tick(): void {
    this.subs.forEach((s) => s());
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('live updates', () => {
  it('polls each topic at its own interval and stops when unsubscribed', () => {
    jest.useFakeTimers();
    const seen: string[] = [];
    const polling = new PollingUpdates();
    const stopOffers = polling.subscribe('offers', () => seen.push('offers'));
    const stopQueue = polling.subscribe('queue', () => seen.push('queue'));
    jest.advanceTimersByTime(10_000);
    expect(seen.filter((s) => s === 'offers')).toHaveLength(2); // every 5 s
    expect(seen.filter((s) => s === 'queue')).toHaveLength(1); // every 8 s
    stopOffers();
    stopQueue();
    jest.advanceTimersByTime(60_000);
    expect(seen).toHaveLength(3);
    jest.useRealTimers();
  });

  it('shares one socket between pages, routes pushed events to topics, and polls only while it is down', async () => {
    const polling = new ManualPolling();
    const live = new SharedSocketUpdates('wss://bff.test/api/v1/ws', polling, () => 'token');
    const seen: string[] = [];
    const stopErrand = live.subscribe('errand:AAAAAAAAAAAAAAAAAAAAAA', () => seen.push('errand'));
    const stopOffers = live.subscribe('offers', () => seen.push('offers'));
    await flush();
    expect(host.sockets).toHaveLength(1);
    const socket = host.sockets[0]!;

    polling.tick(); // socket not open yet: polling keeps pages fresh
    expect(seen.sort()).toEqual(['errand', 'offers']);

    seen.length = 0;
    socket.emit('open');
    polling.tick(); // open: polling stands aside
    expect(seen).toEqual([]);
    socket.emit('message', { data: JSON.stringify({ type: 'errand.updated', errandId: 'AAAAAAAAAAAAAAAAAAAAAA' }) });
    socket.emit('message', { data: JSON.stringify({ type: 'offer.created' }) });
    socket.emit('message', { data: 'not json' });
    expect(seen).toEqual(['errand', 'offers']);

    seen.length = 0;
    socket.emit('close'); // WeChat suspended the app: back to polling
    polling.tick();
    expect(seen.sort()).toEqual(['errand', 'offers']);

    stopErrand();
    stopOffers();
    expect(socket.closed).toBe(false); // it had already dropped; nothing left to close
  });

  it('closes the socket when the last page unsubscribes', async () => {
    const live = new SharedSocketUpdates('wss://bff.test/api/v1/ws', new ManualPolling(), () => 'token');
    const stop = live.subscribe('queue', () => undefined);
    await flush();
    host.sockets[0]!.emit('open');
    stop();
    expect(host.sockets[0]!.closed).toBe(true);
  });
});
