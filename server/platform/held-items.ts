import { randomBytes } from 'node:crypto';
import { problem } from './problem.js';

/**
 * Short-lived items handed from one request to a later one by a random ticket: a download link's
 * grant, an uploaded file between its preview and its import. The ticket is the only way to an
 * item: 32 random bytes, base64url, given to the caller and never stored. Two stores: this
 * process's memory (one instance), or a table every instance shares (storage/azure-table). A
 * store only holds: how many items a user, a tenant and the instance may hold is one rule, kept
 * over any store by `withQuota` (below), which every kind is put through.
 */

/** 32 random bytes, base64url: what a ticket looks like; anything else is refused unread. */
export const ticketShape = /^[A-Za-z0-9_-]{43}$/;
export const newTicket = () => randomBytes(32).toString('base64url');

/** What one kind of item needs from a store. */
export interface HeldKindSpec<T> {
  /**
   * Names the kind in keys and in the encryption's key derivation: a ticket of one kind is unknown
   * as another. Asking a store for a kind again gives the same items.
   */
  name: string;
  ttlMs: number;
  /** The item as bytes, for a store outside this process (which encrypts them). */
  encode(value: T): Buffer | Promise<Buffer>;
  decode(bytes: Buffer): T | Promise<T>;
}

/** What a ticket finds: its item; or nothing (never issued, used, tampered with); or an item past its time (which is removed). */
export type Found<T> = { state: 'held'; value: T; expiresAt: Date } | { state: 'expired' } | { state: 'missing' };

/**
 * A taken item: no other call finds it any more. `putBack` returns it (same ticket, same expiry);
 * `discard` frees what it still holds, and never fails (what it cannot free is swept once expired).
 */
export type Taken<T> =
  Exclude<Found<T>, { state: 'held' }> | (Extract<Found<T>, { state: 'held' }> & { putBack(): Promise<void>; discard(): Promise<void> });

export interface HeldKind<T> {
  /**
   * Holds `value` under a new ticket for the kind's time. `owner` (a tenant) and `user` are whose
   * share it counts against, for a kind under a quota (`withQuota`). With `slot`, an earlier
   * item in the same slot is dropped. With `ticket` (one the store issued for another kind, whose
   * use this item is about: a spent download link), the item is held under it, not a new one.
   */
  put(value: T, options: { owner: string; user?: string; slot?: string; ticket?: string }): Promise<{ ticket: string; expiresAt: Date }>;
  /** The item, left in place. */
  peek(ticket: string): Promise<Found<T>>;
  /** The item, taken out: of calls at the same moment (on any instance) one gets it, the others find nothing. */
  take(ticket: string): Promise<Taken<T>>;
  /** Whether the ticket's item is still held and unexpired (read cheaply: the item is not decoded). */
  has(ticket: string): Promise<boolean>;
  /** How many items this instance holds or issued that have not expired (the cap counts these). */
  readonly size: number;
}

export interface HeldItems {
  kind<T>(spec: HeldKindSpec<T>): HeldKind<T>;
  /** The store's clock: what expires when is read on it (kinds that keep times of their own use it too). */
  now(): number;
  close(): Promise<void>;
}

/**
 * The one rule for how many held items (download links, page links, uploads waiting for their
 * import: held-items.ts) one user, one organisation (tenant) and the whole instance may hold at
 * once, so that nobody can use up what other organisations need:
 *
 * - a user holds at most `perUser` of a kind, whatever team they ask for, well below their
 *   tenant's share; at that cap a new item either replaces the user's own oldest idle one
 *   (`replaceOldest`: a new upload pushes out the user's forgotten one) or is refused (429);
 * - a tenant holds at most `perTenant` items and bytes, a sixteenth of the instance's: a tenant at
 *   its share is refused (429 `rate_limited`, saying what to do) and no other tenant notices, so a
 *   handful of hostile tenants (which anyone can create) cannot fill the instance;
 * - the instance holds at most `instance` items and bytes: a bound on memory (or on the shared
 *   table), counted in the bytes each item holds and not only in items; past it, 503 `throttled`.
 *
 * Counted per instance, as the items this instance put: an item counts from its put until it is
 * taken and discarded here, replaced in its slot, pushed out, or expired. Items taken through
 * another instance (a shared store) are looked up, a few of the oldest, when a cap is reached.
 */
export interface HeldQuota {
  perUser: number;
  /** At the user's cap: the user's oldest item not being used just now is removed to make room, instead of a refusal. */
  replaceOldest: boolean;
  perTenant: { items: number; bytes: number };
  instance: { items: number; bytes: number };
}

/** What a tenant may hold of an instance's cap: a sixteenth (of the items, and of the bytes). */
export const TENANT_SHARE = 16;

export const MiB = 1024 * 1024;

/** A quota from the instance's bound: each tenant a sixteenth of it, each user `perUser` (no cap by default). */
export function heldQuota(spec: { items: number; bytes: number; perUser?: number; replaceOldest?: boolean }): HeldQuota {
  const share = (n: number) => Math.max(1, Math.ceil(n / TENANT_SHARE));
  return {
    perUser: spec.perUser ?? Number.POSITIVE_INFINITY,
    replaceOldest: spec.replaceOldest ?? false,
    perTenant: { items: share(spec.items), bytes: share(spec.bytes) },
    instance: { items: spec.items, bytes: spec.bytes },
  };
}

/** The words of a kind's refusals: each says what the person refused can do about it. */
export interface QuotaWords {
  /** The user holds `perUser` and none can be replaced. */
  user: string;
  /** The user's tenant holds its share. */
  tenant: string;
  /** The instance holds its bound, for all tenants together. */
  instance: string;
}

/** The size of an item as JSON (UTF-8 bytes): what the quota counts when a kind does not say. */
export const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');

/** Items of this instance looked up, when a cap is reached, to see whether another instance took them. */
const RECOUNT_MAX = 20;

interface Counted {
  tenant: string;
  /** Tenant and user together: a user id is only known within its organisation. */
  user?: string;
  slot?: string;
  bytes: number;
  expiresAt: number;
  /** Taken for use just now (an import under way): never pushed out, still counted. */
  inUse: boolean;
}

interface Tally {
  items: number;
  bytes: number;
}

/** `kind` with `quota` kept on its puts; `sizeOf` gives the bytes an item holds, `now` the store's clock. */
export function withQuota<T>(
  kind: HeldKind<T>,
  spec: { quota: HeldQuota; words: QuotaWords; now: () => number; sizeOf?: (value: T) => number },
): HeldKind<T> {
  const { quota, words } = spec;
  const sizeOf = spec.sizeOf ?? jsonBytes;
  // Counted items by ticket (or a reservation's key while its put is under way), oldest first.
  const counted = new Map<string, Counted>();
  const bySlot = new Map<string, string>();
  const total: Tally = { items: 0, bytes: 0 };
  const tenants = new Map<string, Tally>();
  const users = new Map<string, number>();
  let reservations = 0;

  const tally = (item: Counted, by: 1 | -1) => {
    total.items += by;
    total.bytes += by * item.bytes;
    const t = tenants.get(item.tenant) ?? { items: 0, bytes: 0 };
    t.items += by;
    t.bytes += by * item.bytes;
    if (t.items > 0) tenants.set(item.tenant, t);
    else tenants.delete(item.tenant);
    if (item.user !== undefined) {
      const n = (users.get(item.user) ?? 0) + by;
      if (n > 0) users.set(item.user, n);
      else users.delete(item.user);
    }
  };
  const add = (key: string, item: Counted) => {
    counted.set(key, item);
    if (item.slot !== undefined) bySlot.set(item.slot, key);
    tally(item, 1);
  };
  const release = (key: string) => {
    const item = counted.get(key);
    if (!item) return;
    counted.delete(key);
    if (item.slot !== undefined && bySlot.get(item.slot) === key) bySlot.delete(item.slot);
    tally(item, -1);
  };
  const sweep = () => {
    const at = spec.now();
    // Oldest first, and each kind has one lifetime: the first item not yet expired ends the sweep.
    for (const [key, item] of counted) {
      if (key.startsWith('\0')) continue;
      if (item.expiresAt > at) break;
      release(key);
    }
  };

  /** Which cap a new item of `bytes` would pass, with the items of `freed` no longer counted. */
  const over = (tenant: string, user: string | undefined, bytes: number, freed: Counted[]): keyof QuotaWords | undefined => {
    const less = (pick: (item: Counted) => boolean, of: (item: Counted) => number) => freed.filter(pick).reduce((sum, item) => sum + of(item), 0);
    const one = () => 1;
    const size = (item: Counted) => item.bytes;
    const all = () => true;
    const ofTenant = (item: Counted) => item.tenant === tenant;
    if (user !== undefined && (users.get(user) ?? 0) - less((i) => i.user === user, one) >= quota.perUser) return 'user';
    const t = tenants.get(tenant) ?? { items: 0, bytes: 0 };
    if (t.items - less(ofTenant, one) >= quota.perTenant.items || t.bytes - less(ofTenant, size) + bytes > quota.perTenant.bytes) return 'tenant';
    if (total.items - less(all, one) >= quota.instance.items || total.bytes - less(all, size) + bytes > quota.instance.bytes) return 'instance';
    return undefined;
  };

  /** The oldest few counted items of `tenant` (or of anyone) that a shared store no longer has stop counting. */
  const recount = async (tenant?: string) => {
    const oldest = [...counted]
      .filter(([key, item]) => !key.startsWith('\0') && !item.inUse && (tenant === undefined || item.tenant === tenant))
      .slice(0, RECOUNT_MAX)
      .map(([key]) => key);
    const held = await Promise.all(oldest.map((key) => kind.has(key).catch(() => true)));
    oldest.forEach((key, i) => held[i] || release(key));
  };

  const refuse = (cap: keyof QuotaWords) =>
    cap === 'instance' ? problem('throttled', words.instance) : problem('rate_limited', cap === 'user' ? words.user : words.tenant);

  return {
    async put(value, options) {
      sweep();
      const tenant = options.owner;
      const user = options.user === undefined ? undefined : JSON.stringify([options.owner, options.user]);
      const bytes = sizeOf(value);
      const plan = () => {
        // The item in the same slot is replaced by this one.
        const replaced = options.slot === undefined ? undefined : bySlot.get(options.slot);
        const freed = replaced === undefined ? [] : [counted.get(replaced)!];
        let evict: string | undefined;
        if (quota.replaceOldest && over(tenant, user, bytes, freed) === 'user') {
          for (const [key, item] of counted)
            if (item.user === user && !item.inUse && key !== replaced && !key.startsWith('\0')) {
              evict = key;
              freed.push(item);
              break;
            }
        }
        return { replaced, evict, cap: over(tenant, user, bytes, freed) };
      };
      let { replaced, evict, cap } = plan();
      if (cap === 'tenant' || cap === 'instance') {
        await recount(cap === 'tenant' ? tenant : undefined);
        ({ replaced, evict, cap } = plan());
      }
      if (cap) throw refuse(cap);
      // Counted before the store is asked, so puts at the same moment cannot pass a cap together.
      const reservation = `\0${++reservations}`;
      const item: Counted = { tenant, user, bytes, expiresAt: Number.POSITIVE_INFINITY, inUse: false };
      add(reservation, item);
      if (evict !== undefined) {
        release(evict);
        const taken = await kind.take(evict).catch(() => undefined);
        if (taken?.state === 'held') await taken.discard();
      }
      let held: { ticket: string; expiresAt: Date };
      try {
        held = await kind.put(value, options);
      } catch (error) {
        release(reservation);
        throw error;
      } finally {
        // The store dropped the slot's earlier item (or tried to: what it could not is swept once expired).
        if (replaced !== undefined) release(replaced);
      }
      release(reservation);
      add(held.ticket, { ...item, slot: options.slot, expiresAt: held.expiresAt.getTime() });
      return held;
    },
    peek: (ticket) => kind.peek(ticket),
    async take(ticket): Promise<Taken<T>> {
      const taken = await kind.take(ticket);
      if (taken.state !== 'held') {
        release(ticket);
        return taken;
      }
      const item = counted.get(ticket);
      if (item) item.inUse = true;
      // Put back, it still counts (and may be pushed out again); discarded, it no longer does.
      return {
        ...taken,
        putBack: async () => {
          await taken.putBack();
          const now = counted.get(ticket);
          if (now) now.inUse = false;
        },
        discard: async () => {
          release(ticket);
          await taken.discard();
        },
      };
    },
    has: (ticket) => kind.has(ticket),
    get size() {
      return kind.size;
    },
  };
}

/** Bytes a small JSON item is counted as at most, for the instance's bound of a kind given by its count (`max`). */
const JSON_ITEM_BYTES = 4 * 1024;

/**
 * A kind whose items are small JSON (download and page grants), under a quota (`withQuota`):
 * `quota`, or from `max` items this instance holds (and `max` × 4 KiB), a sixteenth for one
 * tenant. `busy` says why a new one is refused when the instance is full; `userBusy` and
 * `tenantBusy` when a user (put with a `user`) or their tenant holds their share.
 */
export function jsonKind<T>(
  store: HeldItems,
  spec: {
    name: string;
    ttlMs: number;
    busy: string;
    max?: number;
    quota?: HeldQuota;
    userBusy?: string;
    tenantBusy?: string;
    now?: () => number;
  },
): HeldKind<T> {
  const max = spec.max ?? 1_000;
  const quota = spec.quota ?? heldQuota({ items: max, bytes: Math.max(MiB, max * JSON_ITEM_BYTES) });
  const kind = store.kind<T>({
    name: spec.name,
    ttlMs: spec.ttlMs,
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (bytes) => JSON.parse(bytes.toString()) as T,
  });
  return withQuota(kind, {
    quota,
    now: spec.now ?? store.now,
    words: {
      user: `${spec.userBusy ?? spec.busy} Try again in a minute.`,
      tenant:
        spec.tenantBusy ??
        `${spec.busy} Your organization holds as many as one organization may at once (${quota.perTenant.items.toLocaleString('en')}). Try again in a minute.`,
      instance: `${spec.busy} Try again in a minute.`,
    },
  });
}

interface MemoryEntry {
  value: unknown;
  expiresAt: number;
}

/**
 * Items in this process's memory, kept as they are (no copy, no encryption): for one instance.
 * An unused item is dropped a few seconds after it expires, not at the next sweep.
 */
export function memoryHeldItems({ now = Date.now } = {}): HeldItems {
  const timers = new Set<NodeJS.Timeout>();
  // One map per kind of item, however many times the kind is asked for.
  const kinds = new Map<string, { held: Map<string, MemoryEntry>; slots: Map<string, string> }>();
  return {
    now,
    kind<T>(spec: HeldKindSpec<T>): HeldKind<T> {
      if (!kinds.has(spec.name)) kinds.set(spec.name, { held: new Map(), slots: new Map() });
      const { held, slots } = kinds.get(spec.name)!;
      const drop = (ticket: string) => void held.delete(ticket);
      const find = (ticket: string): Found<T> => {
        const entry = ticketShape.test(ticket) ? held.get(ticket) : undefined;
        if (!entry) return { state: 'missing' };
        if (entry.expiresAt <= now()) {
          drop(ticket);
          return { state: 'expired' };
        }
        return { state: 'held', value: entry.value as T, expiresAt: new Date(entry.expiresAt) };
      };
      // Expired items go with their timers; on a clock of its own (tests), also at a put, at most once a second.
      let swept = now();
      const sweep = () => {
        const at = now();
        if (at - swept < 1_000) return;
        swept = at;
        for (const [ticket, entry] of held) if (entry.expiresAt <= at) drop(ticket);
      };
      return {
        async put(value, { slot, ticket: given }) {
          const previous = slot === undefined ? undefined : slots.get(slot);
          if (previous) drop(previous);
          sweep();
          const ticket = given ?? newTicket();
          const expiresAt = now() + spec.ttlMs;
          held.set(ticket, { value, expiresAt });
          if (slot !== undefined) slots.set(slot, ticket);
          const timer = setTimeout(() => {
            timers.delete(timer);
            drop(ticket);
            if (slot !== undefined && slots.get(slot) === ticket) slots.delete(slot);
          }, spec.ttlMs + 5_000);
          timer.unref();
          timers.add(timer);
          return { ticket, expiresAt: new Date(expiresAt) };
        },
        async peek(ticket) {
          return find(ticket);
        },
        async take(ticket) {
          const found = find(ticket);
          if (found.state !== 'held') return found;
          const entry = held.get(ticket)!;
          drop(ticket);
          return { ...found, putBack: async () => void held.set(ticket, entry), discard: async () => undefined };
        },
        async has(ticket) {
          return find(ticket).state === 'held';
        },
        get size() {
          return held.size;
        },
      };
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
