import { createHmac, timingSafeEqual } from 'node:crypto';
import { logger } from '../../platform/logger.js';
import type { TeamKey } from '../ports.js';
import type { ListItem } from './list-catalog.js';

/**
 * Proof that a row of the team's SharePoint lists was written by this app's server. Every member
 * of the team's Microsoft 365 group may edit those rows directly (SharePoint, or Graph with their
 * own rights); what the app vouches for (who wrote a note, what an owner set) is sealed:
 * HMAC-SHA256, under a key only the server holds (STORE_SEAL_KEYS or the Key Vault secret
 * STORE_SEAL_KEY_NAME), over a canonical form of those fields and of the row's identity (tenant,
 * team, which list, the row's key), kept in the row's hidden `AppSeal` column. A row whose seal is
 * missing or does not match is not trusted; each reader decides what that means for it.
 *
 * What a seal cannot tell: a row put back whole (fields and seal) as it was at an earlier write of
 * the app, which the app did write then.
 */

/** The column the seal is kept in. */
export const SEAL_COLUMN = 'AppSeal';

const FORMAT = 'v1';
const PREFIX = `${FORMAT}.`;

/** How a field is compared: SharePoint hands a date and time back at whole seconds, and a number as it likes. */
export type SealedKind = 'text' | 'number' | 'time';

/** The sealed fields of a row of one list, in their fixed order. */
export type SealedFields = readonly (readonly [name: string, kind: SealedKind])[];

/** Where a row is: its team, its list, and the key the app finds it by (a note's id, a setting's name). */
export interface RowIdentity {
  team: TeamKey;
  list: string;
  key: string;
}

/** The server's seal keys: the first seals, every one is accepted (rotation). */
export interface SealKeys {
  /** The keys as base64, each of at least 32 bytes. */
  current(): readonly string[];
  /** Reads the keys again (Key Vault), when a seal matched none of those held: a newer key may have sealed it. */
  refresh?(): Promise<void>;
}

/** What a row's seal says about its sealed fields. */
export type SealState = 'sealed' | 'unsealed' | 'altered';

export const MIN_SEAL_KEY_BYTES = 32;

/** A base64 seal key's bytes, or null when it is not base64 of at least MIN_SEAL_KEY_BYTES bytes. */
export function sealKeyBytes(key: string): Buffer | null {
  const text = key.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length >= MIN_SEAL_KEY_BYTES ? bytes : null;
}

function normalised(kind: SealedKind, value: unknown): string | number | null {
  if (value === undefined || value === null || value === '') return null;
  if (kind === 'number') {
    const n = Number(value);
    return Number.isFinite(n) ? n : String(value);
  }
  const text = String(value);
  if (kind === 'time') {
    const at = Date.parse(text);
    return Number.isNaN(at) ? text : new Date(Math.floor(at / 1000) * 1000).toISOString();
  }
  return text.replace(/\r\n/g, '\n');
}

/** The bytes sealed: the row's identity and each sealed field by name, as JSON (no separator can be forged into a value). */
function canonical(identity: RowIdentity, fields: SealedFields, values: Record<string, unknown>): string {
  return JSON.stringify([
    'patients/sharepoint-row',
    FORMAT,
    identity.team.tenantId.toLowerCase(),
    identity.team.teamId.toLowerCase(),
    identity.list,
    identity.key,
    fields.map(([name, kind]) => [name, normalised(kind, values[name])]),
  ]);
}

const macOf = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** At most one re-read of the keys per this long, however many rows fail to open. */
const REFRESH_EVERY_MS = 30_000;

export interface RowSealer {
  /** `fields` with the seal of their sealed fields added (SEAL_COLUMN). */
  sealed<T extends Record<string, unknown>>(identity: RowIdentity, kinds: SealedFields, fields: T): T & { [SEAL_COLUMN]: string };
  /** Whether the row's sealed fields are as the app wrote them. */
  check(identity: RowIdentity, kinds: SealedFields, item: ListItem): SealState;
}

export function rowSealer(keys: SealKeys, now: () => number = Date.now): RowSealer {
  let refreshedAt = -Infinity;
  const usable = (): Buffer[] => {
    const bytes = keys.current().flatMap((k) => sealKeyBytes(k) ?? []);
    if (!bytes.length) {
      // Never the key material: only that there is none to use (config.ts requires one; a vault read may not have come yet).
      throw new Error(
        "The app has no seal key (STORE_SEAL_KEYS or the Key Vault secret STORE_SEAL_KEY_NAME) to seal and check what it keeps in the team's SharePoint site.",
      );
    }
    return bytes;
  };
  const refreshSoon = () => {
    if (!keys.refresh || now() - refreshedAt < REFRESH_EVERY_MS) return;
    refreshedAt = now();
    void keys.refresh().catch(() => undefined);
  };

  return {
    sealed(identity, kinds, fields) {
      const mac = macOf(usable()[0], canonical(identity, kinds, fields));
      return { ...fields, [SEAL_COLUMN]: `${PREFIX}${mac.toString('base64url')}` };
    },
    check(identity, kinds, item) {
      const seal = item.fields[SEAL_COLUMN];
      if (typeof seal !== 'string' || seal === '') return 'unsealed';
      const given = seal.startsWith(PREFIX) ? Buffer.from(seal.slice(PREFIX.length), 'base64url') : Buffer.alloc(0);
      const text = canonical(identity, kinds, item.fields);
      const matches = usable().some((key) => {
        const mac = macOf(key, text);
        return given.length === mac.length && timingSafeEqual(given, mac);
      });
      if (matches) return 'sealed';
      refreshSoon();
      logger.warn(
        { tenantId: identity.team.tenantId, teamId: identity.team.teamId, list: identity.list, itemId: item.id },
        "a row of the team's SharePoint site does not carry the app's seal: it was changed outside the app, and is not trusted",
      );
      return 'altered';
    },
  };
}
