import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { listColumns } from '../../contract/columns';
import { teamWithSandboxList, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

/** A list of `count` sandbox patients, opened at sign-in, its owner at `width` × `height`. */
const teamWithList = (tenant: number, teamIndex: number, count: number, width: number, height?: number) =>
  teamWithSandboxList(e2e, { tenant, teamIndex, name: `Ward ${Math.random().toString(36).slice(2, 6)}`, count, width, height, openFirst: true });

type Row = Record<string, unknown> & { patientId: string };

/** Answers the list's GETs with the server's answer, its rows changed by `change` (and an EHR error at the end, if given). */
async function changeList(page: Page, path: string, change: (rows: Row[]) => void, ehrError?: { code: string; message: string }) {
  await page.route(
    (url) => url.pathname === path,
    async (route: Route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      const lines = (await (await route.fetch()).text())
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      const head = lines[0].list;
      const rows: Row[] = lines.filter((line) => 'row' in line).map((line) => line.row);
      change(rows);
      const end = ehrError ? { ehrError } : {};
      const body = [{ list: head }, ...rows.map((row) => ({ row })), { end }].map((line) => `${JSON.stringify(line)}\n`).join('');
      await route.fulfill({ status: 200, contentType: 'application/x-ndjson', body });
    },
  );
}

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

/** The focused element's box and, in its table row, the frozen name cell's box (null when focus is in that cell, 'out' when out of the table). */
const focusedAndFrozen = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el?.closest('table')) return 'out' as const;
    const frozen = el.closest('tr')?.querySelector<HTMLElement>('th, td');
    if (!frozen || frozen.contains(el)) return null;
    const box = (r: DOMRect) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
    return { label: el.textContent?.trim() ?? '', focused: box(el.getBoundingClientRect()), frozen: box(frozen.getBoundingClientRect()) };
  });

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', text: el?.textContent?.trim() ?? '', label: el?.getAttribute('aria-label') ?? '' };
  });

describe('the list table: focus beside the frozen name, badges, an outage, two Undos', () => {
  for (const width of [390, 740]) {
    it(`keeps each control focused by Shift+Tab fully beside the frozen name column at ${width} pixels`, async () => {
      const { page, api, team, list, signIn, close } = await teamWithList(0, 0, 3, width);
      await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: [...listColumns] });
      await signIn();
      const table = page.getByRole('table', { name: list.name });
      await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(4);
      // From the first row's Remove, far to the right, back across the row and the headings.
      await table
        .getByRole('button', { name: /^Remove / })
        .first()
        .focus();
      let checked = 0;
      for (let step = 0; step < 40; step++) {
        await page.keyboard.press('Shift+Tab');
        // Let the browser (and the table) scroll the newly focused control into view.
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        const at = await focusedAndFrozen(page);
        if (at === 'out') break;
        if (!at) continue;
        expect(overlap(at.focused, at.frozen), `"${at.label}" is under the frozen name column`).toBe(false);
        checked++;
      }
      expect(checked).toBeGreaterThan(5);
      await close();
    });
  }

  it("wraps a deceased patient's badge beside the name without covering it at 320 pixels", async () => {
    const { page, team, list, signIn, close } = await teamWithList(0, 0, 2, 320);
    await changeList(page, `/api/teams/${team.id}/lists/${list.id}`, (rows) => {
      for (const row of rows) row.deceased = { date: '2019-11-23' };
    });
    await signIn();
    const table = page.getByRole('table', { name: list.name });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);
    const cells = table.locator('tbody td:first-child');
    await expect.poll(() => cells.locator('.fui-Badge').count(), { timeout: 10_000 }).toBe(2);
    // The boxes of the text itself (a badge's text can run out of the badge's box), of the badge and of the cell.
    const boxes = await cells.evaluateAll((tds) =>
      tds.map((td) => {
        const rect = (r: DOMRect) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
        const text = (el: Element) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return rect(range.getBoundingClientRect());
        };
        const badge = td.querySelector('.fui-Badge')!;
        return {
          name: text(td.querySelector('button')!),
          badgeText: text(badge),
          badge: rect(badge.getBoundingClientRect()),
          cell: rect(td.getBoundingClientRect()),
        };
      }),
    );
    for (const { name, badgeText, badge, cell } of boxes) {
      expect(overlap(name, badgeText), 'the Deceased text covers the name').toBe(false);
      expect(overlap(name, badge), 'the Deceased badge covers the name').toBe(false);
      // The badge's text stays within the badge, and the badge within its cell.
      expect(badgeText.y).toBeGreaterThanOrEqual(badge.y - 0.5);
      expect(badgeText.y + badgeText.height).toBeLessThanOrEqual(badge.y + badge.height + 0.5);
      expect(badge.x + badge.width).toBeLessThanOrEqual(cell.x + cell.width + 0.5);
    }
    await close();
  });

  it('offers neither Remove nor Move on rows the EHR failed to give in an outage, and keeps Remove on a row it said is gone', async () => {
    const { page, team, list, api, patients, signIn, close } = await teamWithList(0, 0, 3, 1280);
    // A second list, so that Move is offered at all.
    await api('POST', `/teams/${team.id}/lists`, { name: `Other ${list.name}` });
    await changeList(
      page,
      `/api/teams/${team.id}/lists/${list.id}`,
      (rows) => {
        rows.forEach((row, i) => {
          for (const key of Object.keys(row)) if (key !== 'patientId') delete row[key];
          Object.assign(row, { available: false, unavailable: i === 2 ? 'gone' : 'failed', cells: {} });
        });
      },
      { code: 'ehr_unavailable', message: 'The EHR did not answer.' },
    );
    await signIn();
    const table = page.getByRole('table', { name: list.name });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(4);
    const row = (id: string) => table.getByRole('row').filter({ hasText: id });
    for (const failed of patients.slice(0, 2)) {
      await expect.poll(() => row(failed.id).count()).toBe(1);
      expect(
        await row(failed.id)
          .getByRole('button', { name: /^Remove / })
          .count(),
      ).toBe(0);
      expect(
        await row(failed.id)
          .getByRole('button', { name: /^Move / })
          .count(),
      ).toBe(0);
    }
    const gone = row(patients[2].id);
    await expect.poll(() => gone.getByRole('button', { name: /^Remove / }).count()).toBe(1);
    // Tab from the filter through the table never lands on a control of a failed row.
    await page.getByRole('searchbox', { name: 'Filter rows' }).focus();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const label = (await focused(page)).label;
      for (const failed of patients.slice(0, 2)) expect(label).not.toContain(failed.id);
    }
    await close();
  });

  it("moves focus from a row's Remove to the words saying why it is gone when the row fails on a refresh, never to the page", async () => {
    const { page, team, list, patients, signIn, close } = await teamWithList(0, 0, 3, 1280);
    await signIn();
    const table = page.getByRole('table', { name: list.name });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(4);
    const [failing] = patients;
    await table.getByRole('button', { name: `Remove ${failing.displayName} from ${list.name}` }).focus();
    // From now on the EHR cannot read this one patient; the list (its other rows) reads as before.
    await changeList(page, `/api/teams/${team.id}/lists/${list.id}`, (rows) => {
      const row = rows.find((r) => r.patientId === failing.id)!;
      for (const key of Object.keys(row)) if (key !== 'patientId') delete row[key];
      Object.assign(row, { available: false, unavailable: 'failed', cells: {} });
    });
    // Back in view over 30 seconds after the last read: the list is read again, without touching focus.
    await page.evaluate(() => {
      const now = Date.now;
      Date.now = () => now() + 31_000;
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    const failedRow = table.getByRole('row').filter({ hasText: failing.id });
    await expect.poll(() => failedRow.count(), { timeout: 15_000 }).toBe(1);
    const why = 'Cannot be removed or moved while the EHR cannot read this patient.';
    expect(await failedRow.getByRole('cell').last().textContent()).toBe(why);
    await expect.poll(() => focused(page)).toMatchObject({ text: why });
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.textContent ?? '')).toContain(failing.id);
    await close();
  });

  it("leaves focus on the first Undo when a second removal's notice ends, so Undo there puts that patient back", async () => {
    const { page, team, list, patients, signIn, close } = await teamWithList(0, 0, 3, 1280);
    await signIn();
    const table = page.getByRole('table', { name: list.name });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(4);
    const [a, b] = patients;
    await table.getByRole('button', { name: `Remove ${a.displayName} from ${list.name}` }).focus();
    await page.keyboard.press('Enter');
    const undoA = page.getByRole('button', { name: new RegExp(`^Undo.*${esc(a.displayName)}`) });
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ text: 'Undo' });
    await table.getByRole('button', { name: `Remove ${b.displayName} from ${list.name}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => visible(page, `Removed ${b.displayName} from ${list.name}`), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await focused(page)).label, { timeout: 15_000 }).toMatch(new RegExp(`^Undo.*${esc(b.displayName)}`));
    // The pointer rests on the first notice, which holds it while the second runs out; focus goes back to the first Undo.
    await undoA.hover();
    await undoA.focus();
    await expect.poll(() => visible(page, `Removed ${b.displayName} from ${list.name}`), { timeout: 20_000, interval: 250 }).toBe(false);
    expect((await focused(page)).label).toMatch(new RegExp(`^Undo.*${esc(a.displayName)}`));
    await page.keyboard.press('Enter');
    // Focus goes to the patient put back, not to the list picker.
    await expect.poll(() => visible(page, `${a.displayName} is back on ${list.name}`), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ tag: 'BUTTON', text: a.displayName });
    await page.waitForTimeout(1_000);
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: a.displayName });
    expect(team.id).toBeTruthy();
    await close();
  });
});
