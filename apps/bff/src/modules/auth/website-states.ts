import type Redis from 'ioredis';
import type { Database } from '../../infra/db/database';
import { unavailable } from '../../errors';
import { spendWebsiteState } from './store';

/**
 * Which signed website-login states have been used. A state is good for one callback only: the
 * first to spend it goes on to WeChat, every later one (a replayed callback URL, a double tap, a
 * second instance racing the first) is refused. Spending is one atomic step in the store shared by
 * every instance, so of any number of simultaneous callbacks exactly one wins.
 */
export interface SpentStates {
  /** True the first time `nonce` is spent, false ever after (until the state has expired anyway). */
  spend(nonce: string, expiresAt: number): Promise<boolean>;
}

/**
 * A spent record outlives its state a little: instances' clocks differ by a few seconds, and a
 * record gone while some instance still takes the state as unexpired would let it be used again.
 */
const CLOCK_SKEW_MS = 60_000;

const cannotCheck = () => unavailable('WEBSITE_STATE_UNCHECKED', '暂时无法完成扫码登录，请稍后返回登录页重新扫码');

/**
 * With Redis (as deployed): SET NX with an expiry, so the record goes by itself. When Redis does not
 * answer, the login is refused (503) rather than let through: the database cannot tell whether a
 * state was spent while Redis held the records, so falling back to it would reopen the replay.
 */
export class RedisSpentStates implements SpentStates {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number,
    private readonly timeoutMs = 1000,
  ) {}

  async spend(nonce: string, expiresAt: number): Promise<boolean> {
    const ttlMs = Math.max(1, expiresAt - this.now()) + CLOCK_SKEW_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis timeout')), this.timeoutMs);
    });
    try {
      const reply = await Promise.race([this.redis.set(websiteStateKey(nonce), '1', 'PX', ttlMs, 'NX'), timeout]);
      return reply === 'OK';
    } catch {
      throw cannotCheck();
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Without Redis (embedded SQLite, or MySQL alone): a row per spent state; retention deletes expired ones. */
export class SqlSpentStates implements SpentStates {
  constructor(private readonly db: Database) {}

  spend(nonce: string, expiresAt: number): Promise<boolean> {
    return spendWebsiteState(this.db, nonce, expiresAt + CLOCK_SKEW_MS);
  }
}

export const websiteStateKey = (nonce: string) => `website-state:${nonce}`;
