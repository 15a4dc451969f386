import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The tab's budget for the JavaScript it loads before anything shows (issue 12: 250 kB gzip, kB as Vite counts them: 1000 bytes). */
export const INITIAL_JS_BUDGET_BYTES = 250_000;

/**
 * The JavaScript a browser loads before the tab can show anything: the module scripts and module
 * preloads `index.html` names (chunks loaded on demand, like the trend charts, are not), each
 * gzipped as a server would send it. Sizes in bytes, per file and in all.
 */
export function initialJs(distDir: string): { files: { file: string; gzipBytes: number }[]; gzipBytes: number } {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const urls = [
    ...[...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]),
  ];
  if (!urls.length) throw new Error('index.html names no module script: is this a build of the tab?');
  const files = [...new Set(urls)].map((url) => ({ file: url, gzipBytes: gzipSync(readFileSync(join(distDir, url.replace(/^\//, '')))).length }));
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
