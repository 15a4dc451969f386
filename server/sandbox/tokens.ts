import { randomBytes } from 'node:crypto';

interface Grant {
  tenantId: string;
  clientId: string;
  expiresAt: number;
}

/** Opaque access tokens, each bound to the tenant its client asked for in `scope`. */
export function createTokenIssuer(lifetimeSeconds: number) {
  const grants = new Map<string, Grant>();
  return {
    issue(clientId: string, tenantId: string) {
      for (const [token, grant] of grants) if (grant.expiresAt < Date.now()) grants.delete(token);
      const token = randomBytes(32).toString('base64url');
      grants.set(token, { tenantId, clientId, expiresAt: Date.now() + lifetimeSeconds * 1000 });
      return { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds, scope: tenantId };
    },
    /** The tenant a live token was issued for, or null. */
    tenantOf(authorization: string | undefined): string | null {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      const grant = match ? grants.get(match[1]) : undefined;
      if (!grant || grant.expiresAt < Date.now()) return null;
      return grant.tenantId;
    },
  };
}

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;
