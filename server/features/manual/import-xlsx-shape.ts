/**
 * The workbook reader builds an object for every cell, row and merged cell of every sheet, and a
 * string for all the text it parses, while it loads, and cannot be stopped part way. So before it
 * runs, the unpacked XML of a workbook (its entries as zipEntries unpacks them, whole and at most
 * 100 MB) is counted here, without parsing it: its cells, its XML elements, the cells its merged
 * ranges cover, and its text. A file past any bound is refused before the reader sees it: every
 * bound on what the reader builds is checked here, none only after it has run.
 *
 * The bounds are far past a team's patient list (tens to a few thousand rows of 5 to 40 columns)
 * and keep the reader's work to about 3 seconds and 300 MB at worst:
 * - 250,000 cells: 10,000 rows (the most imported at once) of 25 columns, or 1,250 rows of 200.
 * - 750,000 XML elements in all: three for each of those cells (cell, value, formula) and the
 *   styles, theme and strings a workbook carries besides.
 * - 1,000 merged ranges covering at most 250,000 cells: each merge fills every cell it covers, and
 *   each is checked against all the others.
 * - 10,000,000 characters of text in all (shared strings, inline strings, values, formulas,
 *   comments: every part the reader parses), and 32,767 in one cell of a sheet, as Excel keeps.
 */
export const XLSX_MAX_CELLS = 250_000;
/** Excel keeps at most 32,767 characters in a cell (Excel specifications and limits). */
export const XLSX_MAX_CELL_TEXT = 32_767;
/** Characters of text one import reads at most: as much as the largest file taken (10 MB) could hold written out. */
export const XLSX_MAX_TEXT = 10_000_000;
const MAX_ELEMENTS = 750_000;
const MAX_MERGES = 1_000;

export type ShapeVerdict =
  | { ok: true }
  | { ok: false; reason: 'too_many_cells' | 'too_much' | 'too_much_text' }
  /** `cell`: its A1 address, or '' where the sheet does not write one. */
  | { ok: false; reason: 'cell_too_long'; cell: string };

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const AMP = 0x26;
const SEMI = 0x3b;
const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
const isNameEnd = (byte: number | undefined) => isSpace(byte) || byte === GT || byte === SLASH;

/**
 * Worksheets as the reader finds them: it matches its pattern anywhere in an entry's name
 * ("x/xl/worksheets/sheet1.xml.bak" is read as a sheet too), so this does as well.
 */
const isSheet = (name: string) => /xl\/worksheets\/sheet\d+[.]xml/.test(name) || (name.startsWith('xl/worksheets/') && name.endsWith('.xml'));
/** Entries the reader parses as XML (and so holds the text of): every name it matches has one of these in it. */
const isXml = (name: string) => /[.](?:xml|rels|vml)/.test(name);

/** A1-style column letters as a number (A = 1). */
const columnNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/**
 * The cells merged ranges cover, and how many there are; stops counting past the bounds. Every
 * `<mergeCell` element counts, however its attributes are quoted or spaced (the reader takes
 * either quote and any whitespace); null for one whose `ref` this count cannot read (an entity,
 * lower-case letters, an odd form): the workbook is then refused rather than read uncounted.
 */
function merges(sheet: Buffer): { ranges: number; cells: number } | null {
  let ranges = 0;
  let cells = 0;
  if (sheet.indexOf('<mergeCell') < 0) return { ranges, cells };
  const element = /<mergeCell(?=[\s/>])([^>]*)>/g;
  const ref = /(?:^|\s)ref\s*=\s*(["'])\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?\1/;
  for (const [, attributes] of sheet.toString('latin1').matchAll(element)) {
    ranges++;
    const found = ref.exec(attributes);
    if (!found) return null;
    const [, , c1, r1, c2 = c1, r2 = r1] = found;
    cells += (Math.abs(columnNumber(c2) - columnNumber(c1)) + 1) * (Math.abs(Number(r2) - Number(r1)) + 1);
    if (ranges > MAX_MERGES || cells > XLSX_MAX_CELLS) break;
  }
  return { ranges, cells };
}

/**
 * The characters XML text from `from` to `to` is once read, as JavaScript counts them (UTF-16
 * units): a UTF-8 sequence is one (two for one of four bytes), an entity or character reference
 * one. Stops counting past `stop`, so a long run costs no more than the bound it breaks.
 */
function textLength(data: Buffer, from: number, to: number, stop: number): number {
  let n = 0;
  for (let i = from; i < to && n <= stop; i++) {
    const byte = data[i];
    if (byte === AMP) {
      // An entity is at most a few bytes up to its ";" (&#x10FFFF; is the longest the reader takes).
      let end = i + 1;
      while (end < to && end - i <= 10 && data[end] !== SEMI) end++;
      if (data[end] === SEMI && end < to) i = end;
      n++;
    } else if (byte < 0x80 || byte >= 0xc0) n += byte >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** The A1 address a cell element names (its `r`), or '' where it names none this count can read. */
function cellAddress(data: Buffer, at: number): string {
  const tag = data.toString('latin1', at, Math.min(data.length, at + 200));
  return /^<c\s(?:[^>]*?\s)?r\s*=\s*(["'])([A-Z]{1,3}\d{1,7})\1/.exec(tag)?.[2] ?? '';
}

/** Counts the shape of a workbook's unpacked entries, stopping at the first bound passed. */
export function checkWorkbookShape(entries: Iterable<{ name: string; data: Buffer }>): ShapeVerdict {
  let elements = 0;
  let cells = 0;
  let mergedRanges = 0;
  let mergedCells = 0;
  let text = 0;
  for (const { name, data } of entries) {
    const sheet = isSheet(name);
    const xml = sheet || isXml(name);
    // Where the last tag ended; whether it opened an element (<t>, not </t>, <t/> or <?…?>); whether that was a formula.
    let tagEnd = -1;
    let opened = false;
    let formula = false;
    // The sheet cell being read (where its <c starts, -1 outside one) and the characters of its text so far.
    let cellAt = -1;
    let cellText = 0;
    for (let at = data.indexOf(LT); at >= 0; at = data.indexOf(LT, at + 1)) {
      const next = data[at + 1];
      // The text before this tag: what the reader keeps as the value of the element around it.
      // Whitespace alone between elements is layout; inside an element with no others (<t> </t>) it is a value.
      if (xml && at > tagEnd + 1) {
        let start = tagEnd + 1;
        while (start < at && isSpace(data[start])) start++;
        if (start < at || (opened && next === SLASH)) {
          const inCell = cellAt >= 0 && !(opened && formula);
          const n = textLength(data, tagEnd + 1, at, Math.max(XLSX_MAX_TEXT - text, inCell ? XLSX_MAX_CELL_TEXT - cellText : 0));
          if (inCell && (cellText += n) > XLSX_MAX_CELL_TEXT) return { ok: false, reason: 'cell_too_long', cell: cellAddress(data, cellAt) };
          if ((text += n) > XLSX_MAX_TEXT) return { ok: false, reason: 'too_much_text' };
        }
      }
      const end = data.indexOf(GT, at);
      tagEnd = end < 0 ? data.length : end;
      // Closing tags, declarations and comments are not elements.
      if (next === SLASH || next === 0x3f || next === 0x21) {
        opened = false;
        if (next === SLASH && data[at + 2] === 0x63 && isNameEnd(data[at + 3])) cellAt = -1;
        continue;
      }
      opened = data[tagEnd - 1] !== SLASH;
      formula = next === 0x66 && isNameEnd(data[at + 2]);
      if (++elements > MAX_ELEMENTS) return { ok: false, reason: 'too_much' };
      if (sheet && next === 0x63 && isNameEnd(data[at + 2])) {
        if (++cells > XLSX_MAX_CELLS) return { ok: false, reason: 'too_many_cells' };
        cellAt = opened ? at : -1;
        cellText = 0;
      }
    }
    if (sheet) {
      const merged = merges(data);
      if (!merged) return { ok: false, reason: 'too_much' };
      mergedRanges += merged.ranges;
      mergedCells += merged.cells;
      if (mergedRanges > MAX_MERGES) return { ok: false, reason: 'too_much' };
      if (mergedCells > XLSX_MAX_CELLS) return { ok: false, reason: 'too_many_cells' };
    }
  }
  return { ok: true };
}
