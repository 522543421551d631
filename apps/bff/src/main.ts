import { ConfigError, demoModeWarning, loadConfig } from './config';
import { buildApp } from './app';

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
  const app = await buildApp({ config });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  const where = config.db.url ? 'MySQL' : `SQLite (${config.db.sqlitePath})`;
  app.log.info(
    `Linli BFF on ${address} — ${where}, Redis ${config.redis.url ? 'on' : 'off'}, dev login ${config.auth.devLogin ? 'on' : 'off'}${config.docs.enabled ? `; API docs at ${address}/docs` : ''}`,
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
