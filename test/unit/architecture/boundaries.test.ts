import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The import rules between rooms, as `npm run lint` applies them (eslint.config.js), on a snippet
// placed in one room that imports a real file of another: what the architecture forbids is
// reported, what it allows is not.
const root = fileURLToPath(new URL('../../../', import.meta.url));
let eslint: ESLint;
beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  // ESLint reads its configuration and plugins on its first file: seconds on a busy machine, paid here rather than by the first case.
  await eslint.lintText('export {};\n', { filePath: 'server/app.ts' });
}, 60_000);

/** A source file at `target` (a file, or the first one found in a folder), so that files moving inside a room do not break the test. */
function realFile(target: string): string {
  const full = path.join(root, target);
  if (!existsSync(full)) throw new Error(`${target} does not exist`);
  if (statSync(full).isFile()) return target;
  const walk = (dir: string): string | undefined => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => Number(a.isDirectory()) - Number(b.isDirectory()));
    for (const entry of entries) {
      const found = entry.isDirectory() ? walk(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? path.join(dir, entry.name) : undefined;
      if (found) return found;
    }
  };
  const found = walk(full);
  if (!found) throw new Error(`no source file in ${target}`);
  return path.relative(root, found);
}

async function boundaryErrors(from: string, target: string): Promise<string[]> {
  let specifier = path.posix.relative(path.posix.dirname(from), realFile(target).split(path.sep).join('/')).replace(/\.tsx?$/, '.js');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return importErrors(from, specifier);
}

/** ESLint resolves each target with TypeScript's resolver: seconds for a first one on a busy machine. */
const LINT_TIMEOUT_MS = 30_000;

async function importErrors(from: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as imported from '${specifier}';\nexport { imported };\n`, { filePath: from });
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('import rules between rooms', () => {
  it.each([
    ['a server feature imports another feature', 'server/features/lists/x.ts', 'server/features/notes', 'feature'],
    ['a server feature imports a SQLite adapter', 'server/features/lists/x.ts', 'server/storage/sqlite/sqlite-store.ts', 'storage-sqlite'],
    ['a server feature imports the SharePoint adapter', 'server/features/notes/x.ts', 'server/storage/sharepoint', 'storage-sharepoint'],
    ['a server feature imports storage beyond its ports', 'server/features/lists/x.ts', 'server/storage/store-audit.ts', 'storage'],
    ['a server feature imports the sandbox', 'server/features/patients/x.ts', 'server/sandbox/index.ts', 'sandbox'],
    ['the shared route plumbing imports a feature', 'server/features/shared/x.ts', 'server/features/lists', 'feature'],
    ['the platform imports the EHR client', 'server/platform/x.ts', 'server/ehr/types.ts', 'ehr'],
    ['the platform imports identity', 'server/platform/graph/x.ts', 'server/identity', 'identity'],
    ['the EHR client imports storage', 'server/ehr/x.ts', 'server/storage/ports.ts', 'storage'],
    ['the SQLite adapter imports the SharePoint adapter', 'server/storage/sqlite/x.ts', 'server/storage/sharepoint', 'storage-sharepoint'],
    ['storage imports a feature', 'server/storage/sharepoint/x.ts', 'server/features/lists', 'feature'],
    ['identity imports a feature', 'server/identity/x.ts', 'server/features/teams', 'feature'],
    ['the dev routes import storage', 'server/dev/x.ts', 'server/storage/ports.ts', 'storage'],
    ['the app imports the sandbox (only start.ts may)', 'server/app.ts', 'server/sandbox/index.ts', 'sandbox'],
    ['the sandbox imports the EHR client', 'server/sandbox/x.ts', 'server/ehr/types.ts', 'ehr'],
    ['the contract imports the server', 'contract/x.ts', 'server/platform/problem.ts', 'platform'],
    ['server code imports a test helper', 'server/platform/x.ts', 'test/helpers/test-server.ts', 'tests'],
    ['a client feature imports another feature', 'client/features/lists/X.tsx', 'client/features/audit', 'client-feature'],
    ['a client feature imports the app', 'client/features/lists/X.tsx', 'client/app', 'client-app'],
    ['client shared code imports a feature', 'client/shared/x.ts', 'client/features/teams', 'client-feature'],
    ['client code imports server code', 'client/shared/x.ts', 'server/platform/problem.ts', 'platform'],
    ['server code imports client code', 'server/features/lists/x.ts', 'client/shared', 'client-shared'],
  ])(
    'refuses: %s',
    async (_story, from, target, type) => {
      expect(await boundaryErrors(from, target)).toEqual([expect.stringContaining(`to elements of type "${type}"`)]);
    },
    // Resolving a target the first time reads its imports (a test helper's are many): slow on a busy machine.
    LINT_TIMEOUT_MS,
  );

  it.each([
    ['a server feature imports its own files', 'server/features/lists/x.ts', 'server/features/lists'],
    ['a server feature imports the store ports', 'server/features/lists/x.ts', 'server/storage/ports.ts'],
    ['a server feature imports the route plumbing', 'server/features/lists/x.ts', 'server/features/shared'],
    ['a server feature imports the EHR client', 'server/features/patients/x.ts', 'server/ehr/index.ts'],
    ['a server feature imports identity and the contract', 'server/features/teams/x.ts', 'server/identity'],
    ['the EHR client imports the platform', 'server/ehr/x.ts', 'server/platform/problem.ts'],
    ['the SQLite adapter imports the store ports', 'server/storage/sqlite/x.ts', 'server/storage/ports.ts'],
    ['the sandbox imports the contract', 'server/sandbox/x.ts', 'contract'],
    ['start.ts imports the sandbox', 'server/start.ts', 'server/sandbox/index.ts'],
    ['the app imports a storage adapter', 'server/app.ts', 'server/storage/sqlite/sqlite-store.ts'],
    ['a client feature imports its own files', 'client/features/lists/X.tsx', 'client/features/lists'],
    ['a client feature imports shared code', 'client/features/lists/X.tsx', 'client/shared'],
    ['the client app imports a feature', 'client/app/X.tsx', 'client/features/lists'],
    ['a test imports a storage adapter', 'test/unit/x.test.ts', 'server/storage/sqlite/sqlite-store.ts'],
  ])(
    'allows: %s',
    async (_story, from, target) => {
      expect(await boundaryErrors(from, target)).toEqual([]);
    },
    LINT_TIMEOUT_MS,
  );

  it.each([
    ['the contract imports a package other than zod', 'contract/x.ts', 'express', false],
    ['the contract imports a Node built-in', 'contract/x.ts', 'node:fs', false],
    ['the tab imports a Node built-in', 'client/shared/x.ts', 'node:path', false],
    ['the contract imports zod', 'contract/x.ts', 'zod', true],
    ['the tab imports a package', 'client/features/lists/X.tsx', 'react', true],
    ['the platform imports packages and Node built-ins', 'server/platform/x.ts', 'node:async_hooks', true],
  ])('packages: %s', async (_story, from, specifier, allowed) => {
    expect(await importErrors(from, specifier)).toEqual(allowed ? [] : [expect.stringContaining(`module source "${specifier}"`)]);
  });
});
