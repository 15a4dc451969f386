import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { devDirectory } from '../../server/identity/dev-directory';
import { launchBrowser } from '../helpers/browser';
import { productionApp, startProductionHarness, type ProductionHarness } from '../helpers/production-server';
import { hostPageHtml } from '../helpers/teams-host-page';

// GroupMember.Read.All needs a tenant administrator's consent: a member whose consent popup did
// not finish is told so, with the admin consent link of their tenant. The tab in the Teams host
// page against the app in production mode (fake Entra, the Graph emulator), at its https origin.
const tabOrigin = `https://${productionApp.tabDomain}`;
let harness: ProductionHarness;
let browser: Browser;
const tenant = devDirectory.tenants[0];
const team = tenant.teams[0];
const member = team.members.find((m) => !team.owners.includes(m))!;
const upn = `${devDirectory.users
  .find((u) => u.id === member)!
  .name.split(' ')[0]
  .toLowerCase()}@contoso.example`;

beforeAll(async () => {
  [harness, browser] = await Promise.all([startProductionHarness(devDirectory, { staticDir: resolve('dist/client') }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});

async function openTab(): Promise<Page> {
  harness.entra.withoutConsent(member);
  harness.entra.addAccount(upn, tenant.id, member);
  const context = {
    locale: 'en-us',
    theme: 'default',
    groupId: team.id,
    teamId: '19:team@thread.tacv2',
    teamName: team.name,
    userTeamRole: 1,
    tid: tenant.id,
    userObjectId: member,
    userPrincipalName: upn,
    loginHint: upn,
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
  const token = await harness.tokenFor(member);
  await page.route(`${tabOrigin}/__teams-host`, (route) =>
    route.fulfill({ contentType: 'text/html', body: hostPageHtml({ tabPath: '/#/tab', frameContext: 'content', context, userId: member, token }) }),
  );
  await page.goto(`${tabOrigin}/__teams-host`);
  return page;
}

it("tells a member without consent that an administrator must approve, with their tenant's admin consent link", async () => {
  const page = await openTab();
  const popup = await page.waitForEvent('popup', { timeout: 15_000 });
  await popup.close();
  const tab = page.frameLocator('#tab');
  await expect.poll(() => tab.getByText('Permission needed').isVisible(), { timeout: 15_000 }).toBe(true);
  const link = tab.getByRole('link', { name: 'Administrator approval link' });
  await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
  expect(await link.getAttribute('href')).toBe(`${harness.entra.authorityHost}/${tenant.id}/adminconsent?client_id=${productionApp.clientId}`);
  expect(await tab.getByRole('alert').innerText()).toContain('needs a Microsoft 365 administrator of your organization to approve the app once');
});
