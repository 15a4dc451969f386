import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/start';
import { expectAccessible, signIn as signInAs, startE2e, visible } from '../helpers/e2e';

let server: RunningServer;
let browser: Browser;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ server, browser, stop } = await startE2e());
});
afterAll(() => stop?.());

/** A patient of the sandbox, found through the API the way the tab finds them. */
async function somePatient(userId: string, teamId: string) {
  const { access_token } = await (
    await fetch(`${server.url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) })
  ).json();
  const res = await fetch(`${server.url}/api/teams/${teamId}/patients?gender=female&count=5`, {
    headers: { authorization: `Bearer ${access_token}` },
  });
  const { patients } = await res.json();
  return patients.find((p: { mrn: string | null; displayName: string }) => p.mrn && /^[A-Za-z. ]+$/.test(p.displayName)) as {
    id: string;
    displayName: string;
    mrn: string;
  };
}

const signIn = (page: Page, user: string, team: string) => signInAs(page, server.url, user, team);

describe('the tab in a browser', () => {
  it('takes a new owner from first run to a list with a patient on it, every screen accessible', async () => {
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Patients (dev mode)' }).isVisible()).toBe(true);
    await expectAccessible(page, 'sign-in');
    await signIn(page, 'Avery Nguyen (Contoso Health)', 'Ward 4B Nursing');

    await expect.poll(() => page.getByRole('heading', { name: 'Connect this tab' }).isVisible()).toBe(true);
    await expectAccessible(page, 'first run');
    await page.getByRole('button', { name: 'Sandbox R4' }).click();
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => visible(page, 'Connected to Sandbox R4'), { timeout: 15_000 }).toBe(true);
    expect(await visible(page, /FHIR R4 · app token \(client credentials\)/)).toBe(true);
    await page.getByRole('button', { name: 'Close settings' }).click();

    await expect.poll(() => visible(page, 'No lists yet. Create one to start.')).toBe(true);
    await page.getByRole('button', { name: 'New list' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await expectAccessible(page, 'new list dialog');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => visible(page, 'Give the list a name.')).toBe(true);
    await page.getByLabel('List name').fill('Rounds');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => visible(page, 'This list has no patients yet. Find patients and add them.')).toBe(true);
    expect(await page.getByRole('combobox', { name: 'List', exact: true }).inputValue()).not.toBe('');

    const info = await (await fetch(`${server.url}/dev/info`)).json();
    const patient = await somePatient(info.tenants[0].teams[0].owners[0], info.tenants[0].teams[0].id);
    // Part of the family name, typed key by key: the search waits for a pause instead of asking per key.
    const typed = patient.displayName.split(' ').at(-1)!.slice(0, 4);
    const searches: string[] = [];
    page.on('request', (req) => {
      if (/\/patients\?/.test(req.url())) searches.push(req.url());
    });
    await page.getByLabel('Name', { exact: true }).pressSequentially(typed, { delay: 40 });
    const select = page.getByRole('checkbox', { name: `Select ${patient.displayName}` });
    await expect.poll(() => select.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(searches.length).toBeLessThan(typed.length);
    expect(new URL(searches.at(-1)!).searchParams.get('name')).toBe(typed);
    await expectAccessible(page, 'search results');
    await select.check();
    await page.getByRole('button', { name: 'Add 1 selected to Rounds' }).click();

    const list = page.getByRole('table', { name: 'Rounds' });
    await expect.poll(() => list.getByRole('cell', { name: patient.displayName, exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await list.getByRole('cell', { name: patient.mrn }).isVisible()).toBe(true);
    expect(await page.getByRole('combobox', { name: 'List', exact: true }).locator('option:checked').textContent()).toBe('Rounds (1)');
    await expectAccessible(page, 'list with a patient');

    await page.getByRole('button', { name: `Remove ${patient.displayName} from Rounds` }).click();
    await expect.poll(() => visible(page, 'This list has no patients yet. Find patients and add them.')).toBe(true);
    await context.close();
  });

  it('finds a patient by MRN, and tells a member without rights to ask an owner', async () => {
    const info = await (await fetch(`${server.url}/dev/info`)).json();
    const fabrikamTeam = info.tenants[1].teams[0];
    const member = info.users.find((u: { id: string }) => fabrikamTeam.members.includes(u.id) && !fabrikamTeam.owners.includes(u.id));
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    await signIn(page, `${member.name} (${info.tenants[1].name})`, fabrikamTeam.name);
    await expect.poll(() => visible(page, 'Ask a team owner to connect it to your EHR.')).toBe(true);
    await expectAccessible(page, 'waiting for an owner');

    await page.getByRole('button', { name: 'Switch user' }).click();
    const owner = info.users.find((u: { id: string }) => u.id === fabrikamTeam.owners[0]);
    await signIn(page, `${owner.name} (${info.tenants[1].name})`, fabrikamTeam.name);
    await page.getByRole('button', { name: 'Sandbox STU3' }).click();
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => visible(page, 'Connected to Sandbox STU3'), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: 'Close settings' }).click();

    const patient = await somePatient(owner.id, fabrikamTeam.id);
    await page.getByLabel('MRN').fill(patient.mrn);
    await expect
      .poll(() => page.getByRole('table', { name: 'Find patients' }).getByRole('cell', { name: patient.displayName, exact: true }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    expect(await page.getByRole('table', { name: 'Find patients' }).getByRole('row').count()).toBe(2);

    // Onto a new list, then into the details: vitals with trends, and a team note.
    await page.getByRole('button', { name: 'New list' }).click();
    await page.getByLabel('List name').fill('ICU bay 2');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('checkbox', { name: `Select ${patient.displayName}` }).check();
    await page.getByRole('button', { name: 'Add 1 selected to ICU bay 2' }).click();
    const open = page.getByRole('table', { name: 'ICU bay 2' }).getByRole('button', { name: patient.displayName, exact: true });
    await expect.poll(() => open.isVisible(), { timeout: 15_000 }).toBe(true);
    await open.click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByRole('heading', { name: 'Vital signs' }).isVisible(), { timeout: 15_000 }).toBe(true);
    const heartTrend = drawer.getByRole('region', { name: 'Trend of Heart rate', exact: true });
    await expect.poll(() => heartTrend.locator('svg circle[role="img"]').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    expect(
      await drawer
        .getByText('bpm')
        .or(drawer.getByText(/beats\/minute|\/min/))
        .first()
        .isVisible(),
    ).toBe(true);
    await expectAccessible(page, 'patient details');
    await drawer.getByLabel('New note').fill('Family meeting at 15:00');
    await drawer.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => drawer.getByText('Family meeting at 15:00').isVisible()).toBe(true);
    await drawer.getByRole('button', { name: 'Close details' }).click();

    // Columns: add heart rate and location, and see them on the row.
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Heart rate' }).check();
    await page.getByRole('checkbox', { name: 'Location' }).check();
    await page.getByRole('button', { name: 'Save columns' }).click();
    const table = page.getByRole('table', { name: 'ICU bay 2' });
    await expect.poll(() => table.getByRole('columnheader', { name: 'Heart rate', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(
      await table
        .getByText(/Room \w+, Bed \w+/)
        .first()
        .isVisible(),
    ).toBe(true);
    await context.close();
  });

  it('asks for a fresh token when the API turns one down, without bothering the user', async () => {
    const info = await (await fetch(`${server.url}/dev/info`)).json();
    const team = info.tenants[0].teams[1];
    const owner = info.users.find((u: { id: string }) => u.id === team.owners[0]);
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    const tokenRequests: string[] = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/dev/token')) tokenRequests.push(req.url());
    });
    // The first API answer is the server's refusal of an expired token; the real server answers after that.
    // The route stays for the whole test (no `times`): Playwright stops intercepting when a route runs
    // out, and a request sent at that moment (here the fresh token's) could be left hanging.
    let refused = false;
    await page.route('**/api/teams/*/connection', (route) => {
      if (refused) return route.continue();
      refused = true;
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'unauthenticated', message: 'The token has expired.', requestId: 'e2e' }),
      });
    });
    await signIn(page, `${owner.name} (${info.tenants[0].name})`, team.name);
    await expect.poll(() => page.getByRole('heading', { name: 'Connect this tab' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(tokenRequests.length).toBe(2);
    await context.close();
  });

  it('explains a link that is not a FHIR server in plain words', async () => {
    const info = await (await fetch(`${server.url}/dev/info`)).json();
    const team = info.tenants[0].teams[1];
    const owner = info.users.find((u: { id: string }) => u.id === team.owners[0]);
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    await signIn(page, `${owner.name} (${info.tenants[0].name})`, team.name);
    await page.getByRole('textbox', { name: /^Link/ }).fill(`${server.url}/no-fhir-here`);
    await page.getByRole('textbox', { name: /^Connection name/ }).fill('Wrong');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByRole('alert').isVisible(), { timeout: 15_000 }).toBe(true);
    expect((await page.getByRole('alert').textContent())?.length).toBeGreaterThan(20);
    await expectAccessible(page, 'connection error');
    await context.close();
  });

  it('renames, moves between lists, exports and deletes after confirmation', async () => {
    const info = await (await fetch(`${server.url}/dev/info`)).json();
    const team = info.tenants[0].teams[1];
    const owner = info.users.find((u: { id: string }) => u.id === team.owners[0]);
    const context = await browser.newContext({ reducedMotion: 'reduce', acceptDownloads: true, timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await signIn(page, `${owner.name} (${info.tenants[0].name})`, team.name);
    await page.getByRole('button', { name: 'Sandbox DSTU2' }).click();
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => visible(page, 'Connected to Sandbox DSTU2'), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: 'Close settings' }).click();

    for (const name of ['Day', 'Night']) {
      await page.getByRole('button', { name: 'New list' }).click();
      await page.getByLabel('List name').fill(name);
      await page.getByRole('button', { name: 'Create' }).click();
      await expect.poll(() => page.getByRole('combobox', { name: 'List', exact: true }).locator('option:checked').textContent()).toBe(`${name} (0)`);
    }
    const patient = await somePatient(owner.id, team.id);
    await page.getByLabel('MRN').fill(patient.mrn);
    await page.getByRole('checkbox', { name: `Select ${patient.displayName}` }).check();
    await page.getByRole('button', { name: 'Add 1 selected to Night' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Night' }).getByRole('button', { name: patient.displayName, exact: true }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);

    // The tab asks for a short-lived link with the user's time zone and opens it: a plain link of the app, no blob.
    const linkAsked = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/export'));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    expect((await linkAsked).postDataJSON()).toEqual({ timeZone: 'America/New_York' });
    const file = await download;
    expect(file.url()).toMatch(/^http:\/\/[^/]+\/api\/teams\/[\w-]+\/lists\/[\w-]+\/export\/[\w-]{43}$/);
    expect(file.suggestedFilename()).toBe('Night.csv');
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFName,MRN,Birth date,Gender');
    expect(csv).toContain(`${patient.displayName},${patient.mrn},`);
    // Single use: the link the tab opened does not answer again.
    expect((await fetch(file.url())).status).toBe(404);

    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('List name').fill('Night shift');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('combobox', { name: 'List', exact: true }).locator('option:checked').textContent())
      .toBe('Night shift (1)');

    await page.getByRole('button', { name: `Move ${patient.displayName} to another list` }).click();
    await page.getByRole('menuitem', { name: 'Move to Day' }).click();
    await expect.poll(() => visible(page, 'This list has no patients yet. Find patients and add them.')).toBe(true);
    await page.getByRole('combobox', { name: 'List', exact: true }).selectOption({ label: 'Day (1)' });
    await expect
      .poll(() => page.getByRole('table', { name: 'Day' }).getByRole('button', { name: patient.displayName, exact: true }).isVisible())
      .toBe(true);

    await page.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Delete Day?' }).isVisible()).toBe(true);
    await expectAccessible(page, 'delete confirmation');
    await page.getByRole('button', { name: 'Delete list' }).click();
    await expect
      .poll(async () => (await page.getByRole('combobox', { name: 'List', exact: true }).locator('option').allTextContents()).join('|'))
      .toBe('Night shift (0)');
    await context.close();
  });
});
