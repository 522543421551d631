/**
 * A pass that works off a backlog, woken by nudges (something was committed) and by a timer. The
 * nudges of one turn of the event loop become one pass; a run asked for while a pass is in flight
 * joins it and makes it go round once more, so what was committed meanwhile never waits for the
 * timer, and two passes never run at once in one instance.
 */
export class CoalescedPass {
  private running: Promise<number> | null = null;
  private again = false;
  private nudged = false;
  private stopped = false;

  /**
   * `drain` works until the backlog is empty and returns how much it did; `onError` hears a nudged
   * pass that failed; `after` hears the total of a pass before its promise settles.
   */
  constructor(
    private readonly drain: () => Promise<number>,
    private readonly onError: (err: unknown) => void,
    private readonly after: (total: number) => void = () => undefined,
  ) {}

  nudge(): void {
    if (this.nudged || this.stopped) return;
    this.nudged = true;
    setImmediate(() => {
      this.nudged = false;
      this.run().catch(this.onError);
    });
  }

  /** Drains until nothing is left, joining a pass in flight; returns the pass's total. */
  run(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        total += await this.drain();
      } while (this.again);
      this.after(total);
      return total;
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** No pass starts any more; resolves when the one in flight has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }
}
