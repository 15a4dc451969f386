import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn as signInAs, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

/** Team 0 of tenant 0 connected to the R4 sandbox, a list "Rounds" with two patients, its owner signed in. */
async function roundsTeam(reducedMotion: 'reduce' | 'no-preference' = 'reduce') {
  const tenant = e2e.info.tenants[0];
  const team = tenant.teams[0];
  const owner = e2e.info.users.find((u) => u.id === team.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: e2e.info.sandbox.fhir.r4, name: 'Sandbox R4', confirm: true });
  const { patients } = (await api('GET', `/teams/${team.id}/patients?gender=female&count=3`)) as {
    patients: { id: string; displayName: string; mrn?: string }[];
  };
  const name = `Rounds ${Math.random().toString(36).slice(2, 6)}`;
  const list = await api('POST', `/teams/${team.id}/lists`, { name });
  await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.slice(0, 2).map((p) => p.id) });
  await api('PUT', `/teams/${team.id}/me/default-list`, { listId: list.id });
  const context = await e2e.browser.newContext({ reducedMotion });
  const page = await context.newPage();
  await signInAs(page, e2e.server.url, `${owner.name} (${tenant.name})`, team.name);
  const table = page.getByRole('table', { name });
  await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);
  return { team, owner, api, page, list: { ...list, name }, patients, table, close: () => context.close() };
}

/** The element that has focus: its role, accessible text and tag. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', role: el?.getAttribute('role') ?? '', text: el?.textContent?.trim() ?? '' };
  });

describe('notes, undo and focus in a browser', () => {
  it('lets the author correct and withdraw a note, shows what it said, and refuses an over-long note with a counter', async () => {
    const { page, table, patients, close } = await roundsTeam();
    const patient = patients[0].displayName;
    await table.getByRole('button', { name: patient, exact: true }).click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByRole('heading', { name: 'Team notes' }).isVisible(), { timeout: 20_000 }).toBe(true);

    // Over the limit: the whole text stays in the box, the counter says by how much, and it cannot be saved.
    const box = drawer.getByRole('textbox', { name: 'New note' });
    await box.fill('a'.repeat(4120));
    expect((await box.inputValue()).length).toBe(4120);
    await expect.poll(() => visible(page, '4,120 / 4,000 characters')).toBe(true);
    expect(await visible(page, 'Too long by 120 characters')).toBe(true);
    expect(await drawer.getByRole('button', { name: 'Add note' }).isDisabled()).toBe(true);

    await box.fill('BP 150/90, recheck in an hour');
    expect(await visible(page, '29 / 4,000 characters')).toBe(true);
    await drawer.getByRole('button', { name: 'Add note' }).click();
    const notes = drawer.getByRole('list').filter({ hasText: 'BP 150/90' });
    await expect.poll(() => notes.getByText('BP 150/90, recheck in an hour').isVisible(), { timeout: 15_000 }).toBe(true);

    await drawer.getByRole('button', { name: /^Correct your note of / }).click();
    const correction = drawer.getByRole('textbox', { name: 'Corrected text' });
    expect(await correction.inputValue()).toBe('BP 150/90, recheck in an hour');
    await correction.fill('BP 105/90, recheck in an hour');
    await drawer.getByRole('button', { name: 'Save correction' }).focus();
    await page.keyboard.press('Enter');
    // The note shows its new text, who wrote it and when, and when it was corrected.
    const item = drawer.getByRole('listitem').filter({ hasText: 'Earlier versions' });
    await expect
      .poll(() => item.innerText(), { timeout: 15_000 })
      .toMatch(/^BP 105\/90, recheck in an hour\n[^\n]*\d{1,2}:\d{2}[^\n]* · Edited [^\n]*\d{1,2}:\d{2}[^\n]*\n/);
    // Focus is back on the note's Correct, never on the page: the details were read again meanwhile.
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: 'Correct' });
    // The earlier text is one click away, for the whole team.
    expect(await drawer.getByText('BP 150/90, recheck in an hour').isVisible()).toBe(false);
    await drawer.getByText('Earlier versions (1)').click();
    expect(await drawer.getByText('BP 150/90, recheck in an hour').isVisible()).toBe(true);
    await expectAccessible(page, 'a corrected note');

    await drawer.getByRole('button', { name: /^Withdraw your note of / }).click();
    await drawer
      .getByRole('group', { name: /^Withdraw your note of / })
      .getByRole('button', { name: 'Withdraw' })
      .click();
    await expect.poll(() => drawer.getByText(/^Withdrawn by .+ at /).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await drawer.getByRole('button', { name: /^Correct your note of / }).count()).toBe(0);
    // Focus stays on the note, on the line that says it was withdrawn; Escape still closes the details.
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ text: expect.stringMatching(/^Withdrawn by /) });
    // The earlier versions, opened before, stay open and now hold both texts.
    expect(await drawer.getByText('Earlier versions (2)').isVisible()).toBe(true);
    expect(await drawer.getByText('BP 150/90, recheck in an hour').isVisible()).toBe(true);
    expect(await drawer.getByText('BP 105/90, recheck in an hour').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count(), { timeout: 5_000 }).toBe(0);
    await close();
  });

  it('returns focus to the patient link on Escape, and to what happened after Add selected', async () => {
    // With the panel's closing motion, as most users have it.
    const { page, table, patients, close } = await roundsTeam('no-preference');
    const patient = patients[1].displayName;
    const link = table.getByRole('button', { name: patient, exact: true });
    await link.focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByRole('heading', { name: 'Team notes' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'BUTTON', text: patient });

    // The third patient is not on the list yet: add it from the search.
    const third = patients[2].displayName;
    await page.getByRole('searchbox', { name: 'MRN' }).fill(patients[2].mrn!);
    const pick = page.getByRole('checkbox', { name: `Select ${third}` });
    await expect.poll(() => pick.isVisible(), { timeout: 15_000 }).toBe(true);
    await pick.check();
    await page.getByRole('button', { name: /^Add 1 selected to / }).click();
    await expect.poll(() => focused(page)).toMatchObject({ role: 'status', text: expect.stringMatching(/^Added 1 patient to Rounds /) });
    await expect.poll(() => table.getByRole('button', { name: third, exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    await close();
  });

  it('takes a patient off at once and puts them back with Undo within ten seconds, from the keyboard', async () => {
    const { page, table, patients, list, api, team, close } = await roundsTeam();
    const patient = patients[0].displayName;
    await table.getByRole('button', { name: `Remove ${patient} from ${list.name}` }).focus();
    await page.keyboard.press('Enter');
    // The server has already taken the patient off: a fresh read does not have them.
    await expect.poll(() => visible(page, `Removed ${patient} from ${list.name}`), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => table.getByRole('button', { name: patient, exact: true }).count(), { timeout: 15_000 }).toBe(0);
    const onServer = async () =>
      ((await api('GET', `/teams/${team.id}/lists/${list.id}`)) as { rows: { patientId: string }[] }).rows.map((r) => r.patientId);
    expect(await onServer()).not.toContain(patients[0].id);
    // Focus is on Undo: Enter again takes the removal back.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Undo' });
    await expectAccessible(page, 'the removal message');
    await page.keyboard.press('Enter');
    await expect.poll(() => visible(page, `${patient} is back on ${list.name}`), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => table.getByRole('button', { name: patient, exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await onServer()).toContain(patients[0].id);
    // A removal left to time out with focus on Undo: focus goes to the list picker, not the page,
    // from where the next Tab would reach another patient's Remove.
    const other = patients[1].displayName;
    await table.getByRole('button', { name: `Remove ${other} from ${list.name}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: 'Undo' });
    await expect.poll(() => visible(page, `Removed ${other} from ${list.name}`), { timeout: 20_000, interval: 500 }).toBe(false);
    await expect.poll(() => focused(page), { timeout: 5_000 }).toMatchObject({ tag: 'SELECT' });
    await close();
  });

  it('shows the current version of a note or of the columns changed meanwhile, and says what happened', async () => {
    const { page, table, patients, list, api, team, close } = await roundsTeam();
    const patient = patients[0];
    const note = await api('POST', `/teams/${team.id}/patients/${patient.id}/notes`, { text: 'NPO from midnight' });
    await table.getByRole('button', { name: patient.displayName, exact: true }).click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByText('NPO from midnight').isVisible(), { timeout: 20_000 }).toBe(true);
    await drawer.getByRole('button', { name: /^Correct your note of / }).click();
    await drawer.getByRole('textbox', { name: 'Corrected text' }).fill('NPO from 2 am');
    // The same author corrects it in another window first.
    await api('PATCH', `/teams/${team.id}/patients/${patient.id}/notes/${note.id}`, { text: 'NPO from 6 am', version: 1 });
    await drawer.getByRole('button', { name: 'Save correction' }).click();
    await expect
      .poll(() => visible(page, 'This note was changed while you were editing (perhaps in another window). Here is its current version.'), {
        timeout: 15_000,
      })
      .toBe(true);
    await expect.poll(() => drawer.getByText('NPO from 6 am', { exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    // The draft is kept; saving again corrects the current version.
    expect(await drawer.getByRole('textbox', { name: 'Corrected text' }).inputValue()).toBe('NPO from 2 am');
    await drawer.getByRole('button', { name: 'Save correction' }).click();
    await expect.poll(() => drawer.getByText('NPO from 2 am', { exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    await drawer.getByRole('button', { name: 'Close details' }).click();
    await expect.poll(() => drawer.isVisible()).toBe(false);

    await page.getByRole('button', { name: 'Columns' }).click();
    const dialog = page.getByRole('dialog', { name: `Columns of ${list.name}` });
    await dialog.getByRole('checkbox', { name: 'Heart rate' }).check();
    // A colleague narrows the columns meanwhile.
    const current = (await api('GET', `/teams/${team.id}/lists/${list.id}`)) as { version: number };
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: ['name', 'mrn'], version: current.version });
    await dialog.getByRole('button', { name: 'Save columns' }).click();
    await expect.poll(() => visible(page, 'Their columns: Name, MRN.'), { timeout: 15_000 }).toBe(true);
    expect(await visible(page, 'Someone changed this list while you were editing. Here is their version')).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Heart rate' }).isChecked()).toBe(false);
    expect(await dialog.getByRole('checkbox', { name: 'MRN' }).isChecked()).toBe(true);
    await dialog.getByRole('checkbox', { name: 'Heart rate' }).check();
    await dialog.getByRole('button', { name: 'Save columns' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect
      .poll(async () => (await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim()), { timeout: 15_000 })
      .toEqual(['Name', 'MRN', 'Heart rate', 'Actions']);
    await close();
  });

  it("shows a colleague's rename made while the rename dialog was open, and says what happened", async () => {
    const { page, list, api, team, close } = await roundsTeam();
    await page.getByRole('button', { name: 'Rename' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'List name' }).fill('Morning rounds');
    // A colleague renames the list meanwhile.
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { name: 'Night rounds', version: list.version });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => visible(page, 'Someone changed this list while you were editing. Here is their version'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => visible(page, 'It is now named “Night rounds”.'), { timeout: 15_000 }).toBe(true);
    // Saving again applies to their version.
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Morning rounds' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await close();
  });
});
