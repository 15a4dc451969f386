import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_JS_BUDGET_BYTES, initialJs } from '../../../bench/initial-js';

// The tab's first download must stay within 200 kB gzip (issue 14; `npm run bench` measures the
// build). zod alone is about 20 kB of it: the schemas are the server's and the API suites' to
// check with, the tab reads answers with its own readers, so nothing it loads first may import zod.
// Screens most visits never open, the dialogs, the tooltips' positioning and the checkboxes, dev mode's sign-in, and
// the languages other than English, are fetched on demand.
const client = fileURLToPath(new URL('../../../client/', import.meta.url));

/** What a file imports statically, types left out (they vanish in the build), and what it fetches with `import()`. */
function importsOf(file: string): { statics: string[]; dynamics: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const statics: string[] = [];
  const dynamics: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      // `import { type A, type B }` names types only.
      const named = node.importClause?.namedBindings;
      const typesOnly = !node.importClause?.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly);
      if (!typesOnly) statics.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      statics.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) {
      dynamics.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { statics, dynamics };
}
const staticImports = (file: string) => importsOf(file).statics;

const resolve = (from: string, specifier: string) => {
  const base = path.resolve(path.dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => existsSync(candidate));
};

/** Every project file the entry reaches by static imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      const target = specifier.startsWith('.') ? resolve(file, specifier) : undefined;
      if (target) queue.push(target);
    }
  }
  return seen;
}

/** The project files that import `pkg`, among those the entry reaches by static imports. */
function importersOf(entry: string, pkg: string): string[] {
  const seen = new Set<string>();
  const importers: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier === pkg || specifier.startsWith(`${pkg}/`)) importers.push(path.relative(path.join(client, '..'), file));
      const target = specifier.startsWith('.') ? resolve(file, specifier) : undefined;
      if (target) queue.push(target);
    }
  }
  return importers;
}

describe("the tab's first download", () => {
  it('carries no zod: no module the tab loads first imports it', () => {
    expect(importersOf(path.join(client, 'main.tsx'), 'zod')).toEqual([]);
  });

  const entry = path.join(client, 'main.tsx');
  const onDemand = {
    'app/on-demand-screens.ts': [
      'features/patient-details/PatientDetails.tsx',
      'features/audit/AuditPanel.tsx',
      'features/manual/ManualPatients.tsx',
      'features/manual/ManualPatientDetails.tsx',
      'features/patient-details/PatientNotes.tsx',
      'features/setup/SetupPanel.tsx',
    ],
    'shared/i18n/t.ts': ['shared/i18n/ru.ts', 'shared/i18n/zh-CN.ts', 'shared/i18n/zh-TW.ts'],
    'app/themes.ts': ['app/dark-themes.ts'],
    'app/App.tsx': ['app/DevShell.tsx'],
    'app/TeamsShell.tsx': ['app/PersonalTab.tsx', 'app/ChatTab.tsx', 'app/ChatTab.tsx'],
    'features/lists/MoveToList.tsx': ['features/lists/MoveMenu.tsx'],
    'features/lists/dialogs-on-demand.tsx': ['features/lists/list-dialogs.ts'],
    'shared/components/fluent-on-demand.tsx': ['shared/components/fluent-on-demand-parts.ts'],
    'shared/components/ErrorNotice.tsx': ['shared/teams/AdminConsentNote.tsx'],
  };
  // Fetched by a screen that is itself fetched on demand: the owners' tools of Manual mode.
  const onDemandInside = { 'features/manual/ManualPatients.tsx': ['features/manual/SchemaEditor.tsx', 'features/manual/ImportWizard.tsx'] };
  const lazyFiles = [...Object.values(onDemand), ...Object.values(onDemandInside)].flat();

  it('reaches the rarely used screens and the other languages only through import(), never by a static import', () => {
    const first = reachable(entry);
    const rarelyUsed = [
      ...lazyFiles,
      'features/patient-details/NotesSection.tsx',
      'features/manual/PatientForm.tsx',
      'features/lists/ColumnsDialog.tsx',
      'features/lists/ListActions.tsx',
      'features/lists/NewListDialog.tsx',
      'features/lists/RemoveUnavailable.tsx',
      'app/DevSignIn.tsx',
      'app/dev-session.ts',
      'shared/i18n/catalogs.ts',
    ];
    expect(rarelyUsed.filter((file) => first.has(path.join(client, file)))).toEqual([]);
    for (const [from, targets] of Object.entries({ ...onDemand, ...onDemandInside })) {
      const file = path.join(client, from);
      expect(first.has(file), from).toBe(from in onDemand);
      expect(importsOf(file).dynamics.map((s) => path.relative(client, resolve(file, s) ?? s))).toEqual(targets);
    }
  });

  describe('as built', () => {
    let outDir = '';
    beforeAll(async () => {
      outDir = mkdtempSync(path.join(tmpdir(), 'patients-initial-js-'));
      // Built as `npm run build` builds it: React's production build, not the one the test runner's NODE_ENV=test selects.
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        await build({ logLevel: 'silent', mode: 'production', build: { outDir, emptyOutDir: true } });
      } finally {
        process.env.NODE_ENV = nodeEnv;
      }
    }, 120_000);
    afterAll(() => rmSync(outDir, { recursive: true, force: true }));

    it(`is at most ${INITIAL_JS_BUDGET_BYTES / 1000} kB gzip, and leaves the screens and languages fetched on demand out`, () => {
      const { files, gzipBytes } = initialJs(outDir);
      expect(gzipBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
      // The build names a chunk after its first module: none of what is fetched on demand is among the first.
      const names = lazyFiles.map((file) => path.basename(file).replace(/\.tsx?$/, ''));
      expect(files.filter(({ file }) => names.some((name) => path.basename(file).startsWith(`${name}-`)))).toEqual([]);
      // …and each of them is a chunk of its own that the build did write.
      const written = readdirSync(path.join(outDir, 'assets'));
      expect(names.filter((name) => !written.some((file) => file.startsWith(`${name}-`) && file.endsWith('.js')))).toEqual([]);
    });
  });
});
