import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { lookupTable } from '../../contract/lookup-table.js';

/**
 * The built tab. Files under `assets/` carry a hash of their content in their names (Vite's
 * output), so a browser keeps them for a year without asking again; everything else (index.html,
 * the consent pages) names those files and must be revalidated on each load (`no-cache`).
 */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/**
 * Compressed copies the build writes next to each file (`x.js.br`, `x.js.gz`), in the order
 * the server prefers them when a client accepts several with the same weight.
 */
export const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Content types of the files a Vite build of the tab writes; anything else goes out as bytes. */
const TYPES: Record<string, string> = lookupTable({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
});

/**
 * The copy to send for an Accept-Encoding header (RFC 9110 §12.5.3): the acceptable one with the
 * highest weight, ties going to brotli; none when the client weighs the file itself higher or sent
 * no header (Express's negotiation would break ties by the client's order, and browsers list gzip first).
 */
export function chooseEncoding(header: string | undefined): (typeof ENCODINGS)[number] | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (name: string) => weights.get(name) ?? weights.get('*') ?? (name === 'identity' ? 1 : 0);
  let best: (typeof ENCODINGS)[number] | undefined;
  for (const e of ENCODINGS) if (weightOf(e.name) > 0 && (!best || weightOf(e.name) > weightOf(best.name))) best = e;
  return best && weightOf(best.name) >= weightOf('identity') ? best : undefined;
}

async function isFile(file: string): Promise<{ mtimeMs: number } | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/**
 * Serves the files of `dir` (GET and HEAD): the brotli or gzip copy the build wrote when the
 * client's Accept-Encoding takes it (`Content-Encoding` set, `Content-Type` the original's), the
 * file itself otherwise. The disk is read on each request, so a rebuild while the server runs is
 * served at once. Paths that are not files of `dir` (or are dotfiles, or the compressed copies
 * themselves) go to the next handler.
 */
export function staticFiles(dir: string): RequestHandler {
  const root = path.resolve(dir);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    void serve(root, req, res, next).catch(next);
  };
}

async function serve(root: string, req: Request, res: Response, next: NextFunction): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(req.path);
  } catch {
    return next();
  }
  if (relative.includes('\0')) return next();
  if (relative.endsWith('/')) relative += 'index.html';
  const segments = relative.split('/').filter(Boolean);
  if (segments.some((s) => s.startsWith('.') || s === '..')) return next();
  const file = path.join(root, ...segments);
  if (!file.startsWith(root + path.sep)) return next();
  if (ENCODINGS.some((e) => file.endsWith(e.suffix))) return next();
  const original = await isFile(file);
  if (!original) return next();

  const extension = path.extname(file).toLowerCase();
  res.setHeader('Content-Type', TYPES[extension] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', segments[0] === 'assets' && segments.length > 1 ? IMMUTABLE : REVALIDATE);
  res.vary('Accept-Encoding');

  let sent = file;
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  if (encoding) {
    const variant = await isFile(file + encoding.suffix);
    // A copy older than its file is left over from an earlier build.
    if (variant && variant.mtimeMs >= original.mtimeMs) {
      sent = file + encoding.suffix;
      res.setHeader('Content-Encoding', encoding.name);
    }
  }
  await new Promise<void>((resolve) => {
    res.sendFile(sent, { cacheControl: false, dotfiles: 'allow', lastModified: true, etag: true }, (err?: Error & { code?: string }) => {
      if (err && !res.headersSent) {
        // Gone since it was found (a rebuild): whatever answers instead must not be kept a year.
        for (const header of ['Content-Encoding', 'Content-Type', 'Cache-Control']) res.removeHeader(header);
        next(err.code === 'ENOENT' ? undefined : err);
      }
      resolve();
    });
  });
}
