import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Teams SSO tokens as Azure AD issues them for the tab (Entra docs, access-tokens.md; Teams tab
 * SSO sample): v2 with issuer `{authority}/{tid}/v2.0`, the client id as audience and `azp`; v1
 * with issuer `https://sts.windows.net/{tid}/`, `api://{domain}/{client id}` as audience and
 * `appid`; both with `scp: access_as_user`. Signed by a local RS256 key that stands in for Azure
 * AD's tenant-independent keys, published as a JWKS on a loopback port.
 */
export interface AzureAdTokens {
  /** The JWKS the server is configured with (AAD_JWKS_URL). */
  jwksUrl: string;
  /** The server's settings that take these tokens: SSO=azure-ad, the app's registration and this JWKS. */
  settings: Record<string, string>;
  sign(claims: Record<string, unknown>, issuer: string, audience: string): Promise<string>;
  tokenFor(user: { id: string; tenantId: string; name?: string }, version?: 'v1' | 'v2', claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** The app's Entra registration in tests: AAD_APP_CLIENT_ID and TAB_DOMAIN. */
export const testAadApp = { clientId: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b', tabDomain: 'patients.example.org' };

/** Teams desktop and mobile client, the `azp` / `appid` of its SSO tokens. */
const TEAMS_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';

export async function startAzureAdTokens(options: { clientId?: string; tabDomain?: string; authority?: string } = {}): Promise<AzureAdTokens> {
  const { clientId = testAadApp.clientId, tabDomain = testAadApp.tabDomain, authority = 'https://login.microsoftonline.com' } = options;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const key = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));

  const sign = (claims: Record<string, unknown>, issuer: string, audience: string) =>
    new SignJWT({ scp: 'access_as_user', ver: '2.0', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);

  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`;
  return {
    jwksUrl,
    settings: { SSO: 'azure-ad', AAD_APP_CLIENT_ID: clientId, TAB_DOMAIN: tabDomain, AAD_JWKS_URL: jwksUrl },
    sign,
    tokenFor: ({ id, tenantId, name }, version = 'v2', claims = {}) =>
      version === 'v2'
        ? sign({ tid: tenantId, oid: id, sub: id, name, azp: TEAMS_CLIENT_ID, ...claims }, `${authority}/${tenantId}/v2.0`, clientId)
        : sign(
            { tid: tenantId, oid: id, sub: id, name, appid: TEAMS_CLIENT_ID, ver: '1.0', ...claims },
            `https://sts.windows.net/${tenantId}/`,
            `api://${tabDomain}/${clientId}`,
          ),
    close: () =>
      new Promise<void>((resolve) => {
        jwks.close(() => resolve());
        jwks.closeAllConnections();
      }),
  };
}
