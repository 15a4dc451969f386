import { LRUCache } from 'lru-cache';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { guidPattern } from '../../contract/id-syntax.js';
import type { Caller } from '../platform/request-context.js';
import { MICROSOFT_365_CLIENTS } from './microsoft-365-clients.js';

/**
 * How tokens are checked. The same verifier serves Azure AD (production) and the dev identity
 * provider (dev mode); only these settings differ.
 */
export interface TokenVerifierSettings {
  /** Key source: a remote JWKS (Azure AD) or a local one (dev identity provider). */
  keys: JWTVerifyGetKey;
  /** Accepted issuers for a token of tenant `tid`, e.g. Azure AD v1 and v2 issuers. */
  issuersFor: (tenantId: string) => string[];
  /** Accepted audiences: the client id and its `api://…` URI. */
  audiences: string[];
  /** Delegated scope the token must carry in `scp`. */
  requiredScope: string;
  /** When set, the client applications a token may have been issued to (`azp` in v2, `appid` in v1). */
  clients?: readonly string[];
  /** When set, only these tenants may call. */
  allowedTenants?: string[];
  /** Seconds of clock skew tolerated. */
  clockToleranceSeconds?: number;
}

export class TokenRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRejected';
  }
}

/** A token of a tenant outside the allowed tenants (AAD_ALLOWED_TENANTS, when set), refused before its signature is checked. */
export class TenantNotServed extends TokenRejected {
  constructor() {
    super('This organisation is not allowed to use the app.');
  }
}

export type TokenVerifier = (token: string) => Promise<Caller>;

/** Tokens verified recently, kept until they expire: the tab sends the same token with every call. */
const VERIFIED_TOKENS = 2_000;

export function createTokenVerifier(settings: TokenVerifierSettings): TokenVerifier {
  const verify = verifyOnce(settings);
  // Each token is kept until it expires (its own time to live), the least recently used first out when full.
  const verified = new LRUCache<string, Caller>({ max: VERIFIED_TOKENS, ttlAutopurge: false });
  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    const { caller, expiresMs } = await verify(token);
    const ttl = expiresMs - Date.now();
    if (ttl > 0) verified.set(token, caller, { ttl });
    return caller;
  };
}

function verifyOnce(settings: TokenVerifierSettings) {
  return async (token: string): Promise<{ caller: Caller; expiresMs: number }> => {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new TokenRejected('The token is not a JWT.');
    }
    // The issuer embeds the tenant, so read `tid` first and check it against the signed issuer below.
    const tenantId = typeof unverified.tid === 'string' ? unverified.tid : '';
    if (!guidPattern.test(tenantId)) throw new TokenRejected('The token has no tenant id.');
    if (settings.allowedTenants && !settings.allowedTenants.includes(tenantId)) {
      throw new TenantNotServed();
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, settings.keys, {
        issuer: settings.issuersFor(tenantId),
        audience: settings.audiences,
        clockTolerance: settings.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (err) {
      throw new TokenRejected(describeJoseError(err));
    }
    if (payload.tid !== tenantId) throw new TokenRejected('The token has no tenant id.');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(settings.requiredScope)) {
      throw new TokenRejected(`The token lacks the ${settings.requiredScope} scope.`);
    }
    if (settings.clients) {
      const client = payload.ver === '1.0' ? payload.appid : payload.azp;
      if (typeof client !== 'string' || !settings.clients.includes(client.toLowerCase()))
        throw new TokenRejected('The token was issued to an application that may not call this app.');
    }
    const userId = typeof payload.oid === 'string' ? payload.oid : '';
    if (!userId) throw new TokenRejected('The token has no user id.');
    const caller: Caller = {
      userId,
      tenantId,
      name: typeof payload.name === 'string' ? payload.name : undefined,
      roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [],
    };
    // Expiry as verified (with the clock tolerance); a cached token is refused from then on.
    return { caller, expiresMs: (payload.exp! + (settings.clockToleranceSeconds ?? 60)) * 1000 };
  };
}

function describeJoseError(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'The token has expired.';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is not valid.';
  if (err instanceof errors.JWKSNoMatchingKey) return 'The token was signed by an unknown key.';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return 'The token comes from an unexpected issuer.';
    if (err.claim === 'aud') return 'The token is meant for another application.';
    if (err.claim === 'nbf') return 'The token is not valid yet.';
    return `The token's ${err.claim} claim is not valid.`;
  }
  return 'The token could not be verified.';
}

/** Azure AD settings: keys from the tenant-independent JWKS, v1 and v2 issuers of the token's own tenant, tokens the Microsoft 365 clients asked for. */
export function azureAdVerifierSettings(options: {
  clientId: string;
  applicationIdUri?: string;
  allowedTenants?: string[];
  jwksUrl?: string;
  authority?: string;
}): TokenVerifierSettings {
  const authority = options.authority ?? 'https://login.microsoftonline.com';
  return {
    keys: createRemoteJWKSet(new URL(options.jwksUrl ?? `${authority}/common/discovery/v2.0/keys`)),
    issuersFor: (tid) => [`${authority}/${tid}/v2.0`, `https://sts.windows.net/${tid}/`],
    audiences: [options.clientId, `api://${options.clientId}`, ...(options.applicationIdUri ? [options.applicationIdUri] : [])],
    requiredScope: 'access_as_user',
    clients: MICROSOFT_365_CLIENTS.map((c) => c.id),
    allowedTenants: options.allowedTenants,
  };
}
