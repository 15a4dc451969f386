import { RestError, TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AuditEvent } from '../../../contract/audit.js';
import { AuditStoreError } from '../audit-store-error.js';
import { loopbackHttp } from '../../platform/loopback.js';
import { failureDetail } from './failure-detail.js';
import { openTable, readOneKey } from './open-table.js';
import type { AuditLog, AuditQuery } from '../ports.js';
import { auditFilters, partitionKey, rowKey } from './audit-keys.js';

/** The service's limits: 100 operations per entity group transaction, 1,000 entities per query page. */
const TRANSACTION_MAX = 100;
const PAGE_MAX = 1000;

const columns = ['time', 'operation', 'outcome', 'status', 'tenantId', 'teamId', 'userId', 'patientId', 'listId', 'requestId'] as const;

export interface TableAuditSettings {
  tableName: string;
  /** https://<account>.table.core.windows.net, reached with the app's managed identity (or `credential`)… */
  endpoint?: string;
  credential?: TokenCredential;
  /** …or a connection string with the account key (azurite, development). */
  connectionString?: string;
}

/** The table client of the settings; plain http only to the emulator on this machine. */
export function auditTableClient(settings: TableAuditSettings): TableClient {
  if (settings.connectionString) {
    const endpoint = /TableEndpoint=([^;]+)/i.exec(settings.connectionString)?.[1] ?? '';
    try {
      return TableClient.fromConnectionString(settings.connectionString, settings.tableName, { allowInsecureConnection: loopbackHttp(endpoint) });
    } catch {
      // The client's words may quote the value, which holds the account's key.
      throw new AuditStoreError('reading the connection string (AUDIT_TABLE_CONNECTION_STRING) failed');
    }
  }
  if (!settings.endpoint) throw new AuditStoreError('the audit table needs an endpoint or a connection string');
  // Managed identity on App Service (AZURE_CLIENT_ID picks a user-assigned one); a developer's Azure CLI sign-in elsewhere.
  return new TableClient(settings.endpoint, settings.tableName, settings.credential ?? new DefaultAzureCredential(), {
    allowInsecureConnection: loopbackHttp(settings.endpoint),
  });
}

/**
 * The audit trail in Azure Table Storage, shared by every instance of the app. Append-only from
 * the app's side: it only creates entities (keys unique per record, see audit-keys.ts), never
 * updates, upserts or deletes; the table's own protection (a role that may only read and add,
 * a resource lock) is the infrastructure's. Creates the table if it is missing and it may.
 */
export async function openTableAuditLog(settings: TableAuditSettings): Promise<AuditLog> {
  const client = auditTableClient(settings);
  try {
    await openTable(client);
  } catch (error) {
    throw storeError('opening the audit table', error);
  }
  return tableAuditLog(client);
}

export function tableAuditLog(client: TableClient): AuditLog {
  return {
    /** The table answers this instance's identity (a query of one key, nothing written). */
    async ready() {
      try {
        await readOneKey(client);
      } catch (error) {
        throw storeError('checking the audit table', error);
      }
    },
    async append(...events) {
      await appendAll(client, events);
    },
    // The filters (and a key to continue after) are checked now, before anything is read.
    query: (q) => read(client, q, auditFilters(q)),
    async close() {},
  };
}

function entity(event: AuditEvent): TableEntity<Record<string, string | number>> {
  const properties: Record<string, string | number> = {};
  // Null ids are left out: the service keeps no null properties.
  for (const column of columns) if (event[column] !== null) properties[column] = event[column];
  return { partitionKey: partitionKey(event.tenantId, event.time), rowKey: rowKey(event.time), ...properties };
}

type Entity = TableEntity<Record<string, string | number>>;

/**
 * One append call, as all-or-nothing as the service allows. The records of one call (one tenant,
 * made at one time) are one partition and, up to 100, one entity group transaction: the service
 * commits all of them or none. More than 100 (or records across midnight, two partitions) need
 * several transactions, which are sent one after the other, never at once: when one fails, the
 * ones before it stay (the trail is append-only, nothing is taken back), the later ones are never
 * sent, and the append fails, saying how many records it wrote. The caller's call then fails, and
 * that failure is recorded with it (see recordRefusal in features/shared/audit-trail.ts), so the
 * trail never holds a success alone for a call whose records were only partly written.
 */
async function appendAll(client: TableClient, events: AuditEvent[]): Promise<void> {
  const all = batches(events);
  let written = 0;
  for (const [i, batch] of all.entries()) {
    try {
      await write(client, batch);
    } catch (error) {
      const part = all.length > 1 ? ` (transaction ${i + 1} of ${all.length}; ${written} of ${events.length} records written before it)` : '';
      throw storeError(`appending to the audit trail${part}`, error);
    }
    written += batch.length;
  }
}

/** The records of one append, by partition (a transaction stays in one), at most 100 to a transaction. */
function batches(events: AuditEvent[]): Entity[][] {
  const byPartition = new Map<string, Entity[]>();
  for (const e of events.map(entity)) {
    const group = byPartition.get(e.partitionKey) ?? [];
    group.push(e);
    byPartition.set(e.partitionKey, group);
  }
  const out: Entity[][] = [];
  for (const group of byPartition.values()) for (let i = 0; i < group.length; i += TRANSACTION_MAX) out.push(group.slice(i, i + TRANSACTION_MAX));
  return out;
}

async function write(client: TableClient, batch: Entity[]): Promise<void> {
  try {
    if (batch.length === 1) await client.createEntity(batch[0]);
    else await client.submitTransaction(batch.map((e): TransactionAction => ['create', e]));
  } catch (error) {
    // "Already exists" is a retry of a create (or of an all-or-nothing transaction) that the
    // service had already committed only when every entity of it is there as this append wrote
    // it: the stored entities are read back and compared. Any other entity under one of these
    // keys is not this record, and the append fails.
    if (error instanceof RestError && error.statusCode === 409 && /EntityAlreadyExists/i.test(error.code ?? error.message)) {
      if (await allStored(client, batch)) return;
    }
    throw error;
  }
}

/** Whether every entity of the batch is stored with exactly its columns. */
async function allStored(client: TableClient, batch: Entity[]): Promise<boolean> {
  for (const e of batch) {
    let stored: Record<string, unknown>;
    try {
      stored = await client.getEntity<Record<string, unknown>>(e.partitionKey, e.rowKey, { queryOptions: { select: [...columns] } });
    } catch {
      return false;
    }
    if (columns.some((c) => (e[c] ?? null) !== (stored[c] ?? null))) return false;
  }
  return true;
}

/** The tenant's matching records in row key order, after `q.after` when given, telling `q.onKey` each one's row key. */
async function* read(client: TableClient, q: AuditQuery, filters: string[]): AsyncGenerator<AuditEvent> {
  let left = q.limit;
  for (const filter of filters) {
    if (left <= 0) return;
    const pages = client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter, select: [...columns, 'RowKey'] } })
      .byPage({ maxPageSize: Math.min(PAGE_MAX, left) })
      [Symbol.asyncIterator]();
    // The SDK follows the service's continuation tokens; the next page is asked for while this one is written out.
    let next = pages.next();
    try {
      for (let page = await next; !page.done; page = await next) {
        next = pages.next();
        for (const row of page.value) {
          q.onKey?.(String(row.rowKey));
          yield event(row);
          if (--left === 0) return;
        }
      }
    } catch (error) {
      throw storeError('reading the audit trail', error);
    } finally {
      // A page asked for ahead that nobody reads must not fail unobserved.
      next.catch(() => undefined);
    }
  }
}

function event(row: Record<string, unknown>): AuditEvent {
  const id = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    time: String(row.time),
    operation: row.operation as AuditEvent['operation'],
    outcome: row.outcome as AuditEvent['outcome'],
    status: Number(row.status),
    tenantId: String(row.tenantId),
    teamId: id(row.teamId),
    userId: String(row.userId),
    patientId: id(row.patientId),
    listId: id(row.listId),
    requestId: String(row.requestId),
  };
}

function storeError(what: string, error: unknown): AuditStoreError {
  return new AuditStoreError(failureDetail(what, error));
}
