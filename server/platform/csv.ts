/**
 * CSV as Excel reads it: UTF-8 with a byte order mark (so Chinese and Russian text opens
 * correctly), CRLF line ends, and cells that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or carriage return) prefixed with a quote so they stay text.
 */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const lines = [header, ...rows].map((cells) => cells.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
