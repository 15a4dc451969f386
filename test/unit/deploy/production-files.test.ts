import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { productionFiles } from '../../../scripts/deploy/production-files';

type Import = Metafile['outputs'][string]['imports'][number];
const output = (inputs: string[], imports: Import[] = []) => ({
  bytes: 100,
  inputs: Object.fromEntries(inputs.map((input) => [input, { bytesInOutput: 10 }])),
  imports,
  exports: [],
});
const meta = (outputs: Record<string, ReturnType<typeof output>>) => ({ inputs: {}, outputs }) as Metafile;

describe('the server files a production deploy needs', () => {
  it('are the start and what it imports or loads later, without the chunks only dev mode loads', () => {
    const files = productionFiles(
      meta({
        'dist/server/index.js': output(
          ['server/index.ts', 'server/start.ts'],
          [
            { path: 'dist/server/chunks/shared.js', kind: 'import-statement' },
            { path: 'dist/server/chunks/telemetry.js', kind: 'dynamic-import' },
            { path: 'dist/server/chunks/sandbox.js', kind: 'dynamic-import' },
            { path: 'dist/server/chunks/dev-identity.js', kind: 'dynamic-import' },
            { path: 'express', kind: 'import-statement', external: true },
          ],
        ),
        'dist/server/chunks/shared.js': output(['server/platform/problem.ts']),
        'dist/server/chunks/telemetry.js': output(['server/platform/telemetry.ts']),
        'dist/server/chunks/sandbox.js': output(['server/sandbox/index.ts'], [{ path: '@medplum/core', kind: 'import-statement', external: true }]),
        'dist/server/chunks/dev-identity.js': output(['server/identity/dev-identity.ts']),
      }),
      'dist/server/index.js',
    );
    expect(files.sort()).toEqual(['dist/server/chunks/shared.js', 'dist/server/chunks/telemetry.js', 'dist/server/index.js']);
  });

  it('refuse a start that would load dev-only code or packages without a dev-mode import', () => {
    const bundledSandbox = meta({ 'dist/server/index.js': output(['server/index.ts', 'server/sandbox/router.ts']) });
    expect(() => productionFiles(bundledSandbox, 'dist/server/index.js')).toThrow(/holds dev-only code: server\/sandbox\/router\.ts/);

    const staticDevChunk = meta({
      'dist/server/index.js': output(['server/index.ts'], [{ path: 'dist/server/chunks/dev.js', kind: 'import-statement' }]),
      'dist/server/chunks/dev.js': output(['server/dev/dev-routes.ts']),
    });
    expect(() => productionFiles(staticDevChunk, 'dist/server/index.js')).toThrow(/dev-only code: server\/dev\/dev-routes\.ts/);

    const medplum = meta({
      'dist/server/index.js': output(['server/index.ts'], [{ path: '@medplum/core', kind: 'import-statement', external: true }]),
    });
    expect(() => productionFiles(medplum, 'dist/server/index.js')).toThrow(/dev-only package @medplum\/core/);
  });
});
