import { describe, expect, it } from 'vitest';
import { expectAccessible, signIn, teamOwner, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

/** The search field says how names and MRNs are matched, and the results say when the EHR matches only from the start of a name. */
describe('the name rule in the search pane', () => {
  it('finds a piece from inside a family name in STU3, and says when an EHR matches only the start of a name', async () => {
    const { team, api, signInLabel, connect } = await teamOwner(e2e);
    await connect(e2e.info.sandbox.fhir.stu3);
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=male&count=30`);
    const patient = (patients as { displayName: string }[]).find((p) => /^[A-Za-z]{5,}$/.test(p.displayName.split(' ').at(-1)!))!;
    const inside = patient.displayName.split(' ').at(-1)!.slice(1, 4);

    const context = await e2e.browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    try {
      await signIn(page, e2e.server.url, signInLabel, team.name);
      const name = page.getByLabel('Name', { exact: true });
      await expect.poll(() => name.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await visible(page, 'Any part of a first or last name')).toBe(true);
      expect(await visible(page, 'The exact MRN')).toBe(true);

      await name.fill(inside);
      const row = page.getByRole('checkbox', { name: `Select ${patient.displayName}` });
      await expect.poll(() => row.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await visible(page, 'This EHR matches the start of a name: try the first letters.')).toBe(false);

      await connect(`${e2e.info.sandbox.fhir.stu3}/quirks/no-contains`);
      await page.reload();
      await expect.poll(() => name.isVisible(), { timeout: 15_000 }).toBe(true);
      await name.fill(inside);
      const note = page.getByRole('note');
      await expect.poll(() => note.textContent(), { timeout: 15_000 }).toBe('This EHR matches the start of a name: try the first letters.');
      expect(await row.isVisible()).toBe(false);
      await expectAccessible(page, 'search matching from the start of a name');
    } finally {
      await context.close();
    }
  });
});
