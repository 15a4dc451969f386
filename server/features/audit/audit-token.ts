import { createHash, timingSafeEqual } from 'node:crypto';
import { Problem } from '../../platform/problem.js';
import type { AuditQuery } from '../../storage/ports.js';

/**
 * What a continuation token is bound to: the tenant and every filter, as the store is asked them
 * (`from` a UTC ISO time, `to` as given: the store reads it to the end of its stated precision).
 */
export type TrailFilters = Omit<AuditQuery, 'limit' | 'after' | 'onKey'>;

/**
 * Continuation tokens of `GET /api/audit` (contract/audit.ts `after`, `next`):
 * `a1.<base64url of the last record's key>.<check>`, the key as its store gave it (time,
 * sequence, instance: storage/audit-range.ts; no patient data), which the store checks again
 * when it is asked to continue after it, and the check the first 128 bits (base64url) of
 * SHA-256 over the version, the filters (tenant, from, to, team, user, patient, operation) and
 * the key. The filters are in it only as that digest: a token never shows a patient id, and one
 * used with other filters, or altered, fails the check. It is no secret (it grants nothing: the
 * read is the caller's own, filtered as they ask), so it is a digest, not a keyed MAC, and every
 * instance of the app checks every other's tokens without a shared key.
 */
const VERSION = 'a1';
const CHECK_BYTES = 16;

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function check(filters: TrailFilters, key: string): Buffer {
  const f = filters;
  const bound = [VERSION, f.tenantId, f.from, f.to, f.teamId, f.userId, f.patientId, f.operation, key].map((v) => v ?? null);
  return createHash('sha256').update(JSON.stringify(bound)).digest().subarray(0, CHECK_BYTES);
}

/** The token that continues a read with these filters after the record of `key`. */
export function continuationToken(filters: TrailFilters, key: string): string {
  return `${VERSION}.${base64url(key)}.${base64url(check(filters, key))}`;
}

const refused = (message: string) => new Problem('validation_failed', message, ['after']);
/** The refusal of a token that is not one this app gave. */
export const notAToken = () =>
  refused('after is not a continuation token of the audit trail: pass the "next" of the previous answer as it was given.');

/**
 * The key a token continues after, when it is one this app gave for these filters; a 400
 * `validation_failed` naming `after` otherwise, before anything is read.
 */
export function continuedKey(token: string, filters: TrailFilters): string {
  const parts = token.split('.');
  const key = parts.length === 3 && parts[0] === VERSION && /^[\w-]+$/.test(parts[1]) ? Buffer.from(parts[1], 'base64url').toString('utf8') : '';
  const given = parts.length === 3 && /^[\w-]+$/.test(parts[2]) ? Buffer.from(parts[2], 'base64url') : Buffer.alloc(0);
  if (!/^[\w.:|-]{1,100}$/.test(key) || given.length !== CHECK_BYTES || base64url(key) !== parts[1]) throw notAToken();
  if (!timingSafeEqual(given, check(filters, key)))
    throw refused(
      'after does not continue this read: it was given for other filters, or altered. Pass it as given, with the same from, to, team, user, patient and operation as the read that gave it, or leave it out to start over.',
    );
  return key;
}
