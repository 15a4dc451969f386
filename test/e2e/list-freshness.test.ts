import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listColumns } from '../../contract/columns';
import type { EhrFetch } from '../../server/ehr/index';
import { startServer, type RunningServer } from '../../server/start';
import { launchBrowser } from '../helpers/browser';
import { apiAs, signIn } from '../helpers/e2e';
import { suiteRateLimits, type DevInfo } from '../helpers/test-server';

/**
 * The app with its sandbox, where the EHR's batch that carries `held` waits until the test lets
 * it go: the list's first rows are answered, its last ones are not yet.
 */
let held: { patientId: string; release: () => void; waiting: Promise<void> } | null = null;
let batches = 0;
const holdingFetch: EhrFetch = async (input, init) => {
  if (init?.method === 'POST') {
    batches++;
    const hold = held;
    if (hold && typeof init.body === 'string' && init.body.includes(`"Patient/${hold.patientId}"`)) await hold.waiting;
  }
  return undiciFetch(input, init);
};
const holdBatchOf = (patientId: string) => {
  let release!: () => void;
  const waiting = new Promise<void>((resolve) => (release = resolve));
  held = { patientId, release, waiting };
  return () => {
    held = null;
    release();
  };
};

let server: RunningServer;
let browser: Browser;
let info: DevInfo;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'patients-e2e-'));
  [server, browser] = await Promise.all([
    startServer({ ...suiteRateLimits, PORT: '0', DATA_DIR: dataDir, SANDBOX_PATIENTS: '30' }, { ehrFetch: holdingFetch }),
    launchBrowser(),
  ]);
  info = (await (await fetch(`${server.url}/dev/info`)).json()) as DevInfo;
});
afterAll(async () => {
  held?.release();
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const table = (page: Page) => page.getByRole('table', { name: 'Ward round' });
const nameCell = (page: Page, name: string) => table(page).getByRole('row').filter({ hasText: name }).first();
const spinner = (page: Page) => page.getByText('Reading the list…');
const asOf = (page: Page) => page.getByTestId('list-as-of');

describe('a list that is fresh and arrives progressively', () => {
  it('shows the first rows before the last batch is answered, then when it was read; Refresh and coming back re-read it, keeping the rows meanwhile', async () => {
    const tenant = info.tenants[0];
    const team = tenant.teams[0];
    const owner = info.users.find((u) => u.id === team.owners[0])!;
    const api = await apiAs(server.url, owner.id);
    await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: info.sandbox.fhir.r4, name: 'Sandbox R4', confirm: true });
    const patients: { id: string; displayName: string }[] = [];
    for (const gender of ['female', 'male']) patients.push(...(await api('GET', `/teams/${team.id}/patients?gender=${gender}&count=30`)).patients);
    expect(patients.length).toBe(30);
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Ward round' });
    // Every column: seven entries a patient, so 30 patients take three batches of the EHR.
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: [...listColumns] });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p) => p.id) });
    const [first, last] = [patients[0], patients.at(-1)!];

    const context = await browser.newContext({ reducedMotion: 'reduce', locale: 'en-GB' });
    const page = await context.newPage();
    try {
      const arranged = batches;
      let release = holdBatchOf(last.id);
      await signIn(page, server.url, `${owner.name} (${tenant.name})`, team.name);
      // The first patient's row is on screen while the batch with the last one is still unanswered.
      await expect.poll(() => nameCell(page, first.displayName).isVisible(), { timeout: 20_000 }).toBe(true);
      expect(held).not.toBeNull();
      expect(await spinner(page).isVisible()).toBe(true);
      expect(await asOf(page).isVisible()).toBe(true);
      release();
      await expect.poll(() => spinner(page).isVisible(), { timeout: 15_000 }).toBe(false);
      // en-GB: 24-hour time.
      expect(await asOf(page).textContent()).toMatch(/^As of \d{2}:\d{2}$/);
      // One read of the list: three batches, not a second read when the "as of" line appears.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(batches - arranged).toBe(3);

      // Refresh: read again from the EHR; the rows stay while it is under way.
      const before = batches;
      release = holdBatchOf(last.id);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => spinner(page).isVisible()).toBe(true);
      expect(await nameCell(page, first.displayName).isVisible()).toBe(true);
      expect(batches).toBeGreaterThan(before);
      release();
      await expect.poll(() => spinner(page).isVisible(), { timeout: 15_000 }).toBe(false);
      expect(batches - before).toBe(3);

      // Back in view within 30 seconds of the read: not read again.
      const afterRefresh = batches;
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(batches).toBe(afterRefresh);
      // Later than that (the page's clock moved 31 seconds on): read again.
      await page.evaluate(() => {
        const now = Date.now;
        Date.now = () => now() + 31_000;
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
      });
      await expect.poll(() => batches, { timeout: 15_000 }).toBe(afterRefresh + 3);
      await expect.poll(() => spinner(page).isVisible(), { timeout: 15_000 }).toBe(false);
      expect(await nameCell(page, first.displayName).isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('shows the rows that came and says the list could not be read when its answer breaks off', async () => {
    const tenant = info.tenants[0];
    const team = tenant.teams[1];
    const owner = info.users.find((u) => u.id === team.owners[0])!;
    const api = await apiAs(server.url, owner.id);
    await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: info.sandbox.fhir.stu3, name: 'Sandbox STU3', confirm: true });
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=5`);
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Ward round' });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });

    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    try {
      // The answer stops after its third row: no end line, as when a connection breaks.
      await page.route(
        (url) => url.pathname === `/api/teams/${team.id}/lists/${list.id}`,
        async (route) => {
          if (route.request().method() !== 'GET') return route.fallback();
          const text = await (await route.fetch()).text();
          const lines = text.split('\n');
          await route.fulfill({
            status: 200,
            contentType: 'application/x-ndjson',
            body: `${lines.slice(0, 4).join('\n')}\n{"row":{"patientId":"half`,
          });
        },
      );
      await signIn(page, server.url, `${owner.name} (${tenant.name})`, team.name);
      const alert = page.getByRole('alert').filter({ hasText: "The server's answer could not be read. Try again in a moment." });
      await expect.poll(() => alert.isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await table(page).getByRole('row').count()).toBe(4);
      expect(await nameCell(page, patients[0].displayName).isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('says beside the rows that they are the earlier read when reading the list again failed, and reads the list picker again on Refresh', async () => {
    const tenant = info.tenants[1];
    const team = tenant.teams[0];
    const owner = info.users.find((u) => u.id === team.owners[0])!;
    const api = await apiAs(server.url, owner.id);
    await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: info.sandbox.fhir.r4, name: 'Sandbox R4', confirm: true });
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=4`);
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Ward round' });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.slice(0, 2).map((p: { id: string }) => p.id) });

    const context = await browser.newContext({ reducedMotion: 'reduce', locale: 'en-GB' });
    const page = await context.newPage();
    try {
      await signIn(page, server.url, `${owner.name} (${tenant.name})`, team.name);
      await expect.poll(() => table(page).getByRole('row').count(), { timeout: 20_000 }).toBe(3);
      await expect.poll(() => asOf(page).textContent()).toMatch(/^As of \d{2}:\d{2}$/);
      // A colleague adds two patients: Refresh shows them, and the picker counts them.
      await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.slice(2, 4).map((p: { id: string }) => p.id) });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => table(page).getByRole('row').count(), { timeout: 15_000 }).toBe(5);
      await expect.poll(() => page.locator('option', { hasText: 'Ward round (4)' }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      // The server fails the next read: the rows stay, and the time beside them says they are the earlier read.
      await page.route(
        (url) => url.pathname === `/api/teams/${team.id}/lists/${list.id}`,
        (route) =>
          route.request().method() === 'GET'
            ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ code: 'unavailable', message: 'down' }) })
            : route.fallback(),
      );
      await page.getByRole('button', { name: 'Refresh' }).click();
      const stale = page.getByRole('alert').filter({ hasText: /^Could not read the list again: showing it as of \d{2}:\d{2}$/ });
      await expect.poll(() => stale.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await table(page).getByRole('row').count()).toBe(5);
    } finally {
      await context.close();
    }
  });
});
