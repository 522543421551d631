import type { FastifyBaseLogger } from 'fastify';
import { JobRunner, type Job } from './jobs';

const logged: unknown[] = [];
const log = { error: (o: unknown) => void logged.push(o) } as unknown as FastifyBaseLogger;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobRunner', () => {
  beforeEach(() => (logged.length = 0));

  it('runs each job on its interval, never two runs of one job at once, and keeps going after a failure', async () => {
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const job: Job = {
      name: 'ticker',
      intervalMs: 5,
      run: async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await sleep(10);
        concurrent--;
        if (++runs === 1) throw new Error('first run fails');
      },
    };
    const runner = new JobRunner([job], log);
    runner.start();
    // Until the third run, however slow a busy machine makes the timers (a fixed 120 ms wait saw
    // only two runs once when another suite loaded both cores); a runner that stopped after the
    // failure never gets there.
    const deadline = Date.now() + 5_000;
    while (runs < 3 && Date.now() < deadline) await sleep(10);
    await runner.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(maxConcurrent).toBe(1);
    expect(logged).toHaveLength(1);
  });

  it('stops in order: no run starts after stop, each run in flight is awaited, then the job stops itself', async () => {
    const order: string[] = [];
    const slow = (name: string, ms = 30): Job => ({
      name,
      intervalMs: 0,
      run: async () => {
        order.push(`${name} runs`);
        await sleep(ms);
        order.push(`${name} ran`);
      },
      stop: () => void order.push(`${name} stopped`),
    });
    const runner = new JobRunner([slow('a'), slow('b'), { ...slow('c', 90), runAtStart: true }], log);
    runner.start();
    void runner.runNow('a');
    const stopped = runner.stop();
    await expect(runner.runNow('b')).resolves.toBeUndefined(); // after stop: nothing starts
    await stopped;
    expect(order).toEqual(['c runs', 'a runs', 'a ran', 'a stopped', 'b stopped', 'c ran', 'c stopped']);
  });

  it('joins a run already in flight instead of starting a second one', async () => {
    let runs = 0;
    const runner = new JobRunner([{ name: 'once', intervalMs: 0, run: async () => (await sleep(10), ++runs) }], log);
    const [a, b] = await Promise.all([runner.runNow('once'), runner.runNow('once')]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    await runner.stop();
  });

  it('refuses two jobs of one name', () => {
    const job: Job = { name: 'x', intervalMs: 0, run: async () => undefined };
    expect(() => new JobRunner([job, job], log)).toThrow('unique');
  });
});
