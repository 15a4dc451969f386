import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { installFailure } from '../../../server/platform/install-failure';

const root = mkdtempSync(join(tmpdir(), 'patients-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What loading a native module that is not one for this Node.js throws (here, not a library at all). */
function dlopenError(): unknown {
  const addon = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(addon, '..'), { recursive: true });
  writeFileSync(addon, 'built for another system');
  try {
    process.dlopen({ exports: {} }, addon);
  } catch (err) {
    return err;
  }
  throw new Error('dlopen loaded a text file');
}

it('names the native package that cannot be loaded and how to build it, without its path', () => {
  const line = installFailure(dlopenError());
  expect(line).toBe(
    'the server could not start: the native module of package better-sqlite3 cannot be loaded (built for another Node.js or system). Build it again with the Node.js that runs the app: npm ci, or npm run package:deploy for the web app',
  );
  expect(line).not.toContain(root);
});

it('names a missing package, and only a package: an import by path is "one of its own files"', async () => {
  const missing = (specifier: string) => import(/* @vite-ignore */ specifier).then(() => undefined, installFailure);
  expect(await missing('@patients-test/not-installed/sub')).toContain('(package @patients-test/not-installed cannot be found)');
  const ownFile = await missing(join(root, 'chunks', 'gone.js'));
  expect(ownFile).toContain('(one of its own files cannot be found)');
  expect(ownFile).not.toContain(root);
});

it('leaves every other error to the start', () => {
  expect(installFailure(new Error('Cannot find package'))).toBeUndefined();
  expect(installFailure('ERR_MODULE_NOT_FOUND')).toBeUndefined();
});
