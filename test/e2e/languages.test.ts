import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { catalogs, type Language } from '../../client/shared/i18n/t';
import type { RunningServer } from '../../server/start';
import { expectAccessible, startE2e } from '../helpers/e2e';

let server: RunningServer;
let browser: Browser;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ server, browser, stop } = await startE2e());
});
afterAll(() => stop?.());

const cases: { language: Language; user: string; team: string }[] = [
  { language: 'en', user: 'Avery Nguyen (Contoso Health)', team: 'Ward 4B Nursing' },
  { language: 'zh-CN', user: 'Blake Okafor (Contoso Health)', team: 'Cardiology Rounds' },
  { language: 'zh-TW', user: 'Dana Petrova (Fabrikam Medical Center)', team: 'ICU Team' },
  { language: 'ru', user: 'Emery Zhang (Fabrikam Medical Center)', team: 'Social Work' },
];

it.each(cases)('shows every screen in $language', async ({ language, user, team }) => {
  const m = catalogs[language];
  const page = await (await browser.newContext({ reducedMotion: 'reduce' })).newPage();
  await page.goto(`${server.url}/?lang=${language}`);
  await expect.poll(() => page.getByRole('heading', { name: m['signin.title'] }).isVisible()).toBe(true);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
  await page.getByLabel(m['signin.user'], { exact: true }).selectOption({ label: user });
  await page.getByLabel(m['signin.team'], { exact: true }).selectOption({ label: team });
  await page.getByRole('button', { name: m['signin.continue'] }).click();

  await expect.poll(() => page.getByRole('heading', { name: m['setup.title'] }).isVisible()).toBe(true);
  await expectAccessible(page, `first run in ${language}`);
  await page.getByRole('button', { name: m['setup.sandboxLink'].replace('{version}', 'R4') }).click();
  await page.getByRole('button', { name: m['setup.connect'], exact: true }).click();
  const connected = m['setup.connected'].replace('{name}', m['setup.sandboxLink'].replace('{version}', 'R4'));
  await expect.poll(() => page.getByText(connected).isVisible(), { timeout: 15_000 }).toBe(true);
  await page.getByRole('button', { name: m['setup.close'] }).click();

  await expect.poll(() => page.getByRole('heading', { name: m['search.title'] }).isVisible()).toBe(true);
  await expect.poll(() => page.getByRole('heading', { name: m['lists.title'] }).isVisible()).toBe(true);
  await expect.poll(() => page.getByText(m['lists.none']).isVisible()).toBe(true);
  await page.getByLabel(m['search.gender'], { exact: true }).selectOption({ label: m['gender.female'] });
  await expect.poll(() => page.getByRole('table', { name: m['search.title'] }).isVisible(), { timeout: 15_000 }).toBe(true);
  await expect.poll(() => page.getByRole('table', { name: m['search.title'] }).getByRole('cell', { name: m['gender.female'] }).first().isVisible()).toBe(true);
  await expectAccessible(page, `search in ${language}`);
});
