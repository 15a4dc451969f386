import { randomBytes } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { CodedError } from '../../platform/problem.js';
import { inclusiveEnd, parseAuditKey } from '../audit-range.js';
import type { AuditQuery } from '../ports.js';

/**
 * Keys of the audit trail in Azure Table Storage, for its one access pattern: a tenant's records
 * over a time range, oldest first, paged.
 *
 * - PartitionKey `<tenant>|<UTC day>`: a day of a tenant is one partition, so a day's export is a
 *   range scan of one partition and a tenant's busy day does not slow the others; a range of days
 *   is a range of partition keys, which the service returns in key order.
 * - RowKey `<ISO time>|<sequence>|<instance>`: sorts by time; the process's sequence keeps the
 *   records of one instance in the order they were appended within a millisecond, and the random
 *   instance id keeps keys of several instances apart. A create never meets an existing key, so
 *   the app only ever creates.
 *
 * Keys may not hold `/ \ # ?` or control characters: the tenant id is percent-encoded (which also
 * encodes `|`, so one tenant's keys are never a prefix range of another's).
 *
 * Paging while records are appended. A page continues strictly after the row key of the last
 * record given (`after`, `RowKey gt`, auditFilters); keys are unique and totally ordered, and
 * every record's partition follows from the time its key begins with, so the pages of one
 * paging read disjoint, increasing ranges of one order. What that guarantees, whoever appends
 * meanwhile (another instance, one whose clock is behind, a record committed late):
 * - every record committed before the paging began (and matching) is given exactly once, in key
 *   order: it sorts either before the cursor (given already) or after it (given later);
 * - no record is ever given twice, whenever it was committed;
 * - a record committed while paging is given by the later pages when its key sorts after the
 *   cursor (a record of now, as usual), and not when it sorts before (an earlier time: a skewed
 *   clock, a record timed at the start of a long call): that one is reached by a read begun
 *   afresh (without `after`, or from its time), never lost from the trail.
 * The pages are not a snapshot: Table Storage has none to offer across requests.
 * (test/integration/audit/table-paging-appends.test.ts)
 */
const INSTANCE = randomBytes(4).toString('hex');
let sequence = 0;

const tenantKey = (tenantId: string) => encodeURIComponent(tenantId);
/** The UTC ISO form every key uses: fixed width, so it sorts as it reads. */
export const isoTime = (time: string) => new Date(time).toISOString();

export function partitionKey(tenantId: string, time: string): string {
  return `${tenantKey(tenantId)}|${isoTime(time).slice(0, 10)}`;
}

export function rowKey(time: string): string {
  sequence = (sequence + 1) % 1e12;
  return `${isoTime(time)}|${String(sequence).padStart(12, '0')}|${INSTANCE}`;
}

/** Longest range read day by day; a longer (or open) one is one range scan over the tenant's partitions. */
const MAX_DAYS_ONE_BY_ONE = 31;
const DAY_MS = 86_400_000;

/** A row key `after` continues from: one this module makes (`<time>|<sequence>|<instance>`); anything else is refused. */
function afterKey(after: string | undefined): { rowKey: string; time: string } | undefined {
  if (after === undefined) return undefined;
  const key = parseAuditKey(after);
  if (!key?.instance) throw new CodedError('validation_failed', 'after: not a place in this audit trail.');
  return { rowKey: after, time: key.time };
}

/**
 * The OData filters a query runs, one after the other, their results in key order. A range of
 * up to 31 days is read a partition at a time (`PartitionKey eq`), the service's cheapest query,
 * with row key bounds only where the range starts or ends within a day; an open or longer range
 * is one range scan across the tenant's partitions. A query continuing `after` a row key starts
 * there (`RowKey gt`, exclusive), in that key's day, when it is past `from`: row keys begin with
 * the record's time, and a record's partition is its time's day, so the keys after it are the
 * rest of its day's partition and the later days'.
 */
export function auditFilters(q: AuditQuery): string[] {
  const tenant = tenantKey(q.tenantId);
  const after = afterKey(q.after);
  if (after && q.from && after.time < isoTime(q.from)) return auditFilters({ ...q, after: undefined });
  const from = after ? after.time : q.from ? isoTime(q.from) : undefined;
  // `to` covers everything up to the end of its stated precision (a whole second for `…:58Z`).
  const to = q.to ? inclusiveEnd(q.to) : undefined;
  const matches: string[] = [];
  if (q.teamId) matches.push(odata`teamId eq ${q.teamId}`);
  if (q.userId) matches.push(odata`userId eq ${q.userId}`);
  if (q.patientId) matches.push(odata`patientId eq ${q.patientId}`);
  if (q.operation) matches.push(odata`operation eq ${q.operation}`);
  // A record at `to` has the row key `<to>|…`, and '|' < '}': `lt '<to>}'` includes it.
  const fromRow = after ? odata`RowKey gt ${after.rowKey}` : from && odata`RowKey ge ${from}`;
  const toRow = to && odata`RowKey lt ${`${to}}`}`;

  const firstDay = from ? Date.parse(from.slice(0, 10)) : NaN;
  const lastDay = Date.parse((to ?? new Date(Date.now() + DAY_MS).toISOString()).slice(0, 10));
  const days = (lastDay - firstDay) / DAY_MS + 1;
  if (from && days <= MAX_DAYS_ONE_BY_ONE) {
    if (days < 1) return [];
    return Array.from({ length: days }, (_, i) => {
      const day = new Date(firstDay + i * DAY_MS).toISOString().slice(0, 10);
      const parts = [odata`PartitionKey eq ${`${tenant}|${day}`}`];
      if (i === 0 && (after || from !== `${day}T00:00:00.000Z`)) parts.push(fromRow!);
      if (i === days - 1 && to && to !== `${day}T23:59:59.999Z`) parts.push(toRow!);
      return [...parts, ...matches].join(' and ');
    });
  }
  // '|' < digits < '~': the tenant's partitions lie between `<tenant>|` and `<tenant>|~`.
  const parts = [
    odata`PartitionKey ge ${`${tenant}|${from ? from.slice(0, 10) : ''}`}`,
    odata`PartitionKey le ${`${tenant}|${to ? to.slice(0, 10) : '~'}`}`,
  ];
  if (fromRow) parts.push(fromRow);
  if (toRow) parts.push(toRow);
  return [[...parts, ...matches].join(' and ')];
}
