import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readImportFile } from '../../../../server/features/manual/import-file';
import { checkWorkbookShape } from '../../../../server/features/manual/import-xlsx-shape';
import { zipEntries } from '../../../../server/features/manual/import-zip';
import { refusal, workbook } from '../../../helpers/import-files';

/**
 * The text a workbook holds is bounded before the workbook reader runs, like its cells: a small
 * file that unpacks to a sheet of tens of MB of text (within the 100 MB cap, the cell and element
 * bounds) is refused by the count of its unpacked XML, and the reader never builds that text.
 */

/** A workbook whose entries are those of a one-row workbook, with these replaced or added. */
async function withEntries(entries: Record<string, string>): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await workbook([['Name']]));
  for (const [name, text] of Object.entries(entries)) zip.file(name, text);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

const sheetXml = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
  `<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>${rows}</sheetData></worksheet>`;

/** `count` rows below the header, the cell of each made by `cell(address)`. */
const rowsOf = (count: number, cell: (address: string, i: number) => string) =>
  Array.from({ length: count }, (_, i) => `<row r="${i + 2}">${cell(`A${i + 2}`, i)}</row>`).join('');

/** The reported attack: about 95 MB of inline text in 3,300 cells of 30,000 characters, packed to about 134 kB. */
const textBomb = (mb = 95, cellChars = 30_000) => {
  const text = 'A'.repeat(cellChars);
  const cells = Math.floor((mb * 1024 * 1024) / cellChars);
  return withEntries({
    'xl/worksheets/sheet1.xml': sheetXml(rowsOf(cells, (r) => `<c r="${r}" t="inlineStr"><is><t>${text}</t></is></c>`)),
  });
};

const tooMuchText =
  'The sheet holds more than 10,000,000 characters of text; at most that can be imported at once. Save only the columns you need, or split it, and import each part.';

describe('bounding the text of a workbook before it is read', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses a 134 kB workbook that unpacks to 95 MB of cell text, without the reader ever running', async () => {
    const file = await textBomb();
    expect(file.length).toBeLessThan(200 * 1024);
    // Every use of the reader goes through this getter (workbook.xlsx.load): it must not be used at all.
    const reader = vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');
    const err = await refusal(file, 'ward.xlsx');
    expect(err).toMatchObject({ code: 'validation_failed', status: 400, message: tooMuchText });
    expect(reader).not.toHaveBeenCalled();
  }, 60_000);

  it('counts every text the reader would build, wherever the workbook puts it', async () => {
    const run = 'B'.repeat(30_000);
    const cells = 400; // 12,000,000 characters, in 400 cells well within every other bound
    const sharedStrings =
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${cells}" uniqueCount="${cells}">` +
      Array.from({ length: cells }, (_, i) => `<si><t>${i}${run}</t></si>`).join('') +
      `</sst>`;
    const variants: Record<string, Record<string, string>> = {
      'shared strings, each used once': {
        'xl/worksheets/sheet1.xml': sheetXml(rowsOf(cells, (r, i) => `<c r="${r}" t="s"><v>${i}</v></c>`)),
        'xl/sharedStrings.xml': sharedStrings,
      },
      'shared strings no cell uses': { 'xl/sharedStrings.xml': sharedStrings },
      'rich text runs': {
        'xl/worksheets/sheet1.xml': sheetXml(
          rowsOf(cells, (r) => `<c r="${r}" t="inlineStr"><is><r><t>${run.slice(0, 15_000)}</t></r><r><t>${run.slice(0, 15_000)}</t></r></is></c>`),
        ),
      },
      'whitespace kept as a value': {
        'xl/worksheets/sheet1.xml': sheetXml(
          rowsOf(cells, (r) => `<c r="${r}" t="inlineStr"><is><t xml:space="preserve">${' '.repeat(30_000)}</t></is></c>`),
        ),
      },
      'formulas with a saved value': {
        'xl/worksheets/sheet1.xml': sheetXml(
          rowsOf(cells, (r) => `<c r="${r}" t="str"><f>"${run.slice(0, 8_000)}"</f><v>${run.slice(0, 22_000)}</v></c>`),
        ),
      },
      'a second sheet under a name the reader still matches': {
        'docs/xl/worksheets/sheet2.xml.old': sheetXml(rowsOf(cells, (r) => `<c r="${r}" t="inlineStr"><is><t>${run}</t></is></c>`)),
      },
      comments: {
        'xl/comments1.xml': `<?xml version="1.0"?><comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><commentList>${Array.from({ length: cells }, (_, i) => `<comment ref="A${i + 1}"><text><t>${run}</t></text></comment>`).join('')}</commentList></comments>`,
      },
    };
    const files = await Promise.all(Object.entries(variants).map(async ([name, entries]) => [name, await withEntries(entries)] as const));
    const reader = vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');
    for (const [name, file] of files) {
      expect(checkWorkbookShape(zipEntries(file)), name).toEqual({ ok: false, reason: 'too_much_text' });
      expect((await refusal(file, 'ward.xlsx')).message, name).toBe(tooMuchText);
    }
    expect(reader).not.toHaveBeenCalled();
  }, 60_000);

  it('refuses a cell longer than Excel keeps before reading, naming it, and counts characters, not bytes', async () => {
    const long = await withEntries({
      'xl/worksheets/sheet1.xml': sheetXml(`<row r="2"><c r="B2" t="inlineStr"><is><t>${'x'.repeat(32_768)}</t></is></c></row>`),
    });
    const reader = vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');
    expect((await refusal(long, 'ward.xlsx')).message).toBe(
      'Cell B2 holds more than 32,767 characters, more than Excel itself keeps in a cell. Correct it and upload the file again.',
    );
    expect(reader).not.toHaveBeenCalled();
    reader.mockRestore();

    // 32,767 characters of three bytes each, and entities that are one character each: both read.
    const chinese = '护'.repeat(32_767);
    const entities = '&amp;'.repeat(32_767);
    const file = await withEntries({
      'xl/worksheets/sheet1.xml': sheetXml(
        `<row r="2"><c r="A2" t="inlineStr"><is><t>${chinese}</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>${entities}</t></is></c></row>`,
      ),
    });
    expect((await readImportFile(file, 'ward.xlsx')).rows).toEqual([
      { row: 2, cells: [chinese] },
      { row: 3, cells: ['&'.repeat(32_767)] },
    ]);
  }, 60_000);

  it('still reads a pretty-printed workbook: whitespace between elements is layout, not text', async () => {
    // 3,000 cells with 12,000,000 spaces around their elements.
    const indent = ' '.repeat(800);
    const file = await withEntries({
      'xl/worksheets/sheet1.xml': sheetXml(
        rowsOf(3_000, (r) => `${indent}<c r="${r}" t="inlineStr">${indent}<is>${indent}<t>Ada</t>${indent}</is>${indent}</c>${indent}`),
      ),
    });
    expect((await readImportFile(file, 'ward.xlsx')).rows).toHaveLength(3_000);
  }, 60_000);
});
