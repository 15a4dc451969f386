import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { configProblems, productionSettings, testSealKey } from '../../helpers/production-settings';

describe('configuration', () => {
  it('runs in dev mode with no settings at all, on loopback, with SQLite', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ APP_MODE: 'dev', PORT: 3978, host: '127.0.0.1', STORE: 'sqlite', SANDBOX_PATIENTS: 200 });
  });

  it('lists every missing or bad value at once', () => {
    expect(() => loadConfig({ APP_MODE: 'production', PORT: 'eighty', AAD_APP_CLIENT_ID: 'not-a-guid' })).toThrow(/PORT[\s\S]*AAD_APP_CLIENT_ID/);
    const problems = (() => {
      try {
        loadConfig({ APP_MODE: 'production' });
      } catch (err) {
        return (err as Error).message;
      }
    })();
    for (const name of [
      'AAD_APP_CLIENT_ID',
      'SECRET_AAD_APP_CLIENT_SECRET',
      'TAB_DOMAIN',
      'EHR_CLIENT_ID',
      'EHR_CLIENT_SECRETS',
      'EHR_TOKEN_ENDPOINT',
      'EHR_FHIR_ORIGINS',
    ])
      expect(problems).toContain(name);
    // A bad value does not hide the missing settings, nor an unresolved Key Vault reference: one restart fixes all.
    const message = (() => {
      try {
        loadConfig({
          APP_MODE: 'production',
          EHR_TOKEN_ENDPOINT: 'ehr.example.org/token',
          SECRET_AAD_APP_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/aad)',
        });
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/EHR_TOKEN_ENDPOINT: /);
    for (const name of ['AAD_APP_CLIENT_ID', 'TAB_DOMAIN', 'EHR_CLIENT_ID', 'EHR_CLIENT_SECRETS', 'EHR_FHIR_ORIGINS'])
      expect(message).toContain(`${name}: required in production mode`);
    expect(message).toContain('SECRET_AAD_APP_CLIENT_SECRET: App Service could not resolve its Key Vault reference');
  });

  it('names a setting it cannot use, whatever it is: a log level, tenant ids, a held-items table that is the audit table', () => {
    for (const [env, named] of [
      [{ LOG_LEVEL: 'warning' }, /LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/],
      [{ AAD_ALLOWED_TENANTS: '72f988bf-86f1-41af-91ab-2d7cd011db47, contoso' }, /AAD_ALLOWED_TENANTS[\s\S]*must be tenant ids/],
      [{ AUDIT_TABLE_NAME: 'PatientsTrail', HELD_ITEMS_TABLE_NAME: 'patientstrail' }, /HELD_ITEMS_TABLE_NAME: must differ from AUDIT_TABLE_NAME/],
    ] as const)
      expect(() => loadConfig(env)).toThrow(named);
    expect(loadConfig({ LOG_LEVEL: 'debug', AAD_ALLOWED_TENANTS: '72f988bf-86f1-41af-91ab-2d7cd011db47' })).toMatchObject({
      LOG_LEVEL: 'debug',
      AAD_ALLOWED_TENANTS: ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
    });
  });

  it('defaults production to the Graph store on all interfaces, and refuses Graph in dev mode', () => {
    const production = loadConfig({
      APP_MODE: 'production',
      AAD_APP_CLIENT_ID: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b',
      SECRET_AAD_APP_CLIENT_SECRET: 's',
      TAB_DOMAIN: 'patients.example.org',
      EHR_CLIENT_ID: 'app',
      EHR_CLIENT_SECRETS: 'one, two',
      AAD_ALLOWED_TENANTS: '7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01',
      EHR_TOKEN_ENDPOINT: 'https://partner.example.org/oauth/token',
      EHR_FHIR_ORIGINS: 'https://fhir.example.org/r4',
      AUDIT_STORE: 'azure-table',
      AUDIT_TABLE_ENDPOINT: 'https://patientsaudit.table.core.windows.net',
      STORE_SEAL_KEYS: testSealKey,
    });
    expect(production).toMatchObject({
      STORE: 'graph',
      host: '0.0.0.0',
      EHR_CLIENT_SECRETS: ['one', 'two'],
      AAD_ALLOWED_TENANTS: ['7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01'],
    });
    expect(() => loadConfig({ STORE: 'graph' })).toThrow('production');
    expect(() => loadConfig({ EHR_CLIENT_ID: 'only-the-id' })).toThrow('set together');
  });

  it('binds the EHR client to its partner: token endpoint and FHIR origins, one partner or several', () => {
    const production = {
      APP_MODE: 'production',
      AAD_APP_CLIENT_ID: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b',
      SECRET_AAD_APP_CLIENT_SECRET: 's',
      TAB_DOMAIN: 'patients.example.org',
      AUDIT_STORE: 'azure-table',
      AUDIT_TABLE_ENDPOINT: 'https://patientsaudit.table.core.windows.net',
      STORE_SEAL_KEYS: testSealKey,
    };
    const single = loadConfig({
      ...production,
      EHR_CLIENT_ID: 'app',
      EHR_CLIENT_SECRETS: 'one,two',
      EHR_TOKEN_ENDPOINT: 'https://partner.example.org/oauth/token',
      EHR_FHIR_ORIGINS: 'https://fhir.example.org/r4, https://fhir2.example.org',
    });
    expect(single.ehrPartners).toEqual([
      {
        tokenEndpoint: 'https://partner.example.org/oauth/token',
        clientId: 'app',
        clientSecrets: ['one', 'two'],
        fhirOrigins: ['https://fhir.example.org', 'https://fhir2.example.org'],
      },
    ]);
    const partners = [
      { tokenEndpoint: 'https://a.example.org', clientId: 'a', clientSecrets: 'a1,a2', fhirOrigins: ['https://fhir.a.example.org'] },
      { tokenEndpoint: 'https://b.example.org/token', clientId: 'b', clientSecrets: ['b1'], fhirOrigins: ['https://fhir.b.example.org:8443/fhir'] },
    ];
    expect(loadConfig({ ...production, EHR_PARTNERS: JSON.stringify(partners) }).ehrPartners).toEqual([
      { tokenEndpoint: 'https://a.example.org', clientId: 'a', clientSecrets: ['a1', 'a2'], fhirOrigins: ['https://fhir.a.example.org'] },
      { tokenEndpoint: 'https://b.example.org/token', clientId: 'b', clientSecrets: ['b1'], fhirOrigins: ['https://fhir.b.example.org:8443'] },
    ]);
    expect(() =>
      loadConfig({ ...production, EHR_CLIENT_ID: 'app', EHR_CLIENT_SECRETS: 's', EHR_TOKEN_ENDPOINT: 'https://partner.example.org/t' }),
    ).toThrow(/EHR_FHIR_ORIGINS: required in production mode[\s\S]*must be set together/);
    expect(() => loadConfig({ EHR_TOKEN_ENDPOINT: 'https://partner.example.org/t', EHR_FHIR_ORIGINS: 'https://fhir.example.org' })).toThrow(
      'needs EHR_CLIENT_ID',
    );
    expect(() => loadConfig({ EHR_TOKEN_ENDPOINT: 'ftp://partner.example.org/t' })).toThrow('EHR_TOKEN_ENDPOINT');
    // A broken partner list is reported without echoing it: it holds secrets.
    const broken = (() => {
      try {
        loadConfig({ EHR_PARTNERS: '[{"clientSecrets": "hunter2-secret", ' });
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(broken).toContain('EHR_PARTNERS');
    expect(broken).not.toContain('hunter2');
    expect(() => loadConfig({ EHR_PARTNERS: JSON.stringify([{ clientId: 'a', clientSecrets: 'x' }]) })).toThrow(
      /EHR_PARTNERS entry 1 \(client a\): tokenEndpoint /,
    );
  });

  it('refuses at start, in production, an address a credential or patient data would go to over plain http', () => {
    const refusal = (env: Record<string, string>) => configProblems({ ...productionSettings, ...env });
    expect(refusal({})).toBe('started');
    expect(refusal({ EHR_TOKEN_ENDPOINT: 'http://partner.example.org/oauth/token' })).toMatch(
      /EHR_TOKEN_ENDPOINT: must be https addresses in production mode/,
    );
    expect(refusal({ EHR_FHIR_ORIGINS: 'https://fhir.example.org, HTTP://fhir2.example.org' })).toMatch(/EHR_FHIR_ORIGINS: must be https/);
    const partner = { tokenEndpoint: 'https://a.example.org', clientId: 'a', clientSecrets: 'a1', fhirOrigins: ['http://fhir.a.example.org'] };
    expect(refusal({ EHR_PARTNERS: JSON.stringify([partner]) })).toMatch(/EHR_PARTNERS entry 1 \(client a\): must be https/);
    for (const key of ['AAD_AUTHORITY', 'AAD_JWKS_URL', 'GRAPH_BASE_URL'])
      expect(refusal({ [key]: 'http://login.example.org' })).toMatch(new RegExp(`${key}: must be an https address in production mode`));
    // A partner on the hospital's network, listed on purpose; stand-ins on this machine's loopback.
    expect(
      refusal({
        EHR_TOKEN_ENDPOINT: 'http://ehr.hospital.internal/token',
        EHR_FHIR_ORIGINS: 'http://ehr.hospital.internal',
        EHR_LINK_ALLOW_LIST: 'http://ehr.hospital.internal',
        GRAPH_BASE_URL: 'http://127.0.0.1:4000',
      }),
    ).toBe('started');
    // Dev mode talks to its sandbox over http.
    expect(
      loadConfig({ EHR_CLIENT_ID: 'a', EHR_CLIENT_SECRETS: 's', EHR_TOKEN_ENDPOINT: 'http://127.0.0.1:9/t', EHR_FHIR_ORIGINS: 'http://127.0.0.1:9' })
        .APP_MODE,
    ).toBe('dev');
  });

  it('refuses an EHR allow-list that names a link-local or metadata address, and a shutdown grace App Service would cut', () => {
    const refusal = (env: Record<string, string>) => configProblems({ ...productionSettings, ...env });
    for (const origin of ['http://169.254.169.254', 'http://[fe80::1]:8080', 'http://168.63.129.16', 'http://[::ffff:169.254.169.254]'])
      expect(refusal({ EHR_LINK_ALLOW_LIST: `http://ehr.hospital.internal,${origin}` }), origin).toMatch(
        /EHR_LINK_ALLOW_LIST: an origin is link-local or cloud metadata addresses/,
      );
    expect(() => loadConfig({ EHR_LINK_ALLOW_LIST: 'http://169.254.169.254' })).toThrow(/EHR_LINK_ALLOW_LIST/);
    expect(refusal({ EHR_LINK_ALLOW_LIST: 'http://10.0.0.5:8080' })).toBe('started');
    expect(refusal({ SHUTDOWN_GRACE_MS: '30000' })).toMatch(/SHUTDOWN_GRACE_MS: must be below 30000 in production mode/);
    expect(refusal({ SHUTDOWN_GRACE_MS: '29000' })).toBe('started');
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '90000' }).SHUTDOWN_GRACE_MS).toBe(90_000);
  });

  it('verifies Azure AD tokens in dev mode only when asked, and never dev tokens in production', () => {
    expect(loadConfig({}).SSO).toBe('dev');
    const devWithAzureAd = loadConfig({
      SSO: 'azure-ad',
      AAD_APP_CLIENT_ID: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b',
      TAB_DOMAIN: 'patients.example.org',
    });
    expect(devWithAzureAd).toMatchObject({ APP_MODE: 'dev', SSO: 'azure-ad', STORE: 'sqlite', host: '127.0.0.1' });
    expect(() => loadConfig({ SSO: 'azure-ad' })).toThrow(/AAD_APP_CLIENT_ID: required with SSO=azure-ad[\s\S]*TAB_DOMAIN/);
    expect(() => loadConfig({ APP_MODE: 'production', SSO: 'dev' })).toThrow('SSO: dev tokens are for dev mode only');
  });
});
