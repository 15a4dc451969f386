import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import { partitionKey } from '../../../server/storage/azure-table/audit-keys';
import { openTableAuditLog } from '../../../server/storage/azure-table/table-audit-log';
import type { AuditLog, AuditQuery } from '../../../server/storage/ports';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { event } from './audit-log-contract';

// Paging through the trail in Azure Table Storage while other instances append (audit-keys.ts,
// "Paging while records are appended"): every record there when the paging began is given once,
// in key order; none is given twice; a record appended meanwhile is given by the later pages only
// when its key sorts after the page already read, and otherwise by a read begun afresh.
let azurite: Azurite;
let tables = 0;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite?.stop());

const tenantId = 'tenant-paging';
const at = (ms: number) => new Date(Date.UTC(2026, 11, 5, 23, 59, 58) + ms).toISOString();

/** One page as the API reads it: up to `limit` records after `after`, and the key of the last. */
async function page(log: AuditLog, q: Omit<AuditQuery, 'limit' | 'after' | 'onKey'>, limit: number, after?: string) {
  const events: AuditEvent[] = [];
  let last: string | undefined;
  for await (const e of log.query({ ...q, limit, after, onKey: (k) => (last = k) })) events.push(e);
  return { events, last };
}

describe.each([
  ['day by day', { tenantId, from: at(-60_000), to: at(60_000) }],
  ['one range scan', { tenantId }],
])('Azure Table Storage (azurite), %s', (_name, q) => {
  it('gives every record there at the start once, none twice, while instances append, one with a skewed clock', async () => {
    const tableName = `Paging${++tables}`;
    const log = await openTableAuditLog({ connectionString: azurite.connectionString, tableName });
    const client = TableClient.fromConnectionString(azurite.connectionString, tableName, { allowInsecureConnection: true });
    // Nine records across midnight (two partitions), three of them in one millisecond.
    const times = [0, 500, 1000, 1000, 1000, 1500, 2500, 3000, 4000];
    const existing = times.map((ms, i) => event({ tenantId, time: at(ms), requestId: `existing-${i}` }));
    for (const e of existing) await log.append(e);

    const first = await page(log, q, 4);
    expect(first.events.map((e) => e.requestId)).toEqual(existing.slice(0, 4).map((e) => e.requestId));
    const cursor = first.last!;

    // Meanwhile: this instance appends a record; another, its clock behind, one timed before the
    // page already read; others commit late in the cursor's millisecond, their keys either side of it.
    const late = {
      after: event({ tenantId, time: at(5000), requestId: 'late-after' }),
      skewed: event({ tenantId, time: at(200), requestId: 'late-skewed' }),
    };
    await log.append(late.after, late.skewed);
    const { listId: _none, ...fields } = event({ tenantId, time: existing[3].time });
    const other = (seq: string, instance: string, requestId: string) =>
      client.createEntity({ ...fields, partitionKey: partitionKey(tenantId, fields.time), rowKey: `${fields.time}|${seq}|${instance}`, requestId });
    await other('000000000000', '00000000', 'late-before-cursor');
    await other('999999999999', 'ffffffff', 'late-after-cursor');

    const pages = [first];
    for (let next = first; next.events.length === 4;) {
      next = await page(log, q, 4, next.last);
      pages.push(next);
      expect(pages.length).toBeLessThan(10);
    }
    const given = pages.flatMap((p) => p.events.map((e) => e.requestId));
    // None twice; every record there at the start, in order.
    expect(new Set(given).size).toBe(given.length);
    expect(given.filter((id) => id.startsWith('existing-'))).toEqual(existing.map((e) => e.requestId));
    // Appended meanwhile: given when its key sorts after the cursor, not when before it.
    expect(given).toContain('late-after');
    expect(given).toContain('late-after-cursor');
    expect(given).not.toContain('late-skewed');
    expect(given).not.toContain('late-before-cursor');
    expect(cursor < `${fields.time}|999999999999|ffffffff`).toBe(true);
    // The records given are in the order of their times (the row keys' order).
    const timesGiven = pages.flatMap((p) => p.events.map((e) => e.time));
    expect([...timesGiven].sort()).toEqual(timesGiven);

    // A read begun afresh gives every one of them, each once.
    const again = (await page(log, q, 100)).events.map((e) => e.requestId);
    expect(new Set(again).size).toBe(again.length);
    expect(again.sort()).toEqual(
      [...existing.map((e) => e.requestId), 'late-after', 'late-skewed', 'late-before-cursor', 'late-after-cursor'].sort(),
    );
  });
});
