import { z } from 'zod';

/**
 * A list's CSV download. The tab asks for a link (`POST …/lists/{listId}/export` with its IANA time
 * zone) and opens it: Teams on the web, desktop and mobile cannot save a blob link, and a link the
 * host opens carries no Bearer token, so the link holds a single-use ticket instead.
 */
export const exportBody = z.object({ timeZone: z.string().min(1).max(64) }).strict();
export type ExportBody = z.infer<typeof exportBody>;

/** The link to open (same origin, under `/api`) and when its ticket expires (ISO 8601). */
export const exportLinkAnswer = z.object({ url: z.string().startsWith('/api/'), expiresAt: z.iso.datetime() });
export type ExportLinkAnswer = z.infer<typeof exportLinkAnswer>;

/** How long a download ticket can be redeemed, once. */
export const EXPORT_TICKET_TTL_MS = 60_000;

/** `?timeZone=` of the CSV read with a Bearer token (`GET …/export.csv`); UTC when left out. */
export const exportQuery = z.object({ timeZone: z.string().min(1).max(64).optional() }).strict();

/** An IANA time zone this runtime knows ("Europe/London", "America/New_York", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
