import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fhirIdSyntax } from '../../../contract/id-syntax.js';
import type { Resource } from '../engine/types.js';

/** Every `*.json` file under a folder, depth first, in name order (so split parts load in order). */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? jsonFiles(path) : name.toLowerCase().endsWith('.json') ? [path] : [];
    });
}

interface Entry {
  fullUrl?: string;
  resource?: Resource;
  request?: { method?: string; url?: string };
}

const UUID = /^urn:uuid:([0-9a-fA-F-]{1,64})$/;
/** A `PUT Type/id` entry's URL, for its id. */
const PUT_URL = new RegExp(`^/?[A-Za-z]+/(${fhirIdSyntax})$`);

/**
 * Resources of every bundle under `<dir>/<version>` (a folder missing: none). Collection and
 * transaction bundles alike are applied as a transaction would be: `PUT Type/id` keeps its id,
 * an entry with a `urn:uuid:` fullUrl and no id takes the uuid, and every `urn:uuid:` reference
 * (also across files, for bundles split into parts) becomes `Type/id`.
 */
export function loadBundles(dir: string, version: string): Resource[] {
  const folder = join(dir, version);
  if (!existsSync(folder)) return [];
  const renames = new Map<string, string>();
  const resources: Resource[] = [];
  let unnamed = 0;
  for (const file of jsonFiles(folder)) {
    let data: { resourceType?: unknown; entry?: unknown };
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new Error(`Sandbox data: ${relative(dir, file)} is not valid JSON`);
    }
    if (data?.resourceType !== 'Bundle') {
      if (typeof data?.resourceType === 'string' && typeof (data as Resource).id === 'string') resources.push(data as Resource);
      continue;
    }
    for (const entry of (Array.isArray(data.entry) ? data.entry : []) as Entry[]) {
      const resource = entry?.resource;
      if (!resource || typeof resource.resourceType !== 'string' || entry.request?.method === 'DELETE') continue;
      const put = entry.request?.method === 'PUT' ? PUT_URL.exec(entry.request.url ?? '')?.[1] : undefined;
      const uuid = UUID.exec(entry.fullUrl ?? '')?.[1];
      resource.id = put ?? resource.id ?? uuid ?? `loaded-${++unnamed}`;
      if (entry.fullUrl?.startsWith('urn:uuid:')) renames.set(entry.fullUrl, `${resource.resourceType}/${resource.id}`);
      resources.push(resource);
    }
  }
  return renames.size ? resources.map((r) => rewriteReferences(r, renames)) : resources;
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
