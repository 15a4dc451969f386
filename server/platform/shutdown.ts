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

/** Work refused because the server is stopping: nothing was done, and no answer can reach the client any more. */
export class ShuttingDownError extends Error {
  constructor() {
    super('the server is shutting down: this request was cut off and nothing was changed');
    this.name = 'ShuttingDownError';
  }
}

/**
 * The work requests do on a store, counted while it runs, so the store is closed only once none
 * runs. `track` gives the store with each method call counted until its promise settles (and each
 * page of an async iterable it returns, such as an audit query; nested objects, such as a store's
 * audit log, likewise). `settle` ends it: from then on new calls are refused (ShuttingDownError,
 * nothing started), and it resolves once the calls in flight have ended, or after `withinMs`, saying
 * how many it abandoned.
 */
export interface InFlightWork {
  track<T extends object>(target: T): T;
  readonly running: number;
  settle(withinMs: number): Promise<{ abandoned: number }>;
}

export function createInFlightWork(): InFlightWork {
  let running = 0;
  let closed = false;
  let idle: (() => void) | undefined;
  const begin = () => {
    if (closed) throw new ShuttingDownError();
    running++;
  };
  const end = () => {
    running--;
    if (running === 0) idle?.();
  };
  const counted = (result: unknown): unknown => {
    if (result instanceof Promise) {
      running++;
      return result.finally(end);
    }
    if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) return iterable(result as AsyncIterable<unknown>);
    return result;
  };
  const iterable = (source: AsyncIterable<unknown>): AsyncIterable<unknown> => ({
    [Symbol.asyncIterator]() {
      const it = source[Symbol.asyncIterator]();
      return {
        next: () => step(() => it.next()),
        return: (value?: unknown) => step(() => it.return?.(value) ?? Promise.resolve({ done: true as const, value })),
      };
    },
  });
  const step = async <R>(call: () => Promise<R>): Promise<R> => {
    begin();
    try {
      return await call();
    } finally {
      end();
    }
  };
  const wrappers = new WeakMap<object, object>();
  const track = <T extends object>(target: T): T => {
    const known = wrappers.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (typeof value === 'function')
          return (...args: unknown[]) => {
            if (closed) throw new ShuttingDownError();
            return counted((value as (...a: unknown[]) => unknown).apply(object, args));
          };
        // A nested part of the store (its audit log): tracked as well.
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) return track(value);
        return value;
      },
    });
    wrappers.set(target, proxy);
    return proxy;
  };
  return {
    track,
    get running() {
      return running;
    },
    async settle(withinMs) {
      closed = true;
      if (running > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs))),
        ]);
        clearTimeout(timer);
        idle = undefined;
      }
      return { abandoned: running };
    },
  };
}
