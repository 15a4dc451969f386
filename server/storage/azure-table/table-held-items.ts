import { createHash } from 'node:crypto';
import { odata, RestError, type TableClient, type TableEntity } from '@azure/data-tables';
import { newTicket, ticketShape, type Found, type HeldItems, type HeldKind, type HeldKindSpec } from '../../platform/held-items.js';
import { logger } from '../../platform/logger.js';
import { CodedError } from '../../platform/problem.js';
import { failureDetail } from './failure-detail.js';
import { openTable } from './open-table.js';
import { itemKey, seal, unseal, type Sealed } from './held-item-seal.js';
import { auditTableClient, type TableAuditSettings } from './table-audit-log.js';

/**
 * Held items (platform/held-items.ts) in Azure Table Storage, shared by every instance: an item
 * is one partition, keyed by the SHA-256 of its ticket, holding the sealed bytes only (see
 * held-item-seal.ts). The service's limits shape it: a binary property holds at most 64 KiB and
 * an entity at most 1 MiB, so the bytes are cut into pieces of 64 KiB, 14 to an entity; the
 * entity with row key "0" (the head) is written last, so an item is found only once whole
 * ("Understanding the Table service data model", learn.microsoft.com/rest/api/storageservices:
 * 14 pieces cost 14 × (8 + 2 × 2 + 4 + 65,536) bytes, well under 1 MiB with the keys).
 * Taking deletes the head with its ETag (If-Match): of two instances that read it, one wins.
 */

const PIECE = 64 * 1024;
const PIECES_PER_ENTITY = 14;
/** Entities written or deleted at once for one item. */
const PARALLEL = 4;
/** Expired items left past their time (so a late redeem still hears "expired"), then swept. */
const SWEEP_GRACE_MS = 60_000;
/** Entities removed at most per sweep: the work of a sweep stays bounded however much expired. */
const SWEEP_MAX = 200;
const SWEEP_PAGES = 5;

export interface TableHeldItemsSettings extends TableAuditSettings {
  now?: () => number;
  /** How often expired items are swept from the table (0: never, for tests that sweep themselves). */
  sweepMs?: number;
}

/** The table could not be reached: the call fails with words that say so (the service's answer is in `detail`, for the log). */
export class HeldItemsStoreError extends CodedError<'internal_error'> {
  override name = 'HeldItemsStoreError';
  constructor(readonly detail: string) {
    super('internal_error', 'Download links and uploaded files could not be kept or read just now. Try again in a moment.');
  }
}

function storeError(what: string, error: unknown): HeldItemsStoreError {
  return new HeldItemsStoreError(failureDetail(what, error));
}

const statusOf = (error: unknown) => (error instanceof RestError ? error.statusCode : undefined);

type Row = TableEntity<Record<string, unknown>>;

/** The sealed item as entities, the head (row key "0", with the seal's iv and tag and the count of entities) first. */
function entities(partitionKey: string, expiresAt: number, sealed: Sealed): Row[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < sealed.data.length; at += PIECE) pieces.push(sealed.data.subarray(at, at + PIECE));
  const count = Math.max(1, Math.ceil(pieces.length / PIECES_PER_ENTITY));
  return Array.from({ length: count }, (_, n) => {
    const row: Row = { partitionKey, rowKey: String(n), expiresAt: new Date(expiresAt) };
    pieces.slice(n * PIECES_PER_ENTITY, (n + 1) * PIECES_PER_ENTITY).forEach((piece, i) => (row[`d${i}`] = new Uint8Array(piece)));
    if (n === 0) Object.assign(row, { parts: count, iv: new Uint8Array(sealed.iv), tag: new Uint8Array(sealed.tag) });
    return row;
  });
}

function piecesOf(row: Record<string, unknown>): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < PIECES_PER_ENTITY; i++) {
    const piece = row[`d${i}`];
    if (!(piece instanceof Uint8Array)) break;
    out.push(Buffer.from(piece));
  }
  return out;
}

async function inTurns<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(work));
}

/** Opens the table (creating it if missing) and sweeps expired items every `sweepMs`. */
export async function openTableHeldItems(settings: TableHeldItemsSettings): Promise<HeldItems & { sweep(): Promise<number> }> {
  const client = auditTableClient(settings);
  try {
    await openTable(client);
  } catch (error) {
    throw storeError('opening the table of held items', error);
  }
  return tableHeldItems(client, settings);
}

export function tableHeldItems(client: TableClient, { now = Date.now, sweepMs = 60_000 }: Pick<TableHeldItemsSettings, 'now' | 'sweepMs'> = {}) {
  const ignoreGone = (error: unknown) => {
    if (statusOf(error) !== 404) throw error;
  };
  const remove = (partitionKey: string, rowKey: string) => client.deleteEntity(partitionKey, rowKey).then(() => undefined, ignoreGone);

  /** Removes what is left of an item, the head first (so it is not found half gone). */
  async function removeItem(partitionKey: string, parts?: number) {
    await remove(partitionKey, '0');
    if (parts === undefined) {
      const keys: string[] = [];
      for await (const row of client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } }))
        keys.push(row.rowKey!);
      parts = keys.length ? Math.max(...keys.map(Number)) + 1 : 0;
    }
    await inTurns(
      Array.from({ length: Math.max(0, parts - 1) }, (_, n) => String(n + 1)),
      (rowKey) => remove(partitionKey, rowKey),
    );
  }

  async function sweep(): Promise<number> {
    const before = new Date(now() - SWEEP_GRACE_MS);
    const rows: { partitionKey: string; rowKey: string }[] = [];
    const pages = client.listEntities({ queryOptions: { filter: odata`expiresAt lt ${before}`, select: ['PartitionKey', 'RowKey'] } });
    // A scan may answer pages with few rows (or none) and a continuation: a few pages are followed, no more.
    let pagesRead = 0;
    for await (const page of pages.byPage({ maxPageSize: SWEEP_MAX })) {
      for (const row of page) rows.push({ partitionKey: row.partitionKey!, rowKey: row.rowKey! });
      if (rows.length >= SWEEP_MAX || ++pagesRead >= SWEEP_PAGES) break;
    }
    rows.splice(SWEEP_MAX);
    await inTurns(rows, (row) => remove(row.partitionKey, row.rowKey));
    return rows.length;
  }

  let sweeping: Promise<unknown> | undefined;
  const timer =
    sweepMs > 0
      ? setInterval(() => {
          sweeping ??= sweep()
            .catch((error: unknown) => logger.warn({ status: statusOf(error) }, 'expired download links and uploads could not be swept'))
            .finally(() => (sweeping = undefined));
        }, sweepMs).unref()
      : undefined;

  // What this instance issued and has not seen taken, by kind (its `size`; the quota is kept over the store: `withQuota` in platform/held-items.ts).
  const issuedByKind = new Map<string, Map<string, number>>();
  const store = {
    now,
    kind<T>(spec: HeldKindSpec<T>): HeldKind<T> {
      const kind = spec.name;
      if (!issuedByKind.has(kind)) issuedByKind.set(kind, new Map());
      const issued = issuedByKind.get(kind)!;
      // Expired ones stop counting at a put, looked at at most once a second.
      let pruned = now();
      const prune = () => {
        const at = now();
        if (at - pruned < 1_000) return;
        pruned = at;
        for (const [key, expiresAt] of issued) if (expiresAt <= at) issued.delete(key);
      };
      const slotKey = (slot: string) => `${kind}-slot-${createHash('sha256').update(slot).digest('hex')}`;

      async function write(rows: Row[]) {
        await inTurns(rows.slice(1), (row) => client.createEntity(row));
        await client.createEntity(rows[0]);
      }

      /** An earlier item in the slot is removed; on failure it stays until it expires and is swept. */
      async function replaceSlot(slot: string, partitionKey: string, expiresAt: number) {
        try {
          const key = slotKey(slot);
          const previous = await client.getEntity<{ item: string }>(key, '0').catch((error: unknown) => ignoreGone(error));
          await client.upsertEntity({ partitionKey: key, rowKey: '0', item: partitionKey, expiresAt: new Date(expiresAt) }, 'Replace');
          if (previous && previous.item !== partitionKey && previous.item.startsWith(`${kind}-`)) {
            issued.delete(previous.item);
            await removeItem(previous.item);
          }
        } catch (error) {
          logger.warn({ status: statusOf(error) }, 'an earlier upload could not be removed; it is swept when it expires');
        }
      }

      type Loaded = Exclude<Found<T>, { state: 'held' }> | { state: 'held'; value: T; expiresAt: Date; sealed: Sealed; etag: string; parts: number };
      async function load(ticket: string): Promise<Loaded> {
        if (!ticketShape.test(ticket)) return { state: 'missing' };
        const partitionKey = itemKey(kind, ticket);
        try {
          const head = await client.getEntity<Record<string, unknown>>(partitionKey, '0').catch((error: unknown) => ignoreGone(error));
          if (!head) return { state: 'missing' };
          const expiresAt = head.expiresAt instanceof Date ? head.expiresAt.getTime() : NaN;
          if (!(expiresAt > now())) {
            await removeItem(partitionKey, Number(head.parts) || undefined);
            issued.delete(partitionKey);
            return { state: 'expired' };
          }
          const parts = Number(head.parts);
          if (!Number.isInteger(parts) || parts < 1 || !(head.iv instanceof Uint8Array) || !(head.tag instanceof Uint8Array))
            return { state: 'missing' };
          const rest = await Promise.all(
            Array.from({ length: parts - 1 }, (_, n) =>
              client.getEntity<Record<string, unknown>>(partitionKey, String(n + 1)).catch((error: unknown) => ignoreGone(error)),
            ),
          );
          if (rest.some((row) => !row)) return { state: 'missing' };
          const sealed = {
            iv: Buffer.from(head.iv),
            tag: Buffer.from(head.tag),
            data: Buffer.concat([head, ...rest].flatMap((row) => piecesOf(row!))),
          };
          const plain = unseal(kind, ticket, expiresAt, sealed);
          if (!plain) return { state: 'missing' };
          return { state: 'held', value: await spec.decode(plain), expiresAt: new Date(expiresAt), sealed, etag: head.etag, parts };
        } catch (error) {
          throw error instanceof RestError ? storeError('reading a held item', error) : error;
        }
      }

      return {
        async put(value, { slot, ticket: given }) {
          prune();
          const ticket = given ?? newTicket();
          const expiresAt = now() + spec.ttlMs;
          const partitionKey = itemKey(kind, ticket);
          const rows = entities(partitionKey, expiresAt, seal(kind, ticket, expiresAt, await spec.encode(value)));
          try {
            await write(rows);
          } catch (error) {
            void removeItem(partitionKey, rows.length).catch(() => undefined);
            throw storeError('keeping a held item', error);
          }
          issued.set(partitionKey, expiresAt);
          if (slot !== undefined) await replaceSlot(slot, partitionKey, expiresAt);
          return { ticket, expiresAt: new Date(expiresAt) };
        },

        async peek(ticket) {
          const found = await load(ticket);
          return found.state === 'held' ? { state: 'held', value: found.value, expiresAt: found.expiresAt } : found;
        },

        async take(ticket) {
          const found = await load(ticket);
          if (found.state !== 'held') return found;
          const partitionKey = itemKey(kind, ticket);
          try {
            // Only the instance whose ETag still matches deletes the head: the others get 412 (or 404).
            await client.deleteEntity(partitionKey, '0', { etag: found.etag });
          } catch (error) {
            if (statusOf(error) === 412 || statusOf(error) === 404) return { state: 'missing' };
            throw storeError('taking a held item', error);
          }
          issued.delete(partitionKey);
          const { sealed, parts, expiresAt } = found;
          return {
            state: 'held',
            value: found.value,
            expiresAt,
            putBack: async () => {
              try {
                await client.createEntity(entities(partitionKey, expiresAt.getTime(), sealed)[0]);
              } catch (error) {
                throw storeError('putting back a held item', error);
              }
              issued.set(partitionKey, expiresAt.getTime());
            },
            discard: () =>
              removeItem(partitionKey, parts).catch((error: unknown) => void logger.warn({ status: statusOf(error) }, 'a used item is swept later')),
          };
        },

        async has(ticket) {
          if (!ticketShape.test(ticket)) return false;
          try {
            const head = await client.getEntity<{ expiresAt?: unknown }>(itemKey(kind, ticket), '0', { queryOptions: { select: ['expiresAt'] } });
            return head.expiresAt instanceof Date && head.expiresAt.getTime() > now();
          } catch (error) {
            if (statusOf(error) === 404) return false;
            throw storeError('reading a held item', error);
          }
        },

        get size() {
          return issued.size;
        },
      };
    },

    /** Removes up to a bounded number of entities whose items expired a while ago; answers how many. */
    sweep,

    async close() {
      if (timer) clearInterval(timer);
      await sweeping;
    },
  };
  return store;
}
