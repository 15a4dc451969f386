import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_JS_BUDGET_BYTES, initialJs } from '../../../bench/initial-js';
import { factsOf, staticClosure } from '../../helpers/client-graph';

// The tab's first download must stay within 200 kB gzip (issue 14; `npm run bench` measures the
// build). zod alone is about 20 kB of it: the schemas are the server's and the API suites' to
// check with, the tab reads answers with its own readers, so nothing it loads first may import zod.
// Screens most visits never open, the dialogs, the tooltips' positioning and the checkboxes, dev mode's sign-in, the
// languages other than English, the list's table (asked for with the list's data) and the search's results table
// (asked for when the search pane shows) are fetched on demand.
const client = 'client/';

/** The project files that import `pkg`, among those the entry reaches by static imports. */
const importersOf = (entry: string, pkg: string) =>
  [...staticClosure([entry])].filter((file) => factsOf(file).packages.some((name) => name === pkg || name.startsWith(`${pkg}/`)));

describe("the tab's first download", () => {
  it('carries no zod: no module the tab loads first imports it', () => {
    expect(importersOf(path.join(client, 'main.tsx'), 'zod')).toEqual([]);
    // The check reads imports: the tab's React is found so.
    expect(importersOf(path.join(client, 'main.tsx'), 'react').length).toBeGreaterThan(0);
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
    'shared/i18n/t.ts': ['shared/i18n/en-screens.ts', 'shared/i18n/ru.ts', 'shared/i18n/zh-CN.ts', 'shared/i18n/zh-TW.ts'],
    'app/themes.ts': ['app/dark-themes.ts'],
    'app/App.tsx': ['app/DevShell.tsx'],
    'app/TeamsShell.tsx': ['app/PersonalTab.tsx', 'app/ChatTab.tsx', 'app/ChatTab.tsx'],
    'features/lists/ListsPanel.tsx': ['features/lists/ListTable.tsx'],
    'features/patient-search/PatientSearch.tsx': ['features/patient-search/SearchResultsTable.tsx'],
    'features/lists/dialogs-on-demand.tsx': ['features/lists/list-dialogs.ts'],
    'shared/components/ErrorNotice.tsx': ['shared/teams/AdminConsentNote.tsx'],
  };
  // Fetched by a part that is itself fetched on demand: the owners' tools of Manual mode, the table's move menu,
  // the tooltips and checkboxes of the list's table and the search's results.
  const onDemandInside = {
    'features/manual/ManualPatients.tsx': ['features/manual/SchemaEditor.tsx', 'features/manual/ImportWizard.tsx'],
    'features/lists/MoveToList.tsx': ['features/lists/MoveMenu.tsx'],
    'shared/components/fluent-on-demand.tsx': ['shared/components/fluent-on-demand-parts.ts'],
  };
  const lazyFiles = [...Object.values(onDemand), ...Object.values(onDemandInside)].flat();

  it('reaches the rarely used screens and the other languages only through import(), never by a static import', () => {
    const first = staticClosure([entry]);
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
      expect(factsOf(file).dynamicImports.map((target) => path.relative(client, target))).toEqual(targets);
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
