import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../server/start';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { apiAs, expectAccessible, startE2e } from '../helpers/e2e';
import { hostPageHtml, type HostPageOptions, type HostPageWindow } from '../helpers/teams-host-page';

let server: RunningServer;
let browser: Browser;
let stop: () => Promise<void>;
let info: { tenants: { id: string; teams: { id: string; name: string; owners: string[] }[] }[]; users: { id: string; name: string }[] };

beforeAll(async () => {
  ({ server, browser, stop } = await startE2e());
  info = await (await fetch(`${server.url}/dev/info`)).json();
});
afterAll(() => stop?.());

/** Opens the host page (served on the tab's origin) framing the tab. */
async function inTeams(
  options: Omit<HostPageOptions, 'context' | 'userId'> & { teamIndex?: number; locale?: string; theme?: string },
): Promise<Page> {
  const tenant = info.tenants[0];
  const team = tenant.teams[options.teamIndex ?? 0];
  const owner = info.users.find((u) => u.id === team.owners[0])!;
  const context = {
    locale: options.locale ?? 'en-us',
    theme: options.theme ?? 'default',
    groupId: team.id,
    teamId: '19:team@thread.tacv2',
    teamName: team.name,
    userTeamRole: 0,
    tid: tenant.id,
    userObjectId: owner.id,
    userPrincipalName: `${owner.name.split(' ')[0].toLowerCase()}@contoso.example`,
    entityId: 'patients',
    channelId: '19:channel@thread.tacv2',
  };
  const page = await (await browser.newContext({ reducedMotion: 'reduce' })).newPage();
  await page.route(`${server.url}/__teams-host`, (route) =>
    route.fulfill({ contentType: 'text/html', body: hostPageHtml({ ...options, context, userId: owner.id }) }),
  );
  await page.goto(`${server.url}/__teams-host`);
  return page;
}

const tab = (page: Page) => page.frameLocator('#tab');

it('configures a new tab in EHR mode from the Teams settings frame and saves it', async () => {
  const page = await inTeams({ tabPath: '/#/config', frameContext: 'settings' });
  await expect.poll(() => tab(page).getByRole('heading', { name: 'Connect this tab' }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await page.evaluate(() => (window as unknown as HostPageWindow).host.valid)).toBe(false);
  await tab(page).getByRole('textbox', { name: /^Link/ }).fill(`${server.url}/sandbox/r4`);
  await tab(page)
    .getByRole('textbox', { name: /^Connection name/ })
    .fill('Ward EHR');
  await tab(page).getByRole('button', { name: 'Connect' }).click();
  await expect.poll(() => tab(page).getByText('Connected to Ward EHR').isVisible(), { timeout: 15_000 }).toBe(true);
  await expect.poll(() => page.evaluate(() => (window as unknown as HostPageWindow).host.valid)).toBe(true);
  await page.evaluate(() => (window as unknown as HostPageWindow).hostSave());
  await expect.poll(() => page.evaluate(() => (window as unknown as HostPageWindow).host.saved)).toBe(true);
  const settings = await page.evaluate(() => (window as unknown as HostPageWindow).host.settings);
  expect(settings).toMatchObject({
    contentUrl: `${server.url}/#/tab`,
    websiteUrl: `${server.url}/#/tab`,
    entityId: `patients-${info.tenants[0].teams[0].id}`,
    suggestedDisplayName: 'Patients',
  });
  expect(await page.evaluate(() => (window as unknown as HostPageWindow).host.calls)).toEqual(
    expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken', 'settings.setValidityState', 'settings.setSettings']),
  );
  await expectAccessible(page, 'configuration page in Teams');
});

it('follows the Teams theme as it changes', async () => {
  const page = await inTeams({ tabPath: '/#/tab', frameContext: 'content', teamIndex: 1 });
  await expect.poll(() => tab(page).getByRole('heading', { name: 'Patients' }).isVisible(), { timeout: 15_000 }).toBe(true);
  const background = () =>
    tab(page)
      .locator('.fui-FluentProvider')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
  // The native parts Chromium paints itself (a date field's calendar icon and picker, scrollbars) follow too: a
  // light scheme paints them black, unseen on the dark and high-contrast backgrounds.
  const nativeScheme = () =>
    tab(page)
      .locator('html')
      .evaluate((el) => getComputedStyle(el).colorScheme);
  const light = await background();
  expect(await nativeScheme()).toBe('light');
  await page.evaluate(() => (window as unknown as HostPageWindow).hostTheme('dark'));
  await expect.poll(background).not.toBe(light);
  await expect.poll(nativeScheme).toBe('dark');
  const dark = await background();
  await page.evaluate(() => (window as unknown as HostPageWindow).hostTheme('contrast'));
  await expect.poll(background).not.toBe(dark);
  expect(await nativeScheme()).toBe('dark');
  await page.evaluate(() => (window as unknown as HostPageWindow).hostTheme('glass'));
  await expect.poll(background).toBe(light);
  await expect.poll(nativeScheme).toBe('light');
});

it('speaks the Teams locale', async () => {
  const page = await inTeams({ tabPath: '/#/tab', frameContext: 'content', teamIndex: 1, locale: 'zh-cn' });
  await expect.poll(() => tab(page).getByRole('heading', { name: '患者' }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await tab(page).locator('html').getAttribute('lang')).toBe('zh-CN');
});

it('runs standalone when the host never answers', async () => {
  const page = await inTeams({ tabPath: '/#/tab', frameContext: 'content', answers: false });
  await expect.poll(() => tab(page).getByRole('heading', { name: 'Sign in to Patients (dev mode)' }).isVisible(), { timeout: 15_000 }).toBe(true);
});

it("says in the user's language that Teams could not sign them in when it gives no token, never the host's own reason", async () => {
  for (const [locale, words] of [
    ['en-us', catalogs.en],
    ['ru-ru', catalogs.ru],
  ] as const) {
    const page = await inTeams({ tabPath: '/#/tab', frameContext: 'content', teamIndex: 1, locale, tokenRefusal: 'resourceRequiresConsent' });
    const banner = tab(page).getByRole('alert').filter({ hasText: words['error.teamsSignIn'] });
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(1);
    expect(await banner.isVisible()).toBe(true);
    expect(await tab(page).locator('body').textContent()).not.toContain('resourceRequiresConsent');
    expect(await page.evaluate(() => (window as unknown as HostPageWindow).host.calls)).toContain('authentication.getAuthToken');
    await page.context().close();
  }
});

it('downloads a list through the host: Teams opens a short-lived link of the app, which answers the CSV once without a token', async () => {
  const team = info.tenants[0].teams[0];
  const api = await apiAs(server.url, team.owners[0]);
  await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: `${server.url}/sandbox/r4`, name: 'R4' });
  const [patient] = (await api('GET', `/teams/${team.id}/patients?gender=female&count=1`)).patients as { id: string; displayName: string }[];
  const list = (await api('POST', `/teams/${team.id}/lists`, { name: 'Teams export' })).id as string;
  await api('POST', `/teams/${team.id}/lists/${list}/patients`, { patientIds: [patient.id] });

  const page = await inTeams({ tabPath: '/#/tab', frameContext: 'content', teamIndex: 0, locale: 'en-gb' });
  const picker = tab(page).getByRole('combobox', { name: 'List', exact: true });
  await expect.poll(() => picker.isVisible(), { timeout: 15_000 }).toBe(true);
  await picker.selectOption({ label: 'Teams export (1)' });
  await expect.poll(() => tab(page).getByRole('table', { name: 'Teams export' }).isVisible(), { timeout: 15_000 }).toBe(true);
  await tab(page).getByRole('button', { name: 'Export CSV' }).click();
  const links = () => page.evaluate(() => (window as unknown as HostPageWindow).host.links);
  await expect.poll(async () => (await links()).length, { timeout: 15_000 }).toBe(1);
  const [link] = await links();
  expect(link).toMatch(new RegExp(`^${server.url}/api/teams/${team.id}/lists/${list}/export/[\\w-]{43}$`));
  const res = await fetch(link);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Teams export\.csv"/);
  expect(await res.text()).toContain(patient.displayName);
  expect((await fetch(link)).status).toBe(404);
});
