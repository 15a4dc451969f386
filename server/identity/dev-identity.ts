import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import { randomUUID } from 'node:crypto';
import type { DevDirectory } from './dev-directory.js';
import type { TokenVerifierSettings } from './verify-token.js';

export const DEV_ISSUER = 'urn:patients:dev-identity';
export const DEV_AUDIENCE = 'api://localhost/patients-dev';

/**
 * The dev identity provider: signs tokens shaped like Azure AD v2 access tokens for users of the
 * dev directory, with its own key, and publishes that key as a JWKS.
 */
export interface DevIdentity {
  jwks: JSONWebKeySet;
  verifierSettings: TokenVerifierSettings;
  /** Null for a user the directory does not know. */
  issueToken(userId: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number } | null>;
}

const LIFETIME_SECONDS = 3600;

export async function createDevIdentity(directory: DevDirectory): Promise<DevIdentity> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  const roleHolders = new Set(directory.auditReaders ?? []);

  return {
    jwks,
    verifierSettings: {
      keys: createLocalJWKSet(jwks),
      issuersFor: () => [DEV_ISSUER],
      audiences: [DEV_AUDIENCE],
      requiredScope: 'access_as_user',
    },
    async issueToken(userId) {
      const user = directory.users.find((u) => u.id === userId);
      if (!user) return null;
      const access_token = await new SignJWT({
        tid: user.tenantId,
        oid: user.id,
        name: user.name,
        scp: 'access_as_user',
        ver: '2.0',
        ...(roleHolders.has(user.id) ? { roles: ['Patients.AuditReader'] } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject(user.id)
        .setIssuedAt()
        .setExpirationTime(`${LIFETIME_SECONDS}s`)
        .sign(privateKey);
      return { access_token, token_type: 'Bearer', expires_in: LIFETIME_SECONDS };
    },
  };
}
