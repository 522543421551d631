import { randomBytes } from 'node:crypto';
import { createRedis } from '../../infra/redis';
import { deleteKeysWithPrefix } from '../../../test/support/redis-keys';
import type { SequencedEvent } from '../live/domain';
import { AcceptGate, offerChangesIn } from './accept-gate';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const opened = (errandPublicId: string, ...helperIds: number[]) => helperIds.map((helperId) => ({ errandPublicId, helperId, open: true }));
const closed = (errandPublicId: string, ...helperIds: number[]) => helperIds.map((helperId) => ({ errandPublicId, helperId, open: false }));

describe('AcceptGate on Redis', () => {
  const prefix = `linli:test:gate_${randomBytes(4).toString('hex')}:`;
  const redis = createRedis(REDIS_URL, prefix);
  const gate = new AcceptGate(redis, { holdMs: 2_000, openOffersTtlMs: 60_000, redisTimeoutMs: 500 });
  let n = 0;
  const errand = () => `E${Date.now().toString(36)}${n++}`;

  beforeAll(async () => {
    await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
    redis.disconnect();
  });

  it('sends a helper it never heard of to the database, which then claims the gate', async () => {
    const id = errand();
    expect(await gate.admit(id, 1)).toBe('ask-database');
    expect(await gate.claim(id, 1)).toBe(true);
    expect(await gate.claim(id, 2)).toBe(false);
  });

  it('lets the first offered helper try and answers the other offered ones "taken" at once', async () => {
    const id = errand();
    await gate.offersChanged(opened(id, 1, 2, 3));
    const answers = await Promise.all([1, 2, 3].map((h) => gate.admit(id, h)));
    expect(answers.filter((a) => a === 'try')).toHaveLength(1);
    expect(answers.filter((a) => a === 'taken')).toHaveLength(2);
  });

  it('tells nobody who was not offered the errand that it is taken', async () => {
    const id = errand();
    await gate.offersChanged(opened(id, 1));
    expect(await gate.admit(id, 1)).toBe('try');
    expect(await gate.admit(id, 99)).toBe('ask-database');
  });

  it('sends the holder itself to the database, so a retry after winning hears that it won', async () => {
    const id = errand();
    await gate.offersChanged(opened(id, 1, 2));
    expect(await gate.admit(id, 1)).toBe('try');
    expect(await gate.admit(id, 1)).toBe('ask-database');
  });

  it('grants the claim to the helper already holding the gate: an admit whose reply was lost must not lock everyone out', async () => {
    const id = errand();
    await gate.offersChanged(opened(id, 1, 2));
    // Helper 1's admit set the key, but (say) its reply came after the timeout: it reads, then claims.
    expect(await gate.admit(id, 1)).toBe('try');
    expect(await gate.claim(id, 1)).toBe(true);
    expect(await gate.claim(id, 2)).toBe(false);
    expect(await gate.admit(id, 2)).toBe('taken');
  });

  it('opens again when the holder leaves, but not when someone else does', async () => {
    const id = errand();
    await gate.offersChanged(opened(id, 1, 2));
    expect(await gate.admit(id, 1)).toBe('try');
    await gate.leave(id, 2);
    expect(await gate.admit(id, 2)).toBe('taken');
    await gate.leave(id, 1);
    expect(await gate.admit(id, 2)).toBe('try');
  });

  it('opens for a new round of offers, even while the last winner still holds it', async () => {
    const id = errand();
    await gate.offersChanged(opened(id, 1));
    expect(await gate.admit(id, 1)).toBe('try');
    await gate.offersChanged(opened(id, 5));
    expect(await gate.admit(id, 5)).toBe('try');
  });

  it('closes by itself after its hold, so a crashed holder blocks nobody for long', async () => {
    const short = new AcceptGate(redis, { holdMs: 100, openOffersTtlMs: 60_000, redisTimeoutMs: 500 });
    const id = errand();
    await short.offersChanged(opened(id, 1, 2));
    expect(await short.admit(id, 1)).toBe('try');
    expect(await short.admit(id, 2)).toBe('taken');
    await new Promise((r) => setTimeout(r, 150));
    expect(await short.admit(id, 2)).toBe('try');
  });

  it('without Redis lets everyone read and try: SQL alone decides', async () => {
    const none = new AcceptGate(null);
    expect(await none.admit('X', 1)).toBe('ask-database');
    expect(await none.claim('X', 1)).toBe(true);
    expect(await none.claim('X', 2)).toBe(true);
    await expect(none.offersChanged(opened('X', 1))).resolves.toBeUndefined();
  });

  it('lets a helper whose offer closed read first again, so it cannot hold the gate against the others', async () => {
    const id = errand();
    await gate.offersChanged([...opened(id, 1, 2), ...closed(id, 1)]);
    expect(await gate.admit(id, 1)).toBe('ask-database');
    expect(await gate.admit(id, 2)).toBe('try');
    // The one it lost to holds the gate; reading first, it will hear "taken" from the database.
    expect(await gate.claim(id, 1)).toBe(false);
  });

  it("takes each helper's last change in a batch, errand by errand", async () => {
    const [first, second] = [errand(), errand()];
    await gate.offersChanged([
      ...opened(first, 1, 2),
      ...opened(second, 1),
      ...closed(first, 1),
      ...opened(first, 1),
      ...closed(first, 2),
      ...closed(second, 1),
    ]);
    // first: 1 opened, closed, opened again (open); 2 opened then closed. second: 1 opened then closed.
    expect(await gate.admit(first, 2)).toBe('ask-database');
    expect(await gate.admit(second, 1)).toBe('ask-database');
    expect(await gate.admit(first, 1)).toBe('try');
  });

  it('finds the offers opened and closed among relayed events, in order', () => {
    const event = (type: SequencedEvent['type'], helperId: number | null): SequencedEvent => ({
      seq: 1,
      type,
      communityId: 1,
      errandId: 7,
      errandPublicId: 'P7',
      status: null,
      householdId: null,
      userId: null,
      helperId,
      staffCommunityId: null,
      createdAt: 0,
    });
    expect(
      offerChangesIn([event('offer.created', 3), event('offer.withdrawn', 4), event('errand.updated', 5), event('offer.created', 6)]),
    ).toEqual([
      { errandPublicId: 'P7', helperId: 3, open: true },
      { errandPublicId: 'P7', helperId: 4, open: false },
      { errandPublicId: 'P7', helperId: 6, open: true },
    ]);
  });
});
