import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';
import { productionSettings } from '../../helpers/production-settings';

const production = productionSettings;
const accountKey = 'AccountKey=c2VjcmV0LWtleS1vZi10aGUtYWNjb3VudA==';

function startError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('audit trail settings', () => {
  it('keep the audit trail in SQLite unless told otherwise in dev mode; production names the table', () => {
    expect(loadConfig({})).toMatchObject({ AUDIT_STORE: 'sqlite', AUDIT_TABLE_NAME: 'PatientsAudit' });
    expect(loadConfig(production)).toMatchObject({ AUDIT_STORE: 'azure-table', AUDIT_TABLE_NAME: 'PatientsAudit' });
  });

  it('take Azure Table Storage at an https endpoint (managed identity) or by connection string, with a table name', () => {
    const endpoint = 'https://patientsaudit.table.core.windows.net';
    expect(loadConfig({ ...production, AUDIT_STORE: 'azure-table', AUDIT_TABLE_ENDPOINT: endpoint })).toMatchObject({
      AUDIT_STORE: 'azure-table',
      AUDIT_TABLE_ENDPOINT: endpoint,
    });
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;${accountKey};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;`;
    expect(loadConfig({ AUDIT_STORE: 'azure-table', AUDIT_TABLE_CONNECTION_STRING: connectionString, AUDIT_TABLE_NAME: 'WardAudit' })).toMatchObject({
      AUDIT_TABLE_CONNECTION_STRING: connectionString,
      AUDIT_TABLE_NAME: 'WardAudit',
    });
  });

  it('stop the start when AUDIT_STORE=azure-table has no table to go to, listing it with everything else missing', () => {
    const message = startError({ APP_MODE: 'production', AUDIT_STORE: 'azure-table' });
    expect(message).toContain('AUDIT_TABLE_ENDPOINT: required with AUDIT_STORE=azure-table');
    expect(message).toContain('AAD_APP_CLIENT_ID');
    expect(message).toContain('EHR_CLIENT_ID');
  });

  it('refuse both table settings at once, plain http in production and a table name the service refuses, never echoing a key', () => {
    const both = startError({
      AUDIT_STORE: 'azure-table',
      AUDIT_TABLE_ENDPOINT: 'https://patientsaudit.table.core.windows.net',
      AUDIT_TABLE_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountName=patientsaudit;${accountKey}`,
    });
    expect(both).toContain('set one, not both');
    expect(both).not.toContain(accountKey);
    expect(startError({ ...production, AUDIT_STORE: 'azure-table', AUDIT_TABLE_ENDPOINT: 'http://patientsaudit.table.core.windows.net' })).toContain(
      'AUDIT_TABLE_ENDPOINT: must be an https address',
    );
    expect(startError({ AUDIT_TABLE_NAME: 'audit-trail' })).toContain('AUDIT_TABLE_NAME');
    expect(startError({ AUDIT_STORE: 'blob' })).toContain('AUDIT_STORE');
  });
});
