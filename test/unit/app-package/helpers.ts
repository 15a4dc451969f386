import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A scratch copy of appPackage/ (without build/) and env/, so tests can change files freely. */
export function scratchProject(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'patients-apppkg-'));
  cpSync(join(ROOT, 'appPackage'), join(root, 'appPackage'), {
    recursive: true,
    filter: (src) => !src.startsWith(join(ROOT, 'appPackage', 'build')),
  });
  cpSync(join(ROOT, 'env'), join(root, 'env'), { recursive: true, filter: (src) => !src.endsWith('.user') });
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
