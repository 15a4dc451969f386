import { describe, expect, it } from 'vitest';
import { chooseList, expectAccessible, signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

interface Found {
  id: string;
  displayName: string;
  mrn: string;
  recordNotice: { replacedById: string } | null;
}

/** A record the EHR says is not to be used (Patient.link replaced-by, Patient.active false) never reads like the record in use. */
describe('a replaced record in the browser', () => {
  it('is marked beside its name in the search results and on the list, and the details say which record to use', async () => {
    const { team, api, signInLabel, connect } = await teamOwner(e2e);
    await connect(e2e.info.sandbox.fhir.r4);
    const found: Found[] = [];
    for (const gender of ['female', 'male']) found.push(...(await api('GET', `/teams/${team.id}/patients?gender=${gender}&count=100`)).patients);
    // The sandbox's duplicate registration, merged into the record before it: the same person under another MRN.
    const duplicate = found.find((p) => p.recordNotice)!;
    const kept = found.find((p) => p.id === duplicate.recordNotice!.replacedById)!;
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Merged' });
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: ['name', 'mrn'] });

    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, e2e.server.url, signInLabel, team.name);
      await chooseList(page, 'Merged (0)');
      const name = page.getByLabel('Name', { exact: true });
      await name.fill(kept.displayName.split(' ').at(-1)!);
      const results = page.getByRole('table', { name: 'Find patients' });
      const resultOf = (p: Found) => results.getByRole('row').filter({ hasText: p.mrn });
      await expect.poll(() => resultOf(duplicate).isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await resultOf(duplicate).getByText('Replaced record', { exact: true }).isVisible()).toBe(true);
      expect(await resultOf(kept).getByText('Replaced record', { exact: true }).count()).toBe(0);

      for (const p of [duplicate, kept]) await resultOf(p).getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Add 2 selected to Merged' }).click();
      const table = page.getByRole('table', { name: 'Merged' });
      const rowOf = (p: Found) => table.getByRole('row').filter({ hasText: p.mrn });
      await expect.poll(() => table.getByRole('row').count(), { timeout: 15_000 }).toBe(3);
      const badge = rowOf(duplicate).getByText('Replaced record', { exact: true });
      expect(await badge.isVisible()).toBe(true);
      // Icon and words, not colour alone.
      expect(await rowOf(duplicate).locator('.fui-Badge svg').count()).toBe(1);
      expect(await rowOf(kept).getByText('Replaced record', { exact: true }).count()).toBe(0);
      await expectAccessible(page, 'a list with a replaced record');

      await rowOf(duplicate).getByRole('button', { name: duplicate.displayName, exact: true }).click();
      const drawer = page.getByRole('dialog');
      await expect
        .poll(() => drawer.getByText(`The EHR has replaced this record with ${kept.displayName}: use that record.`).isVisible(), { timeout: 15_000 })
        .toBe(true);
      // The record to use opens in its place.
      await drawer.getByRole('button', { name: `Open ${kept.displayName}`, exact: true }).click();
      await expect.poll(() => drawer.getByText(`MRN ${kept.mrn}`).first().isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await drawer.getByText('Replaced record', { exact: true }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
