import { socketBudget } from './socket-budget';

describe('socket budget', () => {
  it('keeps a quarter of the open-file limit free for the database, Redis and plain HTTP', () => {
    // The limit the flood hit: 20,000 descriptors, and 20,000 sockets allowed.
    expect(socketBudget(20_000, 20_000)).toBe(15_000);
    expect(socketBudget(4096, 20_000)).toBe(4096);
    expect(socketBudget(4096, 1024)).toBe(768);
  });

  it('trusts the configuration where the limit cannot be read', () => {
    expect(socketBudget(4096, null)).toBe(4096);
  });

  it('reads this process’s own limit on Linux', () => {
    if (process.platform !== 'linux') return;
    expect(socketBudget(1_000_000)).toBeLessThan(1_000_000);
  });
});
