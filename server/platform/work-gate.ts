import { Problem } from './problem.js';

/**
 * A bound on how many of one kind of heavy work a process does at once, and, when `perHolder` is
 * given, how many of them one holder (a user) does, so one holder cannot take every place. Work
 * that finds the gate (or its holder's share) full is refused at once (`busy`), never queued: a
 * queue without bound is itself what the gate is there to prevent, and the caller can try again
 * in a few seconds. The place is given back however the work ends, thrown errors included.
 */
export interface WorkGate {
  /** Runs `work` holding a place (one of `holder`'s, if named), or throws `busy()` without running it when none is free. */
  run<T>(work: () => Promise<T>, holder?: string): Promise<T>;
  /** How many places are taken now. */
  readonly running: number;
}

export interface HolderShare {
  places: number;
  busy: () => Error;
}

export function createWorkGate(places: number, busy: () => Error, perHolder?: HolderShare): WorkGate {
  let running = 0;
  const held = new Map<string, number>();
  return {
    async run<T>(work: () => Promise<T>, holder?: string): Promise<T> {
      const mine = perHolder && holder;
      if (mine !== undefined && (held.get(mine) ?? 0) >= perHolder!.places) throw perHolder!.busy();
      if (running >= places) throw busy();
      running++;
      if (mine !== undefined) held.set(mine, (held.get(mine) ?? 0) + 1);
      try {
        return await work();
      } finally {
        running--;
        if (mine !== undefined) {
          const left = held.get(mine)! - 1;
          if (left === 0) held.delete(mine);
          else held.set(mine, left);
        }
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
