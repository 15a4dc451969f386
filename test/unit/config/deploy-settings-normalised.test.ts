import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { azureAdVerifierSettings, createTokenVerifier } from '../../../server/identity/verify-token';
import { PortError } from '../../../server/start';
import { captureLogs } from '../../helpers/log-capture';
import { configProblems, productionSettings } from '../../helpers/production-settings';

// Settings an IT admin deployed in forms that passed the start and then made every sign-in (or
// every EHR link) fail silently: each is now read in the one form that works, or refused at start
// naming the setting (and the item of a list by its place, never echoing a value).
const logs = captureLogs();
const production = (env: Record<string, string>) => loadConfig({ ...productionSettings, ...env });
const clientId = '8d1c6e2a-4b7f-4c39-a0e5-6f7a8b9c0d1e';
const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('Azure AD settings, read in the form Azure AD writes into its tokens', () => {
  it('takes AAD_AUTHORITY as an origin: trailing slashes dropped, a tenant or other path refused naming the setting', () => {
    for (const authority of ['https://login.microsoftonline.com/', 'https://login.microsoftonline.com//', ' https://LOGIN.microsoftonline.com/\n'])
      expect(production({ AAD_AUTHORITY: authority }).AAD_AUTHORITY, authority).toBe('https://login.microsoftonline.com');
    expect(production({}).AAD_AUTHORITY).toBe('https://login.microsoftonline.com');
    for (const authority of [
      `https://login.microsoftonline.com/${tenant}`,
      `https://login.microsoftonline.com/${tenant}/v2.0`,
      'https://login.microsoftonline.com/common/',
      'https://login.microsoftonline.com?tenant=x',
      'login.microsoftonline.com',
    ])
      expect(configProblems({ ...productionSettings, AAD_AUTHORITY: authority }), authority).toMatch(
        /AAD_AUTHORITY: must be the sign-in origin only/,
      );
    // Production's https rule still names it; a stand-in on loopback still passes.
    expect(configProblems({ ...productionSettings, AAD_AUTHORITY: 'http://login.example.org/' })).toMatch(
      /AAD_AUTHORITY: must be an https address in production mode/,
    );
    expect(production({ AAD_AUTHORITY: 'http://127.0.0.1:4000/' }).AAD_AUTHORITY).toBe('http://127.0.0.1:4000');
  });

  it('accepts a v2 token of the issuer the normalised authority names', async () => {
    const config = production({ AAD_AUTHORITY: 'https://login.microsoftonline.com/', AAD_APP_CLIENT_ID: clientId.toUpperCase() });
    const pair = await generateKeyPair('RS256');
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] };
    const verify = createTokenVerifier({
      ...azureAdVerifierSettings({ clientId: config.AAD_APP_CLIENT_ID!, authority: config.AAD_AUTHORITY }),
      keys: createLocalJWKSet(jwks),
    });
    // Azure AD's v2 token, asked for by Teams: its issuer has one slash after the host, its audience the client id in lower case.
    const teamsWeb = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
    const fromTeams = await new SignJWT({
      tid: tenant,
      oid: '00000000-aaaa-4bbb-8ccc-000000000001',
      scp: 'access_as_user',
      ver: '2.0',
      azp: teamsWeb,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`)
      .setAudience(clientId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(pair.privateKey);
    expect((await verify(fromTeams)).tenantId).toBe(tenant);
  });

  it('lower-cases GUIDs (AAD_APP_CLIENT_ID, AAD_ALLOWED_TENANTS) and trims ids and secrets', () => {
    const config = production({
      AAD_APP_CLIENT_ID: ` ${clientId.toUpperCase()}\n`,
      AAD_ALLOWED_TENANTS: `${tenant.toUpperCase()}, 9B1F2A4E-0000-4000-8000-000000000000 `,
      SECRET_AAD_APP_CLIENT_SECRET: 'abc~def\n',
      EHR_CLIENT_ID: ' app\r\n',
      EHR_CLIENT_SECRETS: 'one\n, two ',
    });
    expect(config).toMatchObject({
      AAD_APP_CLIENT_ID: clientId,
      AAD_ALLOWED_TENANTS: [tenant, '9b1f2a4e-0000-4000-8000-000000000000'],
      SECRET_AAD_APP_CLIENT_SECRET: 'abc~def',
      EHR_CLIENT_ID: 'app',
      EHR_CLIENT_SECRETS: ['one', 'two'],
    });
    expect(config.ehrPartners[0]).toMatchObject({ clientId: 'app', clientSecrets: ['one', 'two'] });
    // An EHR_PARTNERS entry's secrets, given as an array, are read the same way.
    const partners = [
      { tokenEndpoint: 'https://a.example.org/t', clientId: ' a\n', clientSecrets: ['a1\n', ' a2'], fhirOrigins: ['https://fhir.a.example.org'] },
    ];
    expect(production({ EHR_PARTNERS: JSON.stringify(partners) }).ehrPartners[1]).toMatchObject({ clientId: 'a', clientSecrets: ['a1', 'a2'] });
    // A secret of nothing but a line end is no secret: refused, never echoed.
    const blank = configProblems({ ...productionSettings, SECRET_AAD_APP_CLIENT_SECRET: '\n' });
    expect(blank).toMatch(/SECRET_AAD_APP_CLIENT_SECRET: /);
    expect(configProblems({ ...productionSettings, AAD_APP_CLIENT_ID: 'not-a-guid' })).toMatch(
      /AAD_APP_CLIENT_ID: must be the application \(client\) id/,
    );
  });
});

describe('EHR_LINK_ALLOW_LIST', () => {
  it('takes only http(s) origins, refusing any other item at start by its place', () => {
    for (const [item, value] of [
      [2, 'ehr.hospital.local:8443'],
      [2, 'ftp://ehr.hospital.local'],
      [2, 'https://ehr.hospital.local:8443/fhir'],
      [2, 'https://ehr.hospital.local/?x=1'],
      [2, 'https://user:pass@ehr.hospital.local'],
      [2, 'ehr.hospital.local'],
    ] as const) {
      const message = configProblems({ ...productionSettings, EHR_LINK_ALLOW_LIST: `http://ehr.hospital.internal, ${value}` });
      expect(message, value).toMatch(new RegExp(`EHR_LINK_ALLOW_LIST item ${item}: must be an http\\(s\\) origin`));
      expect(message, value).not.toContain(value);
    }
    expect(
      loadConfig({ EHR_LINK_ALLOW_LIST: 'http://ehr.hospital.internal/, HTTPS://EHR2.hospital.internal:8443, http://10.0.0.5:80' })
        .EHR_LINK_ALLOW_LIST,
    ).toEqual(['http://ehr.hospital.internal', 'https://ehr2.hospital.internal:8443', 'http://10.0.0.5']);
  });
});

describe('HOST', () => {
  it('is an IP address or a host name, refused at start naming HOST', () => {
    for (const host of ['patients host', 'http://0.0.0.0', '0.0.0.0:8080', '[::]', 'host_name'])
      expect(configProblems({ ...productionSettings, HOST: host }), host).toMatch(/HOST: must be an IP address or a host name/);
    for (const host of ['0.0.0.0', '::', '127.0.0.1', 'fe80::1', 'localhost', 'patients-01.internal.contoso.org'])
      expect(production({ HOST: host }).host, host).toBe(host);
  });

  it('is named, not the port, when the server cannot listen on its address', async () => {
    const listenError = (host: string) =>
      new Promise<Error>((resolve) => {
        const server = createServer();
        server.on('error', resolve);
        server.listen(0, host, () => server.close(() => resolve(new Error('listened'))));
      });
    // 192.0.2.1 (TEST-NET-1) is no address of this machine; .invalid never resolves (RFC 6761).
    const notHere = new PortError('192.0.2.1', 3978, await listenError('192.0.2.1'));
    expect(notHere.message).toMatch(/^HOST 192\.0\.2\.1 is not an address of this machine \(EADDRNOTAVAIL\): set HOST to/);
    const unknown = new PortError('patients.invalid', 3978, await listenError('patients.invalid'));
    expect(unknown.message).toMatch(/^HOST patients\.invalid does not resolve to an address \((ENOTFOUND|EAI_AGAIN)\): set HOST to/);
    const inUse = new PortError('0.0.0.0', 3978, Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }));
    expect(inUse.message).toBe('Port 3978 on 0.0.0.0 is in use by another program: set PORT to a free one, or stop what holds it.');
  });
});

describe('dev mode with an EHR partner off this machine', () => {
  const warnings = () => logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((l) => l.level === 40);

  it("warns once at start that dev mode must not hold a hospital's credentials, and starts", () => {
    const partner = {
      EHR_CLIENT_ID: 'a',
      EHR_CLIENT_SECRETS: 's',
      EHR_TOKEN_ENDPOINT: 'https://ehr.hospital.org/token',
      EHR_FHIR_ORIGINS: 'https://fhir.hospital.org',
    };
    expect(loadConfig(partner).APP_MODE).toBe('dev');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0].msg).toMatch(
      /dev mode signs anyone in on this machine[\s\S]*EHR_TOKEN_ENDPOINT and EHR_FHIR_ORIGINS[\s\S]*must not hold a hospital's credentials/,
    );
    logs.length = 0;
    const partners = [{ tokenEndpoint: 'http://127.0.0.1:9/t', clientId: 'b', clientSecrets: 'x', fhirOrigins: ['https://fhir.partner.example'] }];
    loadConfig({ EHR_PARTNERS: JSON.stringify(partners) });
    expect(warnings().map((w) => w.msg)).toEqual([expect.stringContaining('EHR_PARTNERS name an EHR partner off it')]);
  });

  it('says nothing of a partner on loopback, nor in production', () => {
    loadConfig({
      EHR_CLIENT_ID: 'a',
      EHR_CLIENT_SECRETS: 's',
      EHR_TOKEN_ENDPOINT: 'http://127.0.0.1:9/t',
      EHR_FHIR_ORIGINS: 'http://localhost:9, http://[::1]:9',
    });
    loadConfig({});
    production({});
    expect(warnings()).toEqual([]);
  });
});
