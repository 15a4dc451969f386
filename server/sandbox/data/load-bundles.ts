import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '../search-params.js';
import type { SandboxVersion } from '../versions.js';

/** Every `*.json` file under a folder, depth first, in name order (so split parts load in order). */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
    });
}

/**
 * Resources of every bundle under `<dir>/<version>`: collection and transaction bundles alike.
 * `urn:uuid:` references become `Type/id`, as a server applying a transaction would rewrite them;
 * `PUT Type/id` keeps its id; resources without an id get one.
 */
export function loadBundles(dir: string, version: SandboxVersion): Resource[] {
  const folder = join(dir, version);
  if (!existsSync(folder)) return [];
  const resources: Resource[] = [];
  for (const file of jsonFiles(folder)) {
    let bundle: { resourceType?: string; entry?: unknown[] };
    try {
      bundle = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new Error(`Sandbox data: ${file} is not valid JSON`);
    }
    if (bundle.resourceType !== 'Bundle') {
      if (bundle.resourceType) resources.push(bundle as unknown as Resource);
      continue;
    }
    const entries = (bundle.entry ?? []) as { fullUrl?: string; resource?: Resource; request?: { method?: string; url?: string } }[];
    const renames = new Map<string, string>();
    const loaded: Resource[] = [];
    for (const entry of entries) {
      const resource = entry.resource;
      if (!resource?.resourceType) continue;
      const put = entry.request?.method === 'PUT' ? /^[A-Za-z]+\/([^/?]+)/.exec(entry.request.url ?? '')?.[1] : undefined;
      resource.id = put ?? resource.id ?? randomUUID();
      if (entry.fullUrl?.startsWith('urn:uuid:')) renames.set(entry.fullUrl, `${resource.resourceType}/${resource.id}`);
      loaded.push(resource);
    }
    resources.push(...loaded.map((r) => (renames.size ? rewriteReferences(r, renames) : r)));
  }
  return resources;
}

function rewriteReferences(resource: Resource, renames: Map<string, string>): Resource {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, k === 'reference' && typeof v === 'string' && renames.has(v) ? renames.get(v) : walk(v)]),
      );
    }
    return value;
  };
  return walk(resource) as Resource;
}
