import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The tab's first download must stay within 250 kB gzip (issue 12; `npm run bench` measures the
// build). zod alone is about 20 kB of it: the schemas are the server's and the API suites' to
// check with, the tab reads answers with its own readers, so nothing it loads first may import zod.
const client = fileURLToPath(new URL('../../../client/', import.meta.url));

/** What a file imports statically, types left out (they vanish in the build). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  source.forEachChild((node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      // `import { type A, type B }` names types only.
      const named = node.importClause?.namedBindings;
      const typesOnly = !node.importClause?.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly);
      if (!typesOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      found.push(node.moduleSpecifier.text);
    }
  });
  return found;
}

const resolve = (from: string, specifier: string) => {
  const base = path.resolve(path.dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => existsSync(candidate));
};

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
});
