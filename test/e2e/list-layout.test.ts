import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { listColumns } from '../../contract/columns';
import { NOTE_MAX_LENGTH } from '../../contract/notes';
import { apiAs, expectAccessible, signIn as signInAs, teamWithSandboxList, useE2e } from '../helpers/e2e';

const e2e = useE2e();

/** The widest a text cell grows (client/features/lists/list-layout.ts), plus the cell's own padding and edge. */
const TEXT_MAX_WIDTH = 280;
const CELL_PADDING = 2 * 8 + 1;

const teamWithList = (tenant: number, teamIndex: number, name: string, count: number, width: number, height?: number) =>
  teamWithSandboxList(e2e, { tenant, teamIndex, name, count, width, height });

/** The box a list table scrolls in. */
const scroller = (table: Locator) => table.locator('xpath=..');

/** The cells of a table whose words run out of the cell, over the next one: "column header: text". */
const spillingCells = (table: Locator) =>
  table.evaluate((el) =>
    [...el.querySelectorAll<HTMLTableCellElement>('th, td')]
      .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
      .map((cell) => `${el.querySelectorAll('thead th')[cell.cellIndex]?.textContent ?? ''}: ${cell.textContent ?? ''}`),
  );

/** How far the table's box can scroll sideways, and how far the page can. */
const overflow = (page: Page, table: Locator) =>
  Promise.all([
    scroller(table).evaluate((el) => el.scrollWidth - el.clientWidth),
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ]);

describe('the list table on rounds', () => {
  it('fits a new list in a 740-pixel Teams pane, and the search pane folds away for the session', async () => {
    const { page, signIn, close } = await teamWithList(0, 0, 'Ward 7', 6, 740);
    await signIn();
    const table = page.getByRole('table', { name: 'Ward 7' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(7);
    expect((await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim())).toEqual([
      'Name',
      'MRN',
      'Birth date (age)',
      'Gender',
      'Actions',
    ]);
    // Neither the table nor the page scrolls sideways.
    expect(await overflow(page, table)).toEqual([0, 0]);

    const toggle = page.getByRole('button', { name: 'Hide search' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('heading', { name: 'Find patients' }).isVisible()).toBe(true);
    await toggle.click();
    const reopen = page.getByRole('button', { name: 'Show search' });
    await expect.poll(() => reopen.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('heading', { name: 'Find patients' }).isVisible()).toBe(false);
    // The pane it controls is the one hidden.
    const pane = page.locator(`[id="${await reopen.getAttribute('aria-controls')}"]`);
    expect(await pane.isHidden()).toBe(true);
    // Remembered for the session: a reload keeps it closed.
    await page.reload();
    await expect.poll(() => page.getByRole('table', { name: 'Ward 7' }).getByRole('row').count(), { timeout: 20_000 }).toBe(7);
    expect(await page.getByRole('heading', { name: 'Find patients' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Show search' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Find patients' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Hide search' }).getAttribute('aria-expanded')).toBe('true');
    await close();
  });

  it('keeps each row’s name in view at the left edge while a wide list scrolls sideways', async () => {
    const { team, api, list, page, signIn, close } = await teamWithList(0, 1, 'Everything', 10, 1366, 1400);
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: [...listColumns] });
    await signIn();
    const table = page.getByRole('table', { name: 'Everything' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(11);
    const [tableOverflow] = await overflow(page, table);
    expect(tableOverflow, 'twenty columns are wider than the pane').toBeGreaterThan(300);

    await scroller(table).evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect.poll(() => scroller(table).evaluate((el) => el.scrollLeft)).toBeGreaterThan(300);
    // Every rendered row's name cell (and the header's) sits at the box's inner left edge, on top of the cells scrolled under it.
    await scroller(table).scrollIntoViewIfNeeded();
    const placed = await scroller(table).evaluate((box) => {
      const left = box.getBoundingClientRect().left + box.clientLeft;
      const bottom = Math.min(box.getBoundingClientRect().bottom, window.innerHeight);
      return [...box.querySelectorAll('tr')]
        .filter((tr) => tr.cells.length > 1 && tr.getBoundingClientRect().bottom <= bottom)
        .map((tr) => {
          const cell = tr.cells[0].getBoundingClientRect();
          const top = document.elementFromPoint(cell.left + 8, cell.top + cell.height / 2);
          return { offset: Math.round(cell.left - left), onTop: tr.cells[0].contains(top), text: tr.cells[0].innerText.trim() };
        });
    });
    expect(placed.length, 'the header and the rows in view').toBeGreaterThanOrEqual(8);
    for (const { offset, onTop, text } of placed) {
      expect(offset, text).toBe(0);
      expect(onTop, `${text} is not covered`).toBe(true);
      expect(text).not.toBe('');
    }
    // The rows stay virtualized: scrolling down and back keeps the names in place.
    await scroller(table).evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const link = table.getByRole('button', { name: /\S/ }).first();
    expect(await link.isVisible()).toBe(true);

    // Sortable headers are buttons with aria-sort, named by the column alone (a screen reader says the
    // header with each cell: "Heart rate", never "Sort by Heart rate"); Actions and the columns
    // without an order are plain headings.
    const header = (name: string) => table.getByRole('columnheader', { name, exact: true });
    for (const name of ['Name', 'Heart rate', 'Location']) {
      expect(await header(name).getAttribute('aria-sort'), name).toBe('none');
      expect(await header(name).getByRole('button', { name, exact: true }).count(), name).toBe(1);
    }
    for (const name of ['Actions', 'Conditions', 'Allergies', 'Medications', 'Latest note']) {
      expect(await header(name).count(), name).toBe(1);
      expect(await header(name).getAttribute('aria-sort'), name).toBeNull();
      expect(await header(name).getByRole('button').count(), name).toBe(0);
    }
    await header('Heart rate').getByRole('button').click();
    await expect.poll(() => header('Heart rate').getAttribute('aria-sort')).toBe('ascending');
    await expectAccessible(page, 'a wide list scrolled sideways');
    await close();
  });

  it('cuts a 4,000-character note at the column width, shows it whole on focus, and tells "None recorded" from "Not available"', async () => {
    // A Manual-mode team: a patient without a room is "None recorded" there, and a vital sign, which only an EHR gives, "Not available".
    const tn = e2e.info.tenants[1];
    const tm = tn.teams[0];
    const owner = e2e.info.users.find((u) => u.id === tm.owners[0])!;
    const api = await apiAs(e2e.server.url, owner.id);
    await api('PUT', `/teams/${tm.id}/connection`, { mode: 'manual' });
    const noted = await api('POST', `/teams/${tm.id}/manual-patients`, { name: 'Ada Notewell', room: '12' });
    const plain = await api('POST', `/teams/${tm.id}/manual-patients`, { name: 'Ben Roomless' });
    const list = await api('POST', `/teams/${tm.id}/lists`, { name: 'Notes' });
    await api('PATCH', `/teams/${tm.id}/lists/${list.id}`, { columns: ['name', 'latestNote', 'location', 'heartRate'] });
    await api('POST', `/teams/${tm.id}/lists/${list.id}/patients`, { patientIds: [noted.id, plain.id] });
    const words = 'Discussed discharge plan with the family; daughter to collect medication from pharmacy. ';
    const note = words.repeat(Math.ceil(NOTE_MAX_LENGTH / words.length)).slice(0, NOTE_MAX_LENGTH);
    await api('POST', `/teams/${tm.id}/patients/${noted.id}/notes`, { text: note });
    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await signInAs(page, e2e.server.url, `${owner.name} (${tn.name})`, tm.name);
    const table = page.getByRole('table', { name: 'Notes' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);

    const notedRow = table.getByRole('row', { name: /Ada Notewell/ });
    const noteCell = notedRow.getByRole('cell').nth(1);
    expect((await noteCell.boundingBox())!.width).toBeLessThanOrEqual(TEXT_MAX_WIDTH + CELL_PADDING);
    // The whole table stays narrower than the window, let alone the note's 33,000 pixels of text.
    expect(await scroller(table).evaluate((el) => el.scrollWidth)).toBeLessThan(1366);
    // From the keyboard: Tab from the patient's name reaches the cut note, and its tooltip holds all of it.
    await notedRow.getByRole('button', { name: 'Ada Notewell', exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await noteCell.locator('[data-clipped]').evaluate((el) => el === document.activeElement)).toBe(true);
    const tooltip = page.getByRole('tooltip');
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toBe(note);

    // Ben has no note and no room: "None recorded"; nobody's heart rate is offered here: "Not available".
    const benRow = table.getByRole('row', { name: /Ben Roomless/ });
    const none = benRow.locator('[data-cell-status="none"]');
    const missing = benRow.locator('[data-cell-status="unavailable"]');
    expect(await none.count()).toBe(2);
    expect(await missing.count()).toBe(1);
    expect(await none.first().innerText()).toBe('None recorded');
    expect(await missing.innerText()).toBe('Not available');
    // Each with an icon of its own, not colour alone.
    const icon = (mark: Locator) => mark.locator('svg').evaluate((svg) => svg.innerHTML);
    expect(await icon(none.first())).not.toBe(await icon(missing));
    // Each explains itself on focus, and to a screen reader.
    await none.first().focus();
    await expect.poll(() => tooltip.textContent()).toBe('The EHR has no record of this for the patient.');
    await missing.focus();
    await expect.poll(() => tooltip.textContent()).toBe('Not available: this source does not provide this information.');
    const described = (mark: Locator) =>
      mark.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? null);
    expect(await described(none.first())).toBe('The EHR has no record of this for the patient.');
    expect(await described(missing)).toBe('Not available: this source does not provide this information.');
    await expectAccessible(page, 'a list with a long note and empty cells');
    await context.close();
  });

  it('shows the name and two more columns on a 390-pixel phone, the rest scrolling under the name, the page never sideways', async () => {
    const { team, api, list, page, signIn, close } = await teamWithList(1, 1, 'Phone', 4, 390, 844);
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: ['name', 'heartRate', 'bloodPressure', 'conditions', 'medications'] });
    // A list of the team with a long name: the picker is cut to the screen, not the page widened to it.
    await api('POST', `/teams/${team.id}/lists`, { name: `Cardiology step-down unit, north wing, ${'beds 1 to 24 and overflow '.repeat(4)}`.trim() });
    await api('PUT', `/teams/${team.id}/me/default-list`, { listId: list.id });
    await signIn();
    const table = page.getByRole('table', { name: 'Phone' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(5);
    await table.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = (await scroller(table).boundingBox())!;
    // Name, heart rate and blood pressure of every row are whole inside the table's box.
    for (let row = 0; row <= 4; row++) {
      const cells = table.getByRole('row').nth(row).locator('th, td');
      for (let column = 0; column < 3; column++) {
        const cell = (await cells.nth(column).boundingBox())!;
        expect(cell.x, `row ${row} column ${column}`).toBeGreaterThanOrEqual(box.x);
        expect(cell.x + cell.width, `row ${row} column ${column}`).toBeLessThanOrEqual(box.x + box.width + 0.5);
      }
    }
    // The rest scrolls under the frozen name; the page still does not.
    await scroller(table).evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect.poll(() => scroller(table).evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    const name = (await table.getByRole('row').nth(1).locator('td').first().boundingBox())!;
    expect(Math.abs(name.x - box.x)).toBeLessThanOrEqual(1.5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await close();
  });
  it("opens a patient's details on a 390-pixel phone without clipping: the panel and all it holds fit the screen", async () => {
    const { patients, list, page, signIn, close } = await teamWithList(1, 0, 'Phone details', 1, 390, 844);
    await signIn();
    // The team has the earlier test's list too: open this one.
    await page.getByLabel('List', { exact: true }).selectOption(list.id);
    const table = page.getByRole('table', { name: 'Phone details' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(2);
    await table.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    const panel = page.getByRole('dialog');
    await expect.poll(() => panel.getByRole('heading', { name: 'Vital signs' }).isVisible(), { timeout: 20_000 }).toBe(true);
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390.5);
    // Nothing inside sticks out past the screen's right edge, except inside a box that scrolls sideways itself.
    const clipped = await panel.evaluate((root) => {
      const scrollsSideways = (el: Element | null): boolean => {
        for (let e = el; e && e !== root; e = e.parentElement) {
          const style = getComputedStyle(e);
          if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && e.scrollWidth > e.clientWidth) return true;
        }
        return false;
      };
      return [...root.querySelectorAll('*')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.right > window.innerWidth + 1 && !scrollsSideways(el.parentElement);
        })
        .map((el) => `${el.tagName.toLowerCase()} ${(el.textContent ?? '').slice(0, 40)}`);
    });
    expect(clipped).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await close();
  });

  it('keeps every word inside its cell at 320 pixels (1280 at 400% zoom): the list’s "None recorded" and the details’ vital signs', async () => {
    const { team, api, list, patients, page, signIn, close } = await teamWithList(0, 0, 'Reflow', 5, 320, 800);
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns: ['name', 'allergies', 'heartRate', 'bloodPressure', 'respiratoryRate'] });
    await signIn();
    await page.getByLabel('List', { exact: true }).selectOption(list.id);
    const table = page.getByRole('table', { name: 'Reflow' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(6);
    expect(await table.locator('[data-cell-status="none"]').count(), 'a patient without allergies').toBeGreaterThan(0);
    expect(await spillingCells(table)).toEqual([]);

    await table.getByRole('button', { name: patients[0].displayName, exact: true }).click();
    const vitals = page.getByRole('dialog').getByRole('table', { name: 'Vital signs' });
    await expect.poll(() => vitals.getByRole('row').count(), { timeout: 20_000 }).toBeGreaterThan(3);
    expect(await vitals.locator('.fui-Badge').count(), 'readings marked old or flagged').toBeGreaterThan(0);
    expect(await spillingCells(vitals)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await close();
  });

  it('keeps a removal’s notice and its Undo on a 320-pixel screen when the list’s name is one long word', async () => {
    const name = 'Cardiology_step_down_unit_north_wing_beds_1_to_24_and_overflow_beds_in_the_east_corridor';
    const { list, patients, page, signIn, close } = await teamWithList(0, 1, name, 2, 320, 800);
    await signIn();
    await page.getByLabel('List', { exact: true }).selectOption(list.id);
    const table = page.getByRole('table', { name });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(3);
    await table.getByRole('button', { name: `Remove ${patients[0].displayName} from ${name}` }).click();
    const undo = page.getByRole('button', { name: `Undo: put ${patients[0].displayName} back on ${name}` });
    await expect.poll(() => undo.isVisible(), { timeout: 10_000 }).toBe(true);
    // Undo and the whole notice are on the screen, the notice's words inside it.
    const button = (await undo.boundingBox())!;
    expect(button.x + button.width).toBeLessThanOrEqual(320);
    const notice = page.locator('.fui-MessageBar').filter({ hasText: `Removed ${patients[0].displayName} from` });
    const [box, words] = await notice.evaluate((el) => [el.getBoundingClientRect().right, el.scrollWidth - el.clientWidth]);
    expect(box).toBeLessThanOrEqual(320);
    expect(words).toBe(0);
    await close();
  });
});
