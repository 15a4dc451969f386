import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { loadEnv } from './env-files.js';
import { checkIcon, COLOR_SIZE, OUTLINE_SIZE } from './icons.js';
import { fillJsonPlaceholders } from './placeholders.js';
import { schemaVersion, validateAgainstBundledSchema } from './schemas.js';
import { tabDomainProblem } from './tab-domain.js';

export class PackageError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(`${message}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface PackageOptions {
  /** Project root (holds appPackage/ and env/). */
  root: string;
  /** Environment name: reads env/.env.<env> and env/.env.<env>.user. */
  env: string;
  /** Where the zip goes; default <root>/appPackage/build. */
  outDir?: string;
  /**
   * The app's version, the manifest's `version`: default package.json's `version` (of `root`, or of
   * this project when `root` has none). Teams offers an installed app's update only when it rises.
   */
  appVersion?: string;
}

export interface PackageResult {
  zipPath: string;
  /** Names of the files in the zip, in the order written. */
  files: string[];
  /** The filled manifest. */
  manifest: Record<string, unknown>;
  /** What does not stop the build but should be fixed before the package is published. */
  warnings: string[];
}

interface Manifest {
  $schema?: string;
  version?: string;
  manifestVersion?: string;
  icons?: { color?: string; outline?: string };
  localizationInfo?: { additionalLanguages?: { languageTag: string; file: string }[] };
}

/**
 * What the manifest's `version` may be: semver (the schema's rule) of three numbers only, so each
 * release compares higher than the last as Teams compares them (no pre-release or build tags).
 */
export const MANIFEST_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Compares two MAJOR.MINOR.PATCH versions number by number: negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** package.json's `version`: of `root`, or of the project this script belongs to. */
export function packageVersion(root: string): string | undefined {
  const own = fileURLToPath(new URL('../../package.json', import.meta.url));
  const path = existsSync(join(root, 'package.json')) ? join(root, 'package.json') : own;
  const version = (JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }).version;
  return typeof version === 'string' ? version : undefined;
}

/** A file inside the zip must sit at its root: a plain name, no folders. */
function assertRootFile(name: string, field: string): string {
  if (!name || basename(name) !== name || name === '.' || name === '..')
    throw new PackageError('Invalid app package file reference:', [`${field} "${name}" must be a file name at the package root`]);
  return name;
}

/**
 * Builds the Teams app package for one environment: fills `${{NAME}}` placeholders in the
 * manifest and localization files from env files, validates everything offline, checks the
 * icons, then writes appPackage.<env>.zip. Throws PackageError (and writes nothing) on any problem.
 */
export async function buildAppPackage(options: PackageOptions): Promise<PackageResult> {
  const appDir = join(options.root, 'appPackage');
  const { values } = loadEnv(options.root, options.env);

  const template = JSON.parse(readFileSync(join(appDir, 'manifest.json'), 'utf8')) as Manifest;
  // The manifest's version is the app's (package.json's), so every release's package rises above the last.
  const appVersion = options.appVersion ?? packageVersion(options.root);
  if (!appVersion || !MANIFEST_VERSION.test(appVersion))
    throw new PackageError('Invalid app version:', [
      `package.json version "${appVersion ?? ''}" must be three numbers, MAJOR.MINOR.PATCH (such as 1.2.0): it is the Teams manifest's version, and Teams offers an update only when it rises`,
    ]);
  // The template's own version is what the toolkit's zipAppPackage (m365agents.yml) writes: a lower one would not update.
  const warnings: string[] = [];
  if (template.version && MANIFEST_VERSION.test(template.version) && compareVersions(appVersion, template.version) < 0)
    warnings.push(
      `package.json version ${appVersion} is lower than appPackage/manifest.json's ${template.version}: Teams does not offer a lower version as an update to tenants that have ${template.version}; raise package.json's version above it`,
    );
  template.version = appVersion;
  const rawManifest = `${JSON.stringify(template, null, 2)}\n`;
  const languages = template.localizationInfo?.additionalLanguages ?? [];
  const jsonFiles = ['manifest.json', ...languages.map((l, i) => assertRootFile(l.file, `localizationInfo.additionalLanguages[${i}].file`))];

  // 1. Fill placeholders; report every one without a value before anything else.
  const filled = new Map<string, string>();
  const missing = new Map<string, string[]>();
  for (const file of jsonFiles) {
    const path = join(appDir, file);
    if (!existsSync(path)) throw new PackageError('Missing app package file:', [`appPackage/${file}`]);
    const result = fillJsonPlaceholders(file === 'manifest.json' ? rawManifest : readFileSync(path, 'utf8'), values);
    filled.set(file, result.text);
    for (const name of result.missing) missing.set(name, [...(missing.get(name) ?? []), file]);
  }
  if (missing.size) {
    throw new PackageError(
      `Environment "${options.env}" has no value for ${missing.size} placeholder(s); set them in env/.env.${options.env} (or env/.env.${options.env}.user for secrets):`,
      [...missing].map(([name, files]) => `${name} (used in ${files.join(', ')})`),
    );
  }

  // 2. Validate the filled manifest and each localization file against the bundled schemas.
  // The schema takes `https://https://host//#/tab` as a URL (and so does `atk validate`): TAB_DOMAIN is checked as the server checks it.
  const problems: string[] = [];
  const tabDomain = values.TAB_DOMAIN && rawManifest.includes('${{TAB_DOMAIN}}') && tabDomainProblem(values.TAB_DOMAIN, `env/.env.${options.env}`);
  if (tabDomain) problems.push(tabDomain);
  const docs = new Map<string, Manifest>();
  for (const [file, text] of filled) {
    try {
      const doc = JSON.parse(text) as Manifest;
      docs.set(file, doc);
      problems.push(...validateAgainstBundledSchema(doc).map((e) => `${file}: ${e}`));
    } catch (e) {
      problems.push(`${file}: not valid JSON (${(e as Error).message})`);
    }
  }
  const manifest = docs.get('manifest.json')!;
  const version = manifest.$schema ? schemaVersion(manifest.$schema) : undefined;
  if (version && version !== manifest.manifestVersion)
    problems.push(`manifest.json: $schema is v${version} but manifestVersion is ${manifest.manifestVersion}`);
  for (const [file, doc] of docs) {
    if (file === 'manifest.json' || !doc.$schema) continue;
    if (schemaVersion(doc.$schema) !== manifest.manifestVersion)
      problems.push(`${file}: localization schema v${schemaVersion(doc.$schema)} must match manifestVersion ${manifest.manifestVersion}`);
  }

  // 3. Icons.
  const icons: [string, Buffer][] = [];
  for (const [field, rules] of [
    ['color', { width: COLOR_SIZE, height: COLOR_SIZE }],
    ['outline', { width: OUTLINE_SIZE, height: OUTLINE_SIZE, whiteOnTransparent: true }],
  ] as const) {
    const name = manifest.icons?.[field];
    if (!name) continue; // the schema already reports it
    const path = join(appDir, assertRootFile(name, `icons.${field}`));
    if (!existsSync(path)) {
      problems.push(`icons.${field}: appPackage/${name} not found`);
      continue;
    }
    const data = readFileSync(path);
    problems.push(...checkIcon(name, data, rules));
    icons.push([name, data]);
  }
  if (problems.length) throw new PackageError(`The app package for "${options.env}" is not valid:`, problems);

  // 4. Zip: everything at the root.
  const zip = new JSZip();
  const files: string[] = [];
  const add = (name: string, data: string | Buffer) => {
    zip.file(name, data, { date: new Date('2020-01-01T00:00:00Z') });
    files.push(name);
  };
  add('manifest.json', filled.get('manifest.json')!);
  for (const [name, data] of icons) add(name, data);
  for (const file of jsonFiles.slice(1)) add(file, filled.get(file)!);
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });

  const outDir = options.outDir ?? join(appDir, 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${options.env}.zip`);
  writeFileSync(zipPath, data);
  return { zipPath, files, manifest: manifest as Record<string, unknown>, warnings };
}
