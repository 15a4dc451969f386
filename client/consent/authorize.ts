/**
 * The consent popup's request to Azure AD and the answer it gets back. Azure AD's v2.0
 * authorization endpoint (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow):
 * `prompt=consent` shows the consent screen for the scopes even when some were granted before.
 * The code that comes back is never redeemed: the consent itself is what the backend's
 * on-behalf-of exchange needs. It travels in the fragment, so it never reaches a server log, and
 * its PKCE verifier is thrown away, so nobody can redeem it.
 */

import { guidPattern } from '../../contract/id-syntax';
import type { ConsentConfig } from '../../contract/teams';

export const CONSENT_END_PATH = '/consent-end.html';
export const STATE_KEY = 'patients.consent.state';

export const isTenantId = (value: string | null): value is string => Boolean(value && guidPattern.test(value));

export function authorizeUrl(
  config: ConsentConfig,
  request: { tenantId: string; redirectUri: string; state: string; codeChallenge: string; loginHint?: string | null },
): string {
  const url = new URL(`${config.authority.replace(/\/+$/, '')}/${request.tenantId}/oauth2/v2.0/authorize`);
  const params: Record<string, string> = {
    client_id: config.clientId,
    response_type: 'code',
    response_mode: 'fragment',
    redirect_uri: request.redirectUri,
    scope: config.scopes.join(' '),
    prompt: 'consent',
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  };
  if (request.loginHint) params.login_hint = request.loginHint;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

export type ConsentAnswer = { granted: true } | { granted: false; reason: string };

/** Azure AD's redirect back (`#code=…&state=…` or `#error=…&state=…`), checked against the state the start page kept. */
export function readAnswer(fragment: string, expectedState: string | null): ConsentAnswer {
  const answer = new URLSearchParams(fragment.replace(/^#/, ''));
  if (!expectedState || answer.get('state') !== expectedState) return { granted: false, reason: 'state_mismatch' };
  const error = answer.get('error');
  if (error) return { granted: false, reason: error };
  return answer.get('code') ? { granted: true } : { granted: false, reason: 'no_answer' };
}

export function randomText(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function base64url(data: Uint8Array): string {
  return btoa(String.fromCharCode(...data))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
