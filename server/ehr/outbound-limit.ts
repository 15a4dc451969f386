import { Slots } from './map-limit.js';
import type { Transport } from './transport.js';

/** Requests to EHRs in flight at once for one tenant, whatever it reads (lists, searches, details). */
const DEFAULT_REQUESTS_PER_TENANT = 8;
/** Requests to EHRs in flight at once for the whole process (one gateway per process). */
const DEFAULT_REQUESTS_PER_PROCESS = 32;

/** Answers at least this large are handed on one per event-loop turn (see limitOutbound). */
const LARGE_ANSWER_CHARS = 1024 * 1024;

export interface OutboundLimits {
  /** Default 8: two list loads at full speed (4 each), more wait their turn. */
  perTenant?: number;
  /** Default 32. */
  perProcess?: number;
}

export interface OutboundLimiter {
  /**
   * The transport as one tenant's calls use it: each request takes a slot of its tenant, then one
   * of the process, and gives both back when its answer has been read (or has failed). A request
   * that waits holds only its own closure, never an answer.
   */
  forTenant(tenantId: string): Transport;
  /** Requests in flight and waiting, for tests and diagnostics. */
  stats(): { inFlight: number; waiting: number; tenants: Record<string, { inFlight: number; waiting: number }> };
}

/**
 * Bounds what one tenant's EHR (hostile, broken, or just slow) can make this process hold at
 * once: at most `perTenant` answers per tenant and `perProcess` in all are being read, so other
 * tenants keep slots of their own. The slots of a tenant are dropped when it has none in use.
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

  const tenantSlots = (tenantId: string): Slots => {
    let slots = tenants.get(tenantId);
    if (!slots) tenants.set(tenantId, (slots = new Slots(perTenant)));
    return slots;
  };

  return {
    forTenant(tenantId) {
      return async (request) => {
        const own = tenantSlots(tenantId);
        // The tenant's slot first: a tenant over its own limit never holds a slot of the process.
        await own.acquire();
        try {
          await processSlots.acquire();
          try {
            const answer = await transport(request);
            if (answer.text.length >= LARGE_ANSWER_CHARS) await largeAnswerTurn();
            return answer;
          } finally {
            processSlots.release();
          }
        } finally {
          own.release();
          if (own.idle && tenants.get(tenantId) === own) tenants.delete(tenantId);
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
