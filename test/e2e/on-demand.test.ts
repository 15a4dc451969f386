import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { apiAs, signIn, useE2e } from '../helpers/e2e';

const e2e = useE2e();

// What the tab fetches only when it is needed (see client/app/on-demand-screens.ts): the build
// names each chunk after its module.
const onDemand = /\/assets\/(ru|zh-CN|zh-TW|PatientDetails|AuditPanel|ManualPatients|SetupPanel|dark-themes)-[\w-]+\.js$/;

/** Team 1 of tenant 0 connected to the R4 sandbox with a default list of two patients; a fresh browser context for `locale`. */
async function team(locale = 'en-US') {
  const tenant = e2e.info.tenants[0];
  const tm = tenant.teams[1];
  const owner = e2e.info.users.find((u) => u.id === tm.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  await api('PUT', `/teams/${tm.id}/connection`, { mode: 'ehr', url: e2e.info.sandbox.fhir.r4, name: 'Sandbox R4' });
  const { patients } = (await api('GET', `/teams/${tm.id}/patients?gender=male&count=2`)) as { patients: { id: string; displayName: string }[] };
  const name = `Ward ${Math.random().toString(36).slice(2, 6)}`;
  const list = await api('POST', `/teams/${tm.id}/lists`, { name });
  await api('POST', `/teams/${tm.id}/lists/${list.id}/patients`, { patientIds: patients.map((p) => p.id) });
  await api('PUT', `/teams/${tm.id}/me/default-list`, { listId: list.id });
  const context = await e2e.browser.newContext({ reducedMotion: 'reduce', locale });
  const page = await context.newPage();
  const fetched: string[] = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  return { page, context, fetched, patients, listName: name, who: `${owner.name} (${tenant.name})`, teamName: tm.name };
}

const visible = (locator: Locator, timeout = 15_000) => expect.poll(() => locator.first().isVisible(), { timeout }).toBe(true);

const lazyFetched = (fetched: string[]) => fetched.filter((path) => onDemand.test(path)).map((path) => path.replace(/-[\w-]+\.js$/, ''));

async function openList(page: Page, listName: string) {
  const table = page.getByRole('table', { name: listName });
  await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);
  return table;
}

describe('screens and languages fetched on demand', () => {
  it('fetches no other language and none of the rarely used screens for the list, and the details when a patient is opened', async () => {
    const { page, context, fetched, patients, listName, who, teamName } = await team();
    await signIn(page, e2e.server.url, who, teamName);
    const table = await openList(page, listName);
    expect(lazyFetched(fetched)).toEqual([]);

    await table.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    await visible(page.getByRole('dialog').getByRole('heading', { name: catalogs.en['details.notes'] }), 20_000);
    expect(lazyFetched(fetched)).toEqual(['/assets/PatientDetails']);
    await context.close();
  });

  it("shows a Russian user's first words in Russian, waiting for the catalog rather than showing English", async () => {
    const { page, context, fetched } = await team('ru-RU');
    // The catalog arrives late: until then the tab must show nothing rather than English.
    await page.route(/\/assets\/ru-[\w-]+\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.goto(e2e.server.url);
    const english = [catalogs.en['signin.title'], catalogs.en['app.loading'], catalogs.en['signin.continue']];
    const seen = new Set<string>();
    const until = Date.now() + 15_000;
    while (Date.now() < until && !seen.has(catalogs.ru['signin.title'])) {
      for (const line of (await page.evaluate(() => document.body.innerText)).split('\n')) seen.add(line.trim());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen.has(catalogs.ru['signin.title'])).toBe(true);
    expect(english.filter((text) => seen.has(text))).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    expect(lazyFetched(fetched)).toEqual(['/assets/ru']);
    await context.close();
  });

  it('says in place that the details could not be downloaded, keeps the list working, and Try again reloads the tab', async () => {
    const { page, context, patients, listName, who, teamName } = await team();
    await page.route(/\/assets\/PatientDetails-[\w-]+\.js$/, (route) => route.abort('internetdisconnected'));
    await signIn(page, e2e.server.url, who, teamName);
    const table = await openList(page, listName);
    await table.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    const notice = page.getByRole('alert').filter({ hasText: catalogs.en['app.notDownloaded'] });
    await visible(notice);
    expect(await table.getByRole('button', { name: patients[1].displayName, exact: true }).isVisible()).toBe(true);

    await page.unroute(/\/assets\/PatientDetails-[\w-]+\.js$/);
    await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: catalogs.en['app.retry'] }).click()]);
    const again = await openList(page, listName);
    await again.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    await visible(page.getByRole('dialog').getByRole('heading', { name: catalogs.en['details.notes'] }), 20_000);
    await context.close();
  });

  it('takes the removal message away after ten seconds, Undo with it', async () => {
    const { page, context, patients, listName, who, teamName } = await team();
    await signIn(page, e2e.server.url, who, teamName);
    const table = await openList(page, listName);
    await table.getByRole('button', { name: `Remove ${patients[0].displayName} from ${listName}` }).click();
    const removed = page.getByText(`Removed ${patients[0].displayName} from ${listName}`);
    await visible(removed);
    const shownAt = Date.now();
    const undo = page.getByRole('button', {
      name: catalogs.en['lists.undoLabel'].replace('{name}', patients[0].displayName).replace('{list}', listName),
    });
    expect(await undo.isVisible()).toBe(true);
    await expect.poll(() => removed.isVisible(), { timeout: 15_000, interval: 250 }).toBe(false);
    // Gone after ten seconds (give or take the poll), not before.
    expect(Date.now() - shownAt).toBeGreaterThan(9_000);
    expect(await undo.count()).toBe(0);
    await context.close();
  });
});
