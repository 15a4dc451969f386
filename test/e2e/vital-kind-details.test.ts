import { describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

/**
 * The details panel's latest vital signs: a kind the EHR could not give (contract
 * `vitalUnavailable`) reads "Not available" with its icon and why, as a list cell does, never "None
 * recorded", while the kinds read keep their values; a reading dated after the patient's death
 * (contract `afterDeath`) is shown, marked "dated after death: check in EHR" with an icon.
 */
describe('the details panel, vital kinds not read and readings dated after death', () => {
  it('reads "Not available" for the kind not read and marks the reading dated after death', async () => {
    const { team, api, signInLabel, connect } = await teamOwner(e2e);
    await connect(e2e.info.sandbox.fhir.r4, 'Sandbox r4');
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=1`);
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Vitals' });
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: ['name', 'heartRate'] });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: [patients[0].id] });
    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const time = { text: '2026-12-03T09:00:00Z', epochMs: Date.parse('2026-12-03T09:00:00Z') };
    await page.route(
      (url) => url.pathname === `/api/teams/${team.id}/patients/${patients[0].id}/details`,
      async (route: Route) => {
        const answer = await route.fetch();
        const details = JSON.parse(await answer.text());
        details.vitals = {
          status: 'ok',
          value: {
            heartRate: { kind: 'heartRate', time, value: { value: 72, unit: '/min' }, afterDeath: true },
            temperature: { kind: 'temperature', unavailable: 'failed' },
          },
        };
        await route.fulfill({ response: answer, body: JSON.stringify(details) });
      },
    );
    await signIn(page, e2e.server.url, signInLabel, team.name);
    await page.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    const vitals = page.getByRole('dialog').locator('section[aria-labelledby="details-vitals"]');
    const temperature = vitals.getByRole('row').filter({ hasText: 'Temperature' });
    await expect.poll(() => temperature.innerText(), { timeout: 15_000 }).toContain('Not available');
    expect(await temperature.innerText()).not.toContain('None recorded');
    const mark = temperature.locator('[data-cell-status="unavailable"]');
    expect(await mark.locator('svg').count()).toBe(1);
    const hint = await mark.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${hint}"]`).textContent()).toBe('Not available: the EHR could not give this just now. Try again later.');

    const heartRate = vitals.getByRole('row').filter({ hasText: 'Heart rate' });
    expect(await heartRate.innerText()).toContain('72/min');
    const afterDeath = heartRate.locator('[data-after-death]');
    expect(await afterDeath.innerText()).toBe('dated after death: check in EHR');
    expect(await afterDeath.locator('svg').count()).toBe(1);
    await context.close();
  });
});
