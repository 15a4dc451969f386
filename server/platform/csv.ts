/**
 * CSV as Excel reads it: UTF-8 with a byte order mark (so Chinese and Russian text opens
 * correctly), CRLF line ends, and cells that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or carriage return, or with one of these after a ";" or a tab inside) prefixed
 * with a quote so they stay text (OWASP, CSV Injection). A negative number is not a formula and stays a number Excel can sum and sort
 * (a ward's fluid balance of -500).
 */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const lines = [header, ...rows].map((cells) => cells.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A decimal number and nothing else: it calls nothing. */
const plainNumber = /^-\d+(\.\d+)?$/;

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !plainNumber.test(text)) text = `'${text}`;
  // Where Excel's list separator is ";" (much of Europe) it splits a line there, quotes or not
  // (a quote counts only at the start of a cell): what follows a ";" or a tab must not run either.
  text = text.replace(/([;\t]\s*)([=+\-@])/g, "$1'$2");
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
