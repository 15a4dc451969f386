/**
 * The last millisecond an audit query's `to` covers: everything up to the end of the precision it
 * is stated in, as a reader means it. `…T09:11:58Z` includes the whole second (up to
 * `…T09:11:58.999Z`, so a record at 09:11:58.397 is in), `…T09:11:58.3Z` the whole tenth, a time
 * to the minute (`…T09:11Z`) the whole minute, a date alone the whole day; with milliseconds (or
 * finer) it is exact. Records are kept to the millisecond, in UTC. Every audit store reads `to`
 * this way (SQLite and Azure Table Storage alike).
 */
export function inclusiveEnd(to: string): string {
  const at = Date.parse(to);
  // Not a time: as before, toISOString refuses it (RangeError).
  if (Number.isNaN(at)) return new Date(to).toISOString();
  return new Date(at + precisionSpan(to)).toISOString();
}

/** Milliseconds past the stated time that its precision still covers. */
function precisionSpan(to: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) return 86_399_999;
  const time = /T\d{2}:\d{2}(:\d{2}(?:[.,](\d+))?)?/.exec(to);
  if (!time) return 0;
  if (time[1] === undefined) return 59_999;
  if (time[2] === undefined) return 999;
  return time[2].length >= 3 ? 0 : 10 ** (3 - time[2].length) - 1;
}

/**
 * A record's place in the audit trail, as a store tells it (`AuditQuery.onKey`) and continues
 * after it (`AuditQuery.after`): `<UTC ISO time to the ms>|<12-digit sequence>`, and on Azure
 * Table Storage `|<8 hex digits: the instance>` after it (its row key, audit-keys.ts). Keys sort
 * as the store gives its records: by time, then sequence (then instance). No patient data.
 */
export const auditKeyPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{12})(?:\|([0-9a-f]{8}))?$/;

/** The time and sequence of a key of this form, and its instance on Azure Table Storage; undefined for anything else. */
export function parseAuditKey(key: string): { time: string; seq: number; instance?: string } | undefined {
  const match = auditKeyPattern.exec(key);
  if (!match) return undefined;
  const [, time, seq, instance] = match;
  // A real time, in the form records are kept in (not 2026-02-31).
  if (Number.isNaN(Date.parse(time)) || new Date(time).toISOString() !== time) return undefined;
  return { time, seq: Number(seq), instance };
}
