import cluster from 'node:cluster';
import { ConfigError, demoModeWarning, loadConfig } from './config';
import { buildApp } from './app';
import { planProcesses, runPrimary } from './cluster';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const plan = planProcesses(config);
  if (cluster.isPrimary && plan.workers > 1) return runPrimary(plan);
  const app = await buildApp({ config });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  // A second signal kills a single process at once (the default); a worker keeps closing, as the
  // same signal may reach it twice (process group and primary) and the primary kills stragglers.
  const listen = cluster.isWorker ? process.on.bind(process) : process.once.bind(process);
  listen('SIGINT', () => void shutdown('SIGINT'));
  listen('SIGTERM', () => void shutdown('SIGTERM'));
  let address: string;
  try {
    address = await app.listen({ host: config.server.host, port: config.server.port });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EADDRINUSE') throw err;
    // The usual first-day mistake (a second `npm start`): say what to do, not a stack trace.
    await app.close();
    console.error(
      `Port ${config.server.port} on ${config.server.host} is already in use (is another Linli BFF running?). Stop it, or start with PORT=<another port>.`,
    );
    process.exit(1);
  }
  const where = config.db.url ? 'MySQL' : `SQLite (${config.db.sqlitePath})`;
  const processes = cluster.isWorker ? `cluster worker ${cluster.worker!.id} (${plan.workers} processes)` : plan.reason;
  app.log.info(
    `Linli BFF on ${address} — ${processes}, ${where}, Redis ${config.redis.url ? 'on' : 'off'}, dev login ${config.auth.devLogin ? 'on' : 'off'}${config.docs.enabled ? `; API docs at ${address}/docs` : ''}`,
  );
  const demo = demoModeWarning(config);
  if (demo) app.log.warn(demo);
  if (config.preset === 'production' && config.server.trustProxy === false) {
    app.log.warn(
      'TRUST_PROXY is not set: behind a load balancer every client appears with the balancer address and all share one rate limit',
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
