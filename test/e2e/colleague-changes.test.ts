import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start';
import { launchBrowser } from '../helpers/browser';
import { apiAs, signIn, visible } from '../helpers/e2e';
import { suiteRateLimits, type DevInfo } from '../helpers/test-server';

/**
 * Two people of one team at work on the same lists: what one changed, the other's next action on
 * it meets. The tab then shows the change (the list read again) and says in words what happened.
 */
let server: RunningServer;
let browser: Browser;
let info: DevInfo;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'patients-e2e-'));
  [server, browser] = await Promise.all([startServer({ ...suiteRateLimits, PORT: '0', DATA_DIR: dataDir, SANDBOX_PATIENTS: '30' }), launchBrowser()]);
  info = (await (await fetch(`${server.url}/dev/info`)).json()) as DevInfo;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const listPicker = (page: Page) => page.getByRole('combobox', { name: 'List', exact: true });
/** The patient names of a list table, top to bottom. */
const rowNames = async (page: Page, list: string) =>
  (await page.getByRole('table', { name: list }).getByRole('row').allInnerTexts()).slice(1).map((text) => text.split(/\t|\n/)[0].trim());
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

/** A team of the dev directory, linked to the sandbox: its owner's API, and a member (not an owner) to sign in as. */
async function team(tenantIndex: number, teamIndex: number) {
  const tenant = info.tenants[tenantIndex];
  const tm = tenant.teams[teamIndex];
  const owner = info.users.find((u) => u.id === tm.owners[0])!;
  const member = info.users.find((u) => tm.members.includes(u.id) && !tm.owners.includes(u.id))!;
  const api = await apiAs(server.url, owner.id);
  await api('PUT', `/teams/${tm.id}/connection`, { mode: 'ehr', url: info.sandbox.fhir.r4, name: 'Sandbox R4', confirm: true });
  const { patients } = (await api('GET', `/teams/${tm.id}/patients?gender=female&count=4`)) as { patients: { id: string; displayName: string }[] };
  expect(patients.length).toBe(4);
  return { tenant, team: tm, owner, member, api, patients };
}

describe('a colleague changed the list first', () => {
  it('shows the change and says what happened: a patient taken off, moved, the list renamed, deleted, a list moved to deleted', async () => {
    const { tenant, team: tm, member, api, patients } = await team(0, 0);
    const ward = await api('POST', `/teams/${tm.id}/lists`, { name: 'Ward' });
    const handoff = await api('POST', `/teams/${tm.id}/lists`, { name: 'Handoff' });
    const night = await api('POST', `/teams/${tm.id}/lists`, { name: 'Night' });
    const spare = await api('POST', `/teams/${tm.id}/lists`, { name: 'Spare' });
    await api('PUT', `/teams/${tm.id}/me/default-list`, { listId: ward.id });
    await api('POST', `/teams/${tm.id}/lists/${ward.id}/patients`, { patientIds: patients.map((p) => p.id) });
    const [first, second, third] = patients;

    const context = await browser.newContext({ reducedMotion: 'reduce', locale: 'en-GB' });
    const page = await context.newPage();
    try {
      await signIn(page, server.url, `${member.name} (${tenant.name})`, tm.name);
      await expect.poll(() => rowNames(page, 'Ward').then((n) => n.length), { timeout: 20_000 }).toBe(4);

      // A colleague takes the first patient off; this user then removes that patient too.
      await api('DELETE', `/teams/${tm.id}/lists/${ward.id}/patients/${first.id}`);
      await page.getByRole('button', { name: `Remove ${first.displayName} from Ward` }).click();
      await expect.poll(() => visible(page, 'This patient is no longer on this list.'), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => rowNames(page, 'Ward'), { timeout: 15_000 }).not.toContain(first.displayName);
      expect(await rowNames(page, 'Ward')).toHaveLength(3);
      // The notice has focus: the row whose button was pressed is gone.
      expect(await focusedText(page)).toContain('This patient is no longer on this list.');

      // A colleague moves the second patient to Handoff; this user then moves that patient there too.
      await api('POST', `/teams/${tm.id}/lists/${ward.id}/patients/${second.id}/move`, { toListId: handoff.id });
      await page.getByRole('button', { name: `Move ${second.displayName} to another list` }).click();
      await page.getByRole('menuitem', { name: 'Handoff' }).click();
      await expect.poll(() => rowNames(page, 'Ward'), { timeout: 15_000 }).not.toContain(second.displayName);
      expect(await visible(page, 'This patient is no longer on this list.')).toBe(true);
      // The lists summary was read again: Handoff now counts the patient the colleague moved.
      await expect.poll(() => listPicker(page).locator('option').allTextContents(), { timeout: 15_000 }).toContain('Handoff (1)');

      // A colleague renames the list while this user has the rename dialog open.
      await page.getByRole('button', { name: 'Rename' }).click();
      const rename = page.getByRole('dialog');
      await api('PATCH', `/teams/${tm.id}/lists/${ward.id}`, { name: 'Ward 7' });
      await rename.getByRole('textbox').fill('Ward A');
      await rename.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => rename.getByText('Someone changed this list while you were editing.').isVisible(), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => rename.getByText('It is now named “Ward 7”.').isVisible(), { timeout: 15_000 }).toBe(true);
      await rename.getByRole('button', { name: 'Cancel' }).click();
      // The list behind the dialog was read again: the colleague's name.
      await expect.poll(() => listPicker(page).locator('option:checked').textContent(), { timeout: 15_000 }).toBe('Ward 7 (2)');

      // This user opens Night and chooses a patient in the search; a colleague deletes Night; this user adds the patient.
      await listPicker(page).selectOption({ label: 'Night (0)' });
      await expect.poll(() => visible(page, 'This list has no patients yet'), { timeout: 15_000 }).toBe(true);
      await page.getByLabel('Gender', { exact: true }).selectOption({ label: 'Female' });
      await page.getByRole('checkbox', { name: `Select ${first.displayName}` }).check();
      await api('DELETE', `/teams/${tm.id}/lists/${night.id}`);
      await page.getByRole('button', { name: 'Add 1 selected to Night' }).click();
      await expect.poll(() => visible(page, 'Could not add 1 patient to Night.'), { timeout: 15_000 }).toBe(true);
      expect(await visible(page, 'This list was deleted by a colleague.')).toBe(true);
      await expect.poll(() => visible(page, 'The list “Night” was deleted by a colleague.'), { timeout: 15_000 }).toBe(true);
      // Back on the default list, which is still there.
      await expect.poll(() => listPicker(page).locator('option:checked').textContent(), { timeout: 15_000 }).toBe('Ward 7 (2)');
      expect(await listPicker(page).locator('option').allTextContents()).toEqual(['Ward 7 (2)', 'Handoff (1)', 'Spare (0)']);
      await expect.poll(() => rowNames(page, 'Ward 7'), { timeout: 15_000 }).toContain(third.displayName);

      // A colleague deletes Spare; this user then moves a patient there: the patient stays, and the list went.
      await api('DELETE', `/teams/${tm.id}/lists/${spare.id}`);
      await page.getByRole('button', { name: `Move ${third.displayName} to another list` }).click();
      await page.getByRole('menuitem', { name: 'Move to Spare' }).click();
      await expect
        .poll(() => visible(page, 'The list you chose was deleted by a colleague, so the patient was not moved.'), { timeout: 15_000 })
        .toBe(true);
      await expect.poll(() => listPicker(page).locator('option').allTextContents(), { timeout: 15_000 }).toEqual(['Ward 7 (2)', 'Handoff (1)']);
      expect(await rowNames(page, 'Ward 7')).toContain(third.displayName);
      expect(await visible(page, 'The list “Ward 7” was deleted')).toBe(false);

      // A colleague deletes the list; this user then removes a patient from it.
      await api('DELETE', `/teams/${tm.id}/lists/${ward.id}`);
      await page.getByRole('button', { name: `Remove ${third.displayName} from Ward 7` }).click();
      await expect.poll(() => visible(page, 'The list “Ward 7” was deleted by a colleague.'), { timeout: 15_000 }).toBe(true);
      // Back to the picker, on a list that is there: no broken list, and the deleted one is not offered.
      await expect.poll(() => listPicker(page).locator('option:checked').textContent(), { timeout: 15_000 }).toBe('Handoff (1)');
      expect(await listPicker(page).locator('option').allTextContents()).toEqual(['Handoff (1)']);
      expect(await rowNames(page, 'Handoff')).toEqual([second.displayName]);
      expect(await focusedText(page)).toContain('The list “Ward 7” was deleted by a colleague.');
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('a connection that reads unset while the team has data', () => {
  it('says that the setting could not be read and asks to confirm the change of source, instead of a version conflict', async () => {
    const { tenant, team: tm, owner, api, patients } = await team(0, 1);
    const ward = await api('POST', `/teams/${tm.id}/lists`, { name: 'Ward' });
    await api('POST', `/teams/${tm.id}/lists/${ward.id}/patients`, { patientIds: [patients[0].id] });
    // The team's setting is lost (as when it is changed outside the app): the connection reads unset.
    const db = new Database(join(dataDir, 'patients.sqlite'));
    try {
      db.prepare('DELETE FROM team_settings WHERE team_id = ?').run(tm.id);
    } finally {
      db.close();
    }
    expect(await api('GET', `/teams/${tm.id}/connection`)).toEqual({ mode: 'unset' });

    const context = await browser.newContext({ reducedMotion: 'reduce', locale: 'en-GB' });
    const page = await context.newPage();
    try {
      await signIn(page, server.url, `${owner.name} (${tenant.name})`, tm.name);
      await expect.poll(() => page.getByRole('heading', { name: 'Connect this tab' }).isVisible(), { timeout: 15_000 }).toBe(true);
      await page.getByRole('radio', { name: /^Manual mode/ }).check();
      await page.getByRole('button', { name: 'Use Manual mode' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Change where patients come from?' });
      await expect.poll(() => dialog.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await dialog.textContent()).toContain("The team's connection setting could not be read");
      expect(await visible(page, 'Someone else changed this')).toBe(false);
      expect(await visible(page, '"confirm": true')).toBe(false);
      await dialog.getByRole('button', { name: 'Change' }).click();
      await expect.poll(() => visible(page, 'Manual mode is on: the team enters its own patients and fields.'), { timeout: 15_000 }).toBe(true);
      expect(await api('GET', `/teams/${tm.id}/connection`)).toMatchObject({ mode: 'manual' });
    } finally {
      await context.close();
    }
  }, 120_000);
});
