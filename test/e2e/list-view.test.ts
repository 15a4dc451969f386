import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn as signInAs, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

/** A team connected to a sandbox link, its owner signed in. */
async function connectedTeam(tenant: number, team: number, version: 'r4' | 'stu3' | 'dstu2') {
  const tn = e2e.info.tenants[tenant];
  const tm = tn.teams[team];
  const owner = e2e.info.users.find((u) => u.id === tm.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  await api('PUT', `/teams/${tm.id}/connection`, {
    mode: 'ehr',
    url: e2e.info.sandbox.fhir[version],
    name: `Sandbox ${version.toUpperCase()}`,
    confirm: true,
  });
  const context = await e2e.browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  return {
    team: tm,
    owner,
    api,
    page,
    signIn: () => signInAs(page, e2e.server.url, `${owner.name} (${tn.name})`, tm.name),
    close: () => context.close(),
  };
}

const listPicker = (page: Page) => page.getByRole('combobox', { name: 'List', exact: true });
/** The patient names of a list table, top to bottom. */
const rowNames = async (page: Page, list: string) =>
  (await page.getByRole('table', { name: list }).getByRole('row').allInnerTexts()).slice(1).map((text) => text.split(/\t|\n/)[0].trim());

describe('the list view in a browser', () => {
  it('opens the default list first, and saves the columns chosen and their order', async () => {
    const { team, api, page, signIn, close } = await connectedTeam(0, 0, 'r4');
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=3`);
    expect(patients.length).toBe(3);
    const rounds = await api('POST', `/teams/${team.id}/lists`, { name: 'Rounds' });
    await api('POST', `/teams/${team.id}/lists`, { name: 'Handoff' });
    await api('POST', `/teams/${team.id}/lists/${rounds.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });

    await signIn();
    await expect.poll(() => listPicker(page).locator('option:checked').textContent(), { timeout: 15_000 }).toBe('Rounds (3)');
    await listPicker(page).selectOption({ label: 'Handoff (0)' });
    await page.getByRole('button', { name: 'Make default' }).click();
    await expect.poll(() => visible(page, 'Your default list')).toBe(true);
    await page.reload();
    await expect.poll(() => listPicker(page).locator('option:checked').textContent(), { timeout: 15_000 }).toBe('Handoff (0)');
    await expect.poll(() => visible(page, 'Your default list'), { timeout: 15_000 }).toBe(true);

    await listPicker(page).selectOption({ label: 'Rounds (3)' });
    await expect.poll(() => page.getByRole('table', { name: 'Rounds' }).getByRole('row').count(), { timeout: 15_000 }).toBe(4);
    await page.getByRole('button', { name: 'Columns' }).click();
    const dialog = page.getByRole('dialog', { name: 'Columns of Rounds' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expectAccessible(page, 'column chooser');
    await dialog.getByRole('checkbox', { name: 'Gender' }).uncheck();
    await dialog.getByRole('checkbox', { name: 'Heart rate' }).check();
    await dialog.getByRole('checkbox', { name: 'Allergies' }).check();
    // Allergies came last; one step up puts it before Heart rate.
    await dialog.getByRole('button', { name: 'Move Allergies up' }).click();
    await dialog.getByRole('button', { name: 'Save columns' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const headers = () => page.getByRole('table', { name: 'Rounds' }).getByRole('columnheader').allInnerTexts();
    await expect
      .poll(async () => (await headers()).map((h) => h.trim()), { timeout: 15_000 })
      .toEqual(['Name', 'MRN', 'Birth date (age)', 'Allergies', 'Heart rate', 'Actions']);
    // Saved for the team: a fresh page shows the same columns.
    await page.reload();
    await listPicker(page).selectOption({ label: 'Rounds (3)' });
    await expect
      .poll(async () => (await headers()).map((h) => h.trim()), { timeout: 15_000 })
      .toEqual(['Name', 'MRN', 'Birth date (age)', 'Allergies', 'Heart rate', 'Actions']);
    // Heart rate as value per minute with the time it was taken.
    expect(
      await page
        .getByRole('table', { name: 'Rounds' })
        .getByRole('cell', { name: /^\d+(\.\d+)?\/min \S/ })
        .count(),
    ).toBeGreaterThan(0);
    await close();
  });

  it('sorts by a column header and filters the rows', async () => {
    const { team, api, page, signIn, close } = await connectedTeam(0, 1, 'stu3');
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=male&count=4`);
    expect(patients.length).toBe(4);
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Ward round' });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });
    const names: string[] = patients.map((p: { displayName: string }) => p.displayName);
    // Sorting by name goes by family name, then given names (the summary's sortName), not by prefix.
    const sortNameOf = new Map<string, string>(
      patients.map((p: { displayName: string; sortName?: string }) => [p.displayName, (p.sortName ?? p.displayName).toLowerCase()]),
    );

    await signIn();
    const table = page.getByRole('table', { name: 'Ward round' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 15_000 }).toBe(5);
    const key = (name: string) => sortNameOf.get(name)!;
    // As people read names in the user's language: accents and case second, numbers in text by value.
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const byName = [...names].sort((a, b) => collator.compare(key(a), key(b)));
    // Only the rows in view are rendered: the table tells a screen reader how many it has, and each row its place.
    expect(await table.getAttribute('aria-rowcount')).toBe('5');
    expect(await table.getByRole('row').nth(1).getAttribute('aria-rowindex')).toBe('2');
    await table.getByRole('columnheader', { name: 'Name', exact: true }).click();
    await expect.poll(() => rowNames(page, 'Ward round')).toEqual(byName);
    expect(await table.getByRole('columnheader', { name: 'Name', exact: true }).getAttribute('aria-sort')).toBe('ascending');
    await table.getByRole('columnheader', { name: 'Name', exact: true }).click();
    await expect.poll(() => rowNames(page, 'Ward round')).toEqual([...byName].reverse());

    const one = patients[0] as { displayName: string; mrn: string };
    await page.getByLabel('Filter rows').fill(one.mrn);
    await expect.poll(() => rowNames(page, 'Ward round')).toEqual([one.displayName]);
    await page.getByLabel('Filter rows').fill('no such patient at all');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No rows match the filter.' }).isVisible()).toBe(true);
    expect(await table.isVisible()).toBe(false);
    await close();
  });

  it('shows the whole record in the details panel, every part under its own heading', async () => {
    const { team, owner, api, page, signIn, close } = await connectedTeam(1, 0, 'r4');
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=1`);
    const patient = patients[0] as { id: string; displayName: string; mrn: string };
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Bay 1' });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: [patient.id] });

    await signIn();
    const open = page.getByRole('table', { name: 'Bay 1' }).getByRole('button', { name: patient.displayName, exact: true });
    await expect.poll(() => open.isVisible(), { timeout: 15_000 }).toBe(true);
    await open.click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByRole('heading', { name: patient.displayName }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await drawer.getByText(`MRN ${patient.mrn}`).isVisible()).toBe(true);
    for (const heading of ['Vital signs', 'Conditions', 'Allergies', 'Medications', 'Encounters', 'Coverage', 'Care provider', 'Team notes']) {
      expect(await drawer.getByRole('heading', { name: heading, level: 3 }).isVisible(), heading).toBe(true);
    }
    const vitals = drawer.getByRole('table', { name: 'Vital signs' });
    expect((await vitals.getByRole('columnheader').allInnerTexts()).map((h) => h.trim())).toEqual(['Vital sign', 'Latest', 'Taken']);
    expect(await vitals.getByRole('row', { name: /Heart rate/ }).isVisible()).toBe(true);
    expect(await drawer.getByText('No notes yet.').isVisible()).toBe(true);
    await expectAccessible(page, 'patient details');

    await drawer.getByLabel('New note').fill('Daughter visiting tomorrow');
    await drawer.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => drawer.getByText('Daughter visiting tomorrow').isVisible()).toBe(true);
    await expect.poll(() => drawer.getByText(new RegExp(`^${owner.name}, `)).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await close();
  });

  it('lets an owner reopen the connection settings, see what is connected and close them; members see no settings', async () => {
    // The first team again (the dev directory has two per tenant), now switched to the DSTU2 link.
    const { team, page, signIn, close } = await connectedTeam(0, 0, 'dstu2');
    await signIn();
    await expect.poll(() => page.getByRole('heading', { name: 'Find patients' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: 'Connection settings' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Connect this tab' }).isVisible()).toBe(true);
    expect(await visible(page, 'Connected to Sandbox DSTU2')).toBe(true);
    expect(await visible(page, /FHIR DSTU2 · /)).toBe(true);
    expect(await page.getByRole('textbox', { name: /^Link/ }).inputValue()).toBe(e2e.info.sandbox.fhir.dstu2);
    await expectAccessible(page, 'connection settings');
    await page.getByRole('button', { name: 'Close settings' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Find patients' }).isVisible()).toBe(true);

    const member = e2e.info.users.find((u) => team.members.includes(u.id) && !team.owners.includes(u.id))!;
    await page.getByRole('button', { name: 'Switch user' }).click();
    await signInAs(page, e2e.server.url, `${member.name} (${e2e.info.tenants[0].name})`, team.name);
    await expect.poll(() => page.getByRole('heading', { name: 'Find patients' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('button', { name: 'Connection settings' }).count()).toBe(0);
    await close();
  });

  it('pages through many results with More results, and says plainly when nothing matches', async () => {
    const { team, api, page, signIn, close } = await connectedTeam(1, 1, 'r4');
    let letter = '';
    for (const candidate of ['a', 'e', 'n', 'r', 'i', 'o']) {
      if ((await api('GET', `/teams/${team.id}/patients?name=${candidate}&count=20`)).next) {
        letter = candidate;
        break;
      }
    }
    expect(letter, 'a letter with more than 20 matches').not.toBe('');

    await signIn();
    const results = page.getByRole('table', { name: 'Find patients' });
    await page.getByLabel('Name', { exact: true }).fill(letter);
    await expect.poll(() => results.getByRole('row').count(), { timeout: 15_000 }).toBe(21);
    await page.getByRole('button', { name: 'More results' }).click();
    await expect.poll(() => results.getByRole('row').count(), { timeout: 15_000 }).toBeGreaterThan(21);

    await page.getByLabel('Name', { exact: true }).fill('qxzqxz');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No patients match.' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await results.isVisible()).toBe(false);
    await close();
  });
});
