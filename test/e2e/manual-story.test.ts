import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { downloadedCsvLines, expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

/** A field added in the editor: its name and type, then whatever else `more` fills in its row. */
async function addField(page: Page, label: string, type: string, more?: (row: Locator) => Promise<void>) {
  await page.getByRole('button', { name: 'Add field' }).click();
  const row = page.locator('[data-field-row]').last();
  await row.getByLabel('Field name').fill(label);
  await row.getByLabel('Type').selectOption({ label: type });
  await more?.(row);
}

async function importFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, rows: number, valid: number) {
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import patients from Excel or CSV' });
  await dialog.getByLabel('File').setInputFiles(file);
  await expect.poll(() => dialog.getByText(`${file.name}: ${rows} rows.`, { exact: false }).isVisible(), { timeout: 15_000 }).toBe(true);
  await dialog.getByRole('button', { name: 'Check rows' }).click();
  await dialog.getByRole('button', { name: `Import ${valid} patients` }).click();
  await expect.poll(() => dialog.getByText(`Imported ${valid} patients.`, { exact: false }).isVisible(), { timeout: 15_000 }).toBe(true);
  await dialog.getByRole('button', { name: 'Close' }).click();
}

// The whole story of issue 13 as a ward's owner lives it in the tab, without the API: Manual mode
// chosen at first run, the ward template changed and extended in the field editor, a patient typed in
// with every type of field, a CSV and an Excel file imported, the team's fields as columns of a list
// (sorted, filtered), a patient's details edited with a note, discharged and re-admitted, and the export.
it('walks a ward from first run to export in Manual mode', async () => {
  const page: Page = await (await e2e.browser.newContext({ reducedMotion: 'reduce', timezoneId: 'UTC', locale: 'en-GB' })).newPage();
  await signIn(page, e2e.server.url, 'Avery Nguyen (Contoso Health)', 'Ward 4B Nursing');

  // First run: Manual mode, then the ward template, changed and extended before saving.
  await page.getByRole('radio', { name: /Manual mode/ }).check();
  await page.getByRole('button', { name: 'Use Manual mode' }).click();
  await page.getByRole('button', { name: 'Close settings' }).click();
  await page.getByRole('button', { name: 'Start from the ward template' }).click();
  const labels = page.getByRole('textbox', { name: 'Field name' });
  await expect.poll(() => labels.count(), { timeout: 15_000 }).toBe(7);
  expect(await labels.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual([
    'Bed',
    'Status',
    'Assigned nurse',
    'Admission date',
    'Diagnosis',
    'Code status',
    'Isolation',
  ]);
  await page.getByRole('button', { name: 'Remove field Code status' }).click();
  await labels.nth(0).fill('Bed number');
  await addField(page, 'Weight', 'Number', async (row) => {
    await row.getByLabel('Unit').fill('kg');
    await row.getByLabel('Lowest value').fill('1');
    await row.getByLabel('Highest value').fill('400');
  });
  await addField(page, 'Last seen by doctor', 'Date and time');
  await addField(page, 'Falls risk', 'Yes/no', (row) => row.getByRole('checkbox', { name: 'Required' }).check());
  await page.getByRole('button', { name: 'Save fields' }).click();
  await expect.poll(() => visible(page, 'Fields saved.'), { timeout: 15_000 }).toBe(true);

  // A patient typed in with every type of field; an out-of-range weight is named before anything is saved.
  await page.getByRole('button', { name: 'New patient' }).click();
  const form = page.getByRole('dialog', { name: 'New patient' });
  await form.getByLabel('Name').fill('Mara Quinn');
  await form.getByLabel('MRN', { exact: true }).fill('MQ-1');
  await form.getByLabel('Room', { exact: true }).fill('12');
  await form.getByLabel('Bed number', { exact: true }).fill('B');
  await form.getByLabel('Status', { exact: true }).selectOption('Critical');
  await form.getByLabel('Assigned nurse', { exact: true }).selectOption({ label: 'Blake Okafor' });
  await form.getByLabel('Admission date', { exact: true }).fill('2026-11-28');
  await form.getByLabel('Diagnosis', { exact: true }).fill('Community-acquired pneumonia\non oxygen');
  await form.getByLabel('Isolation', { exact: true }).selectOption('Droplet');
  await form.getByLabel('Weight', { exact: true }).fill('900');
  await form.getByLabel('Last seen by doctor', { exact: true }).fill('2026-12-01T08:30');
  await form.getByLabel('Falls risk').selectOption({ label: 'Yes' });
  await form.getByRole('button', { name: 'Save patient' }).click();
  await expect.poll(() => form.getByText('Weight: enter a number from 1 to 400.').isVisible(), { timeout: 10_000 }).toBe(true);
  await form.getByLabel('Weight', { exact: true }).fill('71.5');
  await form.getByRole('button', { name: 'Save patient' }).click();
  const roster = page.getByRole('table', { name: 'Patients of this team' });
  await expect.poll(() => roster.getByRole('cell', { name: 'Mara Quinn', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  for (const shown of ['Blake Okafor', '71.5 kg', 'Critical', 'Droplet', 'Yes', '28 Nov 2026'])
    expect(await roster.getByText(shown, { exact: true }).first().isVisible(), shown).toBe(true);

  // A Microsoft Lists export as CSV, and an Excel workbook; matching column names are mapped by themselves.
  const csv = Buffer.from('\uFEFFTitle,MRN,Status,Weight,Falls risk\r\nIlse Brandt,IB-2,Stable,9,No\r\nTomas Reyes,TR-3,Watch,104,Yes\r\n');
  await importFile(page, { name: 'Ward 4B.csv', mimeType: 'text/csv', buffer: csv }, 2, 2);
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Ward').addRows([
    ['Name', 'MRN', 'Status', 'Weight', 'Falls risk', 'Room'],
    ['Lin Wei', 'LW-4', 'Stable', 55, 'no', '14'],
  ]);
  const xlsx = Buffer.from(await book.xlsx.writeBuffer());
  await page.getByRole('button', { name: 'Import…' }).click();
  let dialog = page.getByRole('dialog', { name: 'Import patients from Excel or CSV' });
  await dialog
    .getByLabel('File')
    .setInputFiles({ name: 'ward.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
  await expect.poll(() => dialog.getByText('ward.xlsx: 1 row.', { exact: false }).isVisible(), { timeout: 15_000 }).toBe(true);
  await dialog.getByRole('button', { name: 'Check rows' }).click();
  await dialog.getByRole('button', { name: 'Import 1 patient' }).click();
  await expect.poll(() => dialog.getByText('Imported 1 patient.', { exact: false }).isVisible(), { timeout: 15_000 }).toBe(true);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => roster.getByRole('cell', { name: 'Lin Wei', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

  // A list of the four, with the team's fields as its columns.
  await page.getByRole('button', { name: 'New list' }).click();
  await page.getByLabel('List name').fill('Rounds');
  await page.getByRole('button', { name: 'Create' }).click();
  const everyone = ['Mara Quinn', 'Ilse Brandt', 'Tomas Reyes', 'Lin Wei'];
  for (const name of everyone) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('button', { name: 'Add 4 selected to Rounds' }).click();
  const list = page.getByRole('table', { name: 'Rounds' });
  await expect.poll(() => list.getByRole('button', { name: 'Lin Wei', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  await page.getByRole('button', { name: 'Columns' }).click();
  dialog = page.getByRole('dialog', { name: 'Columns of Rounds' });
  for (const column of ['Status', 'Weight', 'Assigned nurse', 'Falls risk']) await dialog.getByRole('checkbox', { name: column }).check();
  await dialog.getByRole('button', { name: 'Save columns' }).click();
  await expect.poll(() => list.getByRole('columnheader', { name: 'Weight', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

  // Sorted by weight as numbers, then filtered by a word of a field.
  const names = () => list.locator('tbody tr[data-index] td:first-child').allInnerTexts();
  await list.getByRole('columnheader', { name: 'Weight', exact: true }).click();
  await expect.poll(names, { timeout: 10_000 }).toEqual(['Ilse Brandt', 'Lin Wei', 'Mara Quinn', 'Tomas Reyes']);
  expect(await list.getByRole('cell', { name: '104 kg', exact: true }).isVisible()).toBe(true);
  expect(await list.getByRole('cell', { name: 'Blake Okafor', exact: true }).isVisible()).toBe(true);
  await page.getByLabel('Filter rows').fill('watch');
  await expect.poll(names, { timeout: 10_000 }).toEqual(['Tomas Reyes']);
  await page.getByLabel('Filter rows').fill('');
  await expect.poll(names, { timeout: 10_000 }).toEqual(['Ilse Brandt', 'Lin Wei', 'Mara Quinn', 'Tomas Reyes']);
  // Heaviest first: the order the ward keeps while it edits patients below.
  await list.getByRole('columnheader', { name: 'Weight', exact: true }).click();
  const heaviestFirst = ['Tomas Reyes', 'Mara Quinn', 'Lin Wei', 'Ilse Brandt'];
  await expect.poll(names, { timeout: 10_000 }).toEqual(heaviestFirst);

  // The details of a patient from the list: edited in place, a note added.
  await list.getByRole('button', { name: 'Mara Quinn', exact: true }).click();
  const drawer = page.getByRole('dialog', { name: 'Mara Quinn' });
  await expect.poll(() => drawer.getByText('Last seen by doctor').isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await drawer.getByText('Community-acquired pneumonia\non oxygen', { exact: true }).isVisible()).toBe(true);
  await drawer.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Mara Quinn' });
  await edit.getByLabel('Status', { exact: true }).selectOption('Watch');
  await edit.getByRole('button', { name: 'Save patient' }).click();
  await expect.poll(() => edit.isVisible(), { timeout: 15_000 }).toBe(false);
  await expect.poll(() => drawer.getByText('Watch', { exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  await drawer.getByLabel('New note').fill('Oxygen weaned to 2 L');
  await drawer.getByRole('button', { name: 'Add note' }).click();
  await expect.poll(() => drawer.getByText('Oxygen weaned to 2 L').isVisible(), { timeout: 15_000 }).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => drawer.isVisible(), { timeout: 10_000 }).toBe(false);
  // The list read again after the edit keeps the sort the user chose.
  await expect.poll(() => list.getByRole('cell', { name: 'Watch', exact: true }).count(), { timeout: 15_000 }).toBe(2);
  expect(await names()).toEqual(heaviestFirst);
  // The list shows the edit: now two patients are on watch.
  await page.getByLabel('Filter rows').fill('watch');
  await expect.poll(names, { timeout: 15_000 }).toEqual(['Tomas Reyes', 'Mara Quinn']);
  await page.getByLabel('Filter rows').fill('');

  // Discharge from the details: off the list and the roster, kept among the discharged; then re-admitted.
  await list.getByRole('button', { name: 'Tomas Reyes', exact: true }).click();
  const tomas = page.getByRole('dialog', { name: 'Tomas Reyes' });
  await tomas.getByRole('button', { name: 'Discharge' }).click();
  await page.getByRole('dialog', { name: 'Discharge Tomas Reyes?' }).getByRole('button', { name: 'Discharge' }).click();
  await expect.poll(() => tomas.isVisible(), { timeout: 15_000 }).toBe(false);
  await expect.poll(async () => (await names()).sort(), { timeout: 15_000 }).toEqual(['Ilse Brandt', 'Lin Wei', 'Mara Quinn']);
  // The list changed under the user (a new version without Tomas); their sort stays.
  expect(await names()).toEqual(['Mara Quinn', 'Lin Wei', 'Ilse Brandt']);
  await expect.poll(() => roster.getByRole('cell', { name: 'Tomas Reyes', exact: true }).count(), { timeout: 15_000 }).toBe(0);
  await page.getByRole('tab', { name: 'Discharged' }).click();
  const discharged = page.getByRole('table', { name: 'Discharged' });
  await expect.poll(() => discharged.getByRole('cell', { name: 'Tomas Reyes', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await discharged.getByRole('cell', { name: /by Avery Nguyen/ }).isVisible()).toBe(true);
  // The discharged patient's details: read-only fields, the team's notes readable and addable, and Re-admit.
  await discharged.getByRole('button', { name: 'Tomas Reyes', exact: true }).click();
  const gone = page.getByRole('dialog', { name: 'Tomas Reyes' });
  await expect.poll(() => gone.getByText(/^Discharged .* by Avery Nguyen$/).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await gone.getByText('104 kg', { exact: true }).isVisible()).toBe(true);
  expect(await gone.getByRole('button', { name: 'Edit' }).count()).toBe(0);
  expect(await gone.getByRole('button', { name: 'Discharge' }).count()).toBe(0);
  await expectAccessible(page, 'a discharged patient’s details');
  await gone.getByLabel('New note').fill('Called family after discharge');
  await gone.getByRole('button', { name: 'Add note' }).click();
  await expect.poll(() => gone.getByText('Called family after discharge').isVisible(), { timeout: 15_000 }).toBe(true);
  await gone.getByRole('button', { name: 'Re-admit' }).click();
  await expect.poll(() => gone.isVisible(), { timeout: 15_000 }).toBe(false);
  await expect.poll(() => visible(page, 'No discharged patients.'), { timeout: 15_000 }).toBe(true);
  await page.getByRole('tab', { name: 'Admitted' }).click();
  await expect.poll(() => roster.getByRole('cell', { name: 'Tomas Reyes', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

  // The export heads the team's fields by their labels and holds the values as the list shows them.
  const lines = await downloadedCsvLines(page, 'Export CSV');
  expect(lines[0]).toBe('Name,MRN,Birth date,Gender,Status,Weight,Assigned nurse,Falls risk');
  expect(lines.slice(1).sort()).toEqual([
    'Ilse Brandt,IB-2,None recorded,None recorded,Stable,9,None recorded,No',
    'Lin Wei,LW-4,None recorded,None recorded,Stable,55,None recorded,No',
    'Mara Quinn,MQ-1,None recorded,None recorded,Watch,71.5,Blake Okafor,Yes',
  ]);
});
