import { describe, expect, it } from 'vitest';
import { startScriptedEhr } from '../helpers/failing-ehr';
import { signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

describe('a search while the EHR is busy, in a browser', () => {
  it('offers Try again, which searches again for the same words once the EHR answers', async () => {
    let busy = false;
    const ehr = await startScriptedEhr(['Patient'], () =>
      busy
        ? [503, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }]
        : [200, { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] }],
    );
    const { api, team, signInLabel } = await teamOwner(e2e, 1, 0);
    await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: ehr.url, name: 'Ward EHR', confirm: true });
    busy = true;
    const page = await (await e2e.browser.newContext({ reducedMotion: 'reduce' })).newPage();
    await signIn(page, e2e.server.url, signInLabel, team.name);
    await page.getByRole('searchbox', { name: 'Name' }).fill('Smith', { timeout: 15_000 });
    const alert = page.getByRole('alert').filter({ hasText: 'The EHR is busy' });
    await expect.poll(() => alert.isVisible(), { timeout: 15_000 }).toBe(true);

    busy = false;
    await alert.getByRole('button', { name: 'Try again' }).click({ timeout: 5_000 });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No patients match.' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await alert.count()).toBe(0);
    expect(await page.getByRole('searchbox', { name: 'Name' }).inputValue()).toBe('Smith');
    await page.context().close();
    await ehr.close();
  });
});
