import type Redis from 'ioredis';
import type { SequencedEvent } from '../live/domain';

/**
 * What the gate says to a helper who taps 接单, before anything is read: `try` (this helper holds
 * the gate: go on to the database), `taken` (another offered helper holds it: answer 409 at once),
 * or `ask-database` (the gate does not know this helper to hold an open offer, the helper holds
 * the gate already, or Redis is away: read first, then `claim`).
 */
export type GateAnswer = 'try' | 'taken' | 'ask-database';

/** An offer opened (offer.created) or closed (offer.withdrawn), as the relay publishes it. */
export interface OfferChange {
  errandPublicId: string;
  helperId: number;
  open: boolean;
}

/** The offers opened and closed among relayed events, in their order. */
export function offerChangesIn(events: readonly SequencedEvent[]): OfferChange[] {
  return events.flatMap((e) =>
    (e.type === 'offer.created' || e.type === 'offer.withdrawn') && e.errandPublicId !== null && e.helperId !== null
      ? [{ errandPublicId: e.errandPublicId, helperId: e.helperId, open: e.type === 'offer.created' }]
      : [],
  );
}

// Returns 1 (try), 0 (taken) or -1 (read first). Only a helper the relay recorded as holding an
// open offer for the errand may take or lose the gate before the read: anyone else must not learn
// from a 409 that the errand exists, nor hold the gate and turn offered helpers away. The holder
// itself reads too: a retry after its own win must hear "您已经接下这个代办了", not "来晚了一步".
const ADMIT = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return -1 end
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return -1 end
return 0`;

// Returns 1 when the helper holds the gate after it: it took it now, or held it already. An admit
// whose reply timed out may have set the key for this very helper; if claim refused it, everyone
// would be turned away by a gate whose holder never tries.
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0`;

const LEAVE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * The accept race's first gate. When a hundred helpers accept one errand at once, the first to set
 * the errand's key in Redis (SET NX, with an expiry) goes on to the database; the others whom
 * Redis knows to hold an open offer for it are answered "taken" before any SQL at all. The conditional
 * UPDATE stays the judge: the gate only decides who may try. A holder whose try fails opens the
 * gate again; a new round of offers opens it too; an unreachable or slow Redis lets everyone try
 * (SQL alone), and so does a gate that never heard of the offers (the relay had not run yet).
 */
export class AcceptGate {
  constructor(
    private readonly redis: Redis | null,
    private readonly options: { holdMs: number; openOffersTtlMs: number; redisTimeoutMs: number } = {
      holdMs: 3_000,
      openOffersTtlMs: 6 * 3_600_000,
      redisTimeoutMs: 50,
    },
  ) {}

  /** Before the read: may this helper try? */
  async admit(errandPublicId: string, helperId: number): Promise<GateAnswer> {
    if (!this.ready(this.redis)) return 'ask-database';
    try {
      const reply = await this.withinTimeout(
        this.redis.eval(ADMIT, 2, gateKey(errandPublicId), openOffersKey(errandPublicId), String(helperId), String(this.options.holdMs)),
      );
      return reply === 1 ? 'try' : reply === 0 ? 'taken' : 'ask-database';
    } catch {
      return 'ask-database';
    }
  }

  /** After the read showed an open offer, for a helper `admit` sent there: hold the gate (taken now or before), or lose. */
  async claim(errandPublicId: string, helperId: number): Promise<boolean> {
    if (!this.ready(this.redis)) return true;
    try {
      const reply = await this.withinTimeout(
        this.redis.eval(CLAIM, 1, gateKey(errandPublicId), String(helperId), String(this.options.holdMs)),
      );
      return reply === 1;
    } catch {
      return true;
    }
  }

  /** The helper's try failed in the database: let the others try. Only the holder's own key is removed. */
  async leave(errandPublicId: string, helperId: number): Promise<void> {
    if (!this.ready(this.redis)) return;
    await this.withinTimeout(this.redis.eval(LEAVE, 1, gateKey(errandPublicId), String(helperId))).catch(() => undefined);
  }

  /**
   * Offers opened and closed (the relay saw them committed): keep, per errand, who holds an open
   * offer and so may race for it; a new offer opens the gate too, which a new round needs (after a
   * release, the last winner's key may remain). A helper whose offer closed (declined, expired,
   * another won) reads first again, and can no longer hold the gate and turn others away.
   */
  async offersChanged(changes: readonly OfferChange[]): Promise<void> {
    if (changes.length === 0 || !this.ready(this.redis)) return;
    // Per errand, each helper's last change wins (a batch may open an offer and close it again):
    // one SADD and one SREM per errand rather than commands per offer (a create opens three).
    const byErrand = new Map<string, { lastByHelper: Map<number, boolean>; anyOpened: boolean }>();
    for (const c of changes) {
      const errand = byErrand.get(c.errandPublicId) ?? { lastByHelper: new Map<number, boolean>(), anyOpened: false };
      errand.lastByHelper.set(c.helperId, c.open);
      errand.anyOpened ||= c.open;
      byErrand.set(c.errandPublicId, errand);
    }
    const batch = this.redis.multi();
    for (const [publicId, { lastByHelper, anyOpened }] of byErrand) {
      const key = openOffersKey(publicId);
      const helpers = [...lastByHelper];
      const open = helpers.filter(([, isOpen]) => isOpen).map(([id]) => String(id));
      const closed = helpers.filter(([, isOpen]) => !isOpen).map(([id]) => String(id));
      if (open.length > 0) batch.sadd(key, ...open).pexpire(key, this.options.openOffersTtlMs);
      if (closed.length > 0) batch.srem(key, ...closed);
      if (anyOpened) batch.del(gateKey(publicId));
    }
    await this.withinTimeout(batch.exec());
  }

  private ready(redis: Redis | null): redis is Redis {
    return redis !== null && redis.status === 'ready';
  }

  private withinTimeout<T>(command: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis gate timeout')), this.options.redisTimeoutMs);
    });
    return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Keys of one errand share a hash tag (Redis Cluster), so one script may touch both. */
const gateKey = (publicId: string) => `accept:{e:${publicId}}:gate`;
const openOffersKey = (publicId: string) => `accept:{e:${publicId}}:open-offers`;
