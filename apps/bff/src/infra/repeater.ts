/**
 * Runs a background pass (sweeper, outbox relay, message sender) every `intervalMs`, counted from
 * the end of the previous pass so two never overlap; a failing pass is reported and the next one
 * still comes. The timer never keeps the process alive. An interval of 0 means never: tests run
 * the passes themselves.
 */
export class Repeater {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.pass()
          .catch(this.onError)
          .finally(() => this.timer && tick());
      }, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** No pass starts after this; one already running is the owner's to await. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
