import JSZip from 'jszip';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Every regular file under `dir`, as paths relative to it with `/` separators. Symbolic links are refused. */
export async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (entry.isSymbolicLink()) throw new Error(`${path} is a symbolic link, which a zip deploy does not keep`);
    if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

/** Zips the files under `dir` (deflated, paths relative to it) into `zipPath`. */
export async function zipFolder(dir: string, zipPath: string): Promise<number> {
  const zip = new JSZip();
  const files = await listFiles(dir);
  for (const file of files) zip.file(file, await readFile(join(dir, file)));
  await mkdir(dirname(zipPath), { recursive: true });
  await pipeline(
    zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } }),
    createWriteStream(zipPath),
  );
  return files.length;
}

/** Unzips `zipPath` into `dir`, refusing entries that would land outside it. */
export async function unzipInto(zipPath: string, dir: string): Promise<number> {
  const zip = await JSZip.loadAsync(await readFile(zipPath));
  const entries = Object.values(zip.files).filter((entry) => !entry.dir);
  for (const entry of entries) {
    const target = join(dir, entry.name);
    if (relative(dir, target).startsWith('..')) throw new Error(`${entry.name} would land outside the folder`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await entry.async('nodebuffer'));
  }
  return entries.length;
}
