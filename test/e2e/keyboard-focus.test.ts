import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, signIn as signInAs, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

/**
 * Team 0 of tenant 0 connected to the R4 sandbox, a list "Keys …" with two patients and an empty
 * list "Elsewhere …" to move them to, its owner signed in.
 */
async function keysTeam() {
  const tenant = e2e.info.tenants[0];
  const team = tenant.teams[0];
  const owner = e2e.info.users.find((u) => u.id === team.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: e2e.info.sandbox.fhir.r4, name: 'Sandbox R4', confirm: true });
  const { patients } = (await api('GET', `/teams/${team.id}/patients?gender=female&count=2`)) as {
    patients: { id: string; displayName: string; mrn?: string }[];
  };
  const tag = Math.random().toString(36).slice(2, 6);
  const name = `Keys ${tag}`;
  const list = await api('POST', `/teams/${team.id}/lists`, { name });
  const other = await api('POST', `/teams/${team.id}/lists`, { name: `Elsewhere ${tag}` });
  await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p) => p.id) });
  await api('PUT', `/teams/${team.id}/me/default-list`, { listId: list.id });
  const context = await e2e.browser.newContext({ reducedMotion: 'no-preference' });
  const page = await context.newPage();
  await signInAs(page, e2e.server.url, `${owner.name} (${tenant.name})`, team.name);
  const table = page.getByRole('table', { name });
  await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);
  const onServer = async (listId: string) =>
    ((await api('GET', `/teams/${team.id}/lists/${listId}`)) as { rows: { patientId: string }[] }).rows.map((r) => r.patientId);
  return {
    team,
    api,
    page,
    list: { ...list, name },
    other: { ...other, name: `Elsewhere ${tag}` },
    patients,
    table,
    onServer,
    close: () => context.close(),
  };
}

/** The element that has focus: its tag, role, accessible label and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName ?? '',
      role: el?.getAttribute('role') ?? '',
      label: el?.getAttribute('aria-label') ?? '',
      text: el?.textContent?.trim() ?? '',
    };
  });

/** What the tab's polite live region says, and how many polite live regions the page has (one, reused). */
const liveRegion = (page: Page) =>
  page.evaluate(() => {
    const regions = [...document.querySelectorAll('[aria-live="polite"]')];
    return { count: regions.length, text: regions.map((r) => r.textContent?.trim() ?? '').join('|') };
  });

describe('focus and announcements for a keyboard and screen reader user', () => {
  it('puts focus on the restored row after Undo of a removal', async () => {
    const { page, table, patients, list, close } = await keysTeam();
    const patient = patients[0].displayName;
    await table.getByRole('button', { name: `Remove ${patient} from ${list.name}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: 'Undo' });
    await expect.poll(() => table.getByRole('button', { name: patient, exact: true }).count(), { timeout: 15_000 }).toBe(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => table.getByRole('button', { name: patient, exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: patient });
    await close();
  });

  it('puts focus back on "Remove … that cannot be shown" after Undo of that removal', async () => {
    const { page, team, list, patients, close } = await keysTeam();
    // The EHR answers that the first patient is gone (put into the server's real answers on the way to the tab).
    await page.route(
      (url) => url.pathname === `/api/teams/${team.id}/lists/${list.id}`,
      async (route) => {
        if (route.request().method() !== 'GET') return route.fallback();
        const answer = await route.fetch();
        const lines = (await answer.text())
          .trimEnd()
          .split('\n')
          .map((line) => {
            const item = JSON.parse(line);
            if (item.row?.patientId === patients[0].id) Object.assign(item.row, { available: false, unavailable: 'gone' });
            return JSON.stringify(item);
          });
        await route.fulfill({ response: answer, body: lines.join('\n') + '\n' });
      },
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    const removeGone = page.getByRole('button', { name: 'Remove 1 patient that cannot be shown' });
    await expect.poll(() => removeGone.isVisible(), { timeout: 15_000 }).toBe(true);
    await removeGone.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove 1 patient that cannot be shown' }).click();
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: 'Undo' });
    await page.keyboard.press('Enter');
    // Not the page: the button that took them off, back with the row.
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: 'Remove 1 patient that cannot be shown' });
    await close();
  });

  it('returns focus to Columns after saving the columns', async () => {
    const { page, table, list, close } = await keysTeam();
    await page.getByRole('button', { name: 'Columns' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Columns of ${list.name}` });
    await dialog.getByRole('checkbox', { name: 'Heart rate' }).check();
    await dialog.getByRole('button', { name: 'Save columns' }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => table.getByRole('columnheader', { name: 'Heart rate', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: 'Columns' });
    // Still there once the list has settled.
    await page.waitForTimeout(1000);
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Columns' });
    await close();
  });

  it('returns focus to Rename after renaming the list', async () => {
    const { page, list, close } = await keysTeam();
    await page.getByRole('button', { name: 'Rename' }).focus();
    await page.keyboard.press('Enter');
    const rename = page.getByRole('dialog');
    await rename.getByRole('textbox', { name: 'List name' }).fill(`${list.name} renamed`);
    await rename.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('table', { name: `${list.name} renamed` }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: 'Rename' });
    await page.waitForTimeout(1000);
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Rename' });
    await close();
  });

  it('puts focus on the list picker after deleting a list', async () => {
    const { page, list, close } = await keysTeam();
    await page.getByRole('button', { name: 'Delete' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete list' }).click();
    await expect.poll(() => page.getByRole('table', { name: list.name }).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'SELECT' });
    expect(await page.getByRole('combobox', { name: 'List', exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
    await close();
  });

  it('says "Moved NAME to LIST" with Undo, which moves the patient back and puts focus on their row', async () => {
    const { page, table, patients, list, other, onServer, close } = await keysTeam();
    const patient = patients[1].displayName;
    const moveButton = table.getByRole('button', { name: `Move ${patient} to another list` });
    await expect.poll(() => moveButton.isEnabled(), { timeout: 15_000 }).toBe(true);
    await moveButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: `Move to ${other.name}` }).click();
    await expect.poll(() => visible(page, `Moved ${patient} to ${other.name}`), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => table.getByRole('button', { name: patient, exact: true }).count(), { timeout: 15_000 }).toBe(0);
    expect(await onServer(other.id)).toContain(patients[1].id);
    // Focus is on the notice's Undo, not lost to the page.
    await expect
      .poll(() => focused(page), { timeout: 15_000 })
      .toMatchObject({ tag: 'BUTTON', text: 'Undo', label: `Undo: move ${patient} back to ${list.name}` });
    await page.keyboard.press('Enter');
    await expect.poll(() => visible(page, `${patient} is back on ${list.name}`), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => table.getByRole('button', { name: patient, exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await onServer(list.id)).toContain(patients[1].id);
    expect(await onServer(other.id)).not.toContain(patients[1].id);
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: patient });
    await close();
  });

  it('announces a refresh, the filter and a saved note through one polite live region', async () => {
    const { page, table, patients, close } = await keysTeam();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => liveRegion(page), { timeout: 15_000 }).toEqual({ count: 1, text: 'List refreshed, 2 patients' });

    await page.getByRole('searchbox', { name: 'Filter rows' }).fill(patients[0].displayName);
    await expect.poll(() => liveRegion(page), { timeout: 15_000 }).toEqual({ count: 1, text: '1 of 2 patients shown' });
    await page.getByRole('searchbox', { name: 'Filter rows' }).fill('');
    await expect.poll(() => liveRegion(page), { timeout: 15_000 }).toEqual({ count: 1, text: '2 of 2 patients shown' });

    await table.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByRole('heading', { name: 'Team notes' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await drawer.getByRole('textbox', { name: 'New note' }).fill('Ambulating, tolerating diet');
    await drawer.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => liveRegion(page), { timeout: 15_000 }).toEqual({ count: 1, text: 'Note saved' });
    // Heard while the details stay open: the open drawer hides the page behind it from screen readers, never the region.
    expect(await drawer.isVisible()).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'Note saved' }).count()).toBe(1);
    expect(await page.evaluate(() => Boolean(document.getElementById('tab-live-region')?.closest('[aria-hidden="true"]')))).toBe(false);
    await close();
  });
});
