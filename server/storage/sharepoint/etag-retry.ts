import { GraphAccessError, isStatus } from '../../platform/graph/graph-errors.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Optimistic concurrency on SharePoint items: `attempt` reads the item (with its eTag), decides
 * and writes with `If-Match`. When someone else wrote in between, Graph answers 412 and the
 * attempt runs again on the fresh copy, after a short random pause so that many writers of one
 * item spread out instead of colliding again in lockstep.
 */
export async function retryOnStaleEtag<T>(attempt: () => Promise<T>, maxAttempts = 100): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isStatus(err, 412)) throw err;
      if (n >= maxAttempts) {
        throw new GraphAccessError('too_much_contention', 'Too many people are changing this at once; try again.', 412);
      }
      await sleep(Math.random() * Math.min(200, 4 * 2 ** Math.min(n, 6)));
    }
  }
}

export type WriteQueue = <T>(key: string, write: () => Promise<T>) => Promise<T>;

/**
 * Runs writes of one item from this store one after another, so that they do not race each
 * other into 412s; writers in other server instances are still caught by If-Match.
 */
export function writeQueue(): WriteQueue {
  const queues = new Map<string, Promise<unknown>>();
  return <T>(key: string, write: () => Promise<T>): Promise<T> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(write, write);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => queues.get(key) === settled && queues.delete(key));
    return next;
  };
}
