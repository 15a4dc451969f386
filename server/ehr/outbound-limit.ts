import { Slots } from './map-limit.js';
import type { Transport } from './transport.js';

/** Requests in flight at once for one tenant to one EHR, whatever it reads (lists, searches, details). */
const DEFAULT_REQUESTS_PER_TENANT = 8;
/** EHR answers being read at once by the whole process (one gateway per process). */
const DEFAULT_REQUESTS_PER_PROCESS = 32;

/**
 * An answer still being read this long after the EHR began it is stalled: a batch of 100 entries
 * is read in well under a second, even from a slow EHR; one sent a byte now and then is not.
 */
export const STALLED_READ_MS = 4_000;
/** Stalled reads that no longer hold a slot of the process, at most, per slot of the process (see limitOutbound). */
const STALLED_READS_PER_PROCESS_SLOT = 4;

/** Answers at least this large are handed on one per event-loop turn (see limitOutbound). */
const LARGE_ANSWER_BYTES = 1024 * 1024;

export interface OutboundLimits {
  /** Default 8: two list loads at full speed (4 each), more wait their turn. */
  perTenant?: number;
  /** Default 32. */
  perProcess?: number;
}

export interface OutboundLimiter {
  /**
   * The transport as one tenant's calls use it: each request takes a slot of its tenant at its
   * EHR, and, once the EHR begins to answer, one of the process while its answer is read; both
   * are given back when the answer has been read (or has failed). A request that waits holds
   * only its own closure, never an answer.
   */
  forTenant(tenantId: string): Transport;
  /** Requests in flight and waiting (per tenant and EHR origin), for tests and diagnostics. */
  stats(): { inFlight: number; waiting: number; tenants: Record<string, { inFlight: number; waiting: number }> };
}

/**
 * Bounds what one tenant's EHR (hostile, broken, or just slow) can make this process hold at
 * once. Requests are limited per tenant and EHR origin (`perTenant`): a team whose EHR hangs
 * fills only the slots of that EHR, not those of the tenant's other teams. Answers being read are
 * limited for the whole process (`perProcess`), which bounds the memory they take; a slot of the
 * process is taken only once the EHR begins to answer, so requests to EHRs that never answer
 * (however many tenants or teams send them) hold none, and other tenants' answers are read as
 * they come. An EHR that begins to answer and then sends it a byte at a time holds its slots until
 * the request's timeout: one tenant reads at most a quarter of the process's answers at once (or `perTenant`, if more),
 * however many EHRs (teams, host names, ports) it points at, so it never holds them all. Several
 * tenants together could, until their timeouts: so an answer read for longer than
 * STALLED_READ_MS gives back its slot of the process and keeps its tenant's, which still bounds
 * what one tenant holds, while other tenants' answers are read. What stalled reads hold in all is
 * bounded too: at most STALLED_READS_PER_PROCESS_SLOT × perProcess of them give back their slot;
 * past that a stalled read keeps it, so at most five times `perProcess` answers are read at once,
 * each within the transport's size limit. The slots of a tenant (and of its EHRs) are dropped
 * when none is in use.
 */
export function limitOutbound(transport: Transport, limits: OutboundLimits = {}): OutboundLimiter {
  const perTenant = Math.max(1, Math.floor(limits.perTenant ?? DEFAULT_REQUESTS_PER_TENANT));
  const perProcess = Math.max(perTenant, Math.floor(limits.perProcess ?? DEFAULT_REQUESTS_PER_PROCESS));
  const processSlots = new Slots(perProcess);
  const readingPerTenant = Math.max(perTenant, Math.floor(perProcess / 4));
  const maxStalled = STALLED_READS_PER_PROCESS_SLOT * perProcess;
  /** Stalled reads that have given back their slot of the process. */
  let stalled = 0;
  const tenants = new Map<string, Slots>();
  /** Answers each tenant is reading, across its EHRs. */
  const readers = new Map<string, Slots>();
  // Large answers are handed on one per event-loop turn, each after the one before it: the caller
  // parses an answer as soon as it gets it, and several large ones parsed back to back would keep
  // every other tenant's requests waiting for all of them.
  let lastTurn = Promise.resolve();
  const largeAnswerTurn = (): Promise<void> => (lastTurn = lastTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve))));

  const slotsOf = (map: Map<string, Slots>, key: string, size: number): Slots => {
    let slots = map.get(key);
    if (!slots) map.set(key, (slots = new Slots(size)));
    return slots;
  };
  const releaseOf = (map: Map<string, Slots>, key: string, slots: Slots) => {
    slots.release();
    if (slots.idle && map.get(key) === slots) map.delete(key);
  };
  /** A slot of the tenant's share, then one of the process (given back early by a stalled read): given back in the other order. */
  const startReading = async (tenantId: string): Promise<() => void> => {
    const share = slotsOf(readers, tenantId, readingPerTenant);
    await share.acquire();
    await processSlots.acquire();
    let holdsProcessSlot = true;
    const stall = setTimeout(() => {
      if (stalled >= maxStalled) return;
      stalled++;
      holdsProcessSlot = false;
      processSlots.release();
    }, STALLED_READ_MS);
    stall.unref();
    return () => {
      clearTimeout(stall);
      if (holdsProcessSlot) processSlots.release();
      else stalled--;
      releaseOf(readers, tenantId, share);
    };
  };

  return {
    forTenant(tenantId) {
      return async (request) => {
        const key = `${tenantId} ${request.url.origin}`;
        const own = slotsOf(tenants, key, perTenant);
        // The tenant's slot first: a tenant over its own limit never waits for a slot of the process.
        await own.acquire();
        // Taken once, when the EHR begins to answer; given back once granted, even to a request
        // that ended (timed out) while it waited for it.
        let reading: Promise<() => void> | undefined;
        try {
          const answer = await transport({ ...request, beforeBody: async () => void (await (reading ??= startReading(tenantId))) });
          if (answer.bytes >= LARGE_ANSWER_BYTES) await largeAnswerTurn();
          return answer;
        } finally {
          if (reading) void reading.then((stop) => stop());
          releaseOf(tenants, key, own);
        }
      };
    },
    stats() {
      return {
        inFlight: processSlots.active,
        waiting: processSlots.waiting,
        tenants: Object.fromEntries([...tenants].map(([id, s]) => [id, { inFlight: s.active, waiting: s.waiting }])),
      };
    },
  };
}
