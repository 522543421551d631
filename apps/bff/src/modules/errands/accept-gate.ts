import type Redis from 'ioredis';

/**
 * The accept race's first gate. When a hundred helpers accept one errand at once, the first to
 * set the errand's key in Redis (SET NX, with an expiry) goes on to the database; the others are
 * answered "taken" at once instead of queueing for the pool behind a conditional UPDATE they
 * would lose. The UPDATE stays the judge: the gate only decides who may try. A winner whose
 * UPDATE fails opens the gate again; an unreachable or slow Redis lets everyone try (SQL alone).
 */
export class AcceptGate {
  constructor(
    private readonly redis: Redis | null,
    private readonly options: { holdMs: number; redisTimeoutMs: number } = { holdMs: 10_000, redisTimeoutMs: 50 },
  ) {}

  /**
   * Whether `helperId` may try to accept the errand as of `version` (a later dispatch of the same
   * errand has another version, hence another key).
   */
  async enter(errandId: number, version: number, helperId: number): Promise<boolean> {
    if (!this.redis || this.redis.status !== 'ready') return true;
    try {
      const reply = await this.withinTimeout(this.redis.set(gateKey(errandId, version), String(helperId), 'PX', this.options.holdMs, 'NX'));
      return reply === 'OK';
    } catch {
      return true;
    }
  }

  /** The helper's try failed in the database: let the others try. Only the holder's own key is removed. */
  async leave(errandId: number, version: number, helperId: number): Promise<void> {
    if (!this.redis || this.redis.status !== 'ready') return;
    await this.withinTimeout(
      this.redis.eval(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
        1,
        gateKey(errandId, version),
        String(helperId),
      ),
    ).catch(() => undefined);
  }

  private withinTimeout<T>(command: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis gate timeout')), this.options.redisTimeoutMs);
    });
    return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Keys of one errand share a hash tag (Redis Cluster). */
const gateKey = (errandId: number, version: number) => `accept:{e:${errandId}}:${version}`;
