import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

// A hand-entered patient's details, as a member of a Manual-mode team opens them from a list:
// every field, editing in place (and a colleague's change shown when it comes first), the team's
// notes, and discharge, after which the patient is off the list and among the discharged.
it('opens a hand-entered patient from a list, edits, adds a note, and discharges them', async () => {
  const fabrikam = e2e.info.tenants[1];
  const team = fabrikam.teams.find((t) => t.name === 'ICU Team')!;
  const owner = await apiAs(e2e.server.url, team.owners[0]);
  const base = `/teams/${team.id}`;
  await owner('PUT', `${base}/connection`, { mode: 'manual' });
  await owner('PUT', `${base}/schema`, {
    fields: [
      { id: 'plan', label: 'Care plan', type: 'text' },
      { id: 'isolation', label: 'Isolation', type: 'yesNo' },
    ],
  });
  const zoe = await owner('POST', `${base}/manual-patients`, {
    name: 'Zoe Hand',
    mrn: 'ZH-7',
    room: '4B',
    values: { plan: 'Rest', isolation: true },
  });
  const bay = await owner('POST', `${base}/lists`, { name: 'Bay' });
  await owner('POST', `${base}/lists/${bay.id}/patients`, { patientIds: [zoe.id] });

  const page: Page = await (await e2e.browser.newContext({ reducedMotion: 'reduce' })).newPage();
  await signIn(page, e2e.server.url, 'Emery Zhang (Fabrikam Medical Center)', 'ICU Team');
  const list = page.getByRole('table', { name: 'Bay' });
  await expect.poll(() => list.getByRole('button', { name: 'Zoe Hand', exact: true }).isVisible(), { timeout: 20_000 }).toBe(true);
  await list.getByRole('button', { name: 'Zoe Hand', exact: true }).click();

  // The details of the team's own patient, not "This team is not connected to an EHR".
  const drawer = page.getByRole('dialog', { name: 'Zoe Hand' });
  await expect.poll(() => drawer.getByText('Care plan').isVisible(), { timeout: 15_000 }).toBe(true);
  for (const shown of ['Rest', 'ZH-7', '4B', 'Isolation', 'Yes'])
    expect(await drawer.getByText(shown, { exact: true }).isVisible(), shown).toBe(true);
  expect(await visible(page, 'not connected to an EHR')).toBe(false);
  await expectAccessible(page, 'hand-entered patient details');
  // Closing gives focus back to the patient's name in the list, as for EHR patients.
  await page.keyboard.press('Escape');
  await expect.poll(() => drawer.isVisible()).toBe(false);
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), { timeout: 5_000 }).toBe('Zoe Hand');
  await list.getByRole('button', { name: 'Zoe Hand', exact: true }).click();
  await expect.poll(() => drawer.getByText('Care plan').isVisible(), { timeout: 15_000 }).toBe(true);

  // Edit in place.
  await drawer.getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('dialog', { name: 'Edit Zoe Hand' });
  await form.getByLabel('Care plan').fill('Walk twice daily');
  await form.getByRole('button', { name: 'Save patient' }).click();
  await expect.poll(() => drawer.getByText('Walk twice daily', { exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

  // A colleague saves first: the save is refused, and the details show their version and say so.
  await owner('PATCH', `${base}/manual-patients/${zoe.id}`, { name: 'Zoe Hand', values: { plan: 'Colleague plan' }, version: 2 });
  await drawer.getByRole('button', { name: 'Edit' }).click();
  await form.getByLabel('Care plan').fill('My stale plan');
  await form.getByRole('button', { name: 'Save patient' }).click();
  await expect.poll(() => form.getByText(/Someone else changed this/).isVisible(), { timeout: 15_000 }).toBe(true);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => drawer.getByText('Colleague plan', { exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  // The notice follows the colleague's version (it is set once that version is shown), so it is waited for too.
  await expect.poll(() => drawer.getByText(/A colleague changed this patient/).isVisible(), { timeout: 5_000 }).toBe(true);

  // The team's notes, as for EHR patients.
  await drawer.getByLabel('New note').fill('Mobilised with physio');
  await drawer.getByRole('button', { name: 'Add note' }).click();
  await expect.poll(() => drawer.getByText('Mobilised with physio').isVisible(), { timeout: 15_000 }).toBe(true);

  // Discharge, confirmed: off the list, and among the discharged with who and when.
  await drawer.getByRole('button', { name: 'Discharge' }).click();
  const confirm = page.getByRole('dialog', { name: 'Discharge Zoe Hand?' });
  await confirm.getByRole('button', { name: 'Discharge' }).click();
  await expect.poll(() => drawer.isVisible(), { timeout: 15_000 }).toBe(false);
  await expect.poll(() => list.getByRole('button', { name: 'Zoe Hand', exact: true }).count(), { timeout: 15_000 }).toBe(0);
  const roster = page.getByRole('table', { name: 'Patients of this team' });
  await expect.poll(() => roster.getByRole('cell', { name: 'Zoe Hand', exact: true }).count(), { timeout: 15_000 }).toBe(0);

  await page.getByRole('tab', { name: 'Discharged' }).click();
  const discharged = page.getByRole('table', { name: 'Discharged' });
  await expect.poll(() => discharged.getByRole('cell', { name: 'Zoe Hand', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await discharged.getByRole('cell', { name: /by Emery Zhang/ }).isVisible()).toBe(true);
  expect(await discharged.getByRole('cell', { name: 'Colleague plan', exact: true }).isVisible()).toBe(true);
  await expectAccessible(page, 'discharged patients');

  // On a phone the discharged view fits the width: only its table scrolls sideways.
  await page.setViewportSize({ width: 390, height: 800 });
  await expect.poll(() => discharged.getByRole('cell', { name: 'Zoe Hand', exact: true }).isVisible()).toBe(true);
  const tableBox = (await discharged.boundingBox())!;
  const scroller = (await discharged.locator('xpath=..').boundingBox())!;
  expect(scroller.x + scroller.width).toBeLessThanOrEqual(390);
  expect(tableBox.width).toBeGreaterThan(0);

  // Re-admitted: back among the team's patients, on no list.
  await discharged.getByRole('button', { name: 'Re-admit Zoe Hand' }).click();
  await expect.poll(() => visible(page, 'No discharged patients.'), { timeout: 15_000 }).toBe(true);
  await page.getByRole('tab', { name: 'Admitted' }).click();
  await expect.poll(() => roster.getByRole('cell', { name: 'Zoe Hand', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await list.getByRole('button', { name: 'Zoe Hand', exact: true }).count()).toBe(0);
});
