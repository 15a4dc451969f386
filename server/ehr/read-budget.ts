import type { Transport } from './transport.js';
import { FhirError } from './types.js';
import type { EntryAllowance } from './answer-json.js';

/**
 * The largest answer read to a request other than a batch: a search page (`_count` at most 100,
 * plus includes), a single resource. Batches keep the transport's limit (20 MB).
 */
export const SINGLE_ANSWER_BYTES = 4 * 1024 * 1024;
/** The largest batch answer read: the transport's own limit. */
const BATCH_ANSWER_BYTES = 20 * 1024 * 1024;

/**
 * What one gateway call (a list load, a search, the details panel) may read from the EHR in all,
 * sized by the entries it asks for: far above what real records need, far below what a hostile
 * or broken EHR can send. Entries count every entry of every Bundle read (a batch answer's and
 * those of the searchsets in it), kept or ignored, since parsing them is the cost.
 */
const READ_BUDGET = {
  minBytes: 32 * 1024 * 1024,
  bytesPerEntry: 256 * 1024,
  maxBytes: 512 * 1024 * 1024,
  minEntries: 20_000,
  entriesPerEntry: 400,
  maxEntries: 1_000_000,
};

export interface ReadBudgetLimits {
  bytes: number;
  entries: number;
}

/** Thrown when a read's budget is spent: the read fails with `ehr_error` (502) rather than going on. */
export class ReadBudgetExceeded extends FhirError {
  constructor(limits: ReadBudgetLimits, what: 'bytes' | 'entries') {
    const limit = what === 'bytes' ? `${Math.round(limits.bytes / 1024 / 1024)} MB` : `${limits.entries.toLocaleString('en')} entries`;
    super('ehr_error', `The EHR sent far more than was asked for (over ${limit} for this read), so the rest was not read.`);
    this.name = 'ReadBudgetExceeded';
  }
}

/** The budget of one gateway call. */
export class ReadBudget implements EntryAllowance {
  private limits: ReadBudgetLimits;
  private bytes = 0;
  private entries = 0;
  /** Set once the budget has been found spent: nothing more goes out for this call. */
  private spent?: ReadBudgetExceeded;

  constructor(limits?: Partial<ReadBudgetLimits>) {
    this.limits = { bytes: limits?.bytes ?? READ_BUDGET.minBytes, entries: limits?.entries ?? READ_BUDGET.minEntries };
  }

  /** Widens the budget to what a read of `entries` batch entries may need (never narrows it). */
  sizeFor(entries: number): void {
    this.limits = {
      bytes: Math.max(this.limits.bytes, Math.min(READ_BUDGET.maxBytes, entries * READ_BUDGET.bytesPerEntry)),
      entries: Math.max(this.limits.entries, Math.min(READ_BUDGET.maxEntries, entries * READ_BUDGET.entriesPerEntry)),
    };
  }

  get bytesLeft(): number {
    return this.limits.bytes - this.bytes;
  }

  spendBytes(count: number): void {
    this.bytes += count;
    if (this.bytes > this.limits.bytes) this.exceeded('bytes');
  }

  /** Counts the entries of a Bundle that was read; throws once the read has seen too many. */
  spendEntries(count: number): void {
    this.entries += count;
    if (this.entries > this.limits.entries) this.exceeded('entries');
  }

  /** Entries the read may still take (answer-json.ts counts a large answer's before parsing it). */
  get entriesLeft(): number {
    return this.limits.entries - this.entries;
  }

  /** Refuses an answer's entries, more than are left, before they are parsed. */
  refuseEntries(): never {
    return this.exceeded('entries');
  }

  private exceeded(what: 'bytes' | 'entries'): never {
    throw (this.spent ??= new ReadBudgetExceeded(this.limits, what));
  }

  /**
   * The transport for this call: no request goes out once the bytes are spent, each answer is
   * read only up to what is left (and up to SINGLE_ANSWER_BYTES unless it is a batch), and what
   * is read is counted.
   */
  meter(transport: Transport, base: URL): Transport {
    const batchUrl = withoutSlash(base.href);
    return async (request) => {
      if (this.spent) throw this.spent;
      if (this.bytesLeft <= 0) this.exceeded('bytes');
      const perAnswer = request.method === 'POST' && withoutSlash(request.url.href) === batchUrl ? BATCH_ANSWER_BYTES : SINGLE_ANSWER_BYTES;
      const byBudget = this.bytesLeft < perAnswer;
      const cap = Math.min(perAnswer, this.bytesLeft);
      try {
        const raw = await transport({ ...request, maxResponseBytes: cap });
        // An answer that comes in after the call failed is dropped unread (never parsed).
        if (this.spent) throw this.spent;
        this.spendBytes(raw.bytes);
        return raw;
      } catch (error) {
        if (!isTooLarge(error)) throw error;
        // Up to `cap` may have been read before the answer was cut off.
        if (byBudget) this.exceeded('bytes');
        this.spendBytes(cap);
        throw error;
      }
    };
  }
}

/** The transport's "answer larger than the limit" failure. */
export function isTooLarge(error: unknown): boolean {
  return error instanceof FhirError && error.code === 'ehr_error' && /larger than the .* limit/.test(error.message);
}

function withoutSlash(href: string): string {
  return href.endsWith('/') ? href.slice(0, -1) : href;
}

/** The number of entries of a Bundle (0 for anything else). */
export function bundleEntries(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 0;
  const entry = (body as { entry?: unknown }).entry;
  return Array.isArray(entry) ? entry.length : 0;
}
