import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { configProblems, productionSettings } from '../../helpers/production-settings';

/** The lines start refuses `env` with, without the heading. */
const lines = (env: Record<string, string>) =>
  configProblems({ ...productionSettings, ...env })
    .split('\n')
    .slice(1);

describe('a setting with a wrong value', () => {
  it('is refused in one line that says what is allowed: a whole number and its range', () => {
    expect(lines({ PORT: 'abc' })).toEqual(['  PORT: must be a whole number from 0 to 65535']);
    expect(lines({ PORT: '99999' })).toEqual(['  PORT: must be a whole number from 0 to 65535']);
    expect(lines({ KEY_VAULT_REFRESH_SECONDS: '1.5' })).toEqual(['  KEY_VAULT_REFRESH_SECONDS: must be a whole number from 1 to 86400']);
    expect(lines({ EHR_TIMEOUT_MS: '30s' })).toEqual(['  EHR_TIMEOUT_MS: must be a whole number from 100 to 120000']);
    expect(lines({ TRUST_PROXY_HOPS: 'yes' })).toEqual(['  TRUST_PROXY_HOPS: must be a whole number from 0 to 10']);
    expect(lines({ RATE_LIMIT_USER_PER_MINUTE: '0' })).toEqual(['  RATE_LIMIT_USER_PER_MINUTE: must be a whole number of 1 or more']);
  });

  it('never reads a PORT of spaces as 0, which would listen on any free port', () => {
    expect(lines({ PORT: '   ' })).toEqual(['  PORT: must be a whole number from 0 to 65535']);
    expect(loadConfig({ ...productionSettings, PORT: ' 8080 ' }).PORT).toBe(8080);
    expect(loadConfig(productionSettings).PORT).toBe(3978);
  });

  it('says which form an address takes, once, where zod would say "Invalid URL" (twice for the vault)', () => {
    expect(lines({ KEY_VAULT_URL: 'kvpatients' })).toEqual([
      '  KEY_VAULT_URL: must be an https address, such as https://kv-patients.vault.azure.net/',
    ]);
    expect(lines({ GRAPH_BASE_URL: 'graph' })).toEqual(['  GRAPH_BASE_URL: must be an http(s) address, such as https://graph.microsoft.com']);
    expect(lines({ EHR_TOKEN_ENDPOINT: 'partner.example.org/token' })).toEqual(['  EHR_TOKEN_ENDPOINT: must be an http(s) address']);
    expect(lines({ EHR_FHIR_ORIGINS: 'https://fhir.example.org,fhir2' })).toEqual(['  EHR_FHIR_ORIGINS item 2: must be an http(s) address']);
    expect(lines({ EHR_MRN_SYSTEM: 'MRN' })).toEqual([
      '  EHR_MRN_SYSTEM: must be an identifier system URI, such as urn:oid:2.16.840.1.113883.19.5 or https://hospital.contoso.org/mrn',
    ]);
    expect(loadConfig({ ...productionSettings, EHR_MRN_SYSTEM: 'urn:oid:2.16.840.1.113883.19.5' }).EHR_MRN_SYSTEM).toBe(
      'urn:oid:2.16.840.1.113883.19.5',
    );
  });
});

describe('a refused value beside other mistakes', () => {
  it('does not hide what the other settings break: one restart fixes them all', () => {
    expect(
      lines({ PORT: 'abc', SHUTDOWN_GRACE_MS: '30000', AUDIT_TABLE_ENDPOINT: 'http://patientsaudit.table.core.windows.net', AUDIT_STORE: 'sqlite' }),
    ).toEqual([
      '  PORT: must be a whole number from 0 to 65535',
      "  AUDIT_STORE: sqlite is not allowed in production mode; set AUDIT_STORE=azure-table (the audit trail is never a file on the web app's disk)",
      '  AUDIT_TABLE_ENDPOINT: must be an https address in production mode',
      '  SHUTDOWN_GRACE_MS: must be below 30000 in production mode (App Service kills the process 30 s after SIGTERM)',
    ]);
  });

  it('says nothing more of a refused setting than its own line', () => {
    // Read as unset, the refused EHR_FHIR_ORIGINS would also make "EHR_TOKEN_ENDPOINT and EHR_FHIR_ORIGINS must be set together".
    expect(lines({ EHR_FHIR_ORIGINS: 'fhir.example.org' })).toEqual(['  EHR_FHIR_ORIGINS item 1: must be an http(s) address']);
  });
});

describe('a folder setting', () => {
  it('drops the spaces around it, instead of making a folder named by a space under the working folder', () => {
    expect(loadConfig({ DATA_DIR: ' /var/lib/patients ' }).dataDir).toBe('/var/lib/patients');
    expect(lines({ DATA_DIR: '  ' })).toEqual(['  DATA_DIR: must be a folder path, such as /home/data']);
  });
});
