import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../app-package/helpers.js';

/**
 * infra/azure.bicep read as text (the Bicep CLI is not installable here; the toolkit compiles the
 * file at provision). Each top-level declaration starts at column 0 and a resource's body ends at
 * the next `}` in column 0, which is how the file is written.
 */
const bicep = readFileSync(join(ROOT, 'infra/azure.bicep'), 'utf8');

interface Resource {
  symbol: string;
  type: string;
  apiVersion: string;
  body: string;
}

const resources: Resource[] = [...bicep.matchAll(/^resource (\w+) '([^'@]+)@([^']+)' = [^\n]*\{\n([\s\S]*?)\n\}/gm)].map(
  ([, symbol, type, apiVersion, body]) => ({ symbol, type, apiVersion, body }),
);
const resource = (type: string) => {
  const found = resources.filter((r) => r.type === type);
  expect(found, type).toHaveLength(1);
  return found[0];
};

/**
 * The newest generally available API version of each type in Microsoft's template reference
 * (learn.microsoft.com/azure/templates/<provider>/<type>) when checked on 2026-12-03. A type not
 * listed here fails the test, so a new resource type gets checked too. Application Insights
 * components have had no GA version since 2020-02-02; role assignments and definitions none since
 * 2022-04-01; management locks none since 2020-05-01.
 */
const newestGa: Record<string, string> = {
  'Microsoft.Web/serverfarms': '2024-11-01',
  'Microsoft.Web/sites': '2024-11-01',
  'Microsoft.Web/sites/config': '2024-11-01',
  'Microsoft.Web/sites/basicPublishingCredentialsPolicies': '2024-11-01',
  'Microsoft.KeyVault/vaults': '2025-05-01',
  'Microsoft.KeyVault/vaults/secrets': '2025-05-01',
  'Microsoft.Storage/storageAccounts': '2025-06-01',
  'Microsoft.Storage/storageAccounts/tableServices': '2025-06-01',
  'Microsoft.Storage/storageAccounts/tableServices/tables': '2025-06-01',
  'Microsoft.Insights/components': '2020-02-02',
  'Microsoft.OperationalInsights/workspaces': '2025-07-01',
  'Microsoft.ManagedIdentity/userAssignedIdentities': '2024-11-30',
  'Microsoft.Authorization/roleAssignments': '2022-04-01',
  'Microsoft.Authorization/roleDefinitions': '2022-04-01',
  'Microsoft.Authorization/locks': '2020-05-01',
  'Microsoft.Insights/diagnosticSettings': '2021-05-01-preview',
};

/**
 * Types whose current version in the template reference is a preview: diagnostic settings have had
 * no GA version since 2016-09-01, which names its one setting 'service' and predates the log
 * categories of storage sub-services (learn.microsoft.com/azure/templates/microsoft.insights/diagnosticsettings).
 */
const previewOnly = new Set(['Microsoft.Insights/diagnosticSettings']);

/** `KEY: value` lines of the web app's application settings. */
const appSettings = (() => {
  const body = resource('Microsoft.Web/sites/config').body;
  const properties = /\n {2}properties: \{\n([\s\S]*?)\n {2}\}/.exec(body)![1];
  return new Map([...properties.matchAll(/^ {4}([A-Z][A-Z0-9_]*): (.+)$/gm)].map(([, key, value]) => [key, value.trim()]));
})();

/** Parameters marked @secure(): their values must reach Key Vault and nothing else. */
const secureParams = [...bicep.matchAll(/@secure\(\)\n(?:@[^\n]*\n)*param (\w+) /g)].map(([, name]) => name);

/** Settings that carry a credential (EHR_CLIENT_SECRET_NAME names one, it holds none). */
const isSecretSetting = (key: string) => (/SECRET|PASSWORD|CONNECTION_STRING|_KEYS?$/.test(key) && !key.endsWith('_NAME')) || key === 'EHR_PARTNERS';

describe('infra/azure.bicep', () => {
  it('provisions plan, web app, managed identity, Key Vault, storage with a table, workspace-based Application Insights and role assignments', () => {
    const types = new Set(resources.map((r) => r.type));
    expect([...types].sort()).toEqual(Object.keys(newestGa).sort());
    expect(resource('Microsoft.Insights/components').body).toMatch(/WorkspaceResourceId: workspace\.id/);
  });

  it('uses the newest generally available API version of every resource type', () => {
    for (const r of resources) {
      if (!previewOnly.has(r.type)) expect(r.apiVersion, `${r.type} (${r.symbol})`).not.toMatch(/preview/);
      expect(newestGa[r.type], `${r.type} has no checked version`).toBeDefined();
      expect(r.apiVersion >= newestGa[r.type], `${r.type}@${r.apiVersion} is older than ${newestGa[r.type]}`).toBe(true);
    }
  });

  it('runs the built server on a Node LTS that App Service supports', () => {
    const param = /@allowed\(\[([^\]]*)\]\)\n(?:@[^\n]*\n)*param linuxFxVersion string = '([^']+)'/.exec(bicep);
    expect(param).not.toBeNull();
    const allowed = param![1].match(/'[^']+'/g)!.map((v) => v.slice(1, -1));
    expect(allowed.every((v) => ['NODE|22-lts', 'NODE|24-lts'].includes(v))).toBe(true);
    expect(allowed).toContain(param![2]);
    expect(resource('Microsoft.Web/sites').body).toMatch(/appCommandLine: 'node dist\/server\/index\.js'/);
  });

  it('locks the web app down and checks its readiness', () => {
    const site = resource('Microsoft.Web/sites').body;
    for (const line of [
      /httpsOnly: true/,
      /minTlsVersion: '1\.2'/,
      /ftpsState: 'Disabled'/,
      /alwaysOn: true/,
      /healthCheckPath: '\/api\/ready'/,
      /type: 'UserAssigned'/,
      /keyVaultReferenceIdentity: identity\.id/,
    ]) {
      expect(site).toMatch(line);
    }
    // Deployment takes a Microsoft Entra token: basic authentication is refused on the SCM site and FTP.
    const basicAuth = resources.filter((r) => r.type === 'Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(basicAuth.map((r) => /name: '(\w+)'/.exec(r.body)?.[1]).sort()).toEqual(['ftp', 'scm']);
    for (const policy of basicAuth) {
      expect(policy.body).toMatch(/parent: webApp\n/);
      expect(policy.body).toMatch(/allow: false/);
    }
    expect(appSettings.get('WEBSITE_RUN_FROM_PACKAGE')).toBe("'1'");
    expect(appSettings.get('AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
  });

  it('keeps the secrets in a Key Vault with RBAC authorization, soft delete and purge protection', () => {
    const vault = resource('Microsoft.KeyVault/vaults').body;
    expect(vault).toMatch(/enableRbacAuthorization: true/);
    expect(vault).toMatch(/enableSoftDelete: true/);
    expect(vault).toMatch(/enablePurgeProtection: true/);
    expect(vault).not.toMatch(/accessPolicies/);
  });

  it('gives every secret setting as a Key Vault reference to a secret the template writes', () => {
    const kvRef = /^func kvRef\(vaultUri string, secretName string\) string => '(.+)'$/m.exec(bicep);
    expect(kvRef?.[1]).toBe('@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName})');
    const vars = new Map([...bicep.matchAll(/^var (\w+) = '([^']*)'$/gm)].map(([, name, value]) => [name, `'${value}'`]));
    // Each secret resource's name: a literal, or a variable holding one.
    const secretNames = new Map(
      resources
        .filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets')
        .map((r) => {
          const raw = /\n {2}name: (.+)/.exec(r.body)![1].trim();
          return [r.symbol, vars.get(raw) ?? raw] as const;
        }),
    );
    const secretSettings = [...appSettings.keys()].filter(isSecretSetting);
    expect(secretSettings.sort()).toEqual([
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'EHR_CLIENT_SECRETS',
      'SECRET_AAD_APP_CLIENT_SECRET',
      'STORE_SEAL_KEYS',
    ]);
    for (const key of secretSettings) {
      const ref = /^kvRef\(keyVault\.properties\.vaultUri, (\w+)(\.name)?\)$/.exec(appSettings.get(key)!);
      expect(ref, key).not.toBeNull();
      // A secret resource's name, or a variable holding the name of one.
      const name = ref![2] ? secretNames.get(ref![1]) : vars.get(ref![1]);
      expect([...secretNames.values()], key).toContain(name);
    }
  });

  it('lets no @secure() parameter flow anywhere but into a Key Vault secret', () => {
    expect(secureParams.sort()).toEqual(['aadAppClientSecret', 'ehrClientSecrets', 'storeSealKey']);
    for (const name of secureParams) {
      const uses = bicep.split('\n').filter((line) => new RegExp(`\\b${name}\\b`).test(line) && !line.startsWith('param '));
      expect(uses.length, name).toBeGreaterThan(0);
      for (const line of uses)
        expect(line, name).toMatch(
          new RegExp(`^(\\s+value: ${name}|resource \\w+ 'Microsoft\\.KeyVault/vaults/secrets@[^']+' = if \\(!empty\\(${name}\\)\\) \\{)$`),
        );
      const holders = resources.filter((r) => new RegExp(`\\b${name}\\b`).test(r.body));
      expect(holders.map((r) => r.type)).toEqual(['Microsoft.KeyVault/vaults/secrets']);
    }
    for (const [key, value] of appSettings) for (const name of secureParams) expect(value, key).not.toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('outputs no secret', () => {
    const outputs = [...bicep.matchAll(/^output (\w+) (\w+) = (.+)$/gm)];
    expect(outputs.map(([, name]) => name)).toEqual(['AZURE_APP_SERVICE_RESOURCE_ID', 'TAB_DOMAIN', 'TAB_ENDPOINT']);
    for (const [line, , , value] of outputs) {
      expect(value, line).not.toMatch(/listKeys|listSecrets|ConnectionString|InstrumentationKey|\.properties\.value/);
      for (const name of secureParams) expect(value, line).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  const assignments = () => resources.filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
  const scopeOf = (r: Resource) => /\n {2}scope: (\w+)\n/.exec(r.body)![1];

  it("grants the app's identity Key Vault Secrets User on the vault and table data access on each table alone", () => {
    const builtIn = (r: Resource) => {
      const variable = /roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', (\w+)\)/.exec(r.body)?.[1];
      return variable && new RegExp(`^var ${variable} = '([0-9a-f-]+)'$`, 'm').exec(bicep)![1];
    };
    // Built-in role ids: learn.microsoft.com/azure/role-based-access-control/built-in-roles
    const byScope = new Map(assignments().map((r) => [scopeOf(r), r]));
    expect([...byScope.keys()].sort()).toEqual(['auditTable', 'heldItemsTable', 'keyVault']);
    expect(builtIn(byScope.get('keyVault')!)).toBe('4633458b-17de-408a-b874-0445c86b69e6'); // Key Vault Secrets User
    expect(builtIn(byScope.get('heldItemsTable')!)).toBe('0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'); // Storage Table Data Contributor
    expect(byScope.get('auditTable')!.body).toMatch(
      /roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', auditAppendRole\.name\)\n/,
    );
    for (const { body } of byScope.values()) {
      expect(body).toMatch(/principalId: identity\.properties\.principalId/);
      expect(body).toMatch(/principalType: 'ServicePrincipal'/);
    }
  });

  it('lets the app only read the audit table and add records to it: no update, no delete, no table change', () => {
    const role = resource('Microsoft.Authorization/roleDefinitions').body;
    const listed = (key: string) =>
      [...(new RegExp(`\\n {8}${key}: \\[([^\\]]*)\\]`).exec(role)?.[1] ?? '').matchAll(/'([^']+)'/g)].map(([, a]) => a);
    expect(role).toMatch(/type: 'CustomRole'/);
    expect(role).toMatch(/assignableScopes: \[\n\s+resourceGroup\(\)\.id\n/);
    expect(listed('actions')).toEqual(['Microsoft.Storage/storageAccounts/tableServices/tables/read']);
    expect(listed('dataActions').sort()).toEqual([
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action',
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/read',
    ]);
    const permissions = /\n {4}permissions: \[([\s\S]*?)\n {4}\]/.exec(role)![1];
    expect(permissions).not.toMatch(/\*|delete|write|update/);
    // Nothing wider than a table holds a storage data role.
    for (const r of assignments()) expect(scopeOf(r), r.symbol).not.toBe('storage');
    const lock = resource('Microsoft.Authorization/locks').body;
    expect(lock).toMatch(/\n {2}scope: storage\n/);
    expect(lock).toMatch(/level: 'CanNotDelete'/);
    // The template creates both tables, so the app need not; held items never in the audit table.
    const tables = resources.filter((r) => r.type === 'Microsoft.Storage/storageAccounts/tableServices/tables');
    expect(tables.map((t) => /\n {2}name: (\w+)/.exec(t.body)![1]).sort()).toEqual(['auditTableName', 'heldItemsTableName']);
    expect(appSettings.get('HELD_ITEMS_TABLE_NAME')).toBe('heldItemsTableName');
  });

  it('sends the audit trail to the Azure table, reached with the managed identity only', () => {
    expect(appSettings.get('AUDIT_STORE')).toBe("'azure-table'");
    expect(appSettings.get('AUDIT_TABLE_ENDPOINT')).toBe('storage.properties.primaryEndpoints.table');
    expect(appSettings.get('AUDIT_TABLE_NAME')).toBe('auditTableName');
    expect(appSettings.has('AUDIT_TABLE_CONNECTION_STRING')).toBe(false);
    const storage = resource('Microsoft.Storage/storageAccounts').body;
    expect(storage).toMatch(/allowSharedKeyAccess: false/);
    expect(storage).toMatch(/minimumTlsVersion: 'TLS1_2'/);
  });

  it('reads the EHR secret from Key Vault at run time too, so a rotation needs no restart', () => {
    expect(appSettings.get('KEY_VAULT_URL')).toBe('keyVault.properties.vaultUri');
    expect(appSettings.get('EHR_CLIENT_SECRET_NAME')).toBe('ehrSecretName');
    expect(appSettings.get('EHR_CLIENT_SECRETS')).toBe('kvRef(keyVault.properties.vaultUri, ehrSecretName)');
  });

  it("keeps the Graph store's seal key in Key Vault, read at start and at run time, written only when given", () => {
    expect(appSettings.get('STORE_SEAL_KEYS')).toBe('kvRef(keyVault.properties.vaultUri, storeSealSecretName)');
    expect(appSettings.get('STORE_SEAL_KEY_NAME')).toBe('storeSealSecretName');
    expect(bicep).toMatch(/^var storeSealSecretName = 'store-seal-key'$/m);
    expect(secureParams).toContain('storeSealKey');
    // A provision without the parameter leaves the vault's keys alone: rows sealed with them stay verifiable.
    expect(bicep).toMatch(/^resource storeSealKeySecret 'Microsoft\.KeyVault\/vaults\/secrets@[^']+' = if \(!empty\(storeSealKey\)\) \{$/m);
    expect(resource('Microsoft.Web/sites/config').body).toMatch(/^\s+storeSealKeySecret$/m);
  });

  it('logs writes and deletes of the audit table and reads of the vault to the workspace, kept as long as the retention policy asks', () => {
    const settings = resources.filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
    const of = (scope: string) => settings.find((r) => new RegExp(`\\n  scope: ${scope}\\n`).test(r.body))?.body ?? '';
    const categories = (body: string) => [...body.matchAll(/category: '(\w+)'\n\s*enabled: true/g)].map(([, c]) => c).sort();
    expect(categories(of('tableService'))).toEqual(['StorageDelete', 'StorageWrite']);
    expect(categories(of('keyVault'))).toEqual(['AuditEvent']);
    for (const body of [of('tableService'), of('keyVault')]) expect(body).toMatch(/workspaceId: workspace\.id/);
    expect(resource('Microsoft.OperationalInsights/workspaces').body).toMatch(/retentionInDays: logRetentionDays/);
    expect(bicep).toMatch(/@minValue\(30\)\n@maxValue\(730\)\n@description\([^\n]*audit-retention[^\n]*\)\nparam logRetentionDays int = 365/);
  });
});
