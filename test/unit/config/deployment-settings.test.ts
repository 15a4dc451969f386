import { describe, expect, it } from 'vitest';
import { loadConfig, unknownSettingMessage, unknownSettings } from '../../../server/config';
import { configProblems, productionSettings } from '../../helpers/production-settings';

const { AUDIT_STORE: _store, AUDIT_TABLE_ENDPOINT: _endpoint, ...productionWithoutAudit } = productionSettings;
const accountKey = 'c2VjcmV0LWtleS1vZi10aGUtYWNjb3VudA==';
const vault = 'https://kvpatients.vault.azure.net/';

describe('the audit trail in production', () => {
  it('is never SQLite: AUDIT_STORE missing is reported with the other missing settings at once', () => {
    const problems = configProblems({ APP_MODE: 'production' });
    expect(problems).toMatch(/AUDIT_STORE: required in production mode \(azure-table/);
    expect(problems).toContain('AAD_APP_CLIENT_ID: required in production mode');
    expect(configProblems(productionWithoutAudit)).toMatch(/^ {2}AUDIT_STORE: required in production mode/m);
  });

  it('refuses AUDIT_STORE=sqlite in production, naming the setting and the value allowed', () => {
    expect(configProblems({ ...productionWithoutAudit, AUDIT_STORE: 'sqlite' })).toMatch(
      /AUDIT_STORE: sqlite is not allowed in production mode; set AUDIT_STORE=azure-table/,
    );
    // Dev mode keeps its embedded default.
    expect(loadConfig({ AUDIT_STORE: 'sqlite' }).AUDIT_STORE).toBe('sqlite');
  });
});

describe('EHR client secrets from Key Vault', () => {
  it('needs no EHR_CLIENT_SECRETS for the default partner when KEY_VAULT_URL names the vault of EHR_CLIENT_SECRET_NAME', () => {
    const { EHR_CLIENT_SECRETS: _secrets, ...withoutSecrets } = productionSettings;
    const config = loadConfig({ ...withoutSecrets, KEY_VAULT_URL: vault, EHR_CLIENT_SECRET_NAME: 'partner-secret' });
    expect(config.ehrPartners).toEqual([expect.objectContaining({ clientId: 'app', clientSecrets: [], clientSecretName: 'partner-secret' })]);
    // Without a vault the secrets are still required, and say where else they may come from.
    expect(configProblems(withoutSecrets)).toMatch(/EHR_CLIENT_SECRETS: required in production mode \(or KEY_VAULT_URL/);
  });

  it('takes an EHR_PARTNERS entry with clientSecretName and no clientSecrets when KEY_VAULT_URL is set', () => {
    const partners = [
      { tokenEndpoint: 'https://b.example.org/token', clientId: 'b', clientSecretName: 'b-secret', fhirOrigins: ['https://fhir.b.example.org'] },
    ];
    const config = loadConfig({ ...productionSettings, KEY_VAULT_URL: vault, EHR_PARTNERS: JSON.stringify(partners) });
    expect(config.ehrPartners[1]).toMatchObject({ clientId: 'b', clientSecrets: [], clientSecretName: 'b-secret' });
  });

  it('names an entry with neither by its place and client, never by a field path', () => {
    const partners = [
      { tokenEndpoint: 'https://a.example.org/token', clientId: 'a', clientSecrets: ['a1'], fhirOrigins: ['https://fhir.a.example.org'] },
      { tokenEndpoint: 'https://b.example.org/token', clientId: 'b', fhirOrigins: ['https://fhir.b.example.org'] },
      { tokenEndpoint: 'https://c.example.org/token', clientId: 'c', clientSecrets: 42, fhirOrigins: ['https://fhir.c.example.org'] },
    ];
    const problems = configProblems({ ...productionSettings, EHR_PARTNERS: JSON.stringify(partners) });
    expect(problems).toContain('EHR_PARTNERS entry 3 (client c): clientSecrets must be a list of secrets');
    expect(problems).not.toMatch(/EHR_PARTNERS\.\d/);
    expect(problems).not.toContain('Invalid input');
    const noSecret = configProblems({ ...productionSettings, EHR_PARTNERS: JSON.stringify(partners.slice(0, 2)) });
    expect(noSecret).toContain('EHR_PARTNERS entry 2 (client b): needs clientSecrets or clientSecretName (with KEY_VAULT_URL)');
  });
});

describe('an audit table connection string in production', () => {
  const withConnection = (connectionString: string) =>
    configProblems({ ...productionWithoutAudit, AUDIT_STORE: 'azure-table', AUDIT_TABLE_CONNECTION_STRING: connectionString });

  it('is refused when its key would go to a plain-http endpoint off this machine, naming the setting and never the key', () => {
    for (const connectionString of [
      `DefaultEndpointsProtocol=https;AccountName=patients;AccountKey=${accountKey};TableEndpoint=http://10.0.0.5:10002/patients;`,
      `DefaultEndpointsProtocol=http;AccountName=patients;AccountKey=${accountKey};EndpointSuffix=core.windows.net`,
      `AccountName=patients;AccountKey=${accountKey};TableEndpoint=HTTP://tables.hospital.internal/patients`,
    ]) {
      const problems = withConnection(connectionString);
      expect(problems, connectionString).toMatch(/AUDIT_TABLE_CONNECTION_STRING: its endpoints must be https in production mode/);
      expect(problems).not.toContain(accountKey);
      expect(problems).not.toContain('10.0.0.5');
    }
  });

  it('is taken with https endpoints, and with azurite on loopback', () => {
    expect(withConnection(`DefaultEndpointsProtocol=https;AccountName=patients;AccountKey=${accountKey};EndpointSuffix=core.windows.net`)).toBe(
      'started',
    );
    expect(withConnection(`AccountName=patients;AccountKey=${accountKey};TableEndpoint=https://patients.table.core.windows.net/`)).toBe('started');
    expect(
      withConnection(
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${accountKey};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;`,
      ),
    ).toBe('started');
  });
});

describe('settings that are none', () => {
  it('names a variable of our settings’ families that is no setting, with the setting meant', () => {
    const found = unknownSettings({ AUDIT_STOR: 'azure-table', EHR_CLIENT_SECRET: 'x', KEY_VAULT_URI: vault, STOR: 'graph', SSO_MODE: 'dev' });
    expect(found.map(unknownSettingMessage)).toEqual([
      'AUDIT_STOR is not a setting; did you mean AUDIT_STORE?',
      'EHR_CLIENT_SECRET is not a setting; did you mean EHR_CLIENT_SECRETS?',
      'KEY_VAULT_URI is not a setting; did you mean KEY_VAULT_URL?',
      'SSO_MODE is not a setting; did you mean SSO?',
      'STOR is not a setting; did you mean STORE?',
    ]);
    expect(unknownSettingMessage(unknownSettings({ RATE_LIMIT_GLOBAL: '5' })[0])).toBe(
      'RATE_LIMIT_GLOBAL is not a setting of this app: it is ignored',
    );
  });

  it('leaves alone the settings themselves, the platform’s and libraries’ variables, and what the toolkit writes beside ours', () => {
    expect(
      unknownSettings({
        ...productionSettings,
        PATH: '/usr/bin',
        HOME: '/home/site',
        HOSTNAME: 'web',
        WEBSITE_SITE_NAME: 'patients',
        AZURE_CLIENT_ID: 'x',
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        AAD_APP_TENANT_ID: 'x',
        TAB_ENDPOINT: 'https://x',
        NODE_ENV: 'production',
      }),
    ).toEqual([]);
  });
});

describe('an audit table connection string the storage client cannot read', () => {
  it.each([
    ['no account name', `DefaultEndpointsProtocol=https;AccountKey=${accountKey}`],
    ['a table endpoint that is not an address', `AccountName=patients;AccountKey=${accountKey};TableEndpoint=notaurl`],
    ['no key', 'DefaultEndpointsProtocol=https;AccountName=patients;EndpointSuffix=core.windows.net'],
    ['not key=value pairs', 'patients audit table'],
  ])('is refused at start with %s, naming the setting, never quoting the value', (_what, value) => {
    const problems = configProblems({ ...productionWithoutAudit, AUDIT_STORE: 'azure-table', AUDIT_TABLE_CONNECTION_STRING: value });
    expect(problems).toMatch(/^ {2}AUDIT_TABLE_CONNECTION_STRING: not a storage account connection string/m);
    expect(problems).not.toContain(accountKey);
    expect(problems).not.toContain('notaurl');
  });

  it.each([
    ['an account key and a suffix', `DefaultEndpointsProtocol=https;AccountName=patients;AccountKey=${accountKey};EndpointSuffix=core.windows.net`],
    ['a table endpoint and a SAS', 'AccountName=patients;SharedAccessSignature=sv=2024&sig=x;TableEndpoint=https://patients.table.core.windows.net/'],
  ])('takes %s', (_what, value) => {
    expect(configProblems({ ...productionWithoutAudit, AUDIT_STORE: 'azure-table', AUDIT_TABLE_CONNECTION_STRING: value })).toBe('started');
  });
});

describe('team data in SQLite on Azure App Service', () => {
  it.each(['WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID'])('is refused in production when %s says the app runs there, naming the setting', (marker) => {
    expect(() => loadConfig({ ...productionSettings, STORE: 'sqlite', [marker]: 'patients-web' })).toThrow(
      /STORE: sqlite is not allowed on Azure App Service.*write-ahead log.*STORE=graph/,
    );
  });

  it('is allowed off App Service (a machine of its own), and the Graph store is allowed on it', () => {
    expect(loadConfig({ ...productionSettings, STORE: 'sqlite' }).STORE).toBe('sqlite');
    expect(loadConfig({ ...productionSettings, WEBSITE_SITE_NAME: 'patients-web' }).STORE).toBe('graph');
  });
});
