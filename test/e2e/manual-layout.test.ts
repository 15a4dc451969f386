import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { apiAs, expectAccessible, signIn, useE2e } from '../helpers/e2e';

const e2e = useE2e();

/** Eight team fields, one of each type, labelled in the language of the team that uses them. */
const labels = {
  en: ['Diagnosis', 'Medical history', 'Weight', 'Admission date', 'Last seen', 'Status', 'Isolation', 'Assigned nurse'],
  ru: ['Диагноз', 'Анамнез заболевания', 'Масса тела', 'Дата поступления', 'Последний осмотр', 'Состояние', 'Изоляция', 'Ответственная медсестра'],
};
const schemaOf = (l: string[]) => [
  { id: 'diagnosis', label: l[0], type: 'text', required: true },
  { id: 'history', label: l[1], type: 'longText' },
  { id: 'weight', label: l[2], type: 'number', unit: 'kg', min: 0.5, max: 400 },
  { id: 'admitted', label: l[3], type: 'date', required: true },
  { id: 'seen', label: l[4], type: 'dateTime' },
  { id: 'status', label: l[5], type: 'choice', choices: ['Stable', 'Watch', 'Critical'], colours: { Watch: 'orange', Critical: 'red' } },
  { id: 'isolation', label: l[6], type: 'yesNo' },
  { id: 'nurse', label: l[7], type: 'person' },
];

/** A Manual-mode team with the eight fields and ten patients whose long names and values fill the columns. */
async function manualTeam(tenant: number, team: number, language: 'en' | 'ru') {
  const tn = e2e.info.tenants[tenant];
  const tm = tn.teams[team];
  const owner = e2e.info.users.find((u) => u.id === tm.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  await api('PUT', `/teams/${tm.id}/connection`, { mode: 'manual' });
  await api('PUT', `/teams/${tm.id}/schema`, { fields: schemaOf(labels[language]) });
  // Eleven patients: ten stay, one is discharged for the discharged view.
  let last: { id: string; version: number } | undefined;
  for (let i = 0; i < 11; i++) {
    last = await api('POST', `/teams/${tm.id}/manual-patients`, {
      name: `${language === 'ru' ? 'Александра Константинопольская' : 'Maximiliana Featherstonehaugh'} ${i + 1}`,
      mrn: `MRN-${1000 + i}`,
      birthDate: '1950-03-14',
      gender: i % 2 ? 'male' : 'female',
      room: `${i + 1}B`,
      values: {
        diagnosis: 'Community-acquired pneumonia with sepsis',
        history: 'Type 2 diabetes, hypertension, chronic kidney disease stage 3',
        weight: 70 + i,
        admitted: '2026-11-20',
        seen: '2026-11-23T14:30:00+01:00',
        status: ['Stable', 'Watch', 'Critical'][i % 3],
        isolation: i % 2 === 0,
        nurse: { id: owner.id },
      },
    });
  }
  await api('POST', `/teams/${tm.id}/manual-patients/${last!.id}/discharge`, { version: last!.version });
  return { tn, tm, owner };
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/** Every shown element of the patients card that reaches past the card or the window (the table's own scrolling box aside). */
const outside = (page: Page, cardId: string) =>
  page.evaluate((id) => {
    const card = document.getElementById(id)!;
    const c = card.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    for (const el of card.querySelectorAll<HTMLElement>('*')) {
      // Cells scroll inside the table's box, which is itself checked.
      if (el.closest('[data-manual-scroller]') && !el.hasAttribute('data-manual-scroller')) continue;
      // Fluent's focus manager keeps 1-pixel focus sentinels at the page's edge, never seen.
      if (el.hasAttribute('data-tabster-dummy')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < c.left - 1 || r.right > c.right + 1 || r.right > width + 1) {
        found.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 30)}" ${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(c.left)}–${Math.round(c.right)}`,
        );
      }
    }
    return found;
  }, cardId);

/** The deepest shown elements of the workspace (the tab below its header bar) that reach past the window's right edge. */
const pastWindow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // What scrolls or is clipped inside a box of its own is judged by that box.
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
      return false;
    };
    return [...document.querySelectorAll<HTMLElement>('main *')]
      .filter((el) => !clipped(el))
      .filter((el) => !el.hasAttribute('data-tabster-dummy') && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > width + 1)
      .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > width + 1))
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className.toString().slice(0, 40)} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(el.getBoundingClientRect().right)}`,
      );
  });

/** No two header cells of the table overlap, none is squeezed below its words, and every team field has one. */
async function expectRoomyHeaders(table: Locator, fieldLabels: string[]) {
  const headers = await table.locator('th').evaluateAll((ths) =>
    ths.map((th) => {
      const r = th.getBoundingClientRect();
      return { box: { x: r.x, y: r.y, width: r.width, height: r.height }, text: th.textContent ?? '', fits: th.scrollWidth <= th.clientWidth + 1 };
    }),
  );
  expect(headers.map((h) => h.text)).toEqual(expect.arrayContaining(fieldLabels));
  for (let i = 0; i < headers.length; i++) {
    expect(headers[i].fits, `${headers[i].text} fits its header`).toBe(true);
    for (let j = i + 1; j < headers.length; j++)
      expect(overlap(headers[i].box, headers[j].box), `${headers[i].text} / ${headers[j].text}`).toBeLessThanOrEqual(1);
  }
}

const cases = [
  { language: 'en' as const, width: 1366, height: 768, tenant: 0, team: 0 },
  { language: 'en' as const, width: 390, height: 844, tenant: 0, team: 1 },
  { language: 'ru' as const, width: 1366, height: 768, tenant: 1, team: 0 },
  { language: 'ru' as const, width: 390, height: 844, tenant: 1, team: 1 },
];

describe('Manual mode on a laptop and a phone', () => {
  it.each(cases)('fits the field editor and the patients table at $width pixels in $language', async ({ language, width, height, tenant, team }) => {
    const m = catalogs[language];
    const { tn, tm, owner } = await manualTeam(tenant, team, language);
    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width, height }, locale: language });
    const page = await context.newPage();
    await signIn(page, `${e2e.server.url}/?lang=${language}`, `${owner.name} (${tn.name})`, tm.name, m);
    const table = page.getByRole('table', { name: m['manual.title'] });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(11);
    await expect.poll(() => page.locator('[data-field-row]').count()).toBe(8);

    // Nothing of the patients card reaches past it or the window, and the page never scrolls sideways.
    const cardId = (await page.getByRole('button', { name: m['layout.hidePatients'] }).getAttribute('aria-controls'))!;
    expect(await outside(page, cardId), 'elements past the patients card').toEqual([]);
    expect(await pastWindow(page), 'elements past the window').toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // Side by side on a laptop, the lists card starts where the patients card ends.
    if (width === 1366) {
      const cards = await page.evaluate((id) => {
        const card = document.getElementById(id)!;
        return [card.getBoundingClientRect().right, (card.nextElementSibling as HTMLElement).getBoundingClientRect().left];
      }, cardId);
      expect(cards[0]).toBeLessThanOrEqual(cards[1]);
    }

    // Every header cell has its own room: no two overlap, and none is squeezed below its words.
    await expectRoomyHeaders(table, labels[language]);
    // The table scrolls in its own box with each patient's name kept at its left edge.
    const scroller = page.locator('[data-manual-scroller]');
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    const names = await scroller.evaluate((box) => {
      const left = box.getBoundingClientRect().left;
      return [...box.querySelectorAll('tr')].map((tr) => {
        const cell = tr.cells[0].getBoundingClientRect();
        const top = document.elementFromPoint(cell.left + 4, cell.top + cell.height / 2);
        return { offset: Math.round(cell.left - left), onTop: tr.cells[0].contains(top) || !top };
      });
    });
    for (const n of names) expect(n).toEqual({ offset: 0, onTop: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

    await expectAccessible(page, `Manual mode at ${width} pixels in ${language}`);

    // The patient form marks its required fields, seen and heard, and names the gender left empty in words.
    await page.getByRole('button', { name: m['manual.newPatient'] }).click();
    const dialog = page.getByRole('dialog');
    const diagnosis = dialog.getByLabel(labels[language][0]);
    // Told to screen readers: the input is required (its `required` attribute or aria-required).
    const isRequired = (el: HTMLInputElement) => el.required || el.getAttribute('aria-required') === 'true';
    expect(await diagnosis.evaluate(isRequired)).toBe(true);
    expect(await dialog.getByRole('textbox', { name: new RegExp(`^${m['column.name']}\\s*\\*?$`) }).evaluate(isRequired)).toBe(true);
    expect(await dialog.getByRole('textbox', { name: m['column.mrn'], exact: true }).evaluate(isRequired)).toBe(false);
    for (const label of [m['column.name'], labels[language][0], labels[language][3]]) {
      const mark = dialog.locator('label', { hasText: label }).first();
      expect(await mark.innerText(), `${label} is marked`).toMatch(/\*\s*$/);
    }
    expect(await dialog.getByLabel(m['column.gender']).locator('option').first().textContent()).toBe(m['manual.genderNotStated']);
    expect(m['manual.genderNotStated']).not.toBe(m['search.anyGender']);
    const dialogBox = (await dialog.boundingBox())!;
    expect(dialogBox.x).toBeGreaterThanOrEqual(0);
    expect(dialogBox.x + dialogBox.width).toBeLessThanOrEqual(width);

    // A save without the required fields is refused in the user's words, each field named as shown, under its input.
    await dialog.getByRole('textbox', { name: new RegExp(`^${m['column.name']}\\s*\\*?$`) }).fill('Test Patient');
    await dialog.getByLabel(labels[language][2]).fill('1000');
    await dialog.getByRole('button', { name: m['manual.savePatient'] }).click();
    const alerts = dialog.getByRole('alert');
    await expect.poll(() => alerts.count()).toBe(3);
    const text = (await alerts.allInnerTexts()).join('\n');
    const expected =
      language === 'ru'
        ? [
            'Диагноз: заполните это поле, оно обязательное.',
            'Дата поступления: заполните это поле, оно обязательное.',
            'Масса тела: введите число от 0,5 до 400.',
          ]
        : ['Diagnosis: fill this in; it is required.', 'Admission date: fill this in; it is required.', 'Weight: enter a number from 0.5 to 400.'];
    for (const sentence of expected) expect(text).toContain(sentence);
    expect(text).not.toMatch(/values\.|name:|Something went wrong|must not be empty/i);
    // Nothing was saved.
    await dialog.getByRole('button', { name: m['lists.cancel'] }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await table.getByRole('row').count()).toBe(11);

    // The discharged view's table fits the same way.
    await page.getByRole('tab', { name: m['manualDetails.discharged'] }).click();
    const discharged = page.getByRole('table', { name: m['manualDetails.discharged'] });
    await expect.poll(() => discharged.getByRole('row').count(), { timeout: 15_000 }).toBe(2);
    await expectRoomyHeaders(discharged, labels[language]);
    expect(await outside(page, cardId), 'elements past the patients card').toEqual([]);
    expect(await pastWindow(page), 'elements past the window').toEqual([]);

    // A field added without a name is refused before it is sent, in the user's words.
    await page.getByRole('button', { name: m['manual.addField'] }).click();
    await page.getByRole('button', { name: m['manual.saveSchema'] }).click();
    const schemaAlert = page.getByRole('region', { name: m['manual.schema'] }).getByRole('alert');
    await expect.poll(() => schemaAlert.isVisible()).toBe(true);
    expect(await schemaAlert.innerText()).toBe(language === 'ru' ? 'Поле 9: дайте полю название.' : 'Field 9: give it a name.');
    expect(await outside(page, cardId), 'elements past the patients card').toEqual([]);
    await context.close();
  });
});
