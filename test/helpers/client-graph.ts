import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The tab's modules as the bundler sees them, read with TypeScript's parser: which are in its
 * first download (reached from an entry by static imports; `import type` is erased) and which
 * dynamic `import()` each one makes, with the string literals each one holds. From the sources,
 * not from a build, so a unit test can check what the first download needs.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

/** The tab's entries: the page's script and the two consent popup pages'. */
export const clientEntries = ['client/main.tsx', 'client/consent/start.ts', 'client/consent/end.ts'];

export interface ModuleFacts {
  /** Project files, by path from the project's root. */
  staticImports: string[];
  /** Packages, as named (`zod`, `@fluentui/react-components`). */
  packages: string[];
  dynamicImports: string[];
  /** String literals and templates without placeholders. */
  literals: Set<string>;
  /** The text before the first placeholder of each template (`` `code.${…}` `` gives "code."). */
  templatePrefixes: Set<string>;
  /** The names of the functions it calls by name (`onDemand(…)`). */
  calls: Set<string>;
}

function resolveFrom(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null; // a package
  const base = join(dirname(join(root, file)), specifier).replace(/\.js$/, '');
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate);
  }
  throw new Error(`${file}: cannot resolve ${specifier}`);
}

const facts = new Map<string, ModuleFacts>();

export function factsOf(file: string): ModuleFacts {
  const known = facts.get(file);
  if (known) return known;
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: ModuleFacts = {
    staticImports: [],
    packages: [],
    dynamicImports: [],
    literals: new Set(),
    templatePrefixes: new Set(),
    calls: new Set(),
  };
  const add = (list: string[], specifier: ts.Expression | undefined) => {
    if (!specifier || !ts.isStringLiteral(specifier)) return;
    const resolved = resolveFrom(file, specifier.text);
    if (resolved) list.push(resolved);
    else if (list === found.staticImports) found.packages.push(specifier.text);
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      // `import type {…}` is erased; so is an import whose every name is a type (`import { type A }`).
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typesOnly = clause?.isTypeOnly || (clause && !clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly));
      if (!typesOnly) add(found.staticImports, node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node)) {
      if (!node.isTypeOnly) add(found.staticImports, node.moduleSpecifier);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(found.dynamicImports, node.arguments[0]);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      found.calls.add(node.expression.text);
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      found.literals.add(node.text);
    } else if (ts.isTemplateHead(node)) {
      found.templatePrefixes.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  facts.set(file, found);
  return found;
}

/** Every module reached from `starts` by static imports: what loads with them. */
export function staticClosure(starts: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...factsOf(file).staticImports);
  }
  return seen;
}
