import { describe, expect, it } from 'vitest';
import { apiAs, signIn, useE2e } from '../helpers/e2e';

const e2e = useE2e();

/** An abnormal vital sign reads as words with an icon beside its value, never as colour alone; an old reading says so. */
describe('vital flags in the browser', () => {
  it('shows a flagged SpO2 or heart rate with its icon and words, and marks old readings', async () => {
    const tn = e2e.info.tenants[0];
    const team = tn.teams[0];
    const owner = e2e.info.users.find((u) => u.id === team.owners[0])!;
    const api = await apiAs(e2e.server.url, owner.id);
    await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: e2e.info.sandbox.fhir.r4, name: 'Sandbox r4' });
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=12`);
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Flags' });
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: ['name', 'heartRate', 'respiratoryRate', 'spo2'] });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });

    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await signIn(page, e2e.server.url, `${owner.name} (${tn.name})`, team.name);
    const table = page.getByRole('table', { name: 'Flags' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(1 + patients.length);

    const flags = table.locator('[data-vital-flag]');
    expect(await flags.count()).toBeGreaterThan(0);
    const flag = flags.first();
    expect(await flag.innerText()).toMatch(/^(Critical low|Critical high|Low|High)$/);
    expect(await flag.locator('svg').count()).toBe(1);
    expect(await flag.getAttribute('title')).toMatch(/NEWS2 score \d/);

    // The sandbox's readings were taken days before today: each is marked as over 24 hours old.
    const stale = table.locator('[data-vital-stale]');
    expect(await stale.count()).toBeGreaterThan(0);
    expect(await stale.first().innerText()).toBe('Over 24 h old');
    expect(await stale.first().locator('svg').count()).toBe(1);
    await context.close();
  });
});
