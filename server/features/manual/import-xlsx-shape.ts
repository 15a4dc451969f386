/**
 * The workbook reader builds an object for every cell, row and merged cell of every sheet while
 * it loads, and cannot be stopped part way. So before it runs, the unpacked XML of a workbook
 * (its entries as zipEntries unpacks them, whole and at most 100 MB) is counted here, without parsing it:
 * its cells, its XML elements, and the cells its merged ranges cover. A file past any bound is
 * refused before the reader sees it.
 *
 * The bounds are far past a team's patient list (tens to a few thousand rows of 5 to 40 columns)
 * and keep the reader's work to about 3 seconds and 300 MB at worst:
 * - 250,000 cells: 10,000 rows (the most imported at once) of 25 columns, or 1,250 rows of 200.
 * - 750,000 XML elements in all: three for each of those cells (cell, value, formula) and the
 *   styles, theme and strings a workbook carries besides.
 * - 1,000 merged ranges covering at most 250,000 cells: each merge fills every cell it covers, and
 *   each is checked against all the others.
 */
export const XLSX_MAX_CELLS = 250_000;
const MAX_ELEMENTS = 750_000;
const MAX_MERGES = 1_000;

export type ShapeVerdict = { ok: true } | { ok: false; reason: 'too_many_cells' | 'too_much' };

const LT = 0x3c;
const isNameEnd = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x3e || byte === 0x2f;

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

/** Counts the shape of a workbook's unpacked entries, stopping at the first bound passed. */
export function checkWorkbookShape(entries: Iterable<{ name: string; data: Buffer }>): ShapeVerdict {
  let elements = 0;
  let cells = 0;
  let mergedRanges = 0;
  let mergedCells = 0;
  for (const { name, data } of entries) {
    const isSheet = name.startsWith('xl/worksheets/') && name.endsWith('.xml');
    for (let at = data.indexOf(LT); at >= 0; at = data.indexOf(LT, at + 1)) {
      const next = data[at + 1];
      // Closing tags, declarations and comments are not elements.
      if (next === 0x2f || next === 0x3f || next === 0x21) continue;
      if (++elements > MAX_ELEMENTS) return { ok: false, reason: 'too_much' };
      if (isSheet && next === 0x63 && isNameEnd(data[at + 2]) && ++cells > XLSX_MAX_CELLS) return { ok: false, reason: 'too_many_cells' };
    }
    if (isSheet) {
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
