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
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof ConfigError) {
    logger.fatal(err.message);
    process.exit(1);
  }
  throw err;
}
