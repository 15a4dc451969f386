import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../scripts/app-package/args.js';
import { buildAppPackage, PackageError } from '../../../scripts/app-package/build.js';
import { parseEnvFile } from '../../../scripts/app-package/env-files.js';
import { fillJsonPlaceholders, findPlaceholders } from '../../../scripts/app-package/placeholders.js';
import { scratchProject } from './helpers.js';

let scratch: ReturnType<typeof scratchProject>;
afterEach(() => scratch?.cleanup());

/** Rewrites env/.env.test of the scratch project without the given keys. */
function dropEnv(root: string, ...keys: string[]) {
  const path = join(root, 'env', '.env.test');
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !keys.some((k) => l.startsWith(`${k}=`)));
  writeFileSync(path, kept.join('\n'));
}

describe('npm run package', () => {
  it('writes a zip with exactly the manifest, the two icons and the three localization files at the root', async () => {
    scratch = scratchProject();
    const result = await buildAppPackage({ root: scratch.root, env: 'test' });
    expect(result.zipPath).toBe(join(scratch.root, 'appPackage', 'build', 'appPackage.test.zip'));
    const zip = await JSZip.loadAsync(readFileSync(result.zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png', 'ru.json', 'zh-cn.json', 'zh-tw.json']);
    expect(Object.values(zip.files).some((f) => f.dir)).toBe(false);
    const icon = await zip.file('outline.png')!.async('nodebuffer');
    expect(icon.equals(readFileSync(join(scratch.root, 'appPackage', 'outline.png')))).toBe(true);
  });

  it('fails naming every placeholder without a value, and writes no zip', async () => {
    scratch = scratchProject();
    dropEnv(scratch.root, 'TAB_DOMAIN', 'AAD_APP_CLIENT_ID');
    writeFileSync(join(scratch.root, 'env', '.env.test'), `${readFileSync(join(scratch.root, 'env', '.env.test'), 'utf8')}\nTEAMS_APP_ID=\n`);
    const error = await buildAppPackage({ root: scratch.root, env: 'test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageError);
    const message = (error as PackageError).message;
    expect(message.split('\n')[0]).toBe(
      'Environment "test" has no value for 3 placeholder(s); set them in env/.env.test (or env/.env.test.user for secrets):',
    );
    expect(message).toContain('  - TAB_DOMAIN (used in manifest.json)');
    for (const name of ['TAB_DOMAIN', 'AAD_APP_CLIENT_ID', 'TEAMS_APP_ID']) expect(message).toContain(name);
    expect((error as PackageError).problems).toHaveLength(3);
    expect(message).not.toContain('DEVELOPER_NAME');
    expect(existsSync(join(scratch.root, 'appPackage', 'build', 'appPackage.test.zip'))).toBe(false);
    expect(existsSync(join(scratch.root, 'appPackage', 'build'))).toBe(false);
  });

  it('takes secrets and overrides from the git-ignored .user file', async () => {
    scratch = scratchProject();
    dropEnv(scratch.root, 'TAB_DOMAIN');
    writeFileSync(join(scratch.root, 'env', '.env.test.user'), 'TAB_DOMAIN=tab.example.net\n');
    const result = await buildAppPackage({ root: scratch.root, env: 'test' });
    expect(result.manifest.validDomains).toEqual(['tab.example.net']);
  });

  it('writes nothing when the filled manifest breaks the schema', async () => {
    scratch = scratchProject();
    writeFileSync(join(scratch.root, 'env', '.env.test.user'), 'TEAMS_APP_ID=not-a-guid\n');
    await expect(buildAppPackage({ root: scratch.root, env: 'test' })).rejects.toThrow(/manifest\.json: \/id/);
    expect(existsSync(join(scratch.root, 'appPackage', 'build'))).toBe(false);
  });

  it('refuses a TAB_DOMAIN written as a web address, which the schema and `atk validate` let through, and writes nothing', async () => {
    scratch = scratchProject();
    writeFileSync(join(scratch.root, 'env', '.env.test.user'), 'TAB_DOMAIN=https://patients.contoso.org/\n');
    const error = await buildAppPackage({ root: scratch.root, env: 'test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).problems).toEqual([
      'TAB_DOMAIN "https://patients.contoso.org/" (env/.env.test) must be the host name the tab is served from, such as patients.contoso.org (no https:// and no path): the tab\'s URLs, validDomains and webApplicationInfo.resource are built from it',
    ]);
    expect(existsSync(join(scratch.root, 'appPackage', 'build'))).toBe(false);
  });

  it('takes a tunnel host name with its port as TAB_DOMAIN', async () => {
    scratch = scratchProject();
    writeFileSync(join(scratch.root, 'env', '.env.test.user'), 'TAB_DOMAIN=abc123-3978.euw.devtunnels.ms:443\n');
    const result = await buildAppPackage({ root: scratch.root, env: 'test' });
    expect(result.manifest.validDomains).toEqual(['abc123-3978.euw.devtunnels.ms:443']);
  });

  it('names a missing environment file', async () => {
    scratch = scratchProject();
    await expect(buildAppPackage({ root: scratch.root, env: 'nope' })).rejects.toThrow('env/.env.nope not found');
  });
});

describe('building blocks', () => {
  it('parses env files like the toolkit writes them', () => {
    expect(parseEnvFile('# c\nA=1\nB="two words"\nC=\n  D = x # note\nbad line\n')).toEqual({ A: '1', B: 'two words', C: '', D: 'x' });
  });

  it('finds and fills placeholders, escaping values for JSON strings', () => {
    const text = '{"a":"${{X}}/${{ Y }}","b":"${{X}}","c":"${{Z}}"}';
    expect(findPlaceholders(text)).toEqual(['X', 'Y', 'Z']);
    const { text: filled, missing } = fillJsonPlaceholders(text, { X: 'q"uote', Y: '', Z: undefined });
    expect(missing).toEqual(['Y', 'Z']);
    expect(JSON.parse(filled).b).toBe('q"uote');
  });

  it('reads --env', () => {
    expect(parseArgs([])).toEqual({ env: 'local' });
    expect(parseArgs(['--env', 'dev'])).toEqual({ env: 'dev' });
    expect(parseArgs(['--env=test'])).toEqual({ env: 'test' });
    expect(() => parseArgs(['--env'])).toThrow(/needs a name/);
    expect(() => parseArgs(['--nope'])).toThrow(/Unknown argument/);
  });
});
