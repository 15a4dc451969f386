import { inflateRawSync } from 'node:zlib';

/**
 * An .xlsx file is a zip. Before the workbook reader unpacks it, every entry is inflated here
 * with a cap on what it may grow to, so a small file that expands to gigabytes (a zip bomb) is
 * refused having used at most the cap. The sizes the zip declares are not trusted: the cap
 * applies to the bytes that actually come out, of the entries any reader finds (centralDirectory).
 */

/** What all the entries of one workbook may hold, unpacked. */
export const XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
const MAX_ENTRIES = 2_000;

export type ZipVerdict = { ok: true } | { ok: false; reason: 'too_large' | 'broken' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Where the end-of-central-directory record starts, searching back over a comment of up to 64 kB. */
function endRecord(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  return -1;
}

/** Why a zip is refused: it unpacks to too much, or it is not a whole zip. */
export class ZipRefused extends Error {
  constructor(readonly reason: 'too_large' | 'broken') {
    super(`zip refused: ${reason}`);
  }
}

/**
 * The entries of a zip, each unpacked in turn (one at a time is held), while checking that the
 * zip is whole and that all of them unpack to at most `maxBytes`. Throws ZipRefused.
 */
export function* zipEntries(zip: Buffer, maxBytes = XLSX_MAX_UNPACKED_BYTES): Generator<{ name: string; data: Buffer }> {
  let budget = maxBytes;
  for (const { name, method, raw } of centralDirectory(zip)) {
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: budget + 1 });
      } catch (err) {
        throw new ZipRefused((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'broken');
      }
    } else throw new ZipRefused('broken');
    budget -= data.length;
    if (budget < 0) throw new ZipRefused('too_large');
    yield { name, data };
  }
}

/**
 * Every entry's name, method and packed bytes, read from the central directory before anything is
 * unpacked. The entries are the ones any reader finds: the directory must lie right before its
 * end record, as long as it says, and hold exactly the entries it counts. A reader that finds it
 * elsewhere shifts its offsets (JSZip does, for archives with bytes in front), and one that walks
 * it until its signature stops (JSZip again) would unpack an entry left out of the count (a hidden
 * zip bomb) unchecked.
 */
function centralDirectory(zip: Buffer): { name: string; method: number; raw: Buffer }[] {
  const end = endRecord(zip);
  if (end < 0) throw new ZipRefused('broken');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (count > MAX_ENTRIES) throw new ZipRefused('too_large');
  if (at + zip.readUInt32LE(end + 12) !== end || zip.readUInt16LE(end + 8) !== count) throw new ZipRefused('broken');
  const entries: { name: string; method: number; raw: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL) throw new ZipRefused('broken');
    const method = zip.readUInt16LE(at + 10);
    const packed = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    // Zip64 sizes (all ones) have no place in a workbook of at most 10 MB.
    if (packed === 0xffffffff || local === 0xffffffff) throw new ZipRefused('too_large');
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new ZipRefused('broken');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + packed > zip.length) throw new ZipRefused('broken');
    entries.push({ name, method, raw: zip.subarray(start, start + packed) });
  }
  if (at !== end) throw new ZipRefused('broken');
  return entries;
}

/** Checks that the zip is whole and unpacks to at most `maxBytes`, without keeping what it unpacks. */
export function checkZip(zip: Buffer, maxBytes = XLSX_MAX_UNPACKED_BYTES): ZipVerdict {
  try {
    for (const entry of zipEntries(zip, maxBytes)) void entry;
    return { ok: true };
  } catch (err) {
    // Offsets pointing past the end of the file are a broken zip too.
    return { ok: false, reason: err instanceof ZipRefused ? err.reason : 'broken' };
  }
}
