import type { Logger } from 'pino';
import { installFailure } from './platform/install-failure.js';
import { handleProcessFailures } from './platform/process-failures.js';

// Every module that loads a package is imported inside the try below, so a package missing from
// node_modules (or a native module built for another Node.js) stops the start with one line.
const logger = await loadLogger();
// Before anything else runs: an error nothing handles is logged without its message (see process-failures.ts).
handleProcessFailures(logger);

try {
  // Telemetry first: its HTTP instrumentation must be in place before Express is loaded, so the
  // app's modules are imported only after it started (see platform/telemetry.ts).
  const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  const telemetry = connectionString ? await startTelemetryOrWarn(connectionString) : undefined;
  const { startServer } = await import('./start.js');
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
      // The last spans go out before the process does.
      await telemetry?.shutdown();
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
  const install = installFailure(err);
  if (install) {
    logger.fatal({ err: { name: (err as Error).name, code: (err as NodeJS.ErrnoException).code } }, install);
    process.exit(1);
  }
  const { ConfigError } = await import('./config.js');
  const { DataDirError, PortError } = await import('./start.js');
  const { AuditStoreError } = await import('./storage/audit-store-error.js');
  const { HeldItemsStoreError } = await import('./storage/azure-table/table-held-items.js');
  if (err instanceof ConfigError || err instanceof PortError || err instanceof DataDirError) {
    logger.fatal(err.message);
    process.exit(1);
  }
  // A store the server cannot open at start: one line saying which and why, not a stack trace.
  if (err instanceof AuditStoreError || err instanceof HeldItemsStoreError) {
    logger.fatal(
      { detail: err.detail },
      `${err.name}: the server cannot start without it. Check AUDIT_STORE, AUDIT_TABLE_ENDPOINT (or AUDIT_TABLE_CONNECTION_STRING) and the table names (or DATA_DIR for SQLite), and that the app's identity may use the table: a new role assignment can take some minutes to apply, and App Service restarts the app meanwhile.`,
    );
    process.exit(1);
  }
  // Anything else: one line, with where it happened but not its message (which may quote a setting's value).
  const { name, code, stack } = err as NodeJS.ErrnoException;
  logger.fatal(
    {
      err: {
        name,
        code,
        at: stack
          ?.split('\n')
          .slice(1, 6)
          .map((line) => line.trim()),
      },
    },
    'the server could not start',
  );
  process.exit(1);
}

/**
 * A connection string the exporter refuses leaves the app running without telemetry; the value is
 * never logged. Its package missing is a broken installation, which stops the start as any other.
 */
async function startTelemetryOrWarn(connectionString: string) {
  try {
    return (await import('./platform/telemetry.js')).startTelemetry(connectionString);
  } catch (err) {
    if (installFailure(err)) throw err;
    logger.error({ err: { name: (err as Error).name } }, 'telemetry could not start: check APPLICATIONINSIGHTS_CONNECTION_STRING');
    return undefined;
  }
}

/** The logger (pino); without it, the one line it would have written goes to stderr in its shape. */
async function loadLogger(): Promise<Logger> {
  try {
    return (await import('./platform/logger.js')).logger;
  } catch (err) {
    const msg = installFailure(err) ?? 'the server could not start: its logger could not be loaded';
    process.stderr.write(`${JSON.stringify({ level: 60, time: Date.now(), pid: process.pid, msg })}\n`);
    process.exit(1);
  }
}
