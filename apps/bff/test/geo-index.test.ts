import Redis from 'ioredis';
import type { Database } from '../src/infra/db/database';
import { RedisGeoIndex, SqlGeoIndex, indexSnapshot, type GeoIndex } from '../src/modules/dispatch/geo-index';
import { north } from './support/fixtures';
import { startTestApp, type TestApp } from './support/harness';
import { TEST_REDIS_URL } from './support/env';
import { deleteKeysWithPrefix } from './support/redis-keys';
import { createRedis } from '../src/infra/redis';

const centre = { lat: 41.7741, lng: 123.431 };

/** Places helpers in the database (the SQL index) and in the index under test. */
async function place(db: Database, index: GeoIndex, communityId: number, meters: number[]): Promise<number[]> {
  const ids: number[] = [];
  for (const m of meters) {
    const p = north(centre, m);
    const res = await db.run(
      `INSERT INTO helpers (user_id, community_id, kind, verified, on_duty, capacity, can_carry_heavy, lat, lng, rating_sum, rating_count, created_at)
       VALUES (?, ?, 'volunteer', 1, 1, 2, 0, ?, ?, 0, 0, 0)`,
      [900_000 + Math.floor(Math.random() * 99_999_999), communityId, p.lat, p.lng],
    );
    ids.push(res.insertId);
    await index.put({ helperId: res.insertId, communityId, ...p });
  }
  return ids;
}

describe.each(['redis', 'sql'] as const)('the %s geo index', (kind) => {
  let t: TestApp;
  let redis: Redis;
  let index: GeoIndex;
  const community = 9001;
  const prefix = `linli:test:geo:${kind}:${process.pid}:`;

  beforeAll(async () => {
    t = await startTestApp('mysql', `geo_${kind}`);
    redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix });
    index = kind === 'redis' ? new RedisGeoIndex(redis) : new SqlGeoIndex();
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(prefix);
    await t.close();
  });

  it('finds helpers within the radius, nearest first, with their distance', async () => {
    const [near, mid, far] = await place(t.app.linli.db, index, community, [100, 600, 2500]);
    const found = await index.nearby(t.app.linli.db, community, centre, 1000, 10);
    expect(found.map((f) => f.helperId)).toEqual([near, mid]);
    expect(found[0]!.distanceM).toBeGreaterThan(90);
    expect(found[0]!.distanceM).toBeLessThan(110);
    expect(found.map((f) => f.helperId)).not.toContain(far);
  });

  it('returns at most the limit', async () => {
    await place(t.app.linli.db, index, community + 1, [10, 20, 30, 40, 50]);
    expect(await index.nearby(t.app.linli.db, community + 1, centre, 1000, 3)).toHaveLength(3);
  });

  it('widens to the whole radius where helpers are sparse, and still answers nearest first', async () => {
    const [inner, outer] = await place(t.app.linli.db, index, community + 4, [180, 900]);
    const found = await index.nearby(t.app.linli.db, community + 4, centre, 1000, 5);
    expect(found.map((f) => f.helperId)).toEqual([inner, outer]);
  });

  it('keeps communities apart', async () => {
    expect(await index.nearby(t.app.linli.db, community + 2, centre, 5000, 10)).toEqual([]);
  });

  it('forgets a helper who went off duty', async () => {
    const [id] = await place(t.app.linli.db, index, community + 3, [50]);
    await t.app.linli.db.run('UPDATE helpers SET on_duty = 0 WHERE id = ?', [id]);
    await index.remove(id!, community + 3);
    expect(await index.nearby(t.app.linli.db, community + 3, centre, 1000, 10)).toEqual([]);
  });

  if (kind === 'redis') {
    it('searches all three rings in one round trip to Redis', async () => {
      const [far] = await place(t.app.linli.db, index, community + 5, [950]);
      await index.nearby(t.app.linli.db, community + 5, centre, 1000, 5); // loads the script into Redis
      const sent = jest.spyOn(redis, 'sendCommand');
      try {
        const found = await index.nearby(t.app.linli.db, community + 5, centre, 1000, 5);
        expect(found.map((f) => f.helperId)).toEqual([far]);
        expect(sent.mock.calls.map(([c]) => c.name)).toEqual(['evalsha']);
      } finally {
        sent.mockRestore();
      }
    });

    it('is sent at once on the app connection, not queued for auto-pipelining', async () => {
      const appRedis = createRedis(TEST_REDIS_URL, prefix);
      try {
        if (appRedis.status !== 'ready') await new Promise((ready) => appRedis.once('ready', ready));
        const appIndex = new RedisGeoIndex(appRedis);
        await appIndex.nearby(t.app.linli.db, community + 5, centre, 1000, 5);
        const searching = appIndex.nearby(t.app.linli.db, community + 5, centre, 1000, 5);
        expect(appRedis.autoPipelineQueueSize).toBe(0);
        await searching;
        // The check can fail: a command that is auto-pipelined waits in the queue until the next tick.
        const pinging = appRedis.ping();
        expect(appRedis.autoPipelineQueueSize).toBe(1);
        await pinging;
      } finally {
        appRedis.disconnect();
      }
    });

    it('rebuilds from the database: on-duty helpers back in, stale members out', async () => {
      const redisIndex = index as RedisGeoIndex;
      await redis.geoadd(`geo:{c:${community + 3}}`, centre.lng, centre.lat, '424242');
      const snapshot = await indexSnapshot(t.app.linli.db);
      await redisIndex.rebuild({
        positions: snapshot.positions,
        communityIds: [...snapshot.communityIds, community, community + 1, community + 3],
      });
      expect((await index.nearby(t.app.linli.db, community + 3, centre, 1000, 10)).map((f) => f.helperId)).not.toContain(424242);
      expect(await index.nearby(t.app.linli.db, community, centre, 1000, 10)).toHaveLength(2);
    });
  }
});
