import { describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

/**
 * A team of tenant `tenant` connected to the sandbox's R4 link, with a list `name` of the first
 * `count` patients of `gender` showing `columns`, and a browser page of its owner, not signed in yet.
 */
async function listOfTeam(tenant: number, name: string, columns: string[], gender: string, count: number) {
  const { team, api, signInLabel, connect } = await teamOwner(e2e, tenant);
  await connect(e2e.info.sandbox.fhir.r4, 'Sandbox r4');
  const { patients } = await api('GET', `/teams/${team.id}/patients?gender=${gender}&count=${count}`);
  const list = await api('POST', `/teams/${team.id}/lists`, { name });
  await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns });
  await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });
  const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return {
    team,
    list,
    patients: patients as { id: string; displayName: string }[],
    context,
    page,
    signIn: () => signIn(page, e2e.server.url, signInLabel, team.name),
  };
}

/** An abnormal vital sign reads as words with an icon beside its value, never as colour alone; an old reading says so. */
describe('vital flags in the browser', () => {
  it('shows a flagged SpO2 or heart rate with its icon and words, and marks old readings', async () => {
    const { patients, context, page, signIn } = await listOfTeam(0, 'Flags', ['name', 'heartRate', 'respiratoryRate', 'spo2'], 'female', 12);
    await signIn();
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

  // What a record's modifiers say (FHIR Quantity.comparator; R4 MedicationRequest.doNotPerform and
  // intent), put into the server's real answers on the way to the tab: the sandbox has no such records.
  it('shows a bound the EHR gave as one ("<35 °C") with its flag, a saturation on oxygen as such, and heads an order not to give a drug "do not give"', async () => {
    const { team, list, patients, context, page, signIn } = await listOfTeam(
      1,
      'Bounds',
      ['name', 'temperature', 'heartRate', 'spo2', 'medications'],
      'male',
      1,
    );
    const rewrite = (path: string, change: (body: string) => string) =>
      page.route(
        (url) => url.pathname === path,
        async (route: Route) => {
          if (route.request().method() !== 'GET') return route.fallback();
          const answer = await route.fetch();
          await route.fulfill({ response: answer, body: change(await answer.text()) });
        },
      );
    const time = { text: '2026-12-03T09:00:00Z', epochMs: Date.parse('2026-12-03T09:00:00Z') };
    await rewrite(
      `/api/teams/${team.id}/lists/${list.id}`,
      (ndjson) =>
        ndjson
          .trimEnd()
          .split('\n')
          .map((line) => {
            const item = JSON.parse(line);
            if (item.row) {
              item.row.cells.temperature = { status: 'ok', value: { time, value: { value: 35, unit: '°C', comparator: '<' } } };
              item.row.cells.heartRate = { status: 'ok', value: { time, value: { value: 120, unit: '/min', comparator: '<' } } };
              item.row.cells.spo2 = { status: 'ok', value: { time, value: { value: 97, unit: '%' }, oxygen: { flow: { value: 2, unit: 'L/min' } } } };
            }
            return JSON.stringify(item);
          })
          .join('\n') + '\n',
    );
    await rewrite(`/api/teams/${team.id}/patients/${patients[0].id}/details`, (json) => {
      const details = JSON.parse(json);
      const drug = { kind: 'order', code: null, dosage: null, date: null, prescriber: null };
      details.medications = {
        status: 'ok',
        value: [
          { ...drug, name: 'Aspirin 75 mg', status: 'active', current: true },
          { ...drug, name: 'Warfarin 5 mg', status: 'active', current: false, doNotPerform: true, intent: 'order' },
          { ...drug, name: 'Heparin 5,000 units', status: 'stopped', current: false, doNotPerform: true, intent: 'order' },
        ],
      };
      // Two saturations of the trend, the later one taken on oxygen.
      const reading = (text: string, value: number) => ({ time: { text, epochMs: Date.parse(text) }, value: { value, unit: '%' } });
      details.vitalHistory = {
        status: 'ok',
        value: {
          ...details.vitalHistory?.value,
          spo2: [reading('2026-12-03T07:00:00Z', 95), { ...reading('2026-12-03T09:00:00Z', 97), oxygen: { flow: { value: 2, unit: 'L/min' } } }],
        },
      };
      return JSON.stringify(details);
    });

    await signIn();
    const table = page.getByRole('table', { name: 'Bounds' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(2);
    const row = table.getByRole('row').nth(1);
    await expect.poll(() => row.innerText()).toContain('<35 °C');
    // Below 35 °C is critical whatever the value; below 120/min may be anything: no flag.
    expect(await row.locator('[data-vital-flag]').allInnerTexts()).toEqual(['Critical low']);
    expect(await row.innerText()).toContain('<120/min');
    // 97 % is in range on air; taken on 2 L/min of oxygen it is marked so, with an icon and words.
    const oxygen = row.getByText('On O₂ 2 L/min', { exact: true });
    expect(await oxygen.isVisible()).toBe(true);
    expect(await oxygen.locator('svg').count()).toBe(1);

    await page.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    const medications = page.getByRole('dialog').locator('section[aria-labelledby="details-medications"]');
    await expect.poll(() => medications.innerText(), { timeout: 15_000 }).toContain('Warfarin 5 mg');
    const text = await medications.innerText();
    expect(text.indexOf('do not give')).toBeGreaterThan(text.indexOf('Aspirin 75 mg'));
    expect(text.indexOf('do not give')).toBeLessThan(text.indexOf('Warfarin 5 mg'));
    expect(text.match(/\bactive\b/g)).toHaveLength(1);
    // A "do not give" order that was stopped is headed "stopped", never "do not give", yet still says what it was.
    const heparin = text.indexOf('Heparin 5,000 units');
    expect(text.indexOf('stopped')).toBeGreaterThan(text.indexOf('Warfarin 5 mg'));
    expect(heparin).toBeGreaterThan(text.indexOf('stopped'));
    expect(text.match(/do not give/g)).toHaveLength(2);
    expect(text.lastIndexOf('do not give')).toBeGreaterThan(heparin);
    // The trend's table for screen readers gives oxygen a column of its own, beside the flag.
    const trend = page.getByRole('dialog').getByRole('region', { name: 'Trend of SpO2', exact: true });
    await trend.getByRole('tab', { name: 'All readings' }).click();
    const readings = trend.getByRole('table', { name: 'Readings of SpO2' });
    await expect.poll(() => readings.getByRole('row').count(), { timeout: 15_000 }).toBe(3);
    const cells = await readings.getByRole('row').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    expect(cells.map((row) => row.slice(1))).toEqual([
      ['Value', 'Unit', 'Flag', 'Oxygen'],
      ['95', '%', 'Low', ''],
      ['97', '%', '', 'On O₂ 2 L/min'],
    ]);
    await context.close();
  });
});
