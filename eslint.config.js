// ESLint for the whole repository: TypeScript rules, React hooks and accessibility rules for the tab,
// the import rules between rooms (boundaries), no import cycles, and nothing about formatting
// (Prettier owns it: `npm run lint` runs both).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import boundaries from 'eslint-plugin-boundaries';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The rooms. Each file belongs to the closest folder below that contains it (listed from the most specific).
const rooms = [
  { type: 'contract', pattern: 'contract' },
  { type: 'platform', pattern: 'server/platform' },
  { type: 'ehr', pattern: 'server/ehr' },
  { type: 'storage-sqlite', pattern: 'server/storage/sqlite' },
  { type: 'storage-sharepoint', pattern: 'server/storage/sharepoint' },
  { type: 'storage', pattern: 'server/storage' },
  { type: 'identity', pattern: 'server/identity' },
  { type: 'features-shared', pattern: 'server/features/shared' },
  { type: 'feature', pattern: 'server/features/*', capture: ['feature'] },
  { type: 'dev', pattern: 'server/dev' },
  { type: 'sandbox', pattern: 'server/sandbox' },
  { type: 'server', pattern: 'server' },
  { type: 'client-app', pattern: 'client/app' },
  { type: 'client-feature', pattern: 'client/features/*', capture: ['feature'] },
  { type: 'client-shared', pattern: 'client/shared' },
  { type: 'client', pattern: 'client' },
  { type: 'tests', pattern: 'test' },
  { type: 'tests', pattern: 'bench' },
  { type: 'tests', pattern: 'scripts' },
].map((room) => ({ ...room, partialMatch: false }));

const to = (...types) => ({ to: { element: { types: types.length === 1 ? types[0] : types } } });
const storagePorts = { to: { element: { type: 'storage', fileInternalPath: 'ports.ts' } } };

// Who may import whom; anything not allowed here is refused. Files of one room (one feature) import each other freely.
const policies = [
  // Packages: the contract uses zod only (the tab and the server both load it); the tab and the contract no Node built-ins.
  { from: { element: { types: '!contract' } }, allow: [{ to: { module: { origin: 'external' } } }] },
  { from: { element: { types: '!{contract,client,client-*}' } }, allow: [{ to: { module: { origin: 'core' } } }] },
  { from: { element: { type: 'contract' } }, allow: [{ to: { module: { origin: 'external', source: 'zod' } } }] },
  { from: { element: { type: 'platform' } }, allow: [to('contract', 'platform')] },
  { from: { element: { type: 'ehr' } }, allow: [to('contract', 'platform')] },
  { from: { element: { type: 'storage' } }, allow: [to('contract', 'platform'), storagePorts] },
  { from: { element: { type: 'storage-sqlite' } }, allow: [to('contract', 'platform', 'storage')] },
  { from: { element: { type: 'storage-sharepoint' } }, allow: [to('contract', 'platform', 'storage')] },
  { from: { element: { type: 'identity' } }, allow: [to('contract', 'platform')] },
  { from: { element: { type: 'features-shared' } }, allow: [to('contract', 'platform', 'ehr', 'identity'), storagePorts] },
  { from: { element: { type: 'feature' } }, allow: [to('contract', 'platform', 'ehr', 'identity', 'features-shared'), storagePorts] },
  { from: { element: { type: 'dev' } }, allow: [to('contract', 'platform', 'identity')] },
  { from: { element: { type: 'sandbox' } }, allow: [to('contract', 'platform')] },
  {
    from: { element: { type: 'server' } },
    allow: [
      to('contract', 'platform', 'ehr', 'storage', 'storage-sqlite', 'storage-sharepoint', 'identity', 'features-shared', 'feature', 'dev', 'server'),
    ],
  },
  { from: { element: { type: 'server' }, file: { path: 'server/start.ts' } }, allow: [to('sandbox')] },
  { from: { element: { type: 'client-app' } }, allow: [to('contract', 'client-shared', 'client-feature')] },
  { from: { element: { type: 'client-feature' } }, allow: [to('contract', 'client-shared')] },
  { from: { element: { type: 'client-shared' } }, allow: [to('contract')] },
  { from: { element: { type: 'client' } }, allow: [to('contract', 'client-shared', 'client-feature', 'client-app', 'client')] },
  { from: { element: { type: 'tests' } }, allow: [{ to: { element: { types: '*' } } }] },
];

export default defineConfig(
  { ignores: ['dist/', 'build/', 'node_modules/', 'appPackage/build/', 'data/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,ts,tsx}'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}', 'test/helpers/teams-host-page.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Hooks live in .ts files too (the api/ hooks of each feature).
    files: ['client/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['client/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    // Imports between rooms, and no cycles, in the product code. Tests, bench and scripts may import anything.
    files: ['contract/**/*.ts', 'server/**/*.ts', 'client/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': rooms,
      'import/resolver': { typescript: { project: 'tsconfig.json' } },
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, checkUnknownLocals: true, policies }],
    },
  },
  {
    files: ['contract/**/*.ts', 'server/**/*.ts', 'client/**/*.{ts,tsx}'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  prettier,
);
