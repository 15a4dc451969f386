import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

/** Ward 4B in Manual mode with an Acuity field, as its owner set it up. */
async function arrange() {
  const team = e2e.info.tenants[0].teams[0];
  const api = await apiAs(e2e.server.url, team.owners[0]);
  await api('PUT', `/teams/${team.id}/connection`, { mode: 'manual' });
  await api('PUT', `/teams/${team.id}/schema`, {
    fields: [{ id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'High'], required: true }],
  });
}

async function importFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import patients from Excel or CSV' });
  await dialog.getByLabel('File').setInputFiles(file);
  await expect.poll(() => dialog.getByText(`${file.name}: 3 rows.`, { exact: false }).isVisible(), { timeout: 15_000 }).toBe(true);
  return dialog;
}

it('lets an owner import a CSV and an Excel file: columns mapped, a problem row shown, the valid rows imported', async () => {
  await arrange();
  const page = await (await e2e.browser.newContext({ reducedMotion: 'reduce' })).newPage();
  await signIn(page, e2e.server.url, 'Avery Nguyen (Contoso Health)', 'Ward 4B Nursing');
  await expect.poll(() => page.getByRole('button', { name: 'Import…' }).isVisible(), { timeout: 30_000 }).toBe(true);

  // A Lists export: UTF-8 with a BOM, semicolons, a quoted cell; "Hospital number" is mapped by hand.
  const csv = Buffer.from('\uFEFFTitle;Hospital number;Acuity\r\n"Okafor; Grace";H-1;High\r\n;H-2;Low\r\nMateo Ruiz;H-3;Low\r\n');
  let dialog = await importFile(page, { name: 'Ward 4B.csv', mimeType: 'text/csv', buffer: csv });
  expect(await dialog.getByLabel('Name').inputValue()).toBe('Title');
  expect(await dialog.getByLabel('MRN').inputValue()).toBe('');
  await dialog.getByLabel('MRN').selectOption('Hospital number');
  await expectAccessible(page, 'import mapping');
  await dialog.getByRole('button', { name: 'Check rows' }).click();
  await expect.poll(() => visible(page, '2 rows can be imported; 1 row has problems.'), { timeout: 15_000 }).toBe(true);
  const problems = dialog.getByRole('table', { name: 'Problems' });
  expect(await problems.getByRole('row').nth(1).innerText()).toMatch(/^3\s+.*Name: fill this in; it is required\./s);
  await expectAccessible(page, 'import preview');
  await dialog.getByRole('button', { name: 'Import 2 patients' }).click();
  await expect.poll(() => visible(page, 'Imported 2 patients. 1 row was left out because of problems.'), { timeout: 15_000 }).toBe(true);
  await dialog.getByRole('button', { name: 'Close' }).click();
  const roster = page.getByRole('table', { name: 'Patients of this team' });
  await expect.poll(() => roster.getByRole('cell', { name: 'Okafor; Grace', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await roster.getByRole('cell', { name: 'H-3', exact: true }).isVisible()).toBe(true);

  // An Excel workbook whose acuity column is named otherwise, with an MRN the team already has.
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Ward').addRows([
    ['Patient name', 'MRN', 'Acuity level', 'Room'],
    ['Lin Wei', 'H-7', 'High', '12A'],
    ['Okafor Grace', 'H-1', 'Low', '12B'],
    ['Sam Doe', 'H-8', 'Low', '12C'],
  ]);
  const xlsx = Buffer.from(await book.xlsx.writeBuffer());
  dialog = await importFile(page, { name: 'ward.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
  expect(await dialog.getByLabel('Room').inputValue()).toBe('Room');
  await dialog.getByLabel('Acuity').selectOption('Acuity level');
  await dialog.getByRole('button', { name: 'Check rows' }).click();
  await expect.poll(() => visible(page, 'A patient with MRN “H-1” is already in the team'), { timeout: 15_000 }).toBe(true);
  await dialog.getByRole('button', { name: 'Import 2 patients' }).click();
  await expect.poll(() => visible(page, 'Imported 2 patients.'), { timeout: 15_000 }).toBe(true);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => roster.getByRole('cell', { name: 'Sam Doe', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await roster.getByRole('cell', { name: 'Okafor Grace', exact: true }).count()).toBe(0);
  expect(await roster.getByRole('cell', { name: '12A', exact: true }).isVisible()).toBe(true);
});

it('refuses a file of another kind in plain words', async () => {
  await arrange();
  const page = await (await e2e.browser.newContext({ reducedMotion: 'reduce' })).newPage();
  await signIn(page, e2e.server.url, 'Avery Nguyen (Contoso Health)', 'Ward 4B Nursing');
  await expect.poll(() => page.getByRole('button', { name: 'Import…' }).isVisible(), { timeout: 30_000 }).toBe(true);
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('File').setInputFiles({ name: 'ward.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n') });
  await expect.poll(() => visible(page, 'The file cannot be imported'), { timeout: 15_000 }).toBe(true);
  expect(await visible(page, 'Only Excel workbooks (.xlsx) and CSV files can be imported.')).toBe(true);
});
