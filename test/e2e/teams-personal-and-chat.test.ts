import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../server/start';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { apiAs, expectAccessible, startE2e } from '../helpers/e2e';
import { hostPageHtml, type HostPageOptions, type HostPageWindow } from '../helpers/teams-host-page';
import type { DevInfo } from '../helpers/test-server';

// The personal tab ("My patients") and the tab in a group chat, inside the Teams host page. Teams
// gives neither a team: the personal context has none, the group chat's has `chatId` (TeamsJS
// turns it into `chat.id`) and, once the tab is saved, the entity id set on the configuration page.
let server: RunningServer;
let browser: Browser;
let stop: () => Promise<void>;
let info: DevInfo;
let ward: DevInfo['tenants'][number]['teams'][number];
let cardiology: DevInfo['tenants'][number]['teams'][number];
let owner: DevInfo['users'][number];
let patientName: string;

beforeAll(async () => {
  ({ server, browser, stop } = await startE2e());
  info = await (await fetch(`${server.url}/dev/info`)).json();
  [ward, cardiology] = info.tenants[0].teams;
  owner = info.users.find((u) => u.id === ward.owners[0])!;
  // Ward reads the sandbox EHR and has a list with a patient; Cardiology is not set up.
  const api = await apiAs(server.url, owner.id);
  const base = `/teams/${ward.id}`;
  await api('PUT', `${base}/connection`, { mode: 'ehr', url: info.sandbox.fhir.r4, name: 'Ward EHR' });
  const [patient] = (await api('GET', `${base}/patients?gender=female&count=1`)).patients;
  patientName = patient.displayName;
  const list = await api('POST', `${base}/lists`, { name: 'Rounds' });
  await api('POST', `${base}/lists/${list.id}/patients`, { patientIds: [patient.id] });
});
afterAll(() => stop?.());

const upn = (user: { name: string }) => `${user.name.split(' ')[0].toLowerCase()}@contoso.example`;

/** A browser profile that keeps its storage across reloads, like a user's Teams client. */
async function profile(): Promise<BrowserContext> {
  return browser.newContext({ reducedMotion: 'reduce' });
}

/** Opens the host page framing the tab, for a user, with a personal or group chat context. */
async function inTeams(
  browserContext: BrowserContext,
  user: { id: string; name: string },
  where: { chatId?: string; entityId: string; locale?: string },
  frameContext: HostPageOptions['frameContext'] = 'content',
): Promise<Page> {
  const context = { locale: 'en-us', theme: 'default', tid: info.tenants[0].id, userObjectId: user.id, userPrincipalName: upn(user), ...where };
  const page = await browserContext.newPage();
  await page.route(`${server.url}/__teams-host`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: hostPageHtml({ tabPath: frameContext === 'settings' ? '/#/config' : '/#/tab', frameContext, context, userId: user.id }),
    }),
  );
  await page.goto(`${server.url}/__teams-host`);
  return page;
}

const tab = (page: Page) => page.frameLocator('#tab');
const roundsShown = (page: Page) =>
  tab(page).getByRole('table', { name: 'Rounds' }).getByRole('button', { name: patientName, exact: true }).isVisible();
const switcher = (page: Page) => tab(page).getByRole('combobox', { name: 'Team' });

it('personal tab: picks one of the teams, shows its lists, opens on it again after a reload, and switches team', async () => {
  const browserContext = await profile();
  const page = await inTeams(browserContext, owner, { entityId: 'patients-personal' });
  await expect.poll(() => tab(page).getByRole('heading', { name: 'Choose a team' }).isVisible(), { timeout: 15_000 }).toBe(true);
  const teams = tab(page).getByRole('list', { name: 'Your teams' }).getByRole('button');
  await expect
    .poll(() => teams.allInnerTexts(), { timeout: 15_000 })
    .toEqual([`${cardiology.name}\nNot set up yet`, `${ward.name}\nConnected to the EHR`]);
  await expectAccessible(page, 'personal tab, choosing a team');

  await tab(page)
    .getByRole('button', { name: new RegExp(ward.name) })
    .click();
  await expect.poll(() => roundsShown(page), { timeout: 15_000 }).toBe(true);
  expect(await switcher(page).inputValue()).toBe(ward.id);

  await page.reload();
  await expect.poll(() => roundsShown(page), { timeout: 15_000 }).toBe(true);
  expect(await tab(page).getByRole('heading', { name: 'Choose a team' }).count()).toBe(0);

  await switcher(page).selectOption({ label: `${cardiology.name} (Not set up yet)` });
  await expect
    .poll(() => tab(page).getByText('This tab is not connected yet. Ask a team owner to connect it to your EHR.').isVisible(), { timeout: 15_000 })
    .toBe(true);
  expect(await tab(page).getByRole('table', { name: 'Rounds' }).count()).toBe(0);
  await page.reload();
  await expect.poll(() => switcher(page).inputValue(), { timeout: 15_000 }).toBe(cardiology.id);

  await switcher(page).selectOption({ label: ward.name });
  await expect.poll(() => roundsShown(page), { timeout: 15_000 }).toBe(true);
  await browserContext.close();
});

it.each([
  ['zh-cn', 'zh-CN'],
  ['zh-tw', 'zh-TW'],
  ['ru-ru', 'ru'],
] as const)('personal tab: the choice of team in the Teams locale %s', async (locale, language) => {
  const m = catalogs[language];
  const browserContext = await profile();
  const page = await inTeams(browserContext, owner, { entityId: 'patients-personal', locale });
  await expect.poll(() => tab(page).getByRole('heading', { name: m['teams.chooseTitle'] }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await tab(page).getByText(m['teams.chooseIntro']).isVisible()).toBe(true);
  const teams = tab(page).getByRole('list', { name: m['teams.listLabel'] }).getByRole('button');
  // The heading comes first; the teams follow when the API has answered.
  await expect
    .poll(() => teams.allInnerTexts(), { timeout: 15_000 })
    .toEqual([`${cardiology.name}\n${m['teams.mode.unset']}`, `${ward.name}\n${m['teams.mode.ehr']}`]);
  await tab(page)
    .getByRole('button', { name: new RegExp(ward.name) })
    .click();
  await expect.poll(() => roundsShown(page), { timeout: 15_000 }).toBe(true);
  expect(await tab(page).getByRole('combobox', { name: m['teams.switch'] }).inputValue()).toBe(ward.id);
  await browserContext.close();
});

it('personal tab: a user of the other tenant sees only their own teams', async () => {
  const other = info.tenants[1];
  const user = info.users.find((u) => u.id === other.teams[0].owners[0])!;
  const browserContext = await profile();
  const page = await inTeams(browserContext, user, { entityId: 'patients-personal' });
  const teams = tab(page).getByRole('list', { name: 'Your teams' }).getByRole('button');
  await expect.poll(() => teams.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  const names = (await teams.allInnerTexts()).map((text) => text.split('\n')[0]);
  expect(names).toEqual(
    other.teams
      .filter((t) => t.members.includes(user.id))
      .map((t) => t.name)
      .sort(),
  );
  await browserContext.close();
});

it('group chat: the configuration page saves the chosen team, and the tab then shows its lists', async () => {
  const chatId = '19:a1b2c3d4e5f6@thread.v2';
  const browserContext = await profile();
  const config = await inTeams(browserContext, owner, { chatId, entityId: '' }, 'settings');
  await expect.poll(() => tab(config).getByRole('heading', { name: 'Choose a team for this chat' }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await config.evaluate(() => (window as unknown as HostPageWindow).host.valid)).toBe(false);
  await tab(config)
    .getByRole('button', { name: new RegExp(ward.name) })
    .click();
  await expect.poll(() => config.evaluate(() => (window as unknown as HostPageWindow).host.valid)).toBe(true);
  expect(
    await tab(config)
      .getByRole('button', { name: new RegExp(ward.name) })
      .getAttribute('aria-pressed'),
  ).toBe('true');
  await expectAccessible(config, 'group chat configuration page');
  await config.evaluate(() => (window as unknown as HostPageWindow).hostSave());
  await expect.poll(() => config.evaluate(() => (window as unknown as HostPageWindow).host.saved)).toBe(true);
  const settings = await config.evaluate(() => (window as unknown as HostPageWindow).host.settings);
  expect(settings).toMatchObject({ contentUrl: `${server.url}/#/tab`, entityId: `patients-${ward.id}`, suggestedDisplayName: 'Patients' });

  // Teams opens the saved tab with the entity id it was saved with.
  const chat = await inTeams(browserContext, owner, { chatId, entityId: settings!.entityId });
  await expect.poll(() => roundsShown(chat), { timeout: 15_000 }).toBe(true);
  expect(await tab(chat).getByText(ward.name).first().isVisible()).toBe(true);
  await browserContext.close();
});

it("group chat: a chat member who is not in the tab's team is told they are not a member", async () => {
  const outsider = info.users.find((u) => u.tenantId === info.tenants[0].id && !cardiology.members.includes(u.id))!;
  const browserContext = await profile();
  const page = await inTeams(browserContext, outsider, { chatId: '19:f6e5d4c3b2a1@thread.v2', entityId: `patients-${cardiology.id}` });
  await expect.poll(() => tab(page).getByText('You are not a member of this team.').isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await tab(page).getByRole('table').count()).toBe(0);
  await browserContext.close();
});
