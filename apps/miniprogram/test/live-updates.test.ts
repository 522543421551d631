import { PollingUpdates } from '../src/live/updates';

describe('polling', () => {
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
});
