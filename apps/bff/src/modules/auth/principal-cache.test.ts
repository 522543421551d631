import type { AuthUser } from './actor';
import { PrincipalCache, type PrincipalBroadcast, type PrincipalChange } from './principal-cache';

const user = (userId: number, helperId: number | null = null): AuthUser => ({
  userId,
  roles: helperId === null ? ['resident'] : ['resident', 'helper'],
  staffCommunityId: null,
  overseer: null,
  householdId: null,
  helperId,
  helperCommunityId: helperId === null ? null : 1,
  helperVerified: helperId !== null,
});

function cacheAt(start = 1_000_000, ttlMs = 30_000, maxEntries = 50_000) {
  const clock = { t: start };
  return { clock, cache: new PrincipalCache(ttlMs, () => clock.t, maxEntries) };
}

describe('PrincipalCache', () => {
  it('answers a remembered caller until its TTL, then forgets it', () => {
    const { clock, cache } = cacheAt();
    cache.set('h1', user(1), clock.t + 3_600_000, cache.version);
    expect(cache.get('h1')?.userId).toBe(1);
    clock.t += 29_999;
    expect(cache.get('h1')?.userId).toBe(1);
    clock.t += 1;
    expect(cache.get('h1')).toBeUndefined();
  });

  it('never outlives the session itself', () => {
    const { clock, cache } = cacheAt();
    cache.set('h1', user(1), clock.t + 5_000, cache.version);
    clock.t += 5_000;
    expect(cache.get('h1')).toBeUndefined();
  });

  it('does not store what a read found when a change came while it was reading', () => {
    const { clock, cache } = cacheAt();
    const before = cache.version;
    cache.changed({ kind: 'users', userIds: [1] });
    cache.set('h1', user(1), clock.t + 3_600_000, before);
    expect(cache.get('h1')).toBeUndefined();
  });

  it('forgets one session, every session of a user, the sessions of a helper, or everyone', () => {
    const { clock, cache } = cacheAt();
    const fill = () => {
      const v = cache.version;
      cache.set('a1', user(1), clock.t + 3_600_000, v);
      cache.set('a2', user(1), clock.t + 3_600_000, v);
      cache.set('b1', user(2, 20), clock.t + 3_600_000, v);
      cache.set('c1', user(3), clock.t + 3_600_000, v);
    };
    const held = () => ['a1', 'a2', 'b1', 'c1'].filter((h) => cache.get(h) !== undefined);
    fill();
    cache.changed({ kind: 'session', tokenHash: 'a1' });
    expect(held()).toEqual(['a2', 'b1', 'c1']);
    fill();
    cache.changed({ kind: 'users', userIds: [1] });
    expect(held()).toEqual(['b1', 'c1']);
    fill();
    cache.changed({ kind: 'helpers', helperIds: [20] });
    expect(held()).toEqual(['a1', 'a2', 'c1']);
    fill();
    cache.changed({ kind: 'everyone' });
    expect(held()).toEqual([]);
    expect(cache.size).toBe(0);
  });

  it('keeps at most its limit, dropping the oldest first', () => {
    const { clock, cache } = cacheAt(0, 30_000, 2);
    for (const h of ['x', 'y', 'z']) cache.set(h, user(h.charCodeAt(0)), clock.t + 3_600_000, cache.version);
    expect(cache.size).toBe(2);
    expect(cache.get('x')).toBeUndefined();
    expect(cache.get('z')).toBeDefined();
  });

  it('remembers nothing with a TTL of 0', () => {
    const { clock, cache } = cacheAt(0, 0);
    cache.set('h1', user(1), clock.t + 3_600_000, cache.version);
    expect(cache.get('h1')).toBeUndefined();
  });

  it('tells its peers of a change and applies theirs without echoing them back', () => {
    const sent: PrincipalChange[] = [];
    let deliver: (c: PrincipalChange) => void = () => undefined;
    const peers: PrincipalBroadcast = {
      send: (c) => sent.push(c),
      listen: (onChange) => {
        deliver = onChange;
      },
      close: async () => undefined,
    };
    const { clock, cache } = cacheAt();
    cache.connect(peers);
    cache.set('h1', user(1), clock.t + 3_600_000, cache.version);
    cache.set('h2', user(2), clock.t + 3_600_000, cache.version);
    cache.changed({ kind: 'session', tokenHash: 'h1' });
    expect(sent).toEqual([{ kind: 'session', tokenHash: 'h1' }]);
    deliver({ kind: 'users', userIds: [2] });
    expect(cache.get('h2')).toBeUndefined();
    expect(sent).toHaveLength(1);
  });
});
