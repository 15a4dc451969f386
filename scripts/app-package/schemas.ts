import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';

const require = createRequire(import.meta.url);

// Why not AppManifestUtils.validateAgainstSchema from @microsoft/app-manifest: its 1.1.2 entry point
// requires `fs-extra`, which the package lists only as a devDependency, so importing it fails; and it
// fetches the schema over the network for `/en-us/` URLs. We use its bundled schema files with the
// same validator it uses (ajv-draft-04: the Teams schemas are draft-04, checked in validatorFor).

/** Folder of the Teams JSON schemas that `@microsoft/app-manifest` ships. */
export const BUNDLED_TEAMS_SCHEMAS = join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');

/** `https://developer.microsoft.com[/en-us]/json-schemas/teams/vX.Y/<file>.json` */
const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}-[a-z]{2}\/)?json-schemas\/teams\/(v\d+\.\d+)\/([A-Za-z.]+\.schema\.json)$/;

export class SchemaError extends Error {}

/** Maps a Teams schema URL to the bundled copy, so nothing is fetched. */
export function bundledSchemaPath(url: string): string {
  const m = SCHEMA_URL.exec(url);
  if (!m)
    throw new SchemaError(
      `"${url}" is not a Teams schema URL of the form https://developer.microsoft.com/json-schemas/teams/vX.Y/<file>.schema.json`,
    );
  const path = join(BUNDLED_TEAMS_SCHEMAS, m[1], m[2]);
  if (!existsSync(path)) throw new SchemaError(`@microsoft/app-manifest has no bundled schema for ${url}`);
  return path;
}

/** The version part (`1.30`) of a Teams schema URL. */
export function schemaVersion(url: string): string | undefined {
  return SCHEMA_URL.exec(url)?.[1].slice(1);
}

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';
const cache = new Map<string, ValidateFunction>();

function validatorFor(path: string): ValidateFunction {
  let validate = cache.get(path);
  if (!validate) {
    // Settings of @microsoft/app-manifest's own validateAgainstSchema, plus non-unicode regular
    // expressions: the localization schema's activities patterns (`\b]`) are invalid with the `u` flag.
    const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
    addFormats(ajv, ['uri', 'email', 'regex']);
    const schema = JSON.parse(readFileSync(path, 'utf8')) as { $schema?: string };
    // A newer bundled schema on another draft would need another Ajv class: say so, don't misvalidate.
    if (schema.$schema !== DRAFT_04)
      throw new SchemaError(`${path} uses JSON Schema ${schema.$schema ?? '(none)'}; this validator handles draft-04 only`);
    validate = ajv.compile(schema);
    cache.set(path, validate);
  }
  return validate;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '(root)';
  const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

/**
 * Validates a parsed JSON document against the bundled schema named by its `$schema`.
 * Returns readable errors; empty means valid.
 */
export function validateAgainstBundledSchema(doc: unknown): string[] {
  const url = (doc as { $schema?: unknown } | null)?.$schema;
  if (typeof url !== 'string') return ['(root) has no "$schema" naming a Teams schema'];
  let validate: ValidateFunction;
  try {
    validate = validatorFor(bundledSchemaPath(url));
  } catch (e) {
    return [(e as Error).message];
  }
  return validate(doc) ? [] : (validate.errors ?? []).map(describe);
}
