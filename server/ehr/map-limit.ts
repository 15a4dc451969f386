/**
 * Runs `fn` over `items` with at most `limit` calls in flight, keeping the results in order.
 * After a call fails no new call starts; the first failure is thrown once those in flight end.
 */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/** Runs a call when a slot is free; what waits is only the call's own closure, in arrival order. */
export type Gate = <R>(fn: () => Promise<R>) => Promise<R>;

/** At most `limit` calls through the gate at once; the rest wait their turn (first come, first served). */
export function createGate(limit: number): Gate & { readonly active: number; readonly waiting: number } {
  const slots = new Slots(limit);
  const gate = async <R>(fn: () => Promise<R>): Promise<R> => {
    await slots.acquire();
    try {
      return await fn();
    } finally {
      slots.release();
    }
  };
  return Object.defineProperties(gate, {
    active: { get: () => slots.active },
    waiting: { get: () => slots.waiting },
  }) as Gate & { readonly active: number; readonly waiting: number };
}

/** A counting semaphore with a FIFO queue of wake-up callbacks. */
export class Slots {
  active = 0;
  private queue: Array<() => void> = [];
  private head = 0;

  constructor(readonly limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Resolves when a slot is taken for the caller. */
  acquire(): Promise<void> {
    if (this.active < this.limit && this.waiting === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** Frees a slot, handing it straight to the first waiter if there is one. */
  release(): void {
    if (this.waiting > 0) {
      const wake = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as () => void;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      wake();
      return;
    }
    this.active--;
    if (this.waiting === 0 && this.head > 0) {
      this.queue = [];
      this.head = 0;
    }
  }

  /** True when nothing holds or waits for a slot (the semaphore can be dropped). */
  get idle(): boolean {
    return this.active === 0 && this.waiting === 0;
  }
}
