// Candidate search at city scale: the geo lookup alone and the whole candidate search
// (zone + nearby + facts + ranking), with Redis GEO and with the SQL bounding box, at 1k, 10k
// and 100k on-duty helpers spread over 20 km × 20 km of Shenyang.
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/infra/db/orm';
import { seedDemoCommunity } from '../src/modules/demo/seed';
import { findCandidateHelpers } from '../src/modules/dispatch/candidates';
import { RedisGeoIndex, SqlGeoIndex, indexSnapshot, type GeoIndex } from '../src/modules/dispatch/geo-index';
import { deleteKeysWithPrefix } from '../test/support/redis-keys';
import { addBuildings, addHelpers, cityPoint, REDIS_URL, scratchDatabase, seededRandom, summarise, table } from './common';

const ITERATIONS = 2000;
const RADIUS_M = 800;
const K = 3;

export interface SearchResult {
  helpers: number;
  impl: 'redis' | 'sql';
  geo: { p50: number; p99: number };
  candidates: { p50: number; p99: number };
}

export async function benchSearch(sizes: number[]): Promise<{ results: SearchResult[]; report: string }> {
  const results: SearchResult[] = [];
  for (const size of sizes) {
    const scratch = await scratchDatabase(`search${size}`);
    const config = loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: scratch.url } });
    const db = await openDatabase(config);
    const prefix = `linli:bench:${scratch.name}:`;
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix });
    try {
      await seedDemoCommunity(db, Date.now());
      const buildings = await addBuildings(scratch.url, 1, Math.max(300, size / 20));
      await addHelpers(scratch.url, 1, size, buildings);
      const redisIndex = new RedisGeoIndex(redis);
      await redisIndex.rebuild(await indexSnapshot(db));
      const indexes: GeoIndex[] = [redisIndex, new SqlGeoIndex()];
      for (const index of indexes) {
        const random = seededRandom(42);
        const geoMs: number[] = [];
        const candidateMs: number[] = [];
        for (let i = 0; i < ITERATIONS + 200; i++) {
          const location = cityPoint(random);
          const buildingId = buildings[Math.floor(random() * buildings.length)]!;
          let t0 = performance.now();
          await index.nearby(db, 1, location, RADIUS_M, 12);
          const geo = performance.now() - t0;
          t0 = performance.now();
          await findCandidateHelpers(
            db,
            index,
            { id: 0, communityId: 1, buildingId, location, needs: { requesterUserId: -1, needsHeavyCarrier: false, radiusM: RADIUS_M } },
            config.dispatch.weights,
            K,
            Date.now(),
          );
          const all = performance.now() - t0;
          if (i >= 200) {
            geoMs.push(geo);
            candidateMs.push(all);
          }
        }
        const g = summarise(geoMs);
        const c = summarise(candidateMs);
        results.push({ helpers: size, impl: index.kind, geo: { p50: g.p50, p99: g.p99 }, candidates: { p50: c.p50, p99: c.p99 } });
        process.stderr.write(`search: ${size} helpers, ${index.kind}: candidates p99 ${c.p99.toFixed(2)} ms\n`);
      }
    } finally {
      await deleteKeysWithPrefix(prefix);
      redis.disconnect();
      await db.close();
      await scratch.drop();
    }
  }

  const rows = results.map((r) => [r.helpers.toLocaleString('en'), r.impl, r.geo.p50, r.geo.p99, r.candidates.p50, r.candidates.p99]);
  const lo = Math.min(...sizes);
  const hi = Math.max(...sizes);
  for (const impl of ['redis', 'sql'] as const) {
    const a = results.find((r) => r.impl === impl && r.helpers === lo)!;
    const b = results.find((r) => r.impl === impl && r.helpers === hi)!;
    rows.push([
      `ratio ${hi / 1000}k/${lo / 1000}k`,
      impl,
      b.geo.p50 / a.geo.p50,
      b.geo.p99 / a.geo.p99,
      b.candidates.p50 / a.candidates.p50,
      b.candidates.p99 / a.candidates.p99,
    ]);
  }
  const report = table(['on-duty helpers', 'index', 'geo p50 ms', 'geo p99 ms', 'candidates p50 ms', 'candidates p99 ms'], rows);
  return { results, report };
}
