import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in for the built tab in `dir` (a test's temporary folder): the index.html that production
 * mode requires in STATIC_DIR to start (server/start.ts), for API tests that never load the tab.
 * Tests of the tab itself use the real build (dist/client).
 */
export function testTab(dir: string): string {
  const tab = join(dir, 'tab');
  mkdirSync(tab, { recursive: true });
  writeFileSync(join(tab, 'index.html'), '<!doctype html><html lang="en"><title>Patients (test stand-in for the tab)</title></html>\n');
  return tab;
}
