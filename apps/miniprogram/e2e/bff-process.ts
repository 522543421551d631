import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import Redis from 'ioredis';

const bffDir = path.resolve(__dirname, '../../bff');
const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RunningBff {
  baseUrl: string;
  /** Runs a statement on the run's database (to arrange what the API cannot, e.g. staff without dev login). */
  sql: (query: string, params?: unknown[]) => Promise<unknown>;
  stop: () => Promise<void>;
}

/** Removes the run's Redis keys (geo index, rate limits) so runs leave nothing behind. */
async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const stream = redis.scanStream({ match: `${prefix}*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** A fresh MySQL database for one run, dropped afterwards. */
async function createDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `linli_mp_e2e_${process.pid}_${Date.now().toString(36)}`;
  const admin = await createConnection(mysqlUrl);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  return {
    name,
    url: `${mysqlUrl.replace(/\/$/, '')}/${name}`,
    drop: async () => {
      const c = await createConnection(mysqlUrl);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
      await deleteRedisKeys(`linli:mp-e2e:${name}:`);
    },
  };
}

/**
 * Starts the BFF as `npm start` does (node + tsx on src/main.ts), on MySQL and Redis, serving the
 * h5 build from STATIC_DIR, on a free port it reports in its log line. `env` overrides or adds
 * configuration (e.g. DEV_LOGIN=false and the website login's WeChat settings, or a higher login
 * rate for a suite that seeds through the API).
 */
export async function startBff(staticDir: string, env: Record<string, string> = {}): Promise<RunningBff> {
  const database = await createDatabase();
  const { NODE_ENV: _ignored, ...parentEnv } = process.env;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: bffDir,
    env: {
      ...parentEnv,
      LINLI_CONFIG: 'default',
      PORT: '0',
      // One process: the browser suites test the product, not the cluster (apps/bff/test/cluster.test.ts does).
      CLUSTER_WORKERS: '1',
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `linli:mp-e2e:${database.name}:`,
      STATIC_DIR: staticDir,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`BFF did not start:\n${out}`)), 40_000);
    child.stdout?.on('data', () => {
      const m = /Linli BFF on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`BFF exited with ${code}:\n${out}`));
    });
  }).catch(async (e: unknown) => {
    await database.drop();
    throw e;
  });
  // A suite may stop the BFF mid-run (to see the client without a server) and again in afterAll.
  let stopping: Promise<void> | null = null;
  return {
    baseUrl,
    sql: async (query, params = []) => {
      const conn = await createConnection(database.url);
      try {
        const [result] = await conn.query(query, params);
        return result;
      } finally {
        await conn.end();
      }
    },
    stop: () =>
      (stopping ??= (async () => {
        child.removeAllListeners('exit');
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
        await database.drop();
      })()),
  };
}
