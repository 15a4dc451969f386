import type { Request } from 'express';
import { problem } from '../../platform/problem.js';

/**
 * The version of what a write changes that the caller read: `If-Match: "3"` (RFC 9110 13.1.1; a
 * weak tag or a bare number too) or `version` in the body. Every versioned write reads it here, so
 * a client that sends only the header never makes an unconditional change; a header and a body
 * that name two versions are refused, neither taken over the other (a change made on a stale one
 * would stand). `what` names the thing in the refusal ("list", "patient").
 */
export function versionRead(req: Request, bodyVersion: number, what: string): number;
export function versionRead(req: Request, bodyVersion: number | undefined, what: string): number | undefined;
export function versionRead(req: Request, bodyVersion: number | undefined, what: string): number | undefined {
  const header = req.get('if-match');
  if (!header) return bodyVersion;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match) throw problem('validation_failed', `If-Match must be a ${what} version such as "3".`);
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version)
    throw problem('validation_failed', `If-Match and the body name two different ${what} versions. Send the version you read once.`);
  return version;
}
