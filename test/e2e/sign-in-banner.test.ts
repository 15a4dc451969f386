import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

const SIGN_IN_LOST = 'The token has expired.';

/**
 * From now on the server refuses every token for the team's lists and its EHR search, fresh ones
 * too (401 `unauthenticated`): the tab's one retry with a fresh token is refused as well. The
 * connection's answer goes through, so the workspace with its panels shows.
 */
async function refuseTokens(page: Page, teamId: string) {
  await page.route(
    (url) => url.pathname.startsWith(`/api/teams/${teamId}/`) && !url.pathname.endsWith('/connection'),
    (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'unauthenticated', message: SIGN_IN_LOST, requestId: 'e2e' }),
      }),
  );
}

describe('a sign-in that fails everywhere at once', () => {
  it('shows one banner for it, not one per panel, and keeps a panel its own different error', async () => {
    const { team, signInLabel, connect } = await teamOwner(e2e);
    await connect(e2e.info.sandbox.fhir.r4);
    const context = await e2e.browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    try {
      await refuseTokens(page, team.id);
      await signIn(page, e2e.server.url, signInLabel, team.name);
      const name = page.getByLabel('Name', { exact: true });
      await expect.poll(() => name.isVisible(), { timeout: 15_000 }).toBe(true);
      // The lists panel fails; then the search pane's search fails for the same reason.
      const refused = page.getByRole('alert').filter({ hasText: SIGN_IN_LOST });
      await expect.poll(() => refused.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await name.fill('a');
      await expect.poll(() => page.getByRole('progressbar').count(), { timeout: 15_000 }).toBe(0);
      await page.waitForTimeout(1000);
      expect(await refused.count()).toBe(1);
      expect(await refused.isVisible()).toBe(true);

      // The search pane closed, the banner its search showed is out of sight: the lists' copy shows.
      await page.getByRole('button', { name: 'Hide search' }).click();
      await expect.poll(() => refused.count()).toBe(1);
      expect(await refused.isVisible()).toBe(true);
      expect(await name.isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Show search' }).click();
      await expect.poll(() => name.isVisible()).toBe(true);
      expect(await refused.count()).toBe(1);

      // Its cause gone, a different error of one panel still shows there, beside the one sign-in banner.
      await page.unrouteAll({ behavior: 'wait' });
      await page.route(
        (url) => url.pathname === `/api/teams/${team.id}/patients`,
        (route) =>
          route.fulfill({
            status: 502,
            contentType: 'application/json',
            body: JSON.stringify({ code: 'ehr_unreachable', message: 'The EHR did not answer.', requestId: 'e2e-2' }),
          }),
      );
      await name.fill('ab');
      const ehr = page.getByRole('alert').filter({ hasText: 'The EHR did not answer.' });
      await expect.poll(() => ehr.count(), { timeout: 15_000 }).toBe(1);
      expect(await refused.count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
