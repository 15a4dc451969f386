import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { sandboxVersions, type SandboxVersion } from '../../server/sandbox/versions';
import { cast, startTestServer, type TestServer } from './test-server';

/**
 * A test server whose sandbox EHR serves, in each FHIR version, the records `recordsOf` gives, as
 * a hospital's EHR would (one collection bundle per version, in a folder removed afterwards),
 * with the dev directory's cast of users. `server` and `who` are set once the suite has started.
 */
export function serveRecords(name: string, recordsOf: (version: SandboxVersion) => object[]) {
  const dir = mkdtempSync(join(tmpdir(), `patients-${name}-`));
  for (const version of sandboxVersions) {
    mkdirSync(join(dir, version), { recursive: true });
    const entry = recordsOf(version).map((resource) => ({ resource }));
    writeFileSync(join(dir, version, 'records.json'), JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry }));
  }
  const served = {} as { server: TestServer; who: ReturnType<typeof cast> };
  beforeAll(async () => {
    served.server = await startTestServer({ SANDBOX_FHIR_DATA: dir });
    served.who = cast(served.server.info);
  });
  afterAll(async () => {
    await served.server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return served;
}
