import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { afterEach, expect, it } from 'vitest';
import { buildAppPackage } from '../../../scripts/app-package/build.js';
import { validateAgainstBundledSchema } from '../../../scripts/app-package/schemas.js';

/**
 * Teams admin center offers an installed app's update only when the manifest's version rises: the
 * package's manifest carries the app's version, package.json's, so each release's is higher.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scratches: string[] = [];
afterEach(() => {
  for (const dir of scratches.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** appPackage/ and env/ of the project, and a package.json of `version` when one is given. */
function project(version?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'patients-manifest-version-'));
  scratches.push(root);
  cpSync(join(ROOT, 'appPackage'), join(root, 'appPackage'), {
    recursive: true,
    filter: (src) => !src.startsWith(join(ROOT, 'appPackage', 'build')),
  });
  cpSync(join(ROOT, 'env'), join(root, 'env'), { recursive: true, filter: (src) => !src.endsWith('.user') });
  if (version) writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'patients', version }));
  return root;
}

async function builtManifest(root: string): Promise<Record<string, unknown>> {
  const { zipPath } = await buildAppPackage({ root, env: 'test' });
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  return JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown>;
}

it("the built manifest's version is this project's package.json version", async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  // A copy without its own package.json packages the project's.
  expect((await builtManifest(project())).version).toBe(version);
});

it('rises with package.json from one release to the next, and stays a valid manifest', async () => {
  const first = await builtManifest(project('1.4.0'));
  const next = await builtManifest(project('1.5.2'));
  expect([first.version, next.version]).toEqual(['1.4.0', '1.5.2']);
  expect(validateAgainstBundledSchema(next)).toEqual([]);
  // Only the version follows package.json: everything else is the template's.
  expect({ ...next, version: first.version }).toEqual(first);
});

it.each(['1.0', '1.0.0-beta.1', '01.2.3', 'one'])('refuses package.json version %s, which Teams could not order', async (version) => {
  await expect(buildAppPackage({ root: project(version), env: 'test' })).rejects.toThrow(
    `package.json version "${version}" must be three numbers, MAJOR.MINOR.PATCH`,
  );
});

it("warns when package.json's version is below the template's, which Teams would not offer as an update", async () => {
  const template = JSON.parse(readFileSync(join(ROOT, 'appPackage', 'manifest.json'), 'utf8')) as { version: string };
  const root = project('1.0.0');
  writeFileSync(
    join(root, 'appPackage', 'manifest.json'),
    readFileSync(join(root, 'appPackage', 'manifest.json'), 'utf8').replace(`"version": "${template.version}"`, '"version": "3.0.0"'),
  );
  const result = await buildAppPackage({ root, env: 'test' });
  expect(result.manifest.version).toBe('1.0.0');
  expect(result.warnings).toEqual([expect.stringContaining("package.json version 1.0.0 is lower than appPackage/manifest.json's 3.0.0")]);
  expect((await buildAppPackage({ root: project('3.0.1'), env: 'test' })).warnings).toEqual([]);
});

it("the template's version is package.json's, so the Agents Toolkit's own zip (m365agents.yml) carries the release's version too", () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const template = JSON.parse(readFileSync(join(ROOT, 'appPackage', 'manifest.json'), 'utf8')) as { version: string };
  expect(template.version).toBe(version);
});
