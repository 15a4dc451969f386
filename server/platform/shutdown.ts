import type { Server } from 'node:http';

/** How a drain ended: every request in flight finished, or the grace period ran out and the rest were cut. */
export interface DrainResult {
  cutConnections: boolean;
}

/**
 * Stops accepting connections and lets the requests in flight finish (a streaming list answer
 * too) for at most `graceMs`, then cuts what is left. Keep-alive connections are closed as soon
 * as they are idle, so a client that would send one more request on them reconnects elsewhere.
 * App Service kills the process 30 s after SIGTERM: the grace must stay below that.
 */
export async function drainServer(server: Server, graceMs: number): Promise<DrainResult> {
  let cutConnections = false;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // A response that finishes during the drain leaves its keep-alive connection idle: close it too.
  const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = new Promise<'deadline'>((resolve) => setTimeout(resolve, graceMs, 'deadline').unref());
  try {
    if ((await Promise.race([closed, deadline])) === 'deadline') {
      cutConnections = true;
      server.closeAllConnections();
      await closed;
    }
  } finally {
    clearInterval(idleSweep);
  }
  return { cutConnections };
}
