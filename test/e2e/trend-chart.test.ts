import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { vitalFlag } from '../../contract/vital-ranges';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { expectAccessible, signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();
const DAY = 86_400_000;

interface Reading {
  time: { epochMs: number };
  value?: { value: number; unit: string };
  systolic?: { value: number; unit: string };
  diastolic?: { value: number; unit: string };
}

// What an en-GB user reads: "18 Nov 2026, 08:00" (24-hour times), in the browser's zone (UTC here).
const timeText = (epochMs: number) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(epochMs);
const flagWords = (kind: string, value: number, unit: string) => {
  const flag = vitalFlag(kind, value, unit);
  return flag ? catalogs.en[`vital.flag.${flag}`] : '';
};

const points = (chart: Locator) => chart.locator('svg circle[role="img"]');
const pointLabels = (chart: Locator) => points(chart).evaluateAll((circles) => circles.map((c) => c.getAttribute('aria-label') ?? ''));
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');

/**
 * A clinician reads a vital sign's trend: axes with the unit and times, blood pressure as two
 * lines, a choice of span, every point reachable by keyboard with its value, unit and time, and the
 * same readings as a table for screen readers. The sandbox's readings are from a fixed past week,
 * so the browser's clock is set a week after them, where the spans hold different readings.
 */
describe('vital sign trend charts in the details', () => {
  it('shows axes, spans, blood pressure as two lines, values on keyboard focus and a table of the readings', async () => {
    const { team, api, signInLabel, connect } = await teamOwner(e2e);
    await connect(e2e.info.sandbox.fhir.r4, 'Sandbox r4');
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=1`);
    const patient = patients[0] as { id: string; displayName: string };
    const details = await api('GET', `/teams/${team.id}/patients/${patient.id}/details`);
    const heartRates = details.vitalHistory.value.heartRate as Reading[];
    const pressures = details.vitalHistory.value.bloodPressure as Reading[];
    expect(heartRates.length).toBeGreaterThanOrEqual(4);
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Trends' });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: [patient.id] });

    // Six and a half days after the newest heart rate: none in the last 24 hours, some in the last 7 days.
    const newest = Math.max(...heartRates.map((r) => r.time.epochMs));
    const now = newest + 6.5 * DAY;
    const within = (span: number) => heartRates.filter((r) => r.time.epochMs >= now - span).length;
    expect([within(DAY), within(7 * DAY) >= 2, within(7 * DAY) < heartRates.length]).toEqual([0, true, true]);

    const context = await e2e.browser.newContext({
      reducedMotion: 'reduce',
      viewport: { width: 1400, height: 1000 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    const page = await context.newPage();
    await page.clock.install({ time: now });
    await signIn(page, e2e.server.url, signInLabel, team.name);
    const open = page.getByRole('table', { name: 'Trends' }).getByRole('button', { name: patient.displayName, exact: true });
    await expect.poll(() => open.isVisible(), { timeout: 15_000 }).toBe(true);
    await open.click();
    const drawer = page.getByRole('dialog');
    const heart = drawer.getByRole('region', { name: 'Trend of Heart rate', exact: true });
    await expect.poll(() => points(heart).count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // Axes: the unit on the value axis, times in the user's locale on the time axis, numbers on both.
    const svg = heart.locator('svg[role="region"]');
    expect(await svg.getAttribute('aria-label')).toBe('Heart rate in /min over time; the arrow keys move from reading to reading');
    const texts = await svg.locator('text').allTextContents();
    expect(texts.filter((text) => text === '/min')).toHaveLength(1);
    expect(texts.filter((text) => text === 'Time')).toHaveLength(1);
    const timeTicks = await svg.locator('g[id^="xAxisGElement"] .tick text').allTextContents();
    expect(timeTicks.length).toBeGreaterThan(0);
    // A day at midnight ("19 Nov"), else day and 24-hour time ("18 Nov, 12:00").
    for (const tick of timeTicks) expect(tick).toMatch(/^\d{1,2} (Nov|Dec)(, \d{2}:\d{2})?$/);
    const valueTicks = await svg.locator('g[id^="yAxisGElement"] .tick text').allTextContents();
    expect(valueTicks.length).toBeGreaterThan(2);
    for (const tick of valueTicks) expect(tick).toMatch(/^\d+$/);

    // Spans: 7 days first (it holds two readings or more), then 24 hours, then everything.
    const tab = (name: string) => heart.getByRole('tab', { name });
    expect(await tab('Last 7 days').getAttribute('aria-selected')).toBe('true');
    expect(await points(heart).count()).toBe(within(7 * DAY));
    await tab('Last 24 hours').click();
    await expect.poll(() => heart.getByText('No readings in this time span').isVisible()).toBe(true);
    expect(await points(heart).count()).toBe(0);
    await tab('All readings').click();
    await expect.poll(() => points(heart).count()).toBe(heartRates.length);

    // Each point says its value, unit, flag and time, oldest first.
    const expected = heartRates.map((r) => {
      const flag = flagWords('heartRate', r.value!.value, r.value!.unit);
      return `Heart rate: ${r.value!.value}/min${flag ? `, ${flag}` : ''}, ${timeText(r.time.epochMs)}`;
    });
    expect(await pointLabels(heart)).toEqual(expected);

    // On hover, a point shows its time and its value with the unit.
    const callout = page.locator('[role="group"]').filter({ hasText: 'Heart rate' });
    await points(heart).nth(2).hover();
    await expect.poll(() => callout.innerText()).toContain(timeText(heartRates[2].time.epochMs));
    expect(await callout.innerText()).toContain(`${heartRates[2].value!.value}/min`);
    await page.mouse.move(0, 0);

    // By keyboard: Tab from the span tabs onto the first point, arrows to the next; each shows its value and time.
    await tab('All readings').focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => focused(page)).toBe(expected[0]);
    await expect.poll(() => callout.innerText()).toContain(timeText(heartRates[0].time.epochMs));
    expect(await callout.innerText()).toContain(`${heartRates[0].value!.value}/min`);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focused(page)).toBe(expected[1]);
    await expect.poll(() => callout.innerText()).toContain(timeText(heartRates[1].time.epochMs));
    expect(await callout.innerText()).toContain(`${heartRates[1].value!.value}/min`);

    // For screen readers: the readings of the span as a table of time, value, unit and flag.
    const table = heart.getByRole('table', { name: 'Readings of Heart rate' });
    const rows = await table.getByRole('row').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    expect(rows).toEqual([
      ['Time', 'Value', 'Unit', 'Flag'],
      ...heartRates.map((r) => [timeText(r.time.epochMs), String(r.value!.value), '/min', flagWords('heartRate', r.value!.value, r.value!.unit)]),
    ]);
    await tab('Last 24 hours').click();
    await expect.poll(() => heart.getByRole('table').count()).toBe(0);

    // Blood pressure: a systolic and a diastolic line, named in the legend and on every point.
    const pressure = drawer.getByRole('region', { name: 'Trend of Blood pressure', exact: true });
    await pressure.getByRole('tab', { name: 'All readings' }).click();
    await expect.poll(() => points(pressure).count()).toBe(2 * pressures.length);
    expect(await pressure.getByText('Systolic', { exact: true }).isVisible()).toBe(true);
    expect(await pressure.getByText('Diastolic', { exact: true }).isVisible()).toBe(true);
    const labels = await pointLabels(pressure);
    for (const r of pressures) {
      const flag = flagWords('systolic', r.systolic!.value, r.systolic!.unit);
      expect(labels).toContain(`Systolic: ${r.systolic!.value} mmHg${flag ? `, ${flag}` : ''}, ${timeText(r.time.epochMs)}`);
      expect(labels).toContain(`Diastolic: ${r.diastolic!.value} mmHg, ${timeText(r.time.epochMs)}`);
    }
    const pressureRows = await pressure
      .getByRole('table', { name: 'Readings of Blood pressure' })
      .getByRole('row')
      .evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.children].slice(1, 3).map((td) => td.textContent ?? '')));
    expect(pressureRows).toEqual(pressures.map((r) => [`${r.systolic!.value}/${r.diastolic!.value}`, 'mmHg']));

    await expectAccessible(page, 'trend charts');
    await context.close();
  });

  it('keeps the rest of the record when the charts cannot be fetched, and shows them after Try again reloads the tab', async () => {
    // Another team, so its list is the one the tab opens.
    const { team, api, signInLabel, connect } = await teamOwner(e2e, 1);
    await connect(e2e.info.sandbox.fhir.r4, 'Sandbox r4');
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=male&count=1`);
    const patient = patients[0] as { id: string; displayName: string };
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Offline' });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: [patient.id] });

    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    // The network drops just as the charts are fetched.
    let offline = true;
    await page.route(/\/assets\/VitalTrendCharts-[^/]+\.js$/, (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
    await signIn(page, e2e.server.url, signInLabel, team.name);
    const open = page.getByRole('table', { name: 'Offline' }).getByRole('button', { name: patient.displayName, exact: true });
    await expect.poll(() => open.isVisible(), { timeout: 15_000 }).toBe(true);
    await open.click();
    const drawer = page.getByRole('dialog');
    const notice = drawer.getByRole('alert').filter({ hasText: catalogs.en['app.panelCrashed'] });
    await expect.poll(() => notice.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(
      await drawer
        .getByRole('table', { name: 'Vital signs' })
        .getByRole('row', { name: /Heart rate/ })
        .isVisible(),
    ).toBe(true);
    expect(await drawer.getByRole('heading', { name: 'Conditions', level: 3 }).isVisible()).toBe(true);

    offline = false;
    await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: catalogs.en['app.retry'] }).click()]);
    await expect.poll(() => open.isVisible(), { timeout: 15_000 }).toBe(true);
    await open.click();
    const heart = drawer.getByRole('region', { name: 'Trend of Heart rate', exact: true });
    await expect.poll(() => points(heart).count(), { timeout: 15_000 }).toBeGreaterThan(1);
    expect(await notice.count()).toBe(0);
    await context.close();
  });
});
