import type Redis from 'ioredis';
import type { Sql } from '../../infra/db/database';
import { boundingBox, distanceMeters, type Point } from './domain';
import { allCommunities } from '../community/store';
import { onDutyHelpersInBox, onDutyPositions } from '../helpers/store';

export interface NearbyHelper {
  helperId: number;
  distanceM: number;
}

export interface HelperPosition extends Point {
  helperId: number;
  communityId: number;
}

/**
 * Where on-duty helpers are. Two implementations pass one test suite: Redis GEO (fast, one key per
 * community) and SQL (a bounding box on the helpers table, exact distance in code) for the
 * embedded mode and for when Redis is away.
 */
export interface GeoIndex {
  readonly kind: 'redis' | 'sql';
  /** Helpers of `communityId` within `radiusM` of `center`, nearest first, at most `limit`. */
  nearby(sql: Sql, communityId: number, center: Point, radiusM: number, limit: number): Promise<NearbyHelper[]>;
  put(position: HelperPosition): Promise<void>;
  remove(helperId: number, communityId: number): Promise<void>;
}

/**
 * The radii searched in turn: a quarter, then half, then the whole radius, stopping once enough
 * helpers are found. In a dense city the nearest few are close by, so the work stays about the
 * same however many helpers there are; where they are sparse it costs two more cheap lookups.
 * Rings under 100 m are skipped.
 */
export function searchRadii(radiusM: number): number[] {
  return [...[radiusM / 4, radiusM / 2].filter((r) => r >= 100), radiusM];
}

/** Runs the searches of `searchRadii` one after another until one finds `limit` helpers. */
export async function expandingSearch(
  radiusM: number,
  limit: number,
  searchWithin: (r: number) => Promise<NearbyHelper[]>,
): Promise<NearbyHelper[]> {
  let found: NearbyHelper[] = [];
  for (const r of searchRadii(radiusM)) {
    found = await searchWithin(r);
    if (found.length >= limit) break;
  }
  return found;
}

/** Keys of one community share a hash tag so they stay together in Redis Cluster. */
const geoKey = (communityId: number) => `geo:{c:${communityId}}`;

/**
 * The expanding search inside Redis: one round trip however many rings it takes. KEYS[1] the
 * community's key; ARGV longitude, latitude, limit, then the radii in metres.
 */
const NEARBY = `
local limit = tonumber(ARGV[3])
local found = {}
for i = 4, #ARGV do
  found = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[1], ARGV[2], 'BYRADIUS', ARGV[i], 'm', 'ASC', 'COUNT', limit, 'WITHDIST')
  if #found >= limit then break end
end
return found`;

interface WithNearby {
  linliNearby(key: string, lng: number, lat: number, limit: number, ...radiiM: number[]): Promise<[string, string][]>;
}

export class RedisGeoIndex implements GeoIndex {
  readonly kind = 'redis' as const;
  constructor(private readonly redis: Redis) {
    if (!('linliNearby' in redis)) redis.defineCommand('linliNearby', { numberOfKeys: 1, lua: NEARBY });
  }

  async nearby(_sql: Sql, communityId: number, center: Point, radiusM: number, limit: number): Promise<NearbyHelper[]> {
    const reply = await (this.redis as Redis & WithNearby).linliNearby(
      geoKey(communityId),
      center.lng,
      center.lat,
      limit,
      ...searchRadii(radiusM),
    );
    return reply.map(([member, dist]) => ({ helperId: Number(member), distanceM: Math.round(Number(dist)) }));
  }

  async put(p: HelperPosition): Promise<void> {
    await this.redis.geoadd(geoKey(p.communityId), p.lng, p.lat, String(p.helperId));
  }

  async remove(helperId: number, communityId: number): Promise<void> {
    await this.redis.zrem(geoKey(communityId), String(helperId));
  }

  /**
   * Replaces each community's index with the given positions (read from the database). Each key is
   * built aside and renamed into place, so searches never see a half-built index.
   */
  async rebuild({ positions, communityIds }: IndexSnapshot): Promise<void> {
    const byCommunity = new Map<number, HelperPosition[]>(communityIds.map((id) => [id, []]));
    for (const p of positions) byCommunity.get(p.communityId)?.push(p);
    for (const [communityId, list] of byCommunity) {
      const key = geoKey(communityId);
      const building = `${key}:rebuild`;
      const pipeline = this.redis.pipeline().del(building);
      for (let i = 0; i < list.length; i += 1000) {
        pipeline.geoadd(building, ...list.slice(i, i + 1000).flatMap((p) => [p.lng, p.lat, String(p.helperId)]));
      }
      if (list.length > 0) pipeline.rename(building, key);
      else pipeline.del(key);
      await pipeline.exec();
    }
  }
}

export class SqlGeoIndex implements GeoIndex {
  readonly kind = 'sql' as const;

  nearby(sql: Sql, communityId: number, center: Point, radiusM: number, limit: number): Promise<NearbyHelper[]> {
    return expandingSearch(radiusM, limit, (r) => this.searchWithin(sql, communityId, center, r, limit));
  }

  private async searchWithin(sql: Sql, communityId: number, center: Point, radiusM: number, limit: number): Promise<NearbyHelper[]> {
    const box = boundingBox(center, radiusM);
    const rows = await onDutyHelpersInBox(sql, communityId, box);
    return rows
      .map((r) => ({ helperId: r.helperId, distanceM: distanceMeters(center, { lat: r.lat, lng: r.lng }) }))
      .filter((h) => h.distanceM <= radiusM)
      .sort((a, b) => a.distanceM - b.distanceM || a.helperId - b.helperId)
      .slice(0, limit);
  }

  // The helpers table is the SQL index itself: duty changes are written there by the caller.
  async put(): Promise<void> {}
  async remove(): Promise<void> {}
}

export interface IndexSnapshot {
  positions: HelperPosition[];
  communityIds: number[];
}

/** On-duty helpers' positions as the database has them: what a Redis index is rebuilt from. */
export async function indexSnapshot(sql: Sql): Promise<IndexSnapshot> {
  const positions = await onDutyPositions(sql);
  const communities = await allCommunities(sql);
  return {
    positions,
    communityIds: communities.map((c) => c.id),
  };
}

/**
 * Redis while it answers, SQL otherwise. Writes that Redis missed while it was away are repaired
 * by rebuilding the whole index from the database when it comes back.
 */
export class ResilientGeoIndex implements GeoIndex {
  private stale = true;
  private rebuilding: Promise<void> | null = null;
  private writtenDuringRebuild = false;

  constructor(
    private readonly redisIndex: RedisGeoIndex,
    private readonly sqlIndex: SqlGeoIndex,
    private readonly redis: Redis,
    private readonly loadSnapshot: () => Promise<IndexSnapshot>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    redis.on('ready', () => void this.rebuild());
    redis.on('close', () => (this.stale = true));
  }

  get kind(): 'redis' | 'sql' {
    return this.usable() ? 'redis' : 'sql';
  }

  private usable(): boolean {
    return this.redis.status === 'ready' && !this.stale;
  }

  /** Rebuilds from the database; concurrent calls share one rebuild. */
  rebuild(): Promise<void> {
    this.rebuilding ??= (async () => {
      try {
        this.writtenDuringRebuild = false;
        await this.redisIndex.rebuild(await this.loadSnapshot());
        // A position written while the snapshot was being copied may have been overwritten.
        this.stale = this.writtenDuringRebuild;
      } catch (err) {
        this.stale = true;
        this.onError(err);
      } finally {
        this.rebuilding = null;
      }
    })();
    return this.rebuilding;
  }

  async nearby(sql: Sql, communityId: number, center: Point, radiusM: number, limit: number): Promise<NearbyHelper[]> {
    // A write that failed while Redis stayed connected leaves the index stale: repair it in the background.
    if (this.redis.status === 'ready' && this.stale) void this.rebuild();
    if (this.usable()) {
      try {
        return await this.redisIndex.nearby(sql, communityId, center, radiusM, limit);
      } catch (err) {
        this.stale = true;
        this.onError(err);
      }
    }
    return this.sqlIndex.nearby(sql, communityId, center, radiusM, limit);
  }

  async put(p: HelperPosition): Promise<void> {
    await this.write(() => this.redisIndex.put(p));
  }

  async remove(helperId: number, communityId: number): Promise<void> {
    await this.write(() => this.redisIndex.remove(helperId, communityId));
  }

  private async write(op: () => Promise<void>): Promise<void> {
    if (this.rebuilding) this.writtenDuringRebuild = true;
    if (this.redis.status !== 'ready') {
      this.stale = true;
      return;
    }
    try {
      await op();
    } catch (err) {
      this.stale = true;
      this.onError(err);
    }
  }
}
