import { ConfigError } from './config.js';
import { logger } from './platform/logger.js';
import { startServer } from './start.js';

try {
  const server = await startServer(process.env);
  logger.info(
    server.mode === 'dev'
      ? `Patients is running in dev mode at ${server.url} (listening on loopback only: dev mode is for this machine)`
      : `Patients is running in production mode at ${server.url}`,
  );
  // SIGTERM (App Service, a deploy, Ctrl+C): no new connections, requests in flight finish, then exit 0.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    try {
      await server.shutdown();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err: { name: (err as Error).name } }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  if (err instanceof ConfigError) {
    logger.fatal(err.message);
    process.exit(1);
  }
  throw err;
}
