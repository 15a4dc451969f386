import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { IMPORT_MAX_ROWS } from '../../../contract/manual-import.js';
import { Problem } from '../../platform/problem.js';
import { GateBusy, createWorkGate } from '../../platform/work-gate.js';
import { XLSX_MAX_CELLS, XLSX_MAX_CELL_TEXT, XLSX_MAX_TEXT, checkWorkbookShape } from './import-xlsx-shape.js';
import { csvText } from './import-text.js';
import { ZipRefused, zipEntries } from './import-zip.js';

/**
 * Reading an uploaded file into a header and rows of text, whatever it was: the kind is told by
 * its content (a zip is an .xlsx workbook, text is CSV: import-text.ts), never by its name alone. Nothing
 * in a file is ever run: formulas are read as the value Excel saved, and a CSV cell starting
 * with = + - @ is plain text.
 */

/** A data row: its number as the file shows it (the line of a CSV, the row of a sheet) and its cells by column. */
export interface FileRow {
  row: number;
  cells: string[];
}

export interface ImportFile {
  columns: string[];
  rows: FileRow[];
}

const refuse = (message: string) => new Problem('validation_failed', message);
const wrongType = () =>
  new Problem(
    'unsupported_media_type',
    'Only Excel workbooks (.xlsx) and CSV files can be imported. Save the file as .xlsx or as CSV UTF-8 and upload it again.',
  );

/**
 * The shape a file may have, counted while it is read so that a small file cannot make the
 * server build millions of cells (one cell far to the right makes a row as wide as the gap):
 * - 200 columns: a patient list has tens (a Microsoft Lists export with its own columns, about 40);
 *   Excel's 16,384 are refused before any cell of the row is made.
 * - 250,000 cells in the whole file: 10,000 rows (the most imported at once) of 25 columns, or
 *   1,250 rows of 200; rows past 10,000 are refused below with their count.
 */
export const IMPORT_MAX_COLUMNS = 200;
/** Excel keeps at most 32,767 characters in a cell (Excel specifications and limits). */
const IMPORT_MAX_CELL_TEXT = XLSX_MAX_CELL_TEXT;
/** Characters of cell text one import reads at most: as much as the largest file taken (10 MB) could hold written out. */
const IMPORT_MAX_TEXT = XLSX_MAX_TEXT;
const IMPORT_MAX_CELLS = XLSX_MAX_CELLS;

const tooWide = (where: string) =>
  refuse(
    `${where} has more than ${IMPORT_MAX_COLUMNS} columns; at most ${IMPORT_MAX_COLUMNS} can be imported. Delete the columns that are not needed (and anything typed far to the right of the list) and upload the file again.`,
  );
const tooManyCells = () =>
  refuse(
    `The file has more than ${IMPORT_MAX_CELLS.toLocaleString('en')} cells; at most ${IMPORT_MAX_CELLS.toLocaleString('en')} can be imported at once. Save only the sheet of patients with the columns you need, or split it, and import each part.`,
  );

const cellTooLong = (address: string) =>
  refuse(
    `${address ? `Cell ${address}` : 'A cell of the workbook'} holds more than ${IMPORT_MAX_CELL_TEXT.toLocaleString('en')} characters, more than Excel itself keeps in a cell. Correct it and upload the file again.`,
  );
const tooMuchText = () =>
  refuse(
    `The sheet holds more than ${IMPORT_MAX_TEXT.toLocaleString('en')} characters of text; at most that can be imported at once. Save only the columns you need, or split it, and import each part.`,
  );

const isZip = (file: Buffer) => file.length >= 4 && file.readUInt32LE(0) === 0x04034b50;

/**
 * `namesAField`: whether a cell names a field the file may fill (Name, MRN, a team field's label),
 * how the header is told from a title typed above the table.
 */
export async function readImportFile(file: Buffer, fileName: string, namesAField: (cell: string) => boolean = () => false): Promise<ImportFile> {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (extension && !['xlsx', 'csv', 'txt'].includes(extension)) throw wrongType();
  if (file.length === 0) throw refuse('The file is empty.');
  if (isZip(file)) {
    if (extension && extension !== 'xlsx') throw wrongType();
    return withHeader(await workbookReads.run(() => readWorkbook(file)), namesAField);
  }
  if (extension === 'xlsx') throw refuse('The file is named .xlsx but is not an Excel workbook. Save it again from Excel and upload it again.');
  return withHeader(readCsv(file), namesAField);
}

/** Rows read for the header at most: a title, a date and blank lines typed above the table. */
const HEADER_SEARCH_ROWS = 10;

/**
 * The header names the columns: the first row with anything in it, or a row below that names a
 * field when every row above it holds one text at most (a title, a merged title filling its cells
 * with it, a date), which is left out; a row of two texts or more is never passed over, lest a
 * patient be. Empty names become "Column N", and names must not repeat.
 */
function withHeader(rows: FileRow[], namesAField: (cell: string) => boolean): ImportFile {
  const texts = (row: FileRow) => new Set(row.cells.map((c) => c.trim()).filter(Boolean)).size;
  const firstWide = rows.findIndex((row) => texts(row) > 1);
  const named = rows.slice(0, HEADER_SEARCH_ROWS).findIndex((row) => row.cells.some((c) => namesAField(c.trim())));
  const [header, ...data] = named > 0 && (firstWide < 0 || named <= firstWide) ? rows.slice(named) : rows;
  if (!header) throw refuse('The file has no rows.');
  if (data.length > IMPORT_MAX_ROWS)
    throw refuse(
      `The file has ${data.length.toLocaleString('en')} rows; at most ${IMPORT_MAX_ROWS.toLocaleString('en')} can be imported at once. Split it and import each part.`,
    );
  const width = Math.max(header.cells.length, ...data.map((r) => r.cells.length));
  const columns = Array.from({ length: width }, (_, i) => header.cells[i]?.trim() || `Column ${i + 1}`);
  const seen = new Set<string>();
  for (const column of columns) {
    const key = column.toLowerCase();
    if (seen.has(key)) throw refuse(`Two columns are named “${column.slice(0, 60)}”. Rename one of them and upload the file again.`);
    seen.add(key);
  }
  return { columns, rows: data };
}

// CSV

const separators = [';', ',', '\t'] as const;

/**
 * The separator the header uses most outside quotes (Lists and Excel use , or ; by region), read
 * as the parser reads it: a quoted heading broken over lines ("Date of⏎birth", typed with
 * Alt+Enter) is one heading, and lines without any separator (blank, or a title above the table)
 * are passed over for the first line with one.
 */
function separatorOf(text: string): string {
  const counts = separators.map(() => 0);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const separator = separators.indexOf(ch as (typeof separators)[number]);
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (separator >= 0) counts[separator]++;
    else if ((ch === '\n' || ch === '\r') && counts.some((n) => n > 0)) break;
  }
  const best = counts.indexOf(Math.max(...counts));
  return counts[best] > 0 ? separators[best] : ',';
}

const unreadableText = () =>
  refuse(
    'The file’s text is in none of the encodings Excel saves Western European text in (UTF-8, UTF-16, Windows-1252). Save it as “CSV UTF-8” (or as an Excel workbook) and upload it again.',
  );

/** A binary file of some other kind: NUL bytes near its start (which text has none of, bar UTF-16, told apart by its byte order mark). */
const isBinary = (file: Buffer) => file.subarray(0, 8192).includes(0);
const isUtf16 = (file: Buffer) => file.length >= 2 && ((file[0] === 0xff && file[1] === 0xfe) || (file[0] === 0xfe && file[1] === 0xff));
const binaryMagic = [Buffer.from('%PDF'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.from('MZ'), Buffer.from([0x89, 0x50, 0x4e, 0x47])];

function readCsv(file: Buffer): FileRow[] {
  if (!isUtf16(file) && (isBinary(file) || binaryMagic.some((magic) => file.subarray(0, magic.length).equals(magic)))) throw wrongType();
  const read = csvText(file);
  if ('refused' in read) throw unreadableText();
  const { text } = read;
  const delimiter = separatorOf(text);
  checkCsvShape(text, delimiter);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      info: true,
      cast: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw refuse(`The CSV file cannot be read${line ? ` near line ${line}` : ''}: a quoted cell is not closed or a quote is out of place.`);
  }
  // info.lines is the line a record ends on: each record starts on the line after the one before
  // it ended (empty lines are records of one empty cell, left out below), so rows keep the file's numbers.
  const rows: FileRow[] = [];
  let ended = 0;
  for (const { record, info } of records) {
    rows.push({ row: ended + 1, cells: record });
    ended = info.lines;
  }
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

/**
 * Counts the columns of each CSV record the way the parser will split them (separators outside
 * quotes; a doubled quote inside quotes toggles twice), without holding any cell, and refuses a
 * record wider than the bound or a file with more cells than the bound before the parser runs.
 * Text the parser will refuse for its quotes may be counted loosely here; it is refused there.
 */
function checkCsvShape(text: string, delimiter: string): void {
  const separator = delimiter.charCodeAt(0);
  let quoted = false;
  let line = 1;
  let columns = 1;
  let cells = 0;
  const endRecord = () => {
    cells += columns;
    if (cells > IMPORT_MAX_CELLS) throw tooManyCells();
    columns = 1;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) quoted = !quoted;
    else if (ch === 0x0a || (ch === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      if (!quoted) endRecord();
    } else if (ch === separator && !quoted && ++columns > IMPORT_MAX_COLUMNS) {
      throw tooWide(`Line ${line} of the file`);
    }
  }
  endRecord();
}

// Excel

/**
 * Parts of a sheet the import never reads, left out by the reader: column widths, data validation,
 * conditional formats and tables name ranges of up to a whole sheet, which it would expand cell by
 * cell. (Merged cells are read, as their value fills every cell they cover; their size is bounded
 * by checkWorkbookShape.)
 */
const UNREAD_SHEET_PARTS = ['cols', 'dataValidations', 'conditionalFormatting', 'tableParts'];

/**
 * Workbooks read at once by this process: reading one takes up to a few seconds and a few hundred
 * MB at worst (the bounds of checkWorkbookShape), so a few uploads at once must not stall every
 * other request nor exhaust memory. One more upload while these are read is refused (503, with
 * Retry-After), never queued; CSV files, read in one go and far cheaper, pass freely.
 */
export const WORKBOOK_READS_AT_ONCE = 2;
export const WORKBOOK_RETRY_AFTER_SECONDS = 5;
export const workbookReads = createWorkGate(
  WORKBOOK_READS_AT_ONCE,
  () =>
    new GateBusy(
      `Another Excel workbook is being read right now. Try again in a few seconds (or save the file as CSV UTF-8 and upload that).`,
      WORKBOOK_RETRY_AFTER_SECONDS,
    ),
);

async function readWorkbook(file: Buffer): Promise<FileRow[]> {
  // One pass over the unpacked workbook: whole, at most 100 MB (a zip bomb is refused having used
  // at most that), and of a shape and text the reader can load (checkWorkbookShape), before it runs.
  let shape: ReturnType<typeof checkWorkbookShape>;
  try {
    shape = checkWorkbookShape(zipEntries(file));
  } catch (err) {
    throw err instanceof ZipRefused && err.reason === 'too_large'
      ? refuse('The workbook unpacks to more than 100 MB. Save only the sheet of patients, or as CSV UTF-8, and upload it again.')
      : refuse('The file is not a readable Excel workbook. Open it in Excel, save it as .xlsx and upload it again.');
  }
  if (!shape.ok) {
    if (shape.reason === 'too_many_cells') throw tooManyCells();
    if (shape.reason === 'too_much_text') throw tooMuchText();
    if (shape.reason === 'cell_too_long') throw cellTooLong(shape.cell);
    throw refuse('The workbook holds more than can be read at once. Save only the sheet of patients, or as CSV UTF-8, and upload it again.');
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer, { ignoreNodes: UNREAD_SHEET_PARTS });
  } catch {
    throw refuse('The file is not a readable Excel workbook. Open it in Excel, save it as .xlsx and upload it again.');
  }
  // The sheet of rows a person sees: a hidden one (lookups, a template's workings) is never imported,
  // nor is an empty one read for the sheet of patients after it. Rows on a second visible sheet
  // (another bay, yesterday's list) would be left out unseen, so such a workbook is refused whole.
  const visible = workbook.worksheets.filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden');
  const [sheet, ...others] = visible.filter((s) => s.actualRowCount > 0);
  if (!sheet) throw refuse(visible.length ? 'The file has no rows.' : 'The workbook has no visible sheets.');
  if (others.length)
    throw refuse(
      `The workbook has rows on ${others.length + 1} sheets; one sheet is imported at a time. Keep only the sheet of patients (delete or hide the others), or save each sheet as its own file, and upload again.`,
    );
  const rows: FileRow[] = [];
  // The text the reader built was bounded before it ran (checkWorkbookShape). But shared strings are
  // stored once and may be used by every cell: the text copied out of them is bounded again as it
  // is read (a 60 kB workbook can name one 30 kB string 2,000 times), by the same limits.
  let text = 0;
  const hidden: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    // cellCount is the column of the row's last cell, known before any empty cell is made: the
    // row is refused when wide, and only the cells it holds are read, the gaps staying empty text.
    if (row.cellCount > IMPORT_MAX_COLUMNS) throw tooWide(`Row ${rowNumber} of the sheet`);
    const cells = Array.from({ length: row.cellCount }, () => '');
    row.eachCell((cell, column) => {
      const value = cellText(cell.value, cell.address);
      if (value.length > IMPORT_MAX_CELL_TEXT) throw cellTooLong(cell.address);
      text += value.length;
      if (text > IMPORT_MAX_TEXT) throw tooMuchText();
      cells[column - 1] = value;
    });
    if (!cells.some((c) => c.trim() !== '')) return;
    if (row.hidden) hidden.push(rowNumber);
    rows.push({ row: rowNumber, cells });
  });
  // A sheet filtered to one ward's patients still holds the others' rows, hidden: imported unseen,
  // they would bring other patients into the team. Refused whole, as a guess either way could.
  if (hidden.length)
    throw refuse(
      `${hidden.length === 1 ? `Row ${hidden[0]} of the sheet is hidden` : `${hidden.length.toLocaleString('en')} rows of the sheet are hidden, the first row ${hidden[0]}`} (filtered out or collapsed), and every row would be imported, seen or not. Clear the filter and delete the rows not to be imported (or copy the rows you see to a new workbook), and upload the file again.`,
    );
  return rows;
}

const isoDate = (date: Date) =>
  date.getUTCHours() || date.getUTCMinutes() || date.getUTCSeconds() ? date.toISOString() : date.toISOString().slice(0, 10);

/** Excel's error values (#N/A, #REF!, #DIV/0!…), named in a refusal; anything else a file calls an error is not repeated. */
const excelError = /^#[A-Z0-9/]{1,8}[!?]?$/;

/**
 * A cell as text: a formula by the value Excel saved with it (never calculated here), refused when
 * it has none. An error value (a lookup that found nothing, pasted as values or saved as a
 * formula's result) is refused, naming its cell: read as empty it would import a patient without
 * the MRN or value the sheet meant to give, unnoticed.
 */
function cellText(value: ExcelJS.CellValue, address: string): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoDate(value);
  if (typeof value !== 'object') return String(value);
  if ('error' in value) {
    const error = String(value.error);
    throw refuse(
      `Cell ${address} holds ${excelError.test(error) ? `the error ${error}` : 'an error'} instead of a value. Correct it in Excel (or clear the cell), save the file and upload it again.`,
    );
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result !== null && typeof result === 'object' && 'error' in result) return cellText(result, address);
    if (result === undefined || result === null || (typeof result === 'object' && !(result instanceof Date)))
      throw refuse(
        `Cell ${address} holds a formula without a saved value; formulas are not calculated here. Open the file in Excel, save it, and upload it again (or paste the values instead of formulas).`,
      );
    return cellText(result, address);
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  return '';
}
