import { randomBytes } from 'node:crypto';
import { problem } from './problem.js';

/**
 * Short-lived items handed from one request to a later one by a random ticket: a download link's
 * grant, an uploaded file between its preview and its import. The ticket is the only way to an
 * item: 32 random bytes, base64url, given to the caller and never stored. Two stores: this
 * process's memory (one instance), or a table every instance shares (storage/azure-table).
 */

/** 32 random bytes, base64url: what a ticket looks like; anything else is refused unread. */
export const ticketShape = /^[A-Za-z0-9_-]{43}$/;
export const newTicket = () => randomBytes(32).toString('base64url');

/** What one kind of item needs from a store. */
export interface HeldKindSpec<T> {
  /**
   * Names the kind in keys and in the encryption's key derivation: a ticket of one kind is unknown
   * as another. Asking a store for a kind again gives the same items (and the same count).
   */
  name: string;
  ttlMs: number;
  /** At most this many held at once by this instance; a new one is then refused with `full()`, never pushing out another. */
  max: number;
  /**
   * At most this many of them for one owner (a tenant): one organisation asking again and again
   * cannot fill the instance's `max` and refuse every other organisation's downloads and uploads.
   */
  maxPerOwner: number;
  full: () => Error;
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
   * Holds `value` under a new ticket for the kind's time, counted against `owner`'s share (and,
   * for a kind with a per-user share, `user`'s share within it: see `jsonKind`). With `slot`, an
   * earlier item in the same slot is dropped.
   */
  put(value: T, options: { owner: string; user?: string; slot?: string }): Promise<{ ticket: string; expiresAt: Date }>;
  /** The item, left in place. */
  peek(ticket: string): Promise<Found<T>>;
  /** The item, taken out: of calls at the same moment (on any instance) one gets it, the others find nothing. */
  take(ticket: string): Promise<Taken<T>>;
  /** How many items this instance holds or issued that have not expired (the cap counts these). */
  readonly size: number;
}

export interface HeldItems {
  kind<T>(spec: HeldKindSpec<T>): HeldKind<T>;
  /** The store's clock: what expires when is read on it (kinds that keep times of their own use it too). */
  now(): number;
  close(): Promise<void>;
}

/** An owner's share of a kind's `max` when the kind does not say: a quarter. */
export const ownerShare = (max: number) => Math.max(1, Math.ceil(max / 4));

/**
 * A kind whose items are small JSON (download and page grants); `busy` says why a new one is refused when this instance holds `max`.
 * With `maxPerUser`, an item put with a `user` also counts against that user's share within the
 * owner's: one person asking again and again cannot use up their whole organisation's share.
 */
export function jsonKind<T>(
  store: HeldItems,
  spec: { name: string; ttlMs: number; max: number; busy: string; maxPerUser?: number; userBusy?: string; now?: () => number },
): HeldKind<T> {
  const kind = store.kind<T>({
    name: spec.name,
    ttlMs: spec.ttlMs,
    max: spec.max,
    maxPerOwner: ownerShare(spec.max),
    full: () => problem('throttled', `${spec.busy} Try again in a minute.`),
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (bytes) => JSON.parse(bytes.toString()) as T,
  });
  if (spec.maxPerUser === undefined) return kind;
  const userBusy = spec.userBusy ?? spec.busy;
  return withUserShare(kind, {
    maxPerUser: spec.maxPerUser,
    now: spec.now ?? store.now,
    full: () => problem('throttled', `${userBusy} Try again in a minute.`),
  });
}

/**
 * A share per user (within the owner's share the store keeps) of the items this instance put:
 * an item counts from its put until it is taken and discarded here, or until it expires (an item
 * taken through another instance counts here until then). Like the owner's share, it is per
 * instance. What it keeps is one small record per counted item: no more than the store holds.
 * An item a `slot` replaced counts until it expires.
 */
export function withUserShare<T>(kind: HeldKind<T>, spec: { maxPerUser: number; now: () => number; full: () => Error }): HeldKind<T> {
  // Counted items by ticket, oldest first (each kind has one lifetime, so also soonest to expire first).
  const counted = new Map<string, { user: string; expiresAt: number }>();
  const perUser = new Map<string, number>();
  const count = (user: string, by: number) => {
    const n = (perUser.get(user) ?? 0) + by;
    if (n > 0) perUser.set(user, n);
    else perUser.delete(user);
  };
  const release = (ticket: string) => {
    const item = counted.get(ticket);
    if (!item) return;
    counted.delete(ticket);
    count(item.user, -1);
  };
  const sweep = () => {
    const at = spec.now();
    for (const [ticket, item] of counted) {
      if (item.expiresAt > at) break;
      release(ticket);
    }
  };
  return {
    async put(value, options) {
      if (options.user === undefined) return kind.put(value, options);
      sweep();
      // Owner and user together: a user id is only known within its organisation.
      const user = JSON.stringify([options.owner, options.user]);
      if ((perUser.get(user) ?? 0) >= spec.maxPerUser) throw spec.full();
      // Counted before the store is asked, so puts at the same moment cannot pass the share together.
      count(user, 1);
      let held: { ticket: string; expiresAt: Date };
      try {
        held = await kind.put(value, options);
      } catch (error) {
        count(user, -1);
        throw error;
      }
      counted.set(held.ticket, { user, expiresAt: held.expiresAt.getTime() });
      return held;
    },
    peek: (ticket) => kind.peek(ticket),
    async take(ticket) {
      const taken = await kind.take(ticket);
      if (taken.state === 'expired') release(ticket);
      if (taken.state !== 'held') return taken;
      // Put back, it still counts; discarded, it no longer does.
      return {
        ...taken,
        discard: async () => {
          release(ticket);
          await taken.discard();
        },
      };
    },
    get size() {
      return kind.size;
    },
  };
}

interface MemoryEntry {
  value: unknown;
  expiresAt: number;
  owner: string;
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
      const sweep = () => {
        const at = now();
        for (const [ticket, entry] of held) if (entry.expiresAt <= at) drop(ticket);
      };
      return {
        async put(value, { owner, slot }) {
          const previous = slot === undefined ? undefined : slots.get(slot);
          if (previous) drop(previous);
          const owners = () => [...held.values()].filter((e) => e.owner === owner).length;
          if (held.size >= spec.max || owners() >= spec.maxPerOwner) sweep();
          if (held.size >= spec.max || owners() >= spec.maxPerOwner) throw spec.full();
          const ticket = newTicket();
          const expiresAt = now() + spec.ttlMs;
          held.set(ticket, { value, expiresAt, owner });
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
