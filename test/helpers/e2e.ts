import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { MessageKey } from '../../client/shared/i18n/en';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { startServer, type RunningServer } from '../../server/start';
import { launchBrowser } from './browser';
import type { DevInfo } from './test-server';
import { suiteRateLimits } from './test-server';

/** The app in dev mode with its built tab, and Chromium, for one test file. */
export async function startE2e(): Promise<{ server: RunningServer; browser: Browser; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'patients-e2e-'));
  const [server, browser] = await Promise.all([
    startServer({ ...suiteRateLimits, PORT: '0', DATA_DIR: dataDir, SANDBOX_PATIENTS: '30' }),
    launchBrowser(),
  ]);
  return {
    server,
    browser,
    async stop() {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One app, Chromium and the dev directory for the test file that calls it at its top: started
 * before its tests, stopped after them. The fields are set once the file's tests run.
 */
export function useE2e(): { server: RunningServer; browser: Browser; info: DevInfo } {
  const e2e = {} as { server: RunningServer; browser: Browser; info: DevInfo };
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startE2e();
    stop = started.stop;
    Object.assign(e2e, {
      server: started.server,
      browser: started.browser,
      info: (await (await fetch(`${started.server.url}/dev/info`)).json()) as DevInfo,
    });
  });
  afterAll(() => stop?.());
  return e2e;
}

export async function expectAccessible(page: Page, screen: string) {
  // Fluent's focus manager (tabster) keeps aria-hidden focus sentinels that hand focus on at once; axe flags them.
  // The same inside the tab's frame when a Teams host page holds it (a frame path: the frame, then the selector in it).
  const { violations } = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').exclude(['iframe', '[data-tabster-dummy]']).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/** Dev sign-in as `user` into `team`, with the labels of the tab's language (`m`, English unless given). */
export async function signIn(page: Page, url: string, user: string, team: string, m: Record<MessageKey, string> = catalogs.en) {
  await page.goto(url);
  await expect.poll(() => page.getByRole('heading', { name: m['signin.title'] }).isVisible()).toBe(true);
  await page.getByLabel(m['signin.user'], { exact: true }).selectOption({ label: user });
  await page.getByLabel(m['signin.team'], { exact: true }).selectOption({ label: team });
  await page.getByRole('button', { name: m['signin.continue'] }).click();
}

/** The API as a dev user, for arranging what a test starts from; every call must succeed. */
export async function apiAs(serverUrl: string, userId: string) {
  const { access_token } = await (
    await fetch(`${serverUrl}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) })
  ).json();
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${serverUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${access_token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return res.status === 204 ? null : res.json();
  };
}

/**
 * Team `teamIndex` of the dev directory's tenant `tenant` with its owner: the API as that owner, the
 * label dev sign-in shows for them, and `connect`, which links the team to a FHIR address.
 */
export async function teamOwner(e2e: { server: RunningServer; info: DevInfo }, tenant = 0, teamIndex = 0) {
  const tn = e2e.info.tenants[tenant];
  const team = tn.teams[teamIndex];
  const owner = e2e.info.users.find((u) => u.id === team.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  return {
    tenant: tn,
    team,
    owner,
    api,
    signInLabel: `${owner.name} (${tn.name})`,
    connect: (url: string, name = 'Ward EHR') => api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url, name }),
  };
}

/**
 * Team `teamIndex` of tenant `tenant` connected to the sandbox's R4 link, with a list `name` of
 * `count` of its patients (`openFirst`: the owner's default list, opened at sign-in), and a page
 * of `width` × `height` for its owner to sign in on.
 */
export async function teamWithSandboxList(
  e2e: { server: RunningServer; browser: Browser; info: DevInfo },
  {
    tenant,
    teamIndex,
    name,
    count,
    width,
    height = 900,
    openFirst = false,
  }: { tenant: number; teamIndex: number; name: string; count: number; width: number; height?: number; openFirst?: boolean },
) {
  const { team, api, signInLabel } = await teamOwner(e2e, tenant, teamIndex);
  await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: e2e.info.sandbox.fhir.r4, name: 'Sandbox R4', confirm: true });
  const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=${count}`);
  expect(patients.length).toBe(count);
  const list = await api('POST', `/teams/${team.id}/lists`, { name });
  await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });
  if (openFirst) await api('PUT', `/teams/${team.id}/me/default-list`, { listId: list.id });
  const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width, height } });
  const page = await context.newPage();
  return {
    team,
    api,
    list: { ...list, name } as { id: string; name: string },
    patients: patients as { id: string; displayName: string; mrn: string }[],
    page,
    signIn: () => signIn(page, e2e.server.url, signInLabel, team.name),
    close: () => context.close(),
  };
}

export const visible = (page: Page, text: string | RegExp) => page.getByText(text).first().isVisible();

/** Chooses a list by its label in the list picker ("Ward (3)"), once the picker is there. */
export async function chooseList(page: Page, label: string) {
  const lists = page.getByRole('combobox', { name: 'List', exact: true });
  await expect.poll(() => lists.isVisible(), { timeout: 15_000 }).toBe(true);
  await lists.selectOption({ label });
}

/** Clicks the button that downloads a CSV, as a user does, and gives the file's lines (byte order mark and empty lines left out). */
export async function downloadedCsvLines(page: Page, button: string): Promise<string[]> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  return readFileSync((await (await download).path())!, 'utf8')
    .replace('\uFEFF', '')
    .split('\r\n')
    .filter(Boolean);
}
