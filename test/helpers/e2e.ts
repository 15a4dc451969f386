import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startServer, type RunningServer } from '../../server/start';
import { launchBrowser } from './browser';

/** The app in dev mode with its built tab, and Chromium, for one test file. */
export async function startE2e(): Promise<{ server: RunningServer; browser: Browser; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'patients-e2e-'));
  const [server, browser] = await Promise.all([startServer({ PORT: '0', DATA_DIR: dataDir, SANDBOX_PATIENTS: '30' }), launchBrowser()]);
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

export async function expectAccessible(page: Page, screen: string) {
  // Fluent's focus manager (tabster) keeps aria-hidden focus sentinels that hand focus on at once; axe flags them.
  const { violations } = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}

export async function signIn(page: Page, url: string, user: string, team: string) {
  await page.goto(url);
  await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Patients (dev mode)' }).isVisible()).toBe(true);
  await page.getByLabel('User').selectOption({ label: user });
  await page.getByLabel('Team').selectOption({ label: team });
  await page.getByRole('button', { name: 'Continue' }).click();
}

export const visible = (page: Page, text: string | RegExp) => page.getByText(text).first().isVisible();
