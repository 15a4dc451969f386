import type { Metafile } from 'esbuild';

/** Sources only dev mode loads: the sandbox EHR partner, the dev routes, the dev directory and identity provider. */
export const devOnlySource = (path: string) => /^server\/(sandbox|dev)\/|^server\/identity\/dev-/.test(path);
/** Packages only dev mode needs (the sandbox's FHIR server); they are dev dependencies. */
export const devOnlyPackage = (specifier: string) => /^@medplum\//.test(specifier);

/**
 * The output files of a split esbuild build that production loads from `entry`: everything it
 * imports, and what it may import at run time, except the chunks of dev-only code. Throws if a file
 * production loads holds dev-only code or imports a dev-only package, so a static import of the
 * sandbox (or of something that imports it) fails the build instead of reaching production.
 */
export function productionFiles(metafile: Metafile, entry: string): string[] {
  const devChunk = (file: string) => Object.keys(metafile.outputs[file]?.inputs ?? {}).some(devOnlySource);
  const seen = new Set<string>();
  const visit = (file: string, from: string) => {
    if (seen.has(file)) return;
    const output = metafile.outputs[file];
    if (!output) throw new Error(`${from} imports ${file}, which the build did not write`);
    seen.add(file);
    const dev = Object.keys(output.inputs).filter(devOnlySource);
    if (dev.length) throw new Error(`${file}, which production loads from ${from}, holds dev-only code: ${dev.join(', ')}`);
    for (const imported of output.imports) {
      if (imported.external) {
        if (devOnlyPackage(imported.path)) throw new Error(`${file}, which production loads, imports the dev-only package ${imported.path}`);
        continue;
      }
      if (imported.kind === 'dynamic-import' && devChunk(imported.path)) continue;
      visit(imported.path, file);
    }
  };
  visit(entry, 'the start');
  return [...seen];
}
