import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';

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
    for (const name of ['AAD_APP_CLIENT_ID', 'SECRET_AAD_APP_CLIENT_SECRET', 'TAB_DOMAIN', 'EHR_CLIENT_ID', 'EHR_CLIENT_SECRETS']) expect(problems).toContain(name);
  });

  it('defaults production to the Graph store on all interfaces, and refuses Graph in dev mode', () => {
    const production = loadConfig({
      APP_MODE: 'production', AAD_APP_CLIENT_ID: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b', SECRET_AAD_APP_CLIENT_SECRET: 's', TAB_DOMAIN: 'patients.example.org',
      EHR_CLIENT_ID: 'app', EHR_CLIENT_SECRETS: 'one, two', AAD_ALLOWED_TENANTS: '7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01',
    });
    expect(production).toMatchObject({ STORE: 'graph', host: '0.0.0.0', EHR_CLIENT_SECRETS: ['one', 'two'], AAD_ALLOWED_TENANTS: ['7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01'] });
    expect(() => loadConfig({ STORE: 'graph' })).toThrow('production');
    expect(() => loadConfig({ EHR_CLIENT_ID: 'only-the-id' })).toThrow('set together');
  });

  it('verifies Azure AD tokens in dev mode only when asked, and never dev tokens in production', () => {
    expect(loadConfig({}).SSO).toBe('dev');
    const devWithAzureAd = loadConfig({ SSO: 'azure-ad', AAD_APP_CLIENT_ID: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b', TAB_DOMAIN: 'patients.example.org' });
    expect(devWithAzureAd).toMatchObject({ APP_MODE: 'dev', SSO: 'azure-ad', STORE: 'sqlite', host: '127.0.0.1' });
    expect(() => loadConfig({ SSO: 'azure-ad' })).toThrow(/AAD_APP_CLIENT_ID: required with SSO=azure-ad[\s\S]*TAB_DOMAIN/);
    expect(() => loadConfig({ APP_MODE: 'production', SSO: 'dev' })).toThrow('SSO: dev tokens are for dev mode only');
  });
});
