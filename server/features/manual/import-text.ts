/**
 * The text of an uploaded CSV in whichever of the encodings Excel saves it in:
 * - "CSV UTF-8": UTF-8, with or without a byte order mark;
 * - "Unicode Text": UTF-16 with a byte order mark (little-endian, tab-separated);
 * - "CSV (Comma delimited)" on a Western European Windows: the ANSI code page, Windows-1252 (Zoé, Müller, Muñoz).
 *
 * Bytes that are not UTF-8 are read as Windows-1252 only when they read as Western European
 * text: no byte Windows-1252 leaves unassigned, no character beyond ASCII but Latin letters,
 * no-break space and the usual typographic marks, and never four of those in a row. Another
 * code page does not pass: Cyrillic 1251 and Greek 1253 words are runs of high bytes (Иванов
 * reads "Èâàíîâ"), and a Shift JIS or GBK name's bytes read as runs or as symbols (山田 "ŽR“c",
 * 王小明 "ÍõÐ¡Ã÷"). Such a file is refused, asking for CSV UTF-8, rather than imported as the
 * wrong letters; the preview shows every name read before anything is saved.
 */
export type CsvText = { text: string } | { refused: true };

/**
 * Windows-1252's characters for 0x80–0x9F (WHATWG Encoding, index-windows-1252); every other byte
 * is the code point of its value. Written out because Node's TextDecoder('windows-1252') decodes
 * these bytes as Latin-1's C1 controls (0x8C as U+008C, not Œ).
 */
const WINDOWS_1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

const windows1252 = (file: Uint8Array) =>
  Buffer.from(file.buffer, file.byteOffset, file.length)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_80_9F[c.charCodeAt(0) - 0x80]);

/**
 * What Western European text does not hold: a character beyond ASCII other than a Latin letter,
 * the no-break space and the usual typographic marks (so also the five bytes Windows-1252 leaves
 * unassigned, read as C1 controls), or four of those in a row.
 */
const NOT_WESTERN = /[^\p{ASCII}\u00a0À-ÖØ-öø-ÿŠšŒœŽžŸ’‘“”–—…€°ªº²³µ·«»´]|\P{ASCII}{4}/u;

export function csvText(file: Uint8Array): CsvText {
  const utf16 = file[0] === 0xff && file[1] === 0xfe ? 'utf-16le' : file[0] === 0xfe && file[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) return decoded(utf16, file);
  const utf8 = decoded('utf-8', file);
  if (!('refused' in utf8)) return utf8;
  const text = windows1252(file);
  return NOT_WESTERN.test(text) ? { refused: true } : { text };
}

function decoded(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', file: Uint8Array): CsvText {
  try {
    // The byte order mark is taken off (ignoreBOM: false); a malformed sequence is refused (fatal).
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(file) };
  } catch {
    return { refused: true };
  }
}
