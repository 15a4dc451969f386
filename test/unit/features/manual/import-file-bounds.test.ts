import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readImportFile } from '../../../../server/features/manual/import-file';
import { refusal, workbook } from '../../../helpers/import-files';

/**
 * The shape of an imported file is bounded while it is read: a small file naming a far column,
 * a huge header, or ranges covering a whole sheet is refused in plain words before the server
 * builds a cell for each position; a real list with gaps between its columns reads as before.
 */

/** A workbook whose first sheet is this XML inside <worksheet>, as any program could write it. */
async function workbookWithSheet(inner: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await workbook([], (sheet) => sheet.addRow(['Name'])));
  zip.file(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${inner}</worksheet>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const nameRows =
  '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Ada</t></is></c></row></sheetData>';

describe('bounding the shape of an Excel workbook', () => {
  it('refuses rows with a cell in the last column (XFD) without making a cell for every column between', async () => {
    const file = await workbook([], (sheet) => {
      for (let r = 1; r <= 300; r++) {
        sheet.getCell(`A${r}`).value = r === 1 ? 'Name' : `Patient ${r}`;
        sheet.getCell(`XFD${r}`).value = 'x';
      }
    });
    expect(file.length).toBeLessThan(64 * 1024);
    const err = await refusal(file, 'ward.xlsx');
    expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(err.message).toBe(
      'Row 1 of the sheet has more than 200 columns; at most 200 can be imported. Delete the columns that are not needed (and anything typed far to the right of the list) and upload the file again.',
    );
  });

  it('refuses one wide row below a normal header, naming it', async () => {
    const file = await workbook([], (sheet) => {
      sheet.addRows([
        ['Name', 'MRN'],
        ['Ada', 'M-1'],
        ['Grace', 'M-2'],
      ]);
      sheet.getCell('GS3').value = 'stray';
    });
    expect((await refusal(file, 'ward.xlsx')).message).toMatch(/^Row 3 of the sheet has more than 200 columns;/);
  });

  it('reads 200 columns', async () => {
    const file = await workbook([], (sheet) => {
      sheet.addRow(Array.from({ length: 200 }, (_, i) => `C${i + 1}`));
      sheet.addRow(Array.from({ length: 200 }, (_, i) => String(i + 1)));
    });
    const read = await readImportFile(file, 'wide.xlsx');
    expect(read.columns).toHaveLength(200);
    expect(read.rows[0].cells[199]).toBe('200');
  });

  it('keeps values in their columns across empty cells, as the sheet shows them', async () => {
    const file = await workbook([], (sheet) => {
      sheet.getCell('A1').value = 'Name';
      sheet.getCell('D1').value = 'MRN';
      sheet.getCell('F1').value = 'Room';
      sheet.getCell('A2').value = 'Ada Lovelace';
      sheet.getCell('D2').value = 'M-1';
      sheet.getCell('F2').value = '4B';
      sheet.getCell('B3').value = 'only B';
      sheet.getCell('F3').value = '5C';
    });
    expect(await readImportFile(file, 'gaps.xlsx')).toEqual({
      columns: ['Name', 'Column 2', 'Column 3', 'MRN', 'Column 5', 'Room'],
      rows: [
        { row: 2, cells: ['Ada Lovelace', '', '', 'M-1', '', '4B'] },
        { row: 3, cells: ['', 'only B', '', '', '', '5C'] },
      ],
    });
  });

  it('refuses a workbook with more cells than can be imported, before reading it', async () => {
    // 2,600 rows of 100 numbers: 260,000 cells, a few hundred kB packed.
    const row = (r: number) =>
      `<row r="${r}">${Array.from({ length: 100 }, (_, i) => `<c r="${i < 26 ? '' : 'A'}${String.fromCharCode(65 + (i % 26))}${r}"><v>1</v></c>`).join('')}</row>`;
    const file = await workbookWithSheet(`<sheetData>${Array.from({ length: 2_600 }, (_, i) => row(i + 1)).join('')}</sheetData>`);
    expect((await refusal(file, 'big.xlsx')).message).toBe(
      'The file has more than 250,000 cells; at most 250,000 can be imported at once. Save only the sheet of patients with the columns you need, or split it, and import each part.',
    );
  });

  it('refuses merged cells covering a whole sheet, and reads a workbook whose widths, validations and formats name a whole sheet', async () => {
    const merged = await workbookWithSheet(`${nameRows}<mergeCells count="1"><mergeCell ref="B1:XFD100000"/></mergeCells>`);
    expect((await refusal(merged, 'merged.xlsx')).message).toMatch(/^The file has more than 250,000 cells;/);
    // The reader takes either quote and any whitespace, and decodes entities: so does the count, or the file is refused.
    for (const element of [
      `<mergeCell ref='B1:CV40000'/>`,
      `<mergeCell\tref="B1:CV40000"/>`,
      `<mergeCell\nref = "B1:CV40000" />`,
      `<mergeCell ref="B1&#58;CV40000"/>`,
      `<mergeCell ref="b1:cv40000"/>`,
    ]) {
      const bypass = await workbookWithSheet(`${nameRows}<mergeCells count="1">${element}</mergeCells>`);
      expect((await refusal(bypass, 'merged.xlsx')).code, element).toBe('validation_failed');
    }

    const ranges = await workbookWithSheet(
      '<cols><col min="1" max="20000000" width="10" customWidth="1"/></cols>' +
        nameRows +
        '<conditionalFormatting sqref="A1:XFD1048576"><cfRule type="expression" priority="1"><formula>1</formula></cfRule></conditionalFormatting>' +
        '<dataValidations count="1"><dataValidation type="whole" sqref="A1:XFD1048576"><formula1>1</formula1></dataValidation></dataValidations>',
    );
    expect(await readImportFile(ranges, 'ranges.xlsx')).toEqual({ columns: ['Name'], rows: [{ row: 2, cells: ['Ada'] }] });
  });

  it('bounds the text read, not only the file: one long shared string used by many cells is refused before it is copied out', async () => {
    const shared = async (text: string, uses: number) => {
      const zip = await JSZip.loadAsync(await workbookWithSheet(''));
      zip.file(
        'xl/worksheets/sheet1.xml',
        `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
          `<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>` +
          Array.from({ length: uses }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>0</v></c></row>`).join('') +
          `</sheetData></worksheet>`,
      );
      zip.file(
        'xl/sharedStrings.xml',
        `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${uses}" uniqueCount="1"><si><t>${text}</t></si></sst>`,
      );
      return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    };
    const many = await shared('A'.repeat(30_000), 2_000);
    expect(many.length).toBeLessThan(64 * 1024);
    const started = performance.now();
    expect((await refusal(many, 'ward.xlsx')).message).toMatch(/^The sheet holds more than 10,000,000 characters of text;/);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await refusal(await shared('A'.repeat(40_000), 1), 'ward.xlsx')).message).toMatch(/^Cell A2 holds more than 32,767 characters/);
    expect((await readImportFile(await shared('Ada Lovelace', 3), 'ward.xlsx')).rows.map((r) => r.cells)).toEqual([
      ['Ada Lovelace'],
      ['Ada Lovelace'],
      ['Ada Lovelace'],
    ]);
  });

  it('still reads a merged cell as the value of every cell it covers', async () => {
    const file = await workbook([], (sheet) => {
      sheet.addRows([
        ['Name', 'Ward', 'Bed'],
        ['Ada', '4B', '1'],
        ['Grace', null, '2'],
      ]);
      sheet.mergeCells('B2:B3');
    });
    expect((await readImportFile(file, 'merged.xlsx')).rows.map((r) => r.cells)).toEqual([
      ['Ada', '4B', '1'],
      ['Grace', '4B', '2'],
    ]);
  });
});

describe('bounding the shape of a CSV file', () => {
  it('refuses a header of 100,000 columns without naming them back', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    const err = await refusal(Buffer.from(`${header}\nAda\n`), 'wide.csv');
    expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(err.message).toBe(
      'Line 1 of the file has more than 200 columns; at most 200 can be imported. Delete the columns that are not needed (and anything typed far to the right of the list) and upload the file again.',
    );
  });

  it('refuses a wide row further down, counting separators inside quotes as text', async () => {
    const quoted = `"${';'.repeat(500)}"`;
    expect((await readImportFile(Buffer.from(`Name;Notes\nAda;${quoted}\n`), 'a.csv')).rows[0].cells).toEqual(['Ada', ';'.repeat(500)]);
    expect((await refusal(Buffer.from(`Name;Notes\nAda;x\n"Grace\nHopper"${';'.repeat(300)}\n`), 'a.csv')).message).toMatch(
      /^Line 4 of the file has more than 200 columns;/,
    );
  });

  it('reads 200 columns, and refuses more cells in all than can be imported', async () => {
    const line = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`).join(',');
    expect((await readImportFile(Buffer.from(`${line(200)}\n${line(200)}\n`), 'a.csv')).columns).toHaveLength(200);
    const many = [line(100), ...Array.from({ length: 2_500 }, () => line(100))].join('\n');
    expect((await refusal(Buffer.from(many), 'a.csv')).message).toMatch(/^The file has more than 250,000 cells;/);
  });

  it('keeps empty cells between values in their columns', async () => {
    expect(await readImportFile(Buffer.from('Name,,,MRN\nAda,,,M-1\n,x,,\n'), 'a.csv')).toEqual({
      columns: ['Name', 'Column 2', 'Column 3', 'MRN'],
      rows: [
        { row: 2, cells: ['Ada', '', '', 'M-1'] },
        { row: 3, cells: ['', 'x', '', ''] },
      ],
    });
  });
});
