import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../server/platform/csv';

describe('CSV for Excel', () => {
  it('starts with a BOM, quotes what needs quoting and keeps non-Latin text', () => {
    const csv = toCsv(
      ['name', 'note'],
      [
        ['张伟', 'says "hi", twice'],
        ['Пётр Иванов', null],
      ],
    );
    expect(csv).toBe('\uFEFFname,note\r\n张伟,"says ""hi"", twice"\r\nПётр Иванов,\r\n');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const csv = toCsv(['v'], [['=HYPERLINK("x")'], ['+1'], ['-2+3'], ["-1+cmd|' /C calc'!A0"], ['@SUM(A1)'], ['-'], ['plain']]);
    expect(csv.split('\r\n').slice(1, 8)).toEqual(['"\'=HYPERLINK(""x"")"', "'+1", "'-2+3", "'-1+cmd|' /C calc'!A0", "'@SUM(A1)", "'-", 'plain']);
  });

  it('keeps a negative number a number, as text or as a number', () => {
    const csv = toCsv(['fluid balance'], [['-500'], [-2.5], ['-0.25'], [-7]]);
    expect(csv.split('\r\n').slice(1, 5)).toEqual(['-500', '-2.5', '-0.25', '-7']);
  });
});

describe('CSV opened where the list separator is ";"', () => {
  it('runs nothing that follows a ";" or a tab inside a cell, and keeps the cell one cell', () => {
    const csv = toCsv(['note'], [['seen;=HYPERLINK("http://x","y")'], ['a; +1 b'], ['tab\t@SUM(A1)'], ['BP 120/80; stable']]);
    expect(csv.split('\r\n').slice(1, 5)).toEqual([
      '"seen;\'=HYPERLINK(""http://x"",""y"")"',
      '"a; \'+1 b"',
      '"tab\t\'@SUM(A1)"',
      '"BP 120/80; stable"',
    ]);
  });
});
