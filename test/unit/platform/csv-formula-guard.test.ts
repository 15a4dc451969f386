import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../server/platform/csv';

/**
 * No cell of an exported CSV runs as a formula, however a spreadsheet splits it: read as the file
 * is written (",", RFC 4180) and as Excel reads it where its list separator is ";" (or split at
 * tabs), where a line is split at every separator whatever the quotes around it, a quote opens a
 * quoted field only at the start of one, and text after its closing quote is taken as written.
 */

/** The fields of CSV text as Excel reads it with these separators: each line afresh, quotes honoured only at a field's start. */
function excelFields(csv: string, separators: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= csv.length) {
    let value = '';
    if (csv[i] === '"') {
      // A quoted field: "" is a quote, a lone " closes it; separators and line ends inside are text.
      i++;
      while (i < csv.length) {
        if (csv[i] === '"' && csv[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (csv[i] === '"') {
          i++;
          break;
        } else value += csv[i++];
      }
    }
    // Whatever follows, up to the next separator or line end, is taken as written.
    while (i < csv.length && !separators.includes(csv[i]) && csv[i] !== '\r' && csv[i] !== '\n') value += csv[i++];
    fields.push(value);
    if (csv[i] === '\r' && csv[i + 1] === '\n') i++;
    i++;
  }
  return fields;
}

/** What a spreadsheet would run: = + - @ (or their full-width forms) first, past any whitespace (a plain negative number is a number). */
const runs = (field: string) => /^\s*[=+\-@＝＋－＠]/.test(field) && !/^-\d+(\.\d+)?$/.test(field);
/** A cell of the file as written may not start with a tab or CR either (OWASP): some programs drop them, then run what follows. */
const startsBlank = (field: string) => /^[\t\r]/.test(field);

const hostile = [
  ";\"=cmd|' /C calc'!A0",
  "Bed 4;\"=cmd|' /C calc'!A0;",
  '; "=HYPERLINK("http://x","y")',
  ';  ""=1+1',
  '\t"+SUM(A1)',
  '"=1+1',
  '  "  =1+1',
  '""-2+3',
  '=HYPERLINK("x")',
  '+1',
  '-2+3',
  '@SUM(A1)',
  '-',
  '\t=1',
  '\r=1',
  ' \t@x',
  'a;\t=1',
  'a\t\t=1',
  'first line\r\n=1+1',
  'first line\n"=1+1',
  'first line\r"@x',
  "x;-5+cmd|' /C calc'!A0",
  'note; -1+1',
  '\u00a0=1',
  ';\u00a0"=1',
  // Full-width forms, as a Chinese or Japanese input method types them.
  '\uFF1DHYPERLINK("http://x","y")',
  '\uFF0B1+1',
  '\uFF0D2+3',
  '\uFF20SUM(A1)',
  'Bed 4;\u3000\uFF1D1+1',
  'first line\n"\uFF1D1+1',
];

describe('formula guard of exported CSV', () => {
  const csv = toCsv(
    ['note', 'other'],
    [
      ...hostile.map((h) => [h, h]),
      // Where "," is the decimal separator, a line's first field runs on into the next cells: -500,1 and a formula.
      ['-500', "1+cmd|' /C calc'!A0"],
      [-2.5, '-7'],
      ['Ada Lovelace', 'BP 120/80; stable'],
    ],
  );

  it('leaves nothing that runs, read as the file is written (",")', () => {
    const records = parse(csv, { bom: true, relax_column_count: false }) as string[][];
    expect(records).toHaveLength(hostile.length + 4);
    for (const field of records.flat()) expect(runs(field) || startsBlank(field), JSON.stringify(field)).toBe(false);
  });

  it('leaves nothing that runs, read where the list separator is ";" or a tab', () => {
    // A quoted field there may run on over a line end the writer put between rows (`x;"` ending a
    // row): it then starts with that CR LF, past which nothing runs either.
    for (const separators of [';', '\t', ';\t']) {
      for (const field of excelFields(csv.slice(1), separators))
        expect(runs(field), `${JSON.stringify(separators)}: ${JSON.stringify(field)}`).toBe(false);
    }
  });

  it('reads a hostile cell back with its text whole, only quotes added before what would run', () => {
    const records = parse(csv, { bom: true }) as string[][];
    hostile.forEach((text, i) => {
      const [cell] = records[i + 1];
      expect(cell.replace(/'/g, ''), JSON.stringify(text)).toBe(text.replace(/'/g, ''));
    });
  });

  it('keeps plain numbers and ordinary text as they are', () => {
    const plain = [['-500'], [-2.5], ['-0.25'], [-7], ['42'], ['Ada Lovelace'], ['BP 120/80; stable'], ['a - b'], ['x = y'], ['mail@example.org']];
    const lines = toCsv(['v'], plain).split('\r\n').slice(1, -1);
    expect(lines).toEqual(['-500', '-2.5', '-0.25', '-7', '42', 'Ada Lovelace', '"BP 120/80; stable"', 'a - b', 'x = y', 'mail@example.org']);
    const read = parse(toCsv(['v'], plain), { bom: true }) as string[][];
    expect(read.slice(1).map(([v]) => v)).toEqual(plain.map(([v]) => String(v)));
    // After the first cell of a line, a negative number stays a number where it is its own field in every reading.
    expect(toCsv(['name', 'balance'], [['Ada', -500]]).split('\r\n')[1]).toBe('Ada,-500');
  });

  it('guards the reported note: ";" then a quote then a formula', () => {
    const line = toCsv(['name', 'note'], [['Ada', "Bed 4;\"=cmd|' /C calc'!A0;"]]).split('\r\n')[1];
    expect(line).toBe('Ada,"Bed 4;""\'=cmd|\' /C calc\'!A0;"');
    expect(excelFields(line, ';')).toEqual(['Ada,"Bed 4', "'=cmd|' /C calc'!A0", '']);
  });
});
