import type { FastifyBaseLogger } from 'fastify';

/**
 * A background pass of the BFF: the deadline sweeper, the outbox relay, notification planning and
 * sending, retention, the recurrence runner and the smaller housekeeping passes. Every instance
 * runs every job; the jobs themselves make that safe (locks, leases, idempotent steps).
 */
export interface Job {
  readonly name: string;
  /**
   * Pause between the end of one run and the start of the next, so two runs of a job never
   * overlap on a timer. 0 = never on a timer (tests run it themselves; nudges still do).
   */
  readonly intervalMs: number;
  /** Also run once as soon as the runner starts (work a previous instance left behind). */
  readonly runAtStart?: boolean;
  run(): Promise<unknown>;
  /** No new work after this; resolves when the job's own work in flight has finished. */
  stop?(): Promise<void> | void;
}

/**
 * Starts and stops the jobs together. `stop()` first takes every timer away, so no run starts
 * after it, then, in the order the jobs were given, awaits the run in flight and the job's own
 * `stop()`. A failing run is logged with the job's name and the next one still comes. Timers never
 * keep the process alive.
 */
export class JobRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private started = false;
  private stopped = false;

  constructor(
    private readonly jobs: readonly Job[],
    private readonly log: FastifyBaseLogger,
  ) {
    const names = new Set(jobs.map((j) => j.name));
    if (names.size !== jobs.length) throw new Error('job names must be unique');
  }

  get names(): string[] {
    return this.jobs.map((j) => j.name);
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const job of this.jobs) {
      if (job.runAtStart) void this.runNow(job.name).catch(() => undefined);
      this.schedule(job);
    }
  }

  /**
   * Runs the job now (joining a run already in flight) and resolves with its result; rejects when
   * it fails. Tests use it to run a pass at a moment of their choosing.
   */
  runNow(name: string): Promise<unknown> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`no job named ${name}`);
    if (this.stopped) return Promise.resolve(undefined);
    const running = this.inFlight.get(name);
    if (running) return running;
    const run = job
      .run()
      .catch((err: unknown) => {
        this.log.error({ err, job: name }, `${name} failed`);
        throw err;
      })
      .finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, run);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const job of this.jobs) {
      await this.inFlight.get(job.name)?.catch(() => undefined);
      await job.stop?.();
    }
  }

  private schedule(job: Job): void {
    if (job.intervalMs <= 0 || this.stopped) return;
    const timer = setTimeout(() => {
      this.runNow(job.name)
        .catch(() => undefined) // logged in runNow
        .finally(() => this.schedule(job));
    }, job.intervalMs);
    timer.unref();
    this.timers.set(job.name, timer);
  }
}
