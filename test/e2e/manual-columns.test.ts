import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { apiAs, downloadedCsvLines, expectAccessible, signIn, useE2e } from '../helpers/e2e';

const e2e = useE2e();

// A Manual-mode team's own fields as list columns: the owner's choice and number fields are offered
// by label in the column chooser (the EHR-only columns are not), the number sorts as a number with
// its unit, the choice shows as a badge in its colour, and the CSV heads each field by its label.
it('shows, sorts and exports the team’s choice and number fields as list columns', async () => {
  const tenant = e2e.info.tenants.find((t) => t.name === 'Contoso Health')!;
  const team = tenant.teams.find((t) => t.name === 'Ward 4B Nursing')!;
  const owner = e2e.info.users.find((u) => u.name === 'Avery Nguyen' && u.tenantId === tenant.id)!;
  const api = await apiAs(e2e.server.url, owner.id);
  const base = `/teams/${team.id}`;
  await api('PUT', `${base}/connection`, { mode: 'manual' });
  await api('PUT', `${base}/schema`, {
    version: 0,
    fields: [
      { id: 'status', label: 'Status', type: 'choice', choices: ['Stable', 'Watch', 'Critical'], colours: { Critical: 'red' } },
      { id: 'weight', label: 'Weight', type: 'number', unit: 'kg' },
    ],
  });
  for (const [name, status, weight] of [
    ['Mara Quinn', 'Critical', 100],
    ['Ilse Brandt', 'Stable', 9],
    ['Tomas Reyes', 'Watch', 61.5],
  ] as const)
    await api('POST', `${base}/manual-patients`, { name, values: { status, weight } });

  const page: Page = await (await e2e.browser.newContext({ reducedMotion: 'reduce', timezoneId: 'UTC' })).newPage();
  await signIn(page, e2e.server.url, 'Avery Nguyen (Contoso Health)', 'Ward 4B Nursing');
  await expect.poll(() => page.getByRole('button', { name: 'New list' }).isVisible(), { timeout: 15_000 }).toBe(true);
  await page.getByRole('button', { name: 'New list' }).click();
  await page.getByLabel('List name').fill('Bay 2');
  await page.getByRole('button', { name: 'Create' }).click();
  for (const name of ['Mara Quinn', 'Ilse Brandt', 'Tomas Reyes']) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('button', { name: 'Add 3 selected to Bay 2' }).click();
  const table = page.getByRole('table', { name: 'Bay 2' });
  await expect.poll(() => table.getByRole('button', { name: 'Tomas Reyes', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

  // The chooser offers the team's fields by label and the columns a hand-entered patient has, not the EHR's vital signs.
  await page.getByRole('button', { name: 'Columns' }).click();
  const dialog = page.getByRole('dialog', { name: 'Columns of Bay 2' });
  expect(await dialog.getByRole('checkbox', { name: 'Heart rate' }).count()).toBe(0);
  await dialog.getByRole('checkbox', { name: 'Status' }).check();
  await dialog.getByRole('checkbox', { name: 'Weight' }).check();
  await expectAccessible(page, 'column chooser with the team’s fields');
  await dialog.getByRole('button', { name: 'Save columns' }).click();
  await expect.poll(() => table.getByRole('columnheader', { name: 'Weight', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

  // The number sorts as a number (9, 61.5, 100; as text it would be 100, 61.5, 9), shown with its unit.
  await table.getByRole('columnheader', { name: 'Weight', exact: true }).click();
  const names = () => table.locator('tbody tr[data-index] td:first-child').allInnerTexts();
  await expect.poll(names).toEqual(['Ilse Brandt', 'Tomas Reyes', 'Mara Quinn']);
  expect(await table.getByRole('cell', { name: '61.5 kg', exact: true }).isVisible()).toBe(true);
  await table.getByRole('columnheader', { name: 'Status', exact: true }).click();
  // A choice sorts in the order of its choices, not alphabetically.
  await expect.poll(names).toEqual(['Ilse Brandt', 'Tomas Reyes', 'Mara Quinn']);

  const badge = table.locator('[data-colour="red"]');
  expect(await badge.textContent()).toBe('Critical');
  expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
  await page.getByLabel('Filter rows').fill('critical');
  await expect.poll(names).toEqual(['Mara Quinn']);
  await page.getByLabel('Filter rows').fill('');
  await expectAccessible(page, 'list with the team’s fields as columns');

  const csv = await downloadedCsvLines(page, 'Export CSV');
  expect(csv[0]).toBe('Name,MRN,Birth date,Gender,Status,Weight');
  expect(csv.slice(1, 4).sort()).toEqual([
    'Ilse Brandt,None recorded,None recorded,None recorded,Stable,9',
    'Mara Quinn,None recorded,None recorded,None recorded,Critical,100',
    'Tomas Reyes,None recorded,None recorded,None recorded,Watch,61.5',
  ]);
});
