import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { DataDirError, startServer } from '../../../server/start';
import { productionSettings } from '../../helpers/production-settings';

const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('settings an admin can get wrong, refused at start naming the setting', () => {
  it('takes TAB_DOMAIN as a host name only: a web address would make an audience no token carries', () => {
    for (const tabDomain of ['https://patients.contoso.org/', 'patients.contoso.org/tab', 'http://localhost:3978', 'patients contoso.org']) {
      const message = refusal({ ...productionSettings, TAB_DOMAIN: tabDomain });
      expect(message, tabDomain).toMatch(/TAB_DOMAIN: must be the host name the tab is served from/);
      expect(message, tabDomain).not.toContain(tabDomain);
    }
    for (const tabDomain of ['patients.contoso.org', 'patients-prod.azurewebsites.net', 'abc123-3978.euw.devtunnels.ms', 'localhost:53000'])
      expect(refusal({ ...productionSettings, TAB_DOMAIN: tabDomain }), tabDomain).toBeUndefined();
  });

  it('says DATA_DIR cannot hold the SQLite files, without a stack trace, when it names a file rather than a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patients-datadir-'));
    try {
      const file = join(dir, 'not-a-folder');
      writeFileSync(file, 'x');
      const started = startServer({ PORT: '0', DATA_DIR: join(file, 'data'), SANDBOX_PATIENTS: '1', STATIC_DIR: join(dir, 'none') });
      const error = await started.then(
        async (server) => {
          await server.close();
          return undefined;
        },
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(DataDirError);
      expect((error as Error).message).toMatch(/^DATA_DIR cannot hold the app's SQLite files \(ENOTDIR\): set DATA_DIR to a folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
