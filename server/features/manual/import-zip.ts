import { inflateRawSync } from 'node:zlib';

/**
 * An .xlsx file is a zip. Before the workbook reader unpacks it, every entry is inflated here
 * with a cap on what it may grow to, so a small file that expands to gigabytes (a zip bomb) is
 * refused having used at most the cap. The sizes the zip declares are not trusted: the cap
 * applies to the bytes that actually come out.
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

/** Checks that the zip is whole and unpacks to at most `maxBytes`, without keeping what it unpacks. */
export function checkZip(zip: Buffer, maxBytes = XLSX_MAX_UNPACKED_BYTES): ZipVerdict {
  try {
    const end = endRecord(zip);
    if (end < 0) return { ok: false, reason: 'broken' };
    const entries = zip.readUInt16LE(end + 10);
    let at = zip.readUInt32LE(end + 16);
    if (entries > MAX_ENTRIES) return { ok: false, reason: 'too_large' };
    let budget = maxBytes;
    for (let i = 0; i < entries; i++) {
      if (zip.readUInt32LE(at) !== CENTRAL) return { ok: false, reason: 'broken' };
      const method = zip.readUInt16LE(at + 10);
      const packed = zip.readUInt32LE(at + 20);
      const local = zip.readUInt32LE(at + 42);
      // Zip64 sizes (all ones) have no place in a workbook of at most 10 MB.
      if (packed === 0xffffffff || local === 0xffffffff) return { ok: false, reason: 'too_large' };
      at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
      if (zip.readUInt32LE(local) !== LOCAL) return { ok: false, reason: 'broken' };
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      if (start + packed > zip.length) return { ok: false, reason: 'broken' };
      const data = zip.subarray(start, start + packed);
      let size: number;
      if (method === 0) size = packed;
      else if (method === 8) {
        try {
          size = inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
        } catch (err) {
          return { ok: false, reason: (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'broken' };
        }
      } else return { ok: false, reason: 'broken' };
      budget -= size;
      if (budget < 0) return { ok: false, reason: 'too_large' };
    }
    return { ok: true };
  } catch {
    // Offsets pointing past the end of the file.
    return { ok: false, reason: 'broken' };
  }
}
