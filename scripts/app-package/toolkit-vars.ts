import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { findPlaceholders } from './placeholders.js';

/** One action of an Agents Toolkit lifecycle (`provision`, `deploy`, `publish`). */
export interface ToolkitAction {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

export type ToolkitProject = Partial<Record<'provision' | 'deploy' | 'publish', ToolkitAction[]>> & { version?: string; environmentFolderPath?: string };

export const LIFECYCLES = ['provision', 'deploy', 'publish'] as const;

/** Inputs of an action that name a file whose `${{VARS}}` the toolkit fills while running it. */
const FILE_INPUTS = ['manifestPath', 'appPackagePath'];

export function readToolkitProject(path: string): ToolkitProject {
  return parse(readFileSync(path, 'utf8')) as ToolkitProject;
}

/**
 * The variables an action writes to the environment: its `writeToEnvironmentFile` mapping and, for
 * `script`, every `::set-teamsfx-env NAME=value` it echoes.
 */
export function actionOutputs(action: ToolkitAction): string[] {
  const out = Object.values(action.writeToEnvironmentFile ?? {});
  if (action.uses === 'script' && typeof action.with?.run === 'string')
    for (const m of action.with.run.matchAll(/::set-teamsfx-env\s+([A-Za-z_][A-Za-z0-9_]*)=/g)) out.push(m[1]);
  return out;
}

/**
 * The variables an action reads: `${{NAME}}` anywhere in its inputs, plus those in the JSON files it
 * processes (a manifest path pulls in the manifest and its localization files; an `.zip` path pulls in
 * the app package's sources next to `appPackage/manifest.json`).
 */
export function actionReferences(action: ToolkitAction, root: string): { name: string; where: string }[] {
  const refs = findPlaceholders(JSON.stringify({ name: action.name, with: action.with ?? {} })).map((name) => ({ name, where: 'inputs' }));
  for (const key of FILE_INPUTS) {
    const value = action.with?.[key];
    if (typeof value !== 'string') continue;
    const files = value.endsWith('.zip') ? appPackageSources(join(root, 'appPackage', 'manifest.json')) : jsonWithLocalizations(join(root, value));
    for (const file of files) refs.push(...findPlaceholders(readFileSync(file, 'utf8')).map((name) => ({ name, where: file.slice(root.length + 1) })));
  }
  return refs;
}

function jsonWithLocalizations(path: string): string[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { localizationInfo?: { additionalLanguages?: { file: string }[]; defaultLanguageFile?: string } };
  const info = doc.localizationInfo;
  const extra = [...(info?.additionalLanguages ?? []).map((l) => l.file), ...(info?.defaultLanguageFile ? [info.defaultLanguageFile] : [])];
  return [path, ...extra.map((f) => join(dirname(path), f))];
}

function appPackageSources(manifestPath: string): string[] {
  return jsonWithLocalizations(manifestPath);
}

export interface UndefinedReference {
  lifecycle: string;
  step: number;
  uses: string;
  name: string;
  where: string;
}

/**
 * Every `${{NAME}}` that a lifecycle reads before anything defines it. Defined means: a key of the
 * environment template (even with an empty value, which the developer fills), or written by an
 * earlier action of the same lifecycle.
 */
export function undefinedReferences(project: ToolkitProject, templateKeys: Iterable<string>, root: string): UndefinedReference[] {
  const problems: UndefinedReference[] = [];
  for (const lifecycle of LIFECYCLES) {
    const defined = new Set(templateKeys);
    (project[lifecycle] ?? []).forEach((action, step) => {
      for (const ref of actionReferences(action, root))
        if (!defined.has(ref.name)) problems.push({ lifecycle, step, uses: action.uses, name: ref.name, where: ref.where });
      for (const name of actionOutputs(action)) defined.add(name);
    });
  }
  return problems;
}
