import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

const hasFocus = (target: Locator) => target.evaluate((el) => el === document.activeElement);
/** What the tab's polite live region says now. */
const heard = (page: Page) => page.evaluate(() => document.getElementById('tab-live-region')?.textContent ?? '');

// A clerk on the keyboard with a screen reader discharges and re-admits hand-entered patients.
// The control they used goes away with the patient's row: they hear what was done, and the focus
// lands on a control that stays (the list picker, the Discharged tab), never on the page, where
// the next Tab would start again from the top. A discharged patient they type in again by her MRN
// is refused in words that say to re-admit her.
it('keeps the keyboard user’s place and says what was done when a patient is discharged and re-admitted', async () => {
  const owner = await teamOwner(e2e, 0, 0);
  const base = `/teams/${owner.team.id}`;
  await owner.api('PUT', `${base}/connection`, { mode: 'manual' });
  await owner.api('PUT', `${base}/schema`, { fields: [{ id: 'plan', label: 'Plan', type: 'text' }], version: 0 });
  const ids: string[] = [];
  for (const [name, mrn] of [
    ['Ada Quill', 'AQ-1'],
    ['Bo Lantern', 'BL-2'],
    ['Cy Marsh', 'CM-3'],
  ])
    ids.push((await owner.api('POST', `${base}/manual-patients`, { name, mrn, values: {} })).id);
  await owner.api('POST', `${base}/manual-patients/${ids[0]}/discharge`, { version: 1 });
  const list = await owner.api('POST', `${base}/lists`, { name: 'Rounds' });
  await owner.api('POST', `${base}/lists/${list.id}/patients`, { patientIds: ids.slice(1) });
  await owner.api('PUT', `${base}/me/default-list`, { listId: list.id });
  const page: Page = await (await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1000, height: 900 } })).newPage();
  await signIn(page, e2e.server.url, owner.signInLabel, owner.team.name);
  const rounds = page.getByRole('table', { name: 'Rounds' });

  // Discharge from the details, by keyboard: the drawer closes, Bo's row goes, focus is on the list picker.
  for (const name of ['Bo Lantern', 'Cy Marsh']) {
    await expect.poll(() => rounds.getByRole('button', { name, exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    await rounds.getByRole('button', { name, exact: true }).focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name });
    await expect.poll(() => drawer.getByRole('button', { name: 'Discharge' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await drawer.getByRole('button', { name: 'Discharge' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: `Discharge ${name}?` });
    await confirm.getByRole('button', { name: 'Discharge' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rounds.getByRole('button', { name, exact: true }).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => heard(page), { timeout: 10_000 }).toBe(`${name} was discharged.`);
    await expect.poll(() => hasFocus(page.getByRole('combobox', { name: 'List', exact: true })), { timeout: 10_000 }).toBe(true);
  }

  // Re-admit from the Discharged table's row: the row goes, focus is on the Discharged tab.
  const tab = page.getByRole('tab', { name: 'Discharged' });
  await tab.click();
  const discharged = page.getByRole('table', { name: 'Discharged' });
  await expect.poll(() => discharged.getByRole('button', { name: 'Re-admit Bo Lantern' }).isVisible(), { timeout: 15_000 }).toBe(true);
  await discharged.getByRole('button', { name: 'Re-admit Bo Lantern' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => discharged.getByRole('button', { name: 'Re-admit Bo Lantern' }).count(), { timeout: 15_000 }).toBe(0);
  await expect.poll(() => heard(page), { timeout: 10_000 }).toBe('Bo Lantern was re-admitted.');
  await expect.poll(() => hasFocus(tab), { timeout: 10_000 }).toBe(true);

  // Re-admit from her details, opened from her name: the drawer and the row go, focus is on the tab.
  await discharged.getByRole('button', { name: 'Cy Marsh', exact: true }).focus();
  await page.keyboard.press('Enter');
  const details = page.getByRole('dialog', { name: 'Cy Marsh' });
  await expect.poll(() => details.getByRole('button', { name: 'Re-admit' }).isVisible(), { timeout: 15_000 }).toBe(true);
  await details.getByRole('button', { name: 'Re-admit' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => details.isVisible(), { timeout: 15_000 }).toBe(false);
  await expect.poll(() => heard(page), { timeout: 10_000 }).toBe('Cy Marsh was re-admitted.');
  await expect.poll(() => hasFocus(tab), { timeout: 10_000 }).toBe(true);

  // Ada, discharged earlier, typed in again as a new patient by her MRN: refused, saying to re-admit her.
  await page.getByRole('button', { name: 'New patient' }).click();
  const form = page.getByRole('dialog', { name: 'New patient' });
  await form.getByLabel('Name').fill('Ada Quill');
  await form.getByLabel('MRN', { exact: true }).fill('aq-1');
  await form.getByRole('button', { name: 'Save patient' }).click();
  const words = 'A discharged patient with MRN “aq-1” is in the team; re-admit them under Discharged instead of entering them again.';
  await expect.poll(() => form.getByText(words).isVisible(), { timeout: 15_000 }).toBe(true);
  await page.keyboard.press('Escape');
  expect((await owner.api('GET', `${base}/manual-patients`)).patients.map((p: { name: string }) => p.name).sort()).toEqual([
    'Bo Lantern',
    'Cy Marsh',
  ]);
  await page.context().close();
});
