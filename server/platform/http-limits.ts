import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * How long one client may hold a connection without doing its part, so slow or stalled clients
 * cannot keep the server's connections (and the work behind them) for minutes or for ever.
 * Node's own defaults are 60 s for the headers and 300 s for the whole request, checked only
 * every 30 s, and no limit at all on a response the client stops reading.
 */
export interface HttpLimits {
  /** The request line and headers arrive within this (a client that sends them a byte at a time: slowloris). */
  headersMs: number;
  /** The whole request, body included (a trickled body); a 10 MB import fits down to about 0.7 Mbit/s. */
  requestMs: number;
  /**
   * A response the client stopped reading (nothing it was sent leaves for this long) is cut;
   * an answer the server is still working on is never cut for being slow.
   */
  stalledWriteMs: number;
}

export const defaultHttpLimits: Readonly<HttpLimits> = { headersMs: 20_000, requestMs: 120_000, stalledWriteMs: 60_000 };

/** The app's HTTP server, with `limits` (defaultHttpLimits where not given). */
export function createHttpServer(handler: RequestListener, limits: Partial<HttpLimits> = {}): Server {
  const { headersMs, requestMs, stalledWriteMs } = { ...defaultHttpLimits, ...limits };
  const server = createServer(
    {
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      // Node checks the two limits above on this interval: a late client is cut within a quarter of its limit past it.
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.round(headersMs / 4))),
    },
    handler,
  );
  server.on('request', (_req, res) => {
    // A timeout listener on the response keeps Node from closing the connection at every quiet
    // spell: it is closed only when what was written waits for a client that does not read.
    res.setTimeout(stalledWriteMs, () => {
      if (res.socket?.writableNeedDrain) res.socket.destroy();
    });
  });
  return server;
}
