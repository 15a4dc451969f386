import { describe, expect, it } from 'vitest';
import { teamWithSandboxList, useE2e } from '../helpers/e2e';

const e2e = useE2e();

describe('a search in a browser, heard with a screen reader', () => {
  it('says how many patients a search found while focus stays in the search box', async () => {
    const { page, patients, signIn, close } = await teamWithSandboxList(e2e, { tenant: 0, teamIndex: 0, name: 'Rounds', count: 1, width: 1280 });
    await signIn();
    const liveRegion = () => page.locator('#tab-live-region').textContent();
    const mrn = page.getByRole('searchbox', { name: 'MRN' });
    await mrn.fill(patients[0].mrn);
    await expect.poll(liveRegion, { timeout: 15_000 }).toBe('1 patient found');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');

    // A wider search that has pages: how many came, and that there are more.
    await mrn.fill('');
    await page.getByRole('combobox', { name: 'Gender' }).selectOption({ label: 'Female' });
    await expect.poll(liveRegion, { timeout: 15_000 }).toMatch(/^\d+ patients found(; More results shows more)?$/);
    const results = await page.getByRole('table', { name: 'Find patients' }).getByRole('row').count();
    expect(await liveRegion()).toContain(`${results - 1} patients found`);
    await close();
  });
});
