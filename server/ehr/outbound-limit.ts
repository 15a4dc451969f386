import { Slots } from './map-limit.js';
import type { Transport } from './transport.js';

/** Requests in flight at once for one tenant to one EHR, whatever it reads (lists, searches, details). */
const DEFAULT_REQUESTS_PER_TENANT = 8;
/** EHR answers being read at once by the whole process (one gateway per process). */
const DEFAULT_REQUESTS_PER_PROCESS = 32;

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
 * they come. The slots of a tenant's EHR are dropped when none is in use.
 */
export function limitOutbound(transport: Transport, limits: OutboundLimits = {}): OutboundLimiter {
  const perTenant = Math.max(1, Math.floor(limits.perTenant ?? DEFAULT_REQUESTS_PER_TENANT));
  const processSlots = new Slots(Math.max(perTenant, Math.floor(limits.perProcess ?? DEFAULT_REQUESTS_PER_PROCESS)));
  const tenants = new Map<string, Slots>();
  // Large answers are handed on one per event-loop turn, each after the one before it: the caller
  // parses an answer as soon as it gets it, and several large ones parsed back to back would keep
  // every other tenant's requests waiting for all of them.
  let lastTurn = Promise.resolve();
  const largeAnswerTurn = (): Promise<void> => (lastTurn = lastTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve))));

  const tenantSlots = (key: string): Slots => {
    let slots = tenants.get(key);
    if (!slots) tenants.set(key, (slots = new Slots(perTenant)));
    return slots;
  };

  return {
    forTenant(tenantId) {
      return async (request) => {
        const key = `${tenantId} ${request.url.origin}`;
        const own = tenantSlots(key);
        // The tenant's slot first: a tenant over its own limit never waits for a slot of the process.
        await own.acquire();
        // Taken once, when the EHR begins to answer; given back once granted, even to a request
        // that ended (timed out) while it waited for it.
        let reading: Promise<void> | undefined;
        try {
          const answer = await transport({ ...request, beforeBody: () => (reading ??= processSlots.acquire()) });
          if (answer.bytes >= LARGE_ANSWER_BYTES) await largeAnswerTurn();
          return answer;
        } finally {
          if (reading) void reading.then(() => processSlots.release());
          own.release();
          if (own.idle && tenants.get(key) === own) tenants.delete(key);
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
