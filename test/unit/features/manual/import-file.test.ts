import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readImportFile } from '../../../../server/features/manual/import-file';
import { checkZip } from '../../../../server/features/manual/import-zip';
import { refusal, workbook } from '../../../helpers/import-files';

/** A deflated entry's local header and central directory record (with its name), claiming `claimedSize` unpacked. */
function entryHeaders(name: string, packed: Buffer, claimedSize: number, localOffset: number): { local: Buffer; central: Buffer } {
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(claimedSize, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(claimedSize, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(localOffset, 42);
  return { local: Buffer.concat([local, nameBytes]), central: Buffer.concat([central, nameBytes]) };
}

/** A zip of one entry, stored as deflated, with the sizes it claims. */
function zipOf(name: string, content: Buffer, claimedSize = content.length): Buffer {
  const packed = deflateRawSync(content);
  const { local, central } = entryHeaders(name, packed, claimedSize, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(local.length + packed.length, 16);
  return Buffer.concat([local, packed, central, end]);
}

describe('reading a CSV file', () => {
  it('reads a Microsoft Lists export: UTF-8 with BOM, semicolons, quoted cells with separators, quotes and line breaks', async () => {
    const csv = Buffer.from('\uFEFFTitle;MRN;"Notes"\r\nAda Lovelace;M-1;"left; ""bed"" 2"\r\n\r\nGrace Hopper;M-2;"two\nlines"\r\n', 'utf8');
    expect(await readImportFile(csv, 'Patients.csv')).toEqual({
      columns: ['Title', 'MRN', 'Notes'],
      rows: [
        { row: 2, cells: ['Ada Lovelace', 'M-1', 'left; "bed" 2'] },
        { row: 4, cells: ['Grace Hopper', 'M-2', 'two\nlines'] },
      ],
    });
  });

  it('reads commas too, and keeps cells starting with = + - @ as text', async () => {
    const csv = Buffer.from('Name,Room,Plan\nEve,=1+1,@SUM(A1)\nMallory,+44,-3\n');
    const file = await readImportFile(csv, 'export.csv');
    expect(file.rows.map((r) => r.cells)).toEqual([
      ['Eve', '=1+1', '@SUM(A1)'],
      ['Mallory', '+44', '-3'],
    ]);
  });

  it('names empty headers by position and refuses two columns of the same name', async () => {
    expect((await readImportFile(Buffer.from('Name,,x\nA,b,c\n'), 'a.csv')).columns).toEqual(['Name', 'Column 2', 'x']);
    expect((await refusal(Buffer.from('Name,name\nA,B\n'), 'a.csv')).message).toBe(
      'Two columns are named “name”. Rename one of them and upload the file again.',
    );
  });

  it('reads each encoding Excel saves a CSV in: UTF-8 with or without BOM, UTF-16 "Unicode Text", Windows-1252 "CSV (Comma delimited)"', async () => {
    const names = [
      ['Zoé Müller', 'Orléans'],
      ['José Muñoz', 'Weiß'],
      ['Conceição Œuvre', 'Ñúñez'],
    ];
    const csv = (separator: string) => ['Name' + separator + 'Ville', ...names.map((r) => r.join(separator))].join('\r\n') + '\r\n';
    const files: [string, Buffer][] = [
      ['UTF-8', Buffer.from(csv(','), 'utf8')],
      ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(';'), 'utf8')])],
      ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv('\t'), 'utf16le')])],
      ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv('\t'), 'utf16le').swap16()])],
      // Œ is 0x8C in Windows-1252 and not in Latin-1: the Windows code page, not ISO 8859-1.
      ['Windows-1252', Buffer.from(csv(';').replace('Œ', '\u0000'), 'latin1').map((byte) => (byte === 0 ? 0x8c : byte)) as Buffer],
    ];
    for (const [, file] of files) {
      const read = await readImportFile(file, 'export.csv');
      expect(read.columns).toEqual(['Name', 'Ville']);
      expect(read.rows.map((r) => r.cells)).toEqual(names);
    }
  });

  it('refuses text in another code page rather than import the wrong letters, and says how to save it', async () => {
    const expected =
      'The file’s text is in none of the encodings Excel saves Western European text in (UTF-8, UTF-16, Windows-1252). Save it as “CSV UTF-8” (or as an Excel workbook) and upload it again.';
    const named = (bytes: string) => Buffer.concat([Buffer.from('Name;Room\n'), Buffer.from(bytes, 'hex'), Buffer.from(';4\n')]);
    const otherCodePages = [
      named('c8e2e0edeee2'), // Иванов, Windows-1251: "Èâàíîâ"
      named('d0e1f0e1e4fcf0eff5ebeff2'), // Παπαδόπουλος, Windows-1253
      named('8e52936391be9859'), // 山田太郎, Shift JIS: "ŽR“c‘¾˜Y"
      named('97e996d8'), // 鈴木, Shift JIS: "—é–Ø"
      named('936e95d3'), // 渡辺, Shift JIS: "“n•Ó"
      named('cdf5d0a1c3f7'), // 王小明, GBK: "ÍõÐ¡Ã÷"
      named('c0eec4c8'), // 李娜, GBK: "ÀîÄÈ"
    ];
    const undefinedByte = Buffer.concat([Buffer.from('Name,Room\nAda'), Buffer.from([0x81]), Buffer.from(',4\n')]);
    // UTF-16 cut in half a character: not text.
    const brokenUtf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Name\nZoé\n', 'utf16le').subarray(0, 11)]);
    for (const file of [...otherCodePages, undefinedByte, brokenUtf16]) {
      const err = await refusal(file, 'export.csv');
      expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
      expect(err.message).toBe(expected);
    }
  });

  it('refuses more than 10,000 rows, counting rows below the header', async () => {
    const rows = (n: number) => Buffer.from(['Name', ...Array.from({ length: n }, (_, i) => `P${i}`)].join('\n'));
    expect((await readImportFile(rows(10_000), 'a.csv')).rows).toHaveLength(10_000);
    expect((await refusal(rows(10_001), 'a.csv')).message).toBe(
      'The file has 10,001 rows; at most 10,000 can be imported at once. Split it and import each part.',
    );
  });

  it('refuses a quote left open, naming where', async () => {
    expect((await refusal(Buffer.from('Name,Room\n"Ada,1\n'), 'a.csv')).message).toMatch(/^The CSV file cannot be read/);
  });
});

describe('telling the kind of file by its content', () => {
  it('refuses other kinds whatever they are named: a PDF, an old .xls, binary data named .csv, a text named .xlsx', async () => {
    expect(await refusal(Buffer.from('%PDF-1.7\n'), 'list.pdf')).toMatchObject({ code: 'unsupported_media_type', status: 415 });
    expect(await refusal(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'list.xls')).toMatchObject({ code: 'unsupported_media_type' });
    expect(await refusal(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]), 'list.csv')).toMatchObject({ code: 'unsupported_media_type' });
    expect((await refusal(Buffer.from('Name\nAda\n'), 'list.xlsx')).message).toMatch(/named \.xlsx but is not an Excel workbook/);
    expect(await refusal(await workbook([['Name'], ['Ada']]), 'list.csv')).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('reads a workbook by content when the name has no extension', async () => {
    expect((await readImportFile(await workbook([['Name'], ['Ada']]), 'upload')).rows).toEqual([{ row: 2, cells: ['Ada'] }]);
  });

  it('refuses an empty file', async () => {
    expect((await refusal(Buffer.alloc(0), 'a.csv')).message).toBe('The file is empty.');
  });
});

describe('finding the header', () => {
  const namesAField = (cell: string) => ['name', 'mrn', 'room'].includes(cell.toLowerCase());

  it('passes over a title and blank lines above the table, and a heading broken over lines keeps the separator', async () => {
    const csv = Buffer.from('Ward 4B list\r\n\r\n"Patient\nnumber";Name;Room\r\nM-1;Ada Lovelace;3\r\n');
    expect(await readImportFile(csv, 'ward.csv', namesAField)).toEqual({
      columns: ['Patient\nnumber', 'Name', 'Room'],
      rows: [{ row: 5, cells: ['M-1', 'Ada Lovelace', '3'] }],
    });
  });

  it('passes over a title merged across the table', async () => {
    const file = await workbook([['Ward 4B list'], [], ['Name', 'MRN'], ['Ada Lovelace', 'M-1']], (sheet) => sheet.mergeCells('A1:B1'));
    expect(await readImportFile(file, 'ward.xlsx', namesAField)).toEqual({
      columns: ['Name', 'MRN'],
      rows: [{ row: 4, cells: ['Ada Lovelace', 'M-1'] }],
    });
  });

  it('never passes over a row of two texts or more, lest a patient be left out', async () => {
    const csv = Buffer.from('Patient;Number\nAda Lovelace;M-1\nName;M-2\n');
    expect((await readImportFile(csv, 'ward.csv', namesAField)).rows.map((r) => r.cells)).toEqual([
      ['Ada Lovelace', 'M-1'],
      ['Name', 'M-2'],
    ]);
  });
});

describe('reading an Excel workbook', () => {
  it('reads the first sheet: text, numbers, dates as days, rich text, formulas by their saved value, with the sheet row numbers', async () => {
    const file = await workbook(
      [
        ['Name', 'MRN', 'Date of birth', 'Drains', 'Total'],
        ['Ada Lovelace', 'M-1', new Date(Date.UTC(1985, 11, 10)), 2, null],
        [],
        ['Grace Hopper', 'M-2', '1906-12-09', 1.5, null],
      ],
      (sheet) => {
        sheet.getCell('E2').value = { formula: 'D2*2', result: 4 };
        sheet.getCell('E4').value = { formula: 'D4*2', result: 3 };
        sheet.getCell('A4').value = { richText: [{ text: 'Grace ' }, { font: { bold: true }, text: 'Hopper' }] };
      },
    );
    expect(await readImportFile(file, 'ward.xlsx')).toEqual({
      columns: ['Name', 'MRN', 'Date of birth', 'Drains', 'Total'],
      rows: [
        { row: 2, cells: ['Ada Lovelace', 'M-1', '1985-12-10', '2', '4'] },
        { row: 4, cells: ['Grace Hopper', 'M-2', '1906-12-09', '1.5', '3'] },
      ],
    });
  });

  it('reads the sheet a person sees: hidden sheets and empty ones before it are passed over', async () => {
    const book = new ExcelJS.Workbook();
    const lookups = book.addWorksheet('Lookups');
    lookups.addRows([
      ['Code', 'Meaning'],
      ['L', 'Low'],
    ]);
    lookups.state = 'hidden';
    book.addWorksheet('Instructions');
    book.addWorksheet('Ward').addRows([
      ['Name', 'MRN'],
      ['Ada Lovelace', 'M-1'],
    ]);
    expect(await readImportFile(Buffer.from(await book.xlsx.writeBuffer()), 'ward.xlsx')).toEqual({
      columns: ['Name', 'MRN'],
      rows: [{ row: 2, cells: ['Ada Lovelace', 'M-1'] }],
    });
  });

  it('refuses a workbook with rows on two visible sheets rather than leaving one out unseen', async () => {
    const book = new ExcelJS.Workbook();
    for (const [bay, name] of [
      ['Bay A', 'Ada Lovelace'],
      ['Bay B', 'Grace Hopper'],
    ])
      book.addWorksheet(bay).addRows([['Name'], [name]]);
    const refused = await refusal(Buffer.from(await book.xlsx.writeBuffer()), 'ward.xlsx');
    expect(refused).toMatchObject({ code: 'validation_failed' });
    expect(refused.message).toBe(
      'The workbook has rows on 2 sheets; one sheet is imported at a time. Keep only the sheet of patients (delete or hide the others), or save each sheet as its own file, and upload again.',
    );
  });

  it("refuses an error value, typed, pasted or saved as a formula's result, naming its cell, rather than reading it as empty", async () => {
    const pasted = await workbook([
      ['Name', 'MRN'],
      ['Ada Lovelace', { error: '#N/A' }],
    ]);
    expect(await refusal(pasted, 'ward.xlsx')).toMatchObject({
      code: 'validation_failed',
      message: 'Cell B2 holds the error #N/A instead of a value. Correct it in Excel (or clear the cell), save the file and upload it again.',
    });
    const lookedUp = await workbook([['Name', 'MRN'], ['Ada Lovelace', 'M-1'], ['Grace Hopper']], (sheet) => {
      sheet.getCell('B3').value = { formula: 'VLOOKUP(A3,Ward!A:B,2,FALSE)', result: { error: '#REF!' } } as ExcelJS.CellFormulaValue;
    });
    expect((await refusal(lookedUp, 'ward.xlsx')).message).toMatch(/^Cell B3 holds the error #REF! instead of a value\./);
  });

  it('refuses a sheet with rows hidden by a filter or an outline rather than importing patients nobody saw', async () => {
    const filtered = await workbook(
      [
        ['Name', 'Ward'],
        ['Ada Lovelace', '4B'],
        ['Grace Hopper', '5A'],
        ['Alan Turing', '5A'],
        ['Hedy Lamarr', '4B'],
      ],
      (sheet) => {
        sheet.getRow(3).hidden = true;
        sheet.getRow(4).hidden = true;
      },
    );
    expect(await refusal(filtered, 'ward.xlsx')).toMatchObject({
      code: 'validation_failed',
      message:
        '2 rows of the sheet are hidden, the first row 3 (filtered out or collapsed), and every row would be imported, seen or not. Clear the filter and delete the rows not to be imported (or copy the rows you see to a new workbook), and upload the file again.',
    });
  });

  it('refuses a formula without a saved value, naming its cell, and never calculates it', async () => {
    const file = await workbook(
      [
        ['Name', 'Room'],
        ['Ada', null],
      ],
      (sheet) => {
        sheet.getCell('B2').value = { formula: 'WEBSERVICE("http://example.invalid")' } as ExcelJS.CellFormulaValue;
      },
    );
    const err = await refusal(file, 'ward.xlsx');
    expect(err.code).toBe('validation_failed');
    expect(err.message).toMatch(/^Cell B2 holds a formula without a saved value; formulas are not calculated here\./);
  });

  it('refuses more than 10,000 rows', async () => {
    const rows = [['Name'], ...Array.from({ length: 10_001 }, (_, i) => [`P${i}`])];
    expect((await refusal(await workbook(rows), 'big.xlsx')).message).toMatch(/^The file has 10,001 rows; at most 10,000/);
  });

  it('refuses a zip bomb: a small file that unpacks past the cap, whatever sizes it claims', async () => {
    const bomb = zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(120 * 1024 * 1024, 0x20), 100);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(checkZip(bomb)).toEqual({ ok: false, reason: 'too_large' });
    expect((await refusal(bomb, 'bomb.xlsx')).message).toBe(
      'The workbook unpacks to more than 100 MB. Save only the sheet of patients, or as CSV UTF-8, and upload it again.',
    );
    expect(checkZip(zipOf('a.xml', Buffer.from('<a/>')))).toEqual({ ok: true });
  });

  it('refuses a workbook with an entry hidden from the count of its end record, which a workbook reader would unpack unchecked', async () => {
    const whole = await workbook([['Name'], ['Ada']]);
    const end = whole.length - 22;
    const count = whole.readUInt16LE(end + 10);
    const centralAt = whole.readUInt32LE(end + 16);
    // A deflated run of 120 MB of zeros as one more entry, listed after the others in the central
    // directory, but not counted by the end record.
    const hidden = deflateRawSync(Buffer.alloc(120 * 1024 * 1024));
    const { local, central: record } = entryHeaders('xl/media/image1.png', hidden, 120 * 1024 * 1024, centralAt);
    // The entries before it stay where they are; the central directory moves after it.
    const central = whole.subarray(centralAt, end);
    const eocd = Buffer.from(whole.subarray(end));
    eocd.writeUInt16LE(count, 8);
    eocd.writeUInt16LE(count, 10);
    eocd.writeUInt32LE(central.length + record.length, 12);
    eocd.writeUInt32LE(centralAt + local.length + hidden.length, 16);
    const smuggled = Buffer.concat([whole.subarray(0, centralAt), local, hidden, central, record, eocd]);
    expect(smuggled.length).toBeLessThan(1024 * 1024);
    expect(checkZip(smuggled)).toEqual({ ok: false, reason: 'broken' });
    expect((await refusal(smuggled, 'smuggled.xlsx')).message).toMatch(/^The file is not a readable Excel workbook/);
    // The same workbook as written reads.
    expect(checkZip(whole)).toEqual({ ok: true });
  });

  it('refuses a broken zip', async () => {
    const whole = await workbook([['Name'], ['Ada']]);
    expect((await refusal(whole.subarray(0, whole.length - 40), 'cut.xlsx')).message).toMatch(/^The file is not a readable Excel workbook/);
  });
});
