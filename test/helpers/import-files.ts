import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { readImportFile } from '../../server/features/manual/import-file';
import { Problem } from '../../server/platform/problem';

/** The refusal of an imported file: a Problem (what the route answers), never a crash. */
export async function refusal(file: Buffer, name: string): Promise<Problem> {
  const err: unknown = await readImportFile(file, name).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Problem);
  return err as Problem;
}

/** An .xlsx workbook of one sheet, "Patients", with these rows, then whatever `edit` does to the sheet. */
export async function workbook(rows: unknown[][], edit?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Patients');
  for (const row of rows) sheet.addRow(row);
  edit?.(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}
