import { Problem } from './problem.js';

/**
 * A bound on how many of one kind of heavy work a process does at once. Work that finds the gate
 * full is refused at once (`busy`), never queued: a queue without bound is itself what the gate is
 * there to prevent, and the caller can try again in a few seconds. The place is given back
 * however the work ends, thrown errors included.
 */
export interface WorkGate {
  /** Runs `work` holding a place, or throws `busy()` without running it when all places are taken. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** How many places are taken now. */
  readonly running: number;
}

export function createWorkGate(places: number, busy: () => Error): WorkGate {
  let running = 0;
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= places) throw busy();
      running++;
      try {
        return await work();
      } finally {
        running--;
      }
    },
    get running() {
      return running;
    },
  };
}

/** A refusal of work the gate found full: 503, and the seconds to wait before trying again (for Retry-After). */
export class GateBusy extends Problem {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_much_contention', message);
  }
}
