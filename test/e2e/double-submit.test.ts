import { describe, expect, it } from 'vitest';
import { teamWithSandboxList, useE2e } from '../helpers/e2e';

const e2e = useE2e();

describe('a double click on a form button in a browser', () => {
  it('adds a note once, and saves a correction once without saying the note was changed elsewhere', async () => {
    const { page, patients, signIn, close } = await teamWithSandboxList(e2e, {
      tenant: 0,
      teamIndex: 0,
      name: 'Rounds',
      count: 1,
      width: 1280,
      openFirst: true,
    });
    const sent: string[] = [];
    page.on('request', (r) => r.url().includes('/notes') && r.method() !== 'GET' && sent.push(r.method()));
    await signIn();
    await page.getByRole('button', { name: patients[0].displayName, exact: true }).click({ timeout: 20_000 });
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('textbox', { name: 'New note' }).fill('Fasting from midnight');
    await drawer.getByRole('button', { name: 'Add note' }).dblclick();
    await expect.poll(() => drawer.getByText('Fasting from midnight').count(), { timeout: 15_000 }).toBe(1);

    await drawer.getByRole('button', { name: /^Correct your note of / }).click();
    await drawer.getByRole('textbox', { name: 'Corrected text' }).fill('Fasting from 2 AM');
    await drawer.getByRole('button', { name: 'Save correction' }).dblclick();
    await expect.poll(() => drawer.getByText('Fasting from 2 AM').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => drawer.getByRole('textbox', { name: 'Corrected text' }).count()).toBe(0);
    expect(await drawer.getByText(/changed while you were editing/).count()).toBe(0);
    expect(await drawer.getByText('Fasting from 2 AM').count()).toBe(1);
    expect(sent).toEqual(['POST', 'PATCH']);
    await close();
  });

  it('adds the patients chosen in a search once', async () => {
    const { page, team, api, list, signIn, close } = await teamWithSandboxList(e2e, {
      tenant: 1,
      teamIndex: 0,
      name: 'Bay',
      count: 1,
      width: 1280,
      openFirst: true,
    });
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=male&count=1`);
    const sent: string[] = [];
    page.on('request', (r) => r.url().endsWith(`/lists/${list.id}/patients`) && r.method() === 'POST' && sent.push(r.method()));
    await signIn();
    await page.getByRole('searchbox', { name: 'MRN' }).fill(patients[0].mrn, { timeout: 15_000 });
    await page.getByRole('checkbox', { name: `Select ${patients[0].displayName}` }).check({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Add 1 selected to Bay' }).dblclick();
    await expect.poll(() => page.getByText('Added 1 patient to Bay').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(sent).toEqual(['POST']);
    await close();
  });
});
