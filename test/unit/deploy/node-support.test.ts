import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// The app runs on each Node release line its `engines` names (20 on this project's machines, 22
// and 24 on App Service): every package a production install brings must say it supports them
// too, or npm warns on install and the package may use what that Node lacks.
const root = new URL('../../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[] }>;
};

/** The first release of each line `engines` admits (^20.19.0 → 20.19.0). */
const supported = manifest.engines.node.split('||').map((range) => semver.minVersion(range.trim())!.version);

describe('Node releases', () => {
  it('engines names the LTS lines the app runs on', () => {
    expect(supported.map((v) => semver.major(v))).toEqual([20, 22, 24]);
  });

  it('every production dependency supports each of them', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.dev && !Array.isArray(entry.engines) && entry.engines?.node)
      .flatMap(([path, entry]) => {
        const range = (entry.engines as { node: string }).node;
        const refused = supported.filter((version) => !semver.satisfies(version, range));
        return refused.length ? [`${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
