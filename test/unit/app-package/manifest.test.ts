import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppPackage } from '../../../scripts/app-package/build.js';
import { BUNDLED_TEAMS_SCHEMAS, validateAgainstBundledSchema } from '../../../scripts/app-package/schemas.js';
import { ROOT, scratchProject } from './helpers.js';
import type { Json } from '../../helpers/json';

const LANGUAGES = ['zh-cn', 'zh-tw', 'ru'];
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, 'appPackage', file), 'utf8'));

/** The newest non-preview manifest version that @microsoft/app-manifest bundles. */
function newestBundledVersion(): string {
  const versions = readdirSync(BUNDLED_TEAMS_SCHEMAS)
    .map((d) => /^v(\d+)\.(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [major, minor] = versions[versions.length - 1];
  return `${major}.${minor}`;
}

describe('filled Teams app package (env "test")', () => {
  const scratch = scratchProject();
  const files = new Map<string, Record<string, unknown>>();
  let manifest: Json;

  beforeAll(async () => {
    const result = await buildAppPackage({ root: scratch.root, env: 'test' });
    const zip = await JSZip.loadAsync(readFileSync(result.zipPath));
    for (const name of ['manifest.json', ...LANGUAGES.map((l) => `${l}.json`)]) files.set(name, JSON.parse(await zip.file(name)!.async('string')));
    manifest = files.get('manifest.json');
  });
  afterAll(() => scratch.cleanup());

  it('uses the newest non-preview manifest schema bundled with @microsoft/app-manifest', () => {
    const version = newestBundledVersion();
    expect(Number(version.split('.')[1])).toBeGreaterThanOrEqual(22);
    expect(manifest.manifestVersion).toBe(version);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
    // The validator is ajv-draft-04: both schemas of that version must be draft-04.
    for (const file of ['MicrosoftTeams.schema.json', 'MicrosoftTeams.Localization.schema.json'])
      expect(JSON.parse(readFileSync(join(BUNDLED_TEAMS_SCHEMAS, `v${version}`, file), 'utf8')).$schema).toBe(
        'http://json-schema.org/draft-04/schema#',
      );
  });

  it('validates the filled manifest against the bundled schema', () => {
    expect(validateAgainstBundledSchema(manifest)).toEqual([]);
  });

  it.each(LANGUAGES)('validates %s.json against the bundled localization schema of the same version', (lang) => {
    const doc = files.get(`${lang}.json`)!;
    expect(doc.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`,
    );
    expect(validateAgainstBundledSchema(doc)).toEqual([]);
  });

  it('fills the env values into tabs, SSO and domains', () => {
    expect(manifest.id).toBe('3f5e2b8c-7a41-4d2e-9c6b-1a2b3c4d5e6f');
    expect(manifest.configurableTabs).toEqual([
      expect.objectContaining({
        configurationUrl: 'https://patients.example.org/#/config',
        scopes: ['team', 'groupChat'],
        canUpdateConfiguration: true,
      }),
    ]);
    expect(manifest.staticTabs).toEqual([
      expect.objectContaining({
        contentUrl: 'https://patients.example.org/#/tab',
        websiteUrl: 'https://patients.example.org/#/tab',
        scopes: ['personal'],
      }),
    ]);
    expect(manifest.webApplicationInfo).toEqual({
      id: '8d1c6e2a-4b7f-4c39-a0e5-6f7a8b9c0d1e',
      resource: 'api://patients.example.org/8d1c6e2a-4b7f-4c39-a0e5-6f7a8b9c0d1e',
    });
    expect(manifest.validDomains).toEqual(['patients.example.org']);
    expect(JSON.stringify([...files.values()])).not.toContain('${{');
  });

  it('declares the localization files with en-us as default', () => {
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en-us',
      additionalLanguages: LANGUAGES.map((l) => ({ languageTag: l, file: `${l}.json` })),
    });
  });
});

describe('localization sources', () => {
  it.each(LANGUAGES)('%s.json translates every string the manifest shows', (lang) => {
    const doc = read(`${lang}.json`);
    const en = read('manifest.json');
    const keys = ['name.short', 'name.full', 'description.short', 'description.full', 'staticTabs[0].name'];
    expect(
      Object.keys(doc)
        .filter((k) => k !== '$schema')
        .sort(),
    ).toEqual([...keys].sort());
    const english = [en.name.short, en.name.full, en.description.short, en.description.full, en.staticTabs[0].name];
    keys.forEach((k, i) => expect(doc[k], k).not.toBe(english[i]));
  });
});

describe('schema validation can fail', () => {
  const good = () => JSON.parse(JSON.stringify(read('manifest.json')).replaceAll('${{TEAMS_APP_ID}}', '3f5e2b8c-7a41-4d2e-9c6b-1a2b3c4d5e6f'));

  it('rejects a manifest without a required key or with an unknown one', () => {
    const m = good();
    delete m.accentColor;
    m.unknownKey = true;
    const errors = validateAgainstBundledSchema(m);
    expect(errors.some((e) => e.includes('accentColor'))).toBe(true);
    expect(errors.some((e) => e.includes('unknownKey'))).toBe(true);
  });

  it('rejects an unfilled app id (not a GUID)', () => {
    const m = read('manifest.json');
    expect(validateAgainstBundledSchema(m).some((e) => e.startsWith('/id '))).toBe(true);
  });

  it('rejects a localization file with a too long short name or an unknown key', () => {
    const doc = { ...read('ru.json'), 'name.short': 'Пациенты'.repeat(5), 'tabs[0].title': 'x' };
    const errors = validateAgainstBundledSchema(doc);
    expect(errors.some((e) => e.includes('name.short'))).toBe(true);
    expect(errors.some((e) => e.includes('tabs[0].title'))).toBe(true);
  });

  it('refuses a schema URL it has no bundled copy of (no network)', () => {
    expect(validateAgainstBundledSchema({ ...good(), $schema: 'https://example.org/schema.json' })[0]).toMatch(/not a Teams schema URL/);
  });
});
