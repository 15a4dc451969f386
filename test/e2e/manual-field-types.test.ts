import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

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
