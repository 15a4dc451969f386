import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Tables keyed by any string are looked up with keys from outside (an EHR's codes, a caller's
// field ids): made with lookupTable (contract/lookup-table.ts), they find only their own entries,
// never `constructor` or `toString` of Object.prototype. A table written as a plain object
// literal is reported here, with its file and line.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const rooms = ['server', 'contract', 'client'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** A module's `const NAME: Record<string, …> = {` (also Readonly or Partial) whose literal is not handed to lookupTable. */
const plainTable = /^(?:export\s+)?const\s+\w+\s*:\s*(?:(?:Readonly|Partial)<\s*)*Record<string\b[^\n]*?\s=\s*(?!lookupTable\()\{/;

describe('tables keyed by any string', () => {
  it('are made with lookupTable', () => {
    const plain = rooms
      .flatMap((room) => sources(path.join(root, room)))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (plainTable.test(line) ? [`${path.relative(root, file)}:${i + 1}`] : [])),
      );
    expect(plain).toEqual([]);
  });

  it('the check finds a plain one', () => {
    expect(plainTable.test("const CODES: Readonly<Record<string, string>> = { a: 'b' };")).toBe(true);
    expect(plainTable.test('const builtIn: Record<string, () => string> = {')).toBe(true);
    expect(plainTable.test("const CODES: Readonly<Record<string, string>> = lookupTable({ a: 'b' });")).toBe(false);
    // A table keyed by the app's own names, and an object built inside a function, are not such tables.
    expect(plainTable.test("const BY_KIND: Record<Kind, Readonly<Record<string, string>>> = { a: 'b' };")).toBe(false);
    expect(plainTable.test('  const cells: Record<string, Cell> = {};')).toBe(false);
  });
});
