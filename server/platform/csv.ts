/**
 * CSV as Excel reads it: UTF-8 with a byte order mark (so Chinese and Russian text opens
 * correctly), CRLF line ends, and text that a spreadsheet would run as a formula prefixed with a
 * quote so it stays text (OWASP, CSV Injection). A negative number is not a formula and stays a
 * number Excel can sum and sort (a ward's fluid balance of -500).
 */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const lines = [header, ...rows].map((cells) => cells.map((cell, i) => csvCell(cell, i === 0 && cells.length > 1)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A decimal number and nothing else: it calls nothing. */
const plainNumber = /^-\d+(\.\d+)?$/;

/**
 * Every place a spreadsheet may start a cell inside this text, and what it starts with there, past
 * the spaces and quotes it skips: the start of the text, and after every ";" or tab (where Excel's
 * list separator is ";", much of Europe, it splits a line there whatever the quotes of this file
 * say), CR or LF (a line it reads afresh). A quote at the start of such a cell opens a quoted
 * field, and the quotes this writer doubles ("" for ") open and close one: what follows is read as
 * written, so quotes are skipped like spaces. Starting with = + - @, tab or CR, it would run; so
 * may their full-width forms (＝ ＋ － ＠, as a Chinese or Japanese input method types them),
 * which Excel takes for the operators when they are typed into a cell.
 */
const cellStart = /(?<=^|[;\t\r\n])((?:[^\S\t\r\n]|")*)(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/g;

/**
 * One cell as CSV. `opensLine`: it is the first of a line with more after it. Where the separator
 * is ";", the line's first cell runs on over the commas into the next ones ("-500,1+cmd|…" there
 * reads as a decimal comma and a formula), so a negative number there is guarded like any text.
 */
function csvCell(value: string | number | null | undefined, opensLine = false): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Every such start gets a quote before its first character, which keeps the cell text.
  if (opensLine || !plainNumber.test(text)) text = text.replace(cellStart, "$1'");
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
