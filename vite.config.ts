import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { precompress } from './scripts/precompress.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const backend = `http://127.0.0.1:${process.env.PORT ?? 3978}`;
/**
 * Every test project runs in UTC, whatever the machine's zone, so `npm test` gives the same results
 * in Sydney as in London (the tab shows times in the user's zone; the tests expect UTC's). A test
 * about another zone sets TZ itself and restores it; processes the tests start inherit TZ.
 */
const testEnv = { LOG_LEVEL: 'silent', TZ: 'UTC' };

export default defineConfig({
  root: 'client',
  // precompress: brotli and gzip copies of the tab's files, which the server sends by Accept-Encoding.
  plugins: [react(), precompress()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // The tab, and the two pages of the Graph consent popup Teams opens for it.
    rolldownOptions: { input: ['index.html', 'consent-start.html', 'consent-end.html'].map((page) => `${root}client/${page}`) },
  },
  server: { proxy: { '/api': backend, '/dev': backend } },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          root,
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Every language's catalog at hand, as the tab has its user's once it has fetched it.
          setupFiles: ['client/shared/i18n/catalogs.ts'],
          env: testEnv,
        },
      },
      {
        test: {
          name: 'integration',
          root,
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          env: testEnv,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The API suites again, calling with Azure AD shaped v1 and v2 tokens that the server
        // verifies against a local JWKS (SSO=azure-ad). The suites left out pick their tokens themselves.
        test: {
          name: 'integration-aad',
          root,
          include: ['test/integration/api/**/*.test.ts'],
          exclude: ['isolation', 'production-mode', 'dev-mode-azure-ad'].map((name) => `test/integration/api/${name}.test.ts`),
          environment: 'node',
          env: { ...testEnv, TEST_SSO: 'azure-ad' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root,
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env: testEnv,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // What the tab shows after an API answer can take more than a second on a busy 2-core machine.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
        },
      },
      {
        // The deploy package (npm run package:deploy) unpacked and started with node in production mode.
        test: {
          name: 'deploy',
          root,
          include: ['test/deploy/**/*.test.ts'],
          environment: 'node',
          env: testEnv,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
