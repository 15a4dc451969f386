import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { expectAccessible, signIn, teamOwner, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

const open = async () => (await e2e.browser.newContext({ reducedMotion: 'reduce' })).newPage();

// An owner of a Manual-mode team adds a person field and a choice field with colours, and enters a
// patient with them: the nurse is picked by name from the team's members, the status shows as a
// badge in its colour, and a nurse who is no longer in the team reads as having left.
it('adds a person field and a coloured choice field, and enters a patient with them', async () => {
  const page: Page = await open();
  await signIn(page, e2e.server.url, 'Avery Nguyen (Contoso Health)', 'Ward 4B Nursing');
  await page.getByRole('radio', { name: /Manual mode/ }).check();
  await page.getByRole('button', { name: 'Use Manual mode' }).click();
  await page.getByRole('button', { name: 'Close settings' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Patient fields' }).isVisible(), { timeout: 15_000 }).toBe(true);

  await page.getByRole('button', { name: 'Add field' }).click();
  const nurseField = page.locator('[data-field-row]').last();
  await nurseField.getByLabel('Field name').fill('Assigned nurse');
  await nurseField.getByLabel('Type').selectOption({ label: 'Person' });
  await nurseField.getByRole('checkbox', { name: 'Required' }).check();

  await page.getByRole('button', { name: 'Add field' }).click();
  const statusField = page.locator('[data-field-row]').last();
  await statusField.getByLabel('Field name').fill('Status');
  await statusField.getByLabel('Type').selectOption({ label: 'Choice' });
  await statusField.getByLabel('Choices (comma-separated)').fill('Stable, Watch, Critical');
  await statusField.getByLabel('Colour of Watch').selectOption({ label: 'Orange' });
  await statusField.getByLabel('Colour of Critical').selectOption({ label: 'Red' });
  await expectAccessible(page, 'field editor with person and choice fields');
  await page.getByRole('button', { name: 'Save fields' }).click();
  await expect.poll(() => visible(page, 'Fields saved.')).toBe(true);

  // A patient without the required nurse is refused in words that name the field.
  await page.getByRole('button', { name: 'New patient' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Mara Quinn');
  await dialog.getByRole('button', { name: 'Save patient' }).click();
  await expect.poll(() => dialog.getByText('Assigned nurse: fill this in; it is required.').isVisible(), { timeout: 10_000 }).toBe(true);

  // The nurse is picked by name among the team's members; the chosen status shows its badge.
  const nurse = dialog.getByLabel('Assigned nurse');
  await expect
    .poll(() => nurse.locator('option').allTextContents())
    .toEqual(['Choose a member of the team', 'Avery Nguyen', 'Blake Okafor', 'Casey Lindqvist']);
  await nurse.selectOption({ label: 'Blake Okafor' });
  await dialog.getByLabel('Status').selectOption('Watch');
  expect(await dialog.locator('[data-colour="orange"]').textContent()).toBe('Watch');
  await expectAccessible(page, 'patient form with person and choice fields');
  await dialog.getByRole('button', { name: 'Save patient' }).click();

  const table = page.getByRole('table', { name: 'Patients of this team' });
  await expect.poll(() => table.getByRole('cell', { name: 'Mara Quinn', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await table.getByRole('cell', { name: 'Blake Okafor', exact: true }).isVisible()).toBe(true);
  const badge = table.locator('[data-colour="orange"]');
  expect(await badge.textContent()).toBe('Watch');
  // The badge's colours are the palette's, not the page's default text on nothing.
  expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');

  // Once Blake is no longer among the team's members, his name reads as having left, in the table
  // and in the form, where he stays the patient's nurse until someone else is chosen.
  await page.route('**/api/teams/*/members', async (route) => {
    const answer = await route.fetch();
    const { members } = (await answer.json()) as { members: { id: string; name: string }[] };
    await route.fulfill({ response: answer, json: { members: members.filter((m) => m.name !== 'Blake Okafor') } });
  });
  await page.reload();
  await expect.poll(() => table.getByRole('cell', { name: 'Blake Okafor (left the team)', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  await page.getByRole('button', { name: 'Edit Mara Quinn' }).click();
  dialog = page.getByRole('dialog');
  const edited = dialog.getByLabel('Assigned nurse');
  await expect.poll(() => edited.locator('option:checked').textContent()).toBe('Blake Okafor (left the team)');
  await edited.selectOption({ label: 'Casey Lindqvist' });
  await dialog.getByRole('button', { name: 'Save patient' }).click();
  await expect.poll(() => table.getByRole('cell', { name: 'Casey Lindqvist', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
});

// A clerk types a child's weight with a decimal comma. In an English tab (the words of every language
// without a catalog of its own, German or French included) "7,5" is no number and is refused in words,
// never saved as 75 kg; in a Russian tab "80,4" is 80.4, and a weight comes back into the form as "72,5".
it('reads a decimal comma by the tab’s language: refused in English, never ten times the value; a decimal in Russian', async () => {
  const { api, signInLabel, team } = await teamOwner(e2e, 0, 1);
  await api('PUT', `/teams/${team.id}/connection`, { mode: 'manual' });
  await api('PUT', `/teams/${team.id}/schema`, { fields: [{ id: 'weight', label: 'Weight', type: 'number', unit: 'kg', min: 0.5, max: 300 }] });
  const page: Page = await open();
  await signIn(page, e2e.server.url, signInLabel, team.name);
  await page.getByRole('button', { name: 'New patient' }).click({ timeout: 15_000 });
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Ada Park');
  // Typed key by key, as a person does (a browser's number input drops what it cannot read as it goes).
  await dialog.getByLabel('Weight').pressSequentially('7,5');
  await dialog.getByRole('button', { name: 'Save patient' }).click();
  await expect.poll(() => dialog.getByText('Weight: enter a number from 0.5 to 300.').isVisible(), { timeout: 10_000 }).toBe(true);
  expect((await api('GET', `/teams/${team.id}/manual-patients`)).patients).toEqual([]);
  await dialog.getByLabel('Weight').fill('');
  await dialog.getByLabel('Weight').pressSequentially('72.5');
  await dialog.getByRole('button', { name: 'Save patient' }).click();
  const table = page.getByRole('table', { name: 'Patients of this team' });
  await expect.poll(() => table.getByRole('cell', { name: '72.5 kg', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

  const ru = catalogs.ru;
  await page.goto(`${e2e.server.url}/?lang=ru`);
  await page.getByRole('button', { name: ru['manual.editPatient'].replace('{name}', 'Ada Park') }).click({ timeout: 15_000 });
  const weight = page.getByRole('dialog').getByLabel('Weight');
  expect(await weight.inputValue()).toBe('72,5');
  await weight.fill('');
  await weight.pressSequentially('80,4');
  await page.getByRole('dialog').getByRole('button', { name: ru['manual.savePatient'] }).click();
  await expect
    .poll(() => page.getByRole('table', { name: ru['manual.title'] }).getByRole('cell', { name: '80,4 kg', exact: true }).isVisible(), {
      timeout: 15_000,
    })
    .toBe(true);
  const [saved] = (await api('GET', `/teams/${team.id}/manual-patients`)).patients as { values: Record<string, unknown> }[];
  expect(saved.values.weight).toBe(80.4);
});
