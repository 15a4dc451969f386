import { describe, expect, it } from 'vitest';
import { chooseList, expectAccessible, signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

interface Row {
  patientId: string;
  displayName: string;
  mrn: string;
  cells: { conditions: { status: string; value?: { display: string; qualified?: true }[] } };
}

/**
 * A problem the EHR records with a modifier extension the app cannot read (the sandbox's "ruled
 * out", one patient in 40) never reads like the problem itself: the list and the details mark it.
 */
describe('a record the EHR qualifies, in the browser', () => {
  it('reads "check in EHR" beside the problem in the list cell and in the details, with words and an icon', async () => {
    const { team, api, signInLabel, connect } = await teamOwner(e2e);
    await connect(e2e.info.sandbox.fhir.stu3);
    const ids: string[] = [];
    for (const gender of ['female', 'male'])
      ids.push(...(await api('GET', `/teams/${team.id}/patients?gender=${gender}&count=100`)).patients.map((p: { id: string }) => p.id));
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Ruled out' });
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: ['name', 'mrn', 'conditions'] });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: ids });
    const rows: Row[] = (await api('GET', `/teams/${team.id}/lists/${list.id}`)).rows;
    const patient = rows.find((r) => r.cells.conditions.value?.some((c) => c.qualified))!;
    expect(patient).toBeDefined();
    // Only the ruled-out record is marked; the patient's other problems read plain.
    const items = patient.cells.conditions.value!;
    expect(items.filter((c) => c.qualified).map((c) => c.display)).toEqual(['Pneumonia']);

    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, e2e.server.url, signInLabel, team.name);
      await chooseList(page, `Ruled out (${ids.length})`);
      const table = page.getByRole('table', { name: 'Ruled out' });
      const row = table.getByRole('row').filter({ hasText: patient.mrn });
      await expect.poll(() => row.isVisible(), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Pneumonia (check in EHR)');
      await expectAccessible(page, 'a list with a qualified problem');

      await row.getByRole('button', { name: patient.displayName, exact: true }).click();
      const conditions = page.getByRole('dialog').locator('section[aria-labelledby="details-conditions"]');
      const mark = conditions.getByText('check in EHR', { exact: true });
      await expect.poll(() => mark.isVisible(), { timeout: 15_000 }).toBe(true);
      // Exactly one entry is marked, with an icon beside the words and the reason on hover.
      expect(await mark.count()).toBe(1);
      const badge = conditions.locator('[data-qualified]');
      expect(await badge.locator('svg').count()).toBe(1);
      expect(await badge.getAttribute('title')).toMatch(/cannot read/);
      expect(
        await conditions
          .getByRole('listitem')
          .filter({ has: page.locator('[data-qualified]') })
          .textContent(),
      ).toContain('Pneumonia');
      await expectAccessible(page, 'details with a qualified problem');
    } finally {
      await context.close();
    }
  });
});
