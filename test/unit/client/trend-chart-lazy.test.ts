import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The tab's first download must stay small (issue budget: 250 KB gzip): the chart library is
// loaded only when a trend is shown. Vite puts into the first chunk what the entry reaches by
// static imports, so none of those may name the chart library or the module that draws with it.
const client = fileURLToPath(new URL('../../../client/', import.meta.url));

interface Imports {
  statics: string[];
  dynamics: string[];
}

/** The modules a file imports statically (types left out: they vanish in the build) and through `import()`. */
function importsOf(file: string): Imports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const statics: string[] = [];
  const dynamics: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      statics.push(node.moduleSpecifier.text);
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

const resolve = (from: string, specifier: string) => {
  const base = path.resolve(path.dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => existsSync(candidate));
};

/** Every project file and package the entry reaches by static imports. */
function initialGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of importsOf(file).statics) {
      if (!specifier.startsWith('.')) packages.add(specifier);
      else {
        const target = resolve(file, specifier);
        if (target) queue.push(target);
      }
    }
  }
  return { files, packages };
}

describe('the trend charts are loaded on demand', () => {
  const entry = path.join(client, 'main.tsx');
  const here = (file: string) => path.join(client, 'features/patient-details', file);
  const [wrapper, charts, plot] = [here('TrendChart.tsx'), here('VitalTrendCharts.tsx'), here('TrendPlot.tsx')];

  it('keeps the charts and the chart library out of what the tab, and the details fetched on demand, load first', () => {
    // The details panel is itself fetched on demand; it shows the wrapper, which fetches the charts.
    for (const start of [entry, here('PatientDetails.tsx')]) {
      const { files, packages } = initialGraph(start);
      expect([charts, plot, here('trend-data.ts')].filter((file) => files.has(file))).toEqual([]);
      expect([...packages].filter((p) => p.startsWith('@fluentui/react-charts'))).toEqual([]);
    }
    expect(initialGraph(here('PatientDetails.tsx')).files.has(wrapper)).toBe(true);
  });

  it('reaches the charts through a dynamic import, and the chart library from them', () => {
    expect(importsOf(wrapper).dynamics.map((s) => resolve(wrapper, s))).toEqual([charts]);
    expect(initialGraph(charts).files.has(plot)).toBe(true);
    expect(importsOf(plot).statics).toContain('@fluentui/react-charts');
  });
});
