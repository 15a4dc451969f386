import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * docs/teams.md walks an admin through provisioning and deploying: what it says must be what the
 * templates do, or following it fails (a runtime that is not the App Service's, a start command
 * that is not the deployed one, a local run missing settings its configuration file names).
 */
const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const doc = read('docs/teams.md');
const bicep = read('infra/azure.bicep');

describe('the Teams deployment guide', () => {
  it("names the App Service's Node.js version and no other", () => {
    const major = /linuxFxVersion string = 'NODE\|(\d+)-lts'/.exec(bicep)?.[1];
    expect(major).toBeDefined();
    const named = [...doc.matchAll(/Node(?:\.js)? (\d+)(?![.\d])/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(named)).toEqual(new Set([major]));
  });

  it('names the command the App Service starts the app with', () => {
    const command = /appCommandLine: '([^']+)'/.exec(bicep)?.[1];
    expect(command).toBeDefined();
    expect(doc).toContain(`\`${command}\``);
    expect(doc).not.toContain('node --import tsx server/index.ts');
  });

  it("names every setting the local run's configuration file is given", () => {
    const local = read('m365agents.local.yml');
    const block = local.slice(local.indexOf('target: ./.localConfigs'));
    const names = [...block.slice(0, block.indexOf('\n\n')).matchAll(/^ {8}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(names).toContain('STORE_SEAL_KEYS');
    for (const name of names) expect(doc, name).toContain(name);
  });
});
