import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MICROSOFT_365_CLIENTS } from '../../../server/identity/microsoft-365-clients';
import { azureAdVerifierSettings, createTokenVerifier, type TokenVerifierSettings } from '../../../server/identity/verify-token';

// Tokens shaped like Azure AD access tokens (v1: iss sts.windows.net, v2: login.microsoftonline.com/{tid}/v2.0),
// signed locally; see the Microsoft identity platform "access tokens" reference.
const tid = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '11111111-2222-4333-8444-555555555555';
const oid = '00000000-aaaa-4bbb-8ccc-000000000001';
/** Teams on the web, which asks Entra for the tab's token. */
const teamsWeb = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signingKey: Key;
let otherKey: Key;
let settings: TokenVerifierSettings;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] };
  settings = { ...azureAdVerifierSettings({ clientId }), keys: createLocalJWKSet(jwks) };
});

function token(claims: JWTPayload, options: { key?: Key; expiresIn?: string; issuer?: string; audience?: string } = {}) {
  return new SignJWT({ tid, oid, scp: 'access_as_user', name: 'Avery Nguyen', ver: '2.0', azp: teamsWeb, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.issuer ?? `https://login.microsoftonline.com/${tid}/v2.0`)
    .setAudience(options.audience ?? clientId)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(options.key ?? signingKey);
}

describe('token verification', () => {
  it('accepts a v2 token and takes tenant and user from it', async () => {
    const caller = await createTokenVerifier(settings)(await token({ roles: ['Patients.AuditReader'] }));
    expect(caller).toEqual({ tenantId: tid, userId: oid, name: 'Avery Nguyen', roles: ['Patients.AuditReader'] });
  });

  it('accepts a v1 token with the api:// audience', async () => {
    const t = await token(
      { ver: '1.0', azp: undefined, appid: teamsWeb },
      { issuer: `https://sts.windows.net/${tid}/`, audience: `api://${clientId}` },
    );
    expect((await createTokenVerifier(settings)(t)).tenantId).toBe(tid);
  });

  it.each([
    ['a wrong signature', () => token({}, { key: otherKey }), 'signature'],
    [
      'another tenant in the issuer',
      () => token({}, { issuer: 'https://login.microsoftonline.com/9b1f2a4e-0000-4000-8000-000000000000/v2.0' }),
      'issuer',
    ],
    ['another audience', () => token({}, { audience: 'api://someone-else' }), 'another application'],
    ['an expired token', () => token({}, { expiresIn: '-10m' }), 'expired'],
    ['a missing scope', () => token({ scp: 'User.Read' }), 'access_as_user'],
    ['no tenant id', () => token({ tid: undefined }), 'tenant'],
    ['no user id', () => token({ oid: undefined }), 'user id'],
    // Another application a user consented to can get a token for the app's API: it is not the tab's.
    ['a v2 token issued to another application', () => token({ azp: '9a1b2c3d-0000-4000-8000-000000000001' }), 'may not call this app'],
    [
      'a v1 token issued to another application',
      () =>
        token(
          { ver: '1.0', azp: undefined, appid: '9a1b2c3d-0000-4000-8000-000000000001' },
          { issuer: `https://sts.windows.net/${tid}/`, audience: `api://${clientId}` },
        ),
      'may not call this app',
    ],
    ['a token that names no client application', () => token({ azp: undefined }), 'may not call this app'],
    // A v1 token names its client in appid: a v2 claim in it does not count.
    [
      'a v1 token whose appid is another application',
      () => token({ ver: '1.0', azp: teamsWeb, appid: clientId }, { issuer: `https://sts.windows.net/${tid}/`, audience: `api://${clientId}` }),
      'may not call this app',
    ],
  ])('rejects %s', async (_name, make, reason) => {
    await expect(createTokenVerifier(settings)(await make())).rejects.toThrow(reason);
  });

  it('checks a token once and refuses it from cache once it has expired', async () => {
    let lookups = 0;
    const counted: TokenVerifierSettings = {
      ...settings,
      clockToleranceSeconds: 0,
      keys: (header, input) => (lookups++, (settings.keys as typeof counted.keys)(header, input)),
    };
    const verify = createTokenVerifier(counted);
    const t = await token({}, { expiresIn: '2s' });
    expect((await verify(t)).userId).toBe(oid);
    expect((await verify(t)).userId).toBe(oid);
    expect(lookups).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(verify(t)).rejects.toThrow('expired');
  });

  it('rejects what is not a JWT', async () => {
    await expect(createTokenVerifier(settings)('not-a-token')).rejects.toThrow('not a JWT');
  });

  it('rejects a tenant outside the allow-list', async () => {
    const verify = createTokenVerifier({ ...settings, allowedTenants: ['9b1f2a4e-0000-4000-8000-000000000000'] });
    await expect(verify(await token({}))).rejects.toThrow('not allowed');
  });
});

describe('the client applications a token may come from', () => {
  it('are the Microsoft 365 clients the app registration pre-authorises, each accepted in v1 and v2 tokens', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../aad.manifest.json', import.meta.url), 'utf8')) as {
      preAuthorizedApplications: Array<{ appId: string }>;
    };
    const ids = MICROSOFT_365_CLIENTS.map((c) => c.id);
    expect([...ids].sort()).toEqual(manifest.preAuthorizedApplications.map((a) => a.appId).sort());
    const verify = createTokenVerifier(settings);
    for (const id of ids) {
      expect((await verify(await token({ azp: id }))).userId).toBe(oid);
      const v1 = await token({ ver: '1.0', azp: undefined, appid: id }, { issuer: `https://sts.windows.net/${tid}/`, audience: `api://${clientId}` });
      expect((await verify(v1)).userId).toBe(oid);
    }
  });
});
