import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface SizeReport {
  /** Bytes of every file, unpacked. */
  total: number;
  /** The largest parts: dist/client, dist/server and each package of node_modules, largest first. */
  parts: { name: string; bytes: number }[];
  toString(): string;
}

function bytesUnder(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + bytesUnder(join(path, entry)), 0);
}

/** What a staged deploy folder weighs, and what dominates it. */
export function sizeReport(dir: string): SizeReport {
  const parts: { name: string; bytes: number }[] = [];
  for (const name of ['dist/client', 'dist/server']) parts.push({ name, bytes: bytesUnder(join(dir, name)) });
  const modules = join(dir, 'node_modules');
  for (const name of readdirSync(modules)) {
    if (name.startsWith('.')) continue;
    const scoped = name.startsWith('@') ? readdirSync(join(modules, name)).map((s) => `${name}/${s}`) : [name];
    for (const pkg of scoped) parts.push({ name: pkg, bytes: bytesUnder(join(modules, pkg)) });
  }
  parts.sort((a, b) => b.bytes - a.bytes);
  const total = bytesUnder(dir);
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  return {
    total,
    parts,
    toString: () =>
      `${mb(total)} unpacked; largest: ${parts
        .slice(0, 6)
        .map((p) => `${p.name} ${mb(p.bytes)}`)
        .join(', ')}`,
  };
}
