import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { devDirectory } from '../../server/identity/dev-directory';
import { launchBrowser } from '../helpers/browser';
import { productionApp, startProductionHarness, type ProductionHarness } from '../helpers/production-server';
import { hostPageHtml } from '../helpers/teams-host-page';

// The tab inside the Teams host page against the app in production mode (Azure AD shaped SSO
// tokens, fake Entra for on-behalf-of and its consent screen, the Graph emulator), for members
// who have not yet consented to the app's Graph permissions. The browser sees the tab at its
// https origin (TAB_DOMAIN; TeamsJS opens only https popups) and Azure AD's host, both routed to
// the local servers.
const tabOrigin = `https://${productionApp.tabDomain}`;
let harness: ProductionHarness;
let browser: Browser;
const tenant = devDirectory.tenants[0];
const team = tenant.teams[0];
const [owner] = team.owners;
const user = (id: string) => devDirectory.users.find((u) => u.id === id)!;
const upn = (id: string) => `${user(id).name.split(' ')[0].toLowerCase()}@contoso.example`;
let patientName: string;

beforeAll(async () => {
  [harness, browser] = await Promise.all([startProductionHarness(devDirectory, { staticDir: resolve('dist/client') }), launchBrowser()]);
  const base = `/api/teams/${team.id}`;
  expect((await harness.api(owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: harness.info.sandbox.fhir.r4, name: 'Ward EHR' })).status).toBe(
    200,
  );
  const found = await harness.api(owner, 'GET', `${base}/patients?gender=female&count=1`);
  patientName = found.body.patients[0].displayName;
  const list = await harness.api(owner, 'POST', `${base}/lists`, { name: 'Rounds' });
  expect(
    (await harness.api(owner, 'POST', `${base}/lists/${list.body.id}/patients`, { patientIds: [found.body.patients[0].id] })).status,
  ).toBeLessThan(300);
});
afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});

/** A member who has not consented opens the tab in the Teams host page; the browser is signed in to (fake) Azure AD as them. */
async function openTabAs(userId: string): Promise<Page> {
  harness.entra.withoutConsent(userId);
  harness.entra.addAccount(upn(userId), tenant.id, userId);
  const context = {
    locale: 'en-us',
    theme: 'default',
    groupId: team.id,
    teamId: '19:team@thread.tacv2',
    teamName: team.name,
    userTeamRole: 1,
    tid: tenant.id,
    userObjectId: userId,
    userPrincipalName: upn(userId),
    loginHint: upn(userId),
    entityId: 'patients',
    channelId: '19:channel@thread.tacv2',
  };
  const browserContext = await browser.newContext({ reducedMotion: 'reduce' });
  const routeTo = (from: string, to: string) =>
    browserContext.route(`${from}/**`, async (route) => {
      const { pathname, search } = new URL(route.request().url());
      await route.fulfill({ response: await route.fetch({ url: `${to}${pathname}${search}`, maxRedirects: 0 }) });
    });
  await routeTo(tabOrigin, harness.server.url);
  await routeTo(harness.entra.authorityHost, harness.entra.localUrl);
  const page = await browserContext.newPage();
  const token = await harness.tokenFor(userId);
  await page.route(`${tabOrigin}/__teams-host`, (route) =>
    route.fulfill({ contentType: 'text/html', body: hostPageHtml({ tabPath: '/#/tab', frameContext: 'content', context, userId, token }) }),
  );
  await page.goto(`${tabOrigin}/__teams-host`);
  return page;
}

const tab = (page: Page) => page.frameLocator('#tab');
const host = <T>(page: Page, key: string) =>
  page.evaluate((k) => (window as unknown as { host: Record<string, unknown> }).host[k], key) as Promise<T>;
const consentScreen = async (popup: Page) => {
  await expect.poll(() => popup.getByRole('heading', { name: 'Permissions requested' }).isVisible(), { timeout: 15_000 }).toBe(true);
  return popup;
};

it('asks a member for consent in the Teams popup, then shows the team list', async () => {
  const member = team.members.find((m) => m !== owner)!;
  const page = await openTabAs(member);
  const popup = await consentScreen(await page.waitForEvent('popup', { timeout: 15_000 }));

  const [request] = await host<{ url: string; width: number; height: number }[]>(page, 'authenticate');
  const start = new URL(request.url);
  expect(`${start.origin}${start.pathname}`).toBe(`${tabOrigin}/consent-start.html`);
  expect(start.searchParams.get('tenant')).toBe(tenant.id);
  expect(request).toMatchObject({ width: 600, height: 535 });
  expect(await popup.getByRole('listitem').allInnerTexts()).toEqual([
    'https://graph.microsoft.com/Sites.Manage.All',
    'https://graph.microsoft.com/GroupMember.Read.All',
    'https://graph.microsoft.com/Team.ReadBasic.All',
  ]);

  await popup.getByRole('button', { name: 'Accept' }).click();
  await expect.poll(() => tab(page).getByText(patientName).first().isVisible(), { timeout: 20_000 }).toBe(true);
  expect(await tab(page).getByRole('table', { name: 'Rounds' }).isVisible()).toBe(true);
  await expect.poll(() => popup.isClosed()).toBe(true);
  expect((await host<unknown[][]>(page, 'authResults')).map((r) => r[0])).toEqual([true]);
  expect(await host<unknown[]>(page, 'authenticate')).toHaveLength(1);
  expect(harness.entra.consents.filter((c) => c.userId === member)).toEqual([
    {
      tenantId: tenant.id,
      userId: member,
      scope:
        'https://graph.microsoft.com/Sites.Manage.All https://graph.microsoft.com/GroupMember.Read.All https://graph.microsoft.com/Team.ReadBasic.All',
    },
  ]);
});

it('says in plain words that nothing changed when the member closes the popup, and tries again on request', async () => {
  const member = team.members.filter((m) => m !== owner)[1];
  const siteLists = () => [...harness.graph.state.siteOfGroup(tenant.id, team.id)!.lists.values()].map((l) => l.displayName).sort();
  const listsBefore = siteLists();
  const page = await openTabAs(member);
  const popup = await consentScreen(await page.waitForEvent('popup', { timeout: 15_000 }));
  await popup.close();

  await expect.poll(() => tab(page).getByText('Permission needed').isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await tab(page).getByRole('alert').innerText()).toContain(
    "Patients needs your permission to keep this team's lists in Microsoft 365 and to check who is in the team. The permission window closed before you agreed, so nothing was changed.",
  );
  expect(await host<unknown[][]>(page, 'authResults')).toEqual([[false, 'CancelledByUser']]);
  // The tab's own retry of the failed load did not open the popup again.
  expect(await host<unknown[]>(page, 'authenticate')).toHaveLength(1);
  expect(await tab(page).getByText(patientName).count()).toBe(0);
  expect(harness.entra.consents.filter((c) => c.userId === member)).toEqual([]);
  expect(harness.entra.tokenRequests.filter((r) => r.userId === member)).toEqual([]);
  expect(siteLists()).toEqual(listsBefore);

  const again = page.waitForEvent('popup', { timeout: 15_000 });
  await tab(page).getByRole('button', { name: 'Try again' }).click();
  await (await consentScreen(await again)).getByRole('button', { name: 'Accept' }).click();
  await expect.poll(() => tab(page).getByText(patientName).first().isVisible(), { timeout: 20_000 }).toBe(true);
  expect(await tab(page).getByText('Permission needed').count()).toBe(0);
});
