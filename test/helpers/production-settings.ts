import { ConfigError, loadConfig } from '../../server/config';

/** A seal key for the Graph store in tests (32 bytes, base64): a test value, never a deployment's. */
export const testSealKey = Buffer.alloc(32, 7).toString('base64');

/** The Graph store's seal keys in tests (row-seal.ts). */
export const testSealKeys = { current: () => [testSealKey] };

/**
 * The least a production start needs (APP_MODE=production): the app's Entra registration, one EHR
 * partner, the shared audit table (never SQLite in production), all https, and the key that seals
 * the Graph store's rows (production's default store).
 */
export const productionSettings: Record<string, string> = {
  APP_MODE: 'production',
  AAD_APP_CLIENT_ID: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b',
  SECRET_AAD_APP_CLIENT_SECRET: 's',
  TAB_DOMAIN: 'patients.example.org',
  EHR_CLIENT_ID: 'app',
  EHR_CLIENT_SECRETS: 'one',
  EHR_TOKEN_ENDPOINT: 'https://partner.example.org/oauth/token',
  EHR_FHIR_ORIGINS: 'https://fhir.example.org/r4',
  AUDIT_STORE: 'azure-table',
  AUDIT_TABLE_ENDPOINT: 'https://patientsaudit.table.core.windows.net',
  STORE_SEAL_KEYS: testSealKey,
};

/** What loadConfig says of `env`: its ConfigError's message (every refused setting), or 'started'. */
export function configProblems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return 'started';
}
