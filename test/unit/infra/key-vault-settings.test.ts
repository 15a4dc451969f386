import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { configProblems } from '../../helpers/production-settings';

/** Production settings as infra/azure.bicep gives them, with the Key Vault references resolved. */
const production = {
  APP_MODE: 'production',
  AAD_APP_CLIENT_ID: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b',
  SECRET_AAD_APP_CLIENT_SECRET: 'resolved-aad-secret',
  TAB_DOMAIN: 'patients.example.org',
  EHR_CLIENT_ID: 'app',
  EHR_CLIENT_SECRETS: 'resolved-ehr-secret',
  EHR_TOKEN_ENDPOINT: 'https://partner.example.org/oauth/token',
  EHR_FHIR_ORIGINS: 'https://fhir.partner.example.org',
  KEY_VAULT_URL: 'https://kvpatients.vault.azure.net/',
  AUDIT_STORE: 'azure-table',
  AUDIT_TABLE_ENDPOINT: 'https://stpatients.table.core.windows.net/',
  STORE_SEAL_KEYS: Buffer.alloc(32, 9).toString('base64'),
};

describe('Key Vault settings', () => {
  it('reads the EHR client secret from the vault under its default name when KEY_VAULT_URL is set', () => {
    const config = loadConfig(production);
    expect(config.ehrPartners).toEqual([expect.objectContaining({ clientId: 'app', clientSecretName: 'ehr-client-secret' })]);
    expect(config.KEY_VAULT_REFRESH_SECONDS).toBe(60);
    expect(loadConfig({ ...production, KEY_VAULT_URL: '' }).ehrPartners[0].clientSecretName).toBeUndefined();
  });

  it('stops the start on a Key Vault reference App Service could not resolve, naming the setting only', () => {
    const unresolved = '@Microsoft.KeyVault(SecretUri=https://kvpatients.vault.azure.net/secrets/aad-app-client-secret)';
    const problems = configProblems({ ...production, SECRET_AAD_APP_CLIENT_SECRET: unresolved, EHR_CLIENT_SECRETS: unresolved });
    expect(problems).toMatch(/SECRET_AAD_APP_CLIENT_SECRET: App Service could not resolve its Key Vault reference/);
    expect(problems).toMatch(/EHR_CLIENT_SECRETS: App Service could not resolve its Key Vault reference/);
  });

  it('refuses a vault over plain http, a bad secret name, and a partner secret name without a vault', () => {
    expect(configProblems({ ...production, KEY_VAULT_URL: 'http://kvpatients.vault.azure.net/' })).toMatch(/KEY_VAULT_URL: must be an https address/);
    expect(configProblems({ ...production, EHR_CLIENT_SECRET_NAME: 'ehr_secret!' })).toMatch(
      /EHR_CLIENT_SECRET_NAME: must be a Key Vault secret name/,
    );
    const partners = JSON.stringify([
      {
        tokenEndpoint: 'https://other.example.org/token',
        clientId: 'b',
        clientSecrets: ['x'],
        fhirOrigins: ['https://other.example.org'],
        clientSecretName: 'other-secret',
      },
    ]);
    expect(configProblems({ ...production, KEY_VAULT_URL: '', EHR_PARTNERS: partners })).toMatch(
      /EHR_PARTNERS entry 1 \(client b\): clientSecretName needs KEY_VAULT_URL/,
    );
    expect(loadConfig({ ...production, EHR_PARTNERS: partners }).ehrPartners.map((p) => p.clientSecretName)).toEqual([
      'ehr-client-secret',
      'other-secret',
    ]);
  });
});
