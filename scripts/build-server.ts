import { build, type Metafile } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { productionFiles } from './deploy/production-files.js';

/**
 * Compiles the server into dist/server with esbuild: the project's own code (server/ and contract/)
 * bundled, every package of node_modules left as an import, so production runs
 * `node dist/server/index.js` with no TypeScript loader. Dev-only code, which server/start.ts loads
 * with dynamic imports in dev mode only, lands in chunks of its own; the files production needs
 * are listed in dist/server/production-files.json for the deploy package, and the build fails if
 * any of them holds dev-only code.
 */
const outdir = 'dist/server';
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { index: 'server/index.ts' },
  outdir,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  // The oldest Node the project supports (package.json engines).
  target: 'node20.19',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});

const files = productionFiles(result.metafile as Metafile, join(outdir, 'index.js'));
writeFileSync(join(outdir, 'production-files.json'), `${JSON.stringify(files.map((file) => relative(outdir, file)).sort(), null, 2)}\n`);
const bytes = files.reduce((sum, file) => sum + result.metafile.outputs[file]!.bytes, 0);
const devChunks = Object.keys(result.metafile.outputs).length - files.length;
console.log(`server: ${files.length} files for production (${Math.round(bytes / 1024)} KB), ${devChunks} dev-only chunks, in ${outdir}`);
