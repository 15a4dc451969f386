import { describe, expect, it } from 'vitest';
import { expectAccessible, signIn, useE2e } from '../helpers/e2e';

const e2e = useE2e();

/** What an owner reads in the setup panel when a link cannot be used: the field named as the form names it, and what the address is. */
describe('the setup panel in plain words', () => {
  it('says a link must be a web address, and that the app’s own health check is not a FHIR server', async () => {
    const tenant = e2e.info.tenants[0];
    const team = tenant.teams[1];
    const owner = e2e.info.users.find((u) => u.id === team.owners[0])!;
    const context = await e2e.browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    try {
      await signIn(page, e2e.server.url, `${owner.name} (${tenant.name})`, team.name);
      const link = page.getByRole('textbox', { name: /^Link/ });
      await expect.poll(() => link.isVisible(), { timeout: 15_000 }).toBe(true);
      await page.getByRole('textbox', { name: /^Connection name/ }).fill('Ward EHR');
      const alert = page.getByRole('alert');

      await link.fill('ehr.example.org/fhir');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('The EHR link must be a web address (https://…).');
      expect(await alert.textContent()).not.toMatch(/\burl:/);

      await link.fill(`${e2e.server.url}/api/health`);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('This address is not a FHIR server');
      expect(await alert.textContent()).not.toContain('must be open');
      await expectAccessible(page, 'a link that is not a FHIR server');
    } finally {
      await context.close();
    }
  });
});
