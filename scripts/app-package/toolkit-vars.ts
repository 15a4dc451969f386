import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { parseEnvFile } from './env-files.js';
import { findPlaceholders } from './placeholders.js';

/** One action of an Agents Toolkit lifecycle (`provision`, `deploy`, `publish`). */
export interface ToolkitAction {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

export type ToolkitProject = Partial<Record<'provision' | 'deploy' | 'publish', ToolkitAction[]>> & {
  version?: string;
  environmentFolderPath?: string;
};

export const LIFECYCLES = ['provision', 'deploy', 'publish'] as const;

/** Inputs of an action that name a file whose `${{VARS}}` the toolkit fills while running it. */
const FILE_INPUTS = ['manifestPath', 'appPackagePath'];

export function readToolkitProject(path: string): ToolkitProject {
  return parse(readFileSync(path, 'utf8')) as ToolkitProject;
}

/** `arm/deploy` templates: `with.templates[]` of `{ path, parameters, deploymentName }`. */
function armTemplates(action: ToolkitAction): { path?: string; parameters?: string }[] {
  const templates = action.uses === 'arm/deploy' ? action.with?.templates : undefined;
  return Array.isArray(templates) ? (templates as { path?: string; parameters?: string }[]) : [];
}

/**
 * Outputs of a Bicep or ARM JSON template. The toolkit writes each one to the environment file under
 * its name in upper case.
 */
export function templateOutputs(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const names = path.endsWith('.bicep')
    ? [...text.matchAll(/^output\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map((m) => m[1])
    : Object.keys((JSON.parse(text) as { outputs?: Record<string, unknown> }).outputs ?? {});
  return names.map((n) => n.toUpperCase());
}

/**
 * The variables an action writes to the environment: its `writeToEnvironmentFile` mapping, for
 * `script` every `::set-teamsfx-env NAME=value` it echoes, and for `arm/deploy` its templates' outputs.
 */
export function actionOutputs(action: ToolkitAction, root: string): string[] {
  const out = Object.values(action.writeToEnvironmentFile ?? {});
  if (action.uses === 'script' && typeof action.with?.run === 'string')
    for (const m of action.with.run.matchAll(/::set-teamsfx-env\s+([A-Za-z_][A-Za-z0-9_]*)=/g)) out.push(m[1]);
  for (const t of armTemplates(action)) if (t.path) out.push(...templateOutputs(join(root, t.path)));
  return out;
}

/**
 * The variables an action reads: `${{NAME}}` anywhere in its inputs, plus those in the files it
 * processes (a manifest path pulls in the manifest and its localization files; a `.zip` path pulls in
 * the app package's sources next to `appPackage/manifest.json`; `arm/deploy` its parameter files).
 */
export function actionReferences(action: ToolkitAction, root: string): { name: string; where: string }[] {
  const refs = findPlaceholders(JSON.stringify({ name: action.name, with: action.with ?? {} })).map((name) => ({ name, where: 'inputs' }));
  const files: string[] = [];
  for (const key of FILE_INPUTS) {
    const value = action.with?.[key];
    if (typeof value !== 'string') continue;
    files.push(
      ...(value.endsWith('.zip') ? jsonWithLocalizations(join(root, 'appPackage', 'manifest.json')) : jsonWithLocalizations(join(root, value))),
    );
  }
  for (const t of armTemplates(action)) if (t.parameters) files.push(join(root, t.parameters));
  for (const file of files) refs.push(...findPlaceholders(readFileSync(file, 'utf8')).map((name) => ({ name, where: relative(root, file) })));
  return refs;
}

function jsonWithLocalizations(path: string): string[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as {
    localizationInfo?: { additionalLanguages?: { file: string }[]; defaultLanguageFile?: string };
  };
  const info = doc.localizationInfo;
  const extra = [...(info?.additionalLanguages ?? []).map((l) => l.file), ...(info?.defaultLanguageFile ? [info.defaultLanguageFile] : [])];
  return [path, ...extra.map((f) => join(dirname(path), f))];
}

/**
 * What an environment template defines: its keys (empty ones too: the toolkit or the developer fills
 * them) and the secrets it declares in comments as `# SECRET_NAME=`. Secrets live only in the
 * git-ignored `.user` file, so the committed template can only name them.
 */
export function templateDefinitions(text: string): string[] {
  const declared = [...text.matchAll(/^#\s*(SECRET_[A-Za-z0-9_]+)=/gm)].map((m) => m[1]);
  return [...Object.keys(parseEnvFile(text)), ...declared];
}

interface VsCodeTask {
  type?: string;
  command?: string;
  args?: { env?: string; ports?: { writeToEnvironmentFile?: Record<string, string> }[] };
}

/**
 * Variables the VS Code F5 tasks write to `env/.env.<env>` before provision runs: the local tunnel
 * task's `writeToEnvironmentFile` (tunnel endpoint and domain).
 */
export function tunnelOutputs(tasksJson: string, env: string): string[] {
  const tasks = (JSON.parse(tasksJson) as { tasks?: VsCodeTask[] }).tasks ?? [];
  return tasks
    .filter((t) => t.type === 'teamsfx' && t.command === 'debug-start-local-tunnel' && t.args?.env === env)
    .flatMap((t) => (t.args?.ports ?? []).flatMap((p) => Object.values(p.writeToEnvironmentFile ?? {})));
}

export interface UndefinedReference {
  lifecycle: string;
  step: number;
  uses: string;
  name: string;
  where: string;
}

/**
 * Every `${{NAME}}` that a lifecycle reads before anything defines it. Defined means: in
 * `definitions` (what the environment template defines, see templateDefinitions, plus what runs
 * before the lifecycle, such as the F5 tunnel), or written by an earlier action of the same lifecycle.
 */
export function undefinedReferences(project: ToolkitProject, definitions: Iterable<string>, root: string): UndefinedReference[] {
  const problems: UndefinedReference[] = [];
  for (const lifecycle of LIFECYCLES) {
    const defined = new Set(definitions);
    (project[lifecycle] ?? []).forEach((action, step) => {
      for (const ref of actionReferences(action, root))
        if (!defined.has(ref.name)) problems.push({ lifecycle, step, uses: action.uses, name: ref.name, where: ref.where });
      for (const name of actionOutputs(action, root)) defined.add(name);
    });
  }
  return problems;
}
