import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

// The server refuses to store columns it does not know, so what a buggy or newer server might
// send is put into its real answers on the way to the tab (page.route).

/** A team connected to the sandbox with a list "Rounds" of two patients (the owner's default) and an empty "Handoff". */
async function teamWithLists(tenant: number, team: number) {
  const tn = e2e.info.tenants[tenant];
  const tm = tn.teams[team];
  const owner = e2e.info.users.find((u) => u.id === tm.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  await api('PUT', `/teams/${tm.id}/connection`, { mode: 'ehr', url: e2e.info.sandbox.fhir.r4, name: 'Sandbox R4', confirm: true });
  const { patients } = await api('GET', `/teams/${tm.id}/patients?gender=female&count=2`);
  const rounds = await api('POST', `/teams/${tm.id}/lists`, { name: 'Rounds' });
  const handoff = await api('POST', `/teams/${tm.id}/lists`, { name: 'Handoff' });
  await api('POST', `/teams/${tm.id}/lists/${rounds.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });
  await api('PUT', `/teams/${tm.id}/me/default-list`, { listId: rounds.id });
  const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  return {
    team: tm,
    rounds,
    handoff,
    patients: patients as { id: string; displayName: string }[],
    page,
    signIn: () => signIn(page, e2e.server.url, `${owner.name} (${tn.name})`, tm.name),
    close: () => context.close(),
  };
}

/** Answers GETs of one API path by `answer`, which may change the server's real answer. */
async function intercept(page: Page, path: string, answer: (route: Route) => Promise<void>) {
  await page.route(
    (url) => url.pathname === path,
    (route) => (route.request().method() === 'GET' ? answer(route) : route.fallback()),
  );
}

const listPicker = (page: Page) => page.getByRole('combobox', { name: 'List', exact: true });

describe('the tab with answers no server of this version sends', () => {
  it('shows a list with an unknown column by its id and cells it cannot read as "Not available", and still opens the other lists', async () => {
    const { team, rounds, patients, page, signIn, close } = await teamWithLists(0, 0);
    await intercept(page, `/api/teams/${team.id}/lists/${rounds.id}`, async (route) => {
      // The tab reads the list line by line (application/x-ndjson): the list's head, a line per row, the end.
      const lines = (await (await route.fetch()).text())
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      const view = { ...lines[0].list, rows: lines.filter((line) => 'row' in line).map((line) => line.row) };
      view.columns = ['name', 'vitalsScore', 'heartRate', 'location', 'conditions', 'field:anything'];
      const hostile = [
        {
          vitalsScore: { status: 'ok', value: { score: 7 } },
          heartRate: { status: 'ok', value: { weird: 1 } },
          location: null,
          conditions: 'Asthma',
          'field:anything': { status: 'ok', value: { nested: [1] } },
        },
        {
          vitalsScore: { status: 'ok', value: 3 },
          heartRate: 'ok',
          location: { status: 'brand-new' },
          conditions: { status: 'ok', value: { display: 'Asthma' } },
        },
      ];
      view.rows.forEach((row: { cells: unknown }, i: number) => (row.cells = hostile[i]));
      const { rows, ...head } = view;
      const body = [{ list: head }, ...rows.map((row: unknown) => ({ row })), { end: {} }].map((line) => `${JSON.stringify(line)}\n`).join('');
      await route.fulfill({ status: 200, contentType: 'application/x-ndjson', body });
    });

    await signIn();
    const table = page.getByRole('table', { name: 'Rounds' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);
    expect((await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim())).toEqual([
      'Name',
      'vitalsScore',
      'Heart rate',
      'Location',
      'Conditions',
      'field:anything',
      'Actions',
    ]);
    for (const [index, patient] of patients.entries()) {
      const cells = (
        await table
          .getByRole('row')
          .nth(index + 1)
          .getByRole('cell')
          .allInnerTexts()
      ).map((c) => c.trim());
      expect(cells.slice(0, 6)).toEqual([
        expect.stringContaining(patient.displayName),
        'Not available',
        'Not available',
        'Not available',
        'Not available',
        'Not available',
      ]);
    }
    expect(await visible(page, 'The tab stopped working')).toBe(false);
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible(page, 'a list with an unknown column');

    // Sorting and filtering work over what is shown.
    await table.getByRole('columnheader', { name: 'vitalsScore', exact: true }).click();
    await page.getByLabel('Filter rows').fill(patients[1].displayName);
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await page.getByLabel('Filter rows').fill('');

    // The column chooser names it by its id too, so it can be taken off the list.
    await page.getByRole('button', { name: 'Columns' }).click();
    const dialog = page.getByRole('dialog', { name: 'Columns of Rounds' });
    await expect.poll(() => dialog.getByRole('checkbox', { name: 'vitalsScore' }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await listPicker(page).selectOption({ label: 'Handoff (0)' });
    await expect.poll(() => visible(page, 'This list has no patients yet. Find patients and add them.')).toBe(true);
    await close();
  });

  it('shows an unknown error code of one panel in that panel only, as the general error with the request id', async () => {
    const { team, rounds, page, signIn, close } = await teamWithLists(0, 1);
    let asked = 0;
    await intercept(page, `/api/teams/${team.id}/lists/${rounds.id}`, async (route) => {
      asked += 1;
      await route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'brand_new_problem', message: 'A problem only a newer tab knows.', requestId: 'req-e2e-7' }),
      });
    });

    await signIn();
    const error = page.getByRole('alert');
    await expect
      .poll(() => error.textContent(), { timeout: 20_000 })
      .toBe('Something went wrongThe server could not handle the request. Try again in a moment. Reference: req-e2e-7');
    expect(await error.count()).toBe(1);
    // The alert is in the lists panel; search beside it works.
    expect(await page.getByRole('region', { name: 'Lists' }).getByRole('alert').count()).toBe(1);
    await page.getByLabel('Name', { exact: true }).fill('a');
    await expect.poll(() => page.getByRole('table', { name: 'Find patients' }).getByRole('row').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    // The server's own 5xx comes after its retries of the EHR: it is not asked again by itself.
    expect(asked).toBe(1);
    await expectAccessible(page, 'a panel with an error');

    // Another list opens.
    await listPicker(page).selectOption({ label: 'Handoff (0)' });
    await expect.poll(() => visible(page, 'This list has no patients yet. Find patients and add them.')).toBe(true);
    expect(await error.count()).toBe(0);
    await close();
  });

  it('keeps a patient record it cannot show inside the details panel, which still closes', async () => {
    const { team, patients, page, signIn, close } = await teamWithLists(1, 0);
    await intercept(page, `/api/teams/${team.id}/patients/${patients[0].id}/details`, async (route) => {
      const details = await (await route.fetch()).json();
      details.notes = [{ id: 'n1', text: { html: '<b>not text</b>' }, authorName: 'Someone', createdAt: '2026-12-01T09:00:00Z' }];
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(details) });
    });

    await signIn();
    const table = page.getByRole('table', { name: 'Rounds' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);
    await table.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    const drawer = page.getByRole('dialog');
    await expect
      .poll(() => drawer.getByRole('alert').textContent(), { timeout: 15_000 })
      .toContain('This part of the tab stopped working. Try again; the rest of the tab still works.');
    expect(await drawer.getByRole('heading', { name: patients[0].displayName }).isVisible()).toBe(true);
    expect(await drawer.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    await expectAccessible(page, 'a details panel that failed');
    await drawer.getByRole('button', { name: 'Close details' }).click();
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    expect(await visible(page, 'The tab stopped working')).toBe(false);
    await close();
  });

  it('says in plain words that there are too many requests, waits as asked, then shows the list', async () => {
    const { team, rounds, page, signIn, close } = await teamWithLists(1, 1);
    const asked: number[] = [];
    await intercept(page, `/api/teams/${team.id}/lists/${rounds.id}`, async (route) => {
      asked.push(Date.now());
      if (asked.length === 1) {
        await route.fulfill({
          status: 429,
          contentType: 'application/json',
          headers: { 'retry-after': '3' },
          body: JSON.stringify({ code: 'rate_limited', message: 'Too many requests. Try again in 3 seconds.', requestId: 'req-e2e-429' }),
        });
      } else await route.fallback();
    });

    await signIn();
    const notice = page.getByRole('status').filter({ hasText: /^Too many requests right now\. Trying again in [1-3] seconds?\.$/ });
    await expect.poll(() => notice.isVisible(), { timeout: 20_000 }).toBe(true);
    await expectAccessible(page, 'waiting after too many requests');
    const table = page.getByRole('table', { name: 'Rounds' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);
    expect(await notice.count()).toBe(0);
    expect(asked).toHaveLength(2);
    expect(asked[1] - asked[0]).toBeGreaterThanOrEqual(2_900);
    await close();
  });
});
