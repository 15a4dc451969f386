import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { MessageKey } from '../../client/shared/i18n/en';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { formatMessage, type Language } from '../../client/shared/i18n/t';
import { apiAs, expectAccessible, signIn, useE2e } from '../helpers/e2e';
import type { Json as JsonValue } from '../helpers/json';

const e2e = useE2e();

type Messages = Record<MessageKey, string>;
type Json = Record<string, JsonValue>;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A catalog text with its placeholders filled in. */
const fill = (text: string, params: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);
/** A catalog text as a pattern: its placeholders match any text, a plural block ("{count, plural, one {# patient} …}") any of its forms. */
const pattern = (text: string) =>
  text
    .split(/(\{\w+, plural,(?:\s*[=\w]+\s*\{[^{}]*\})+\s*\})/)
    .map((part, i) =>
      i % 2
        ? `(?:${[...part.matchAll(/[=\w]+\s*\{([^{}]*)\}/g)].map((m) => escape(m[1]).replace(/#/g, '.+')).join('|')})`
        : escape(part).replace(/\\\{\w+\\\}/g, '.+'),
    )
    .join('');

/**
 * The English texts the language says otherwise, to find on a screen that should not show them:
 * a whole text (a line, a label) for one-word ones, anywhere in a text for longer ones.
 */
function englishLeaks(language: Language) {
  const own = catalogs[language] as Record<string, string>;
  return Object.entries(catalogs.en)
    .filter(([key, text]) => own[key] !== text && /[A-Za-z]{2}/.test(text.replace(/\{\w+\}/g, '')))
    .map(([key, text]) => ({ key, re: new RegExp(/[A-Za-z]+ [A-Za-z]+/.test(text.replace(/\{\w+\}/g, '')) ? pattern(text) : `^${pattern(text)}$`) }));
}

/** Everything a user sees or hears on the page: its text line by line, and the labels and titles of its elements. */
async function shownTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts = document.body.innerText.split('\n');
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], title')) {
      texts.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '', el.getAttribute('placeholder') ?? '');
      if (el.tagName.toLowerCase() === 'title') texts.push(el.textContent ?? '');
    }
    return texts.map((text) => text.trim()).filter(Boolean);
  });
}

async function expectNoEnglish(page: Page, language: Language, screen: string) {
  if (language === 'en') return;
  const leaks = englishLeaks(language);
  const found = (await shownTexts(page)).flatMap((text) => leaks.filter((leak) => leak.re.test(text)).map((leak) => `${leak.key}: "${text}"`));
  expect(found, `English on ${screen} in ${language}`).toEqual([]);
}

const visible = (locator: Locator, timeout = 15_000) => expect.poll(() => locator.first().isVisible(), { timeout }).toBe(true);

/** A date without time, a point in time, a reading's time and a number, as Intl writes them in the language (the page runs in UTC). */
const formats = (language: Language) => ({
  day: (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString(language, { dateStyle: 'medium', timeZone: 'UTC' }),
  date: (epochMs: number) => new Date(epochMs).toLocaleDateString(language, { dateStyle: 'medium', timeZone: 'UTC' }),
  dateTime: (time: string) => new Date(time).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }),
  reading: (epochMs: number) =>
    new Date(epochMs).toLocaleString(language, {
      day: 'numeric',
      month: 'short',
      // "08:00" in a 24-hour locale, "8:00 AM" in a 12-hour one.
      hour: /h2[34]/.test(new Intl.DateTimeFormat(language, { hour: 'numeric' }).resolvedOptions().hourCycle ?? '') ? '2-digit' : 'numeric',
      minute: '2-digit',
      timeZone: 'UTC',
      ...(new Date(epochMs).getUTCFullYear() !== new Date().getUTCFullYear() ? { year: 'numeric' } : {}),
    }),
  number: (value: number) => value.toLocaleString(language),
});

const clinicalColumns = [
  'name',
  'birthDate',
  'location',
  'admissionDate',
  'heartRate',
  'temperature',
  'conditions',
  'allergies',
  'medications',
  'coverage',
];

// One team per language, its owner signed in; the tenant's audit reader (a member of its first team) reads the trail.
const cases: { language: Language; tenant: number; team: number; reader: string }[] = [
  { language: 'en', tenant: 0, team: 0, reader: 'Casey Lindqvist' },
  { language: 'zh-CN', tenant: 0, team: 1, reader: 'Casey Lindqvist' },
  { language: 'zh-TW', tenant: 1, team: 0, reader: 'Finley Haddad' },
  { language: 'ru', tenant: 1, team: 1, reader: 'Finley Haddad' },
];

it.each(cases)('shows every screen in $language', async ({ language, tenant, team: teamIndex, reader }) => {
  const m: Messages = catalogs[language];
  const f = formats(language);
  const tn = e2e.info.tenants[tenant];
  const team = tn.teams[teamIndex];
  const owner = e2e.info.users.find((u) => u.id === team.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  const context = await e2e.browser.newContext({ reducedMotion: 'reduce', locale: language, timezoneId: 'UTC' });
  const page = await context.newPage();

  // Dev sign-in.
  await signIn(page, `${e2e.server.url}/?lang=${language}`, `${owner.name} (${tn.name})`, team.name, m);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);

  // First run: connect to the sandbox.
  await visible(page.getByRole('heading', { name: m['setup.title'] }));
  expect(
    await page.getByRole('radio', { name: fill(m['setup.option'], { mode: m['setup.ehrMode'], hint: m['setup.ehrModeHint'] }) }).isChecked(),
  ).toBe(true);
  expect(await page.getByText(fill(m['setup.sandboxLabel'], { links: m['setup.sandbox'] }), { exact: true }).isVisible()).toBe(true);
  await expectAccessible(page, `first run in ${language}`);
  await expectNoEnglish(page, language, 'first run');
  const sandboxName = m['setup.sandboxLink'].replace('{version}', 'R4');
  await page.getByRole('button', { name: sandboxName }).click();
  await page.getByRole('button', { name: m['setup.connect'], exact: true }).click();
  await visible(page.getByText(m['setup.connected'].replace('{name}', sandboxName)));
  await expectNoEnglish(page, language, 'connection');

  // A list of three patients with clinical columns, arranged before the workspace first loads it.
  const { patients } = await api('GET', `/teams/${team.id}/patients?gender=female&count=20`);
  const rounds = await api('POST', `/teams/${team.id}/lists`, { name: 'Rounds' });
  await api('POST', `/teams/${team.id}/lists/${rounds.id}/patients`, { patientIds: patients.slice(0, 3).map((p: Json) => p.id) });
  await api('PATCH', `/teams/${team.id}/lists/${rounds.id}`, { columns: clinicalColumns });
  const listView = await api('GET', `/teams/${team.id}/lists/${rounds.id}`);
  await page.getByRole('button', { name: m['setup.close'] }).click();

  // Search: the hint, results with birth dates for the language, and nothing found.
  await visible(page.getByRole('heading', { name: m['search.title'] }));
  expect(await page.getByText(m['search.hint']).isVisible()).toBe(true);
  await page.getByLabel(m['search.gender'], { exact: true }).selectOption({ label: m['gender.female'] });
  const results = page.getByRole('table', { name: m['search.title'] });
  const first = patients[0] as Json;
  await visible(results.getByRole('row', { name: new RegExp(escape(first.displayName)) }));
  expect(await results.getByRole('row', { name: new RegExp(escape(first.displayName)) }).innerText()).toContain(f.day(first.birthDate));
  expect(await results.getByRole('cell', { name: m['gender.female'], exact: true }).first().isVisible()).toBe(true);
  await expectAccessible(page, `search in ${language}`);
  await expectNoEnglish(page, language, 'search results');
  await page.getByLabel(m['search.name'], { exact: true }).fill('qxzqxz');
  await visible(page.getByRole('status').filter({ hasText: m['search.empty'] }));

  // A new list, refused without a name, then created empty.
  await page.getByRole('button', { name: m['lists.new'] }).click();
  const newList = page.getByRole('dialog', { name: m['lists.newTitle'] });
  await newList.getByRole('button', { name: m['lists.create'] }).click();
  await visible(newList.getByText(m['lists.nameRequired']));
  await expectNoEnglish(page, language, 'new list dialog');
  await newList.getByLabel(m['lists.newName']).fill('Handoff');
  await newList.getByRole('button', { name: m['lists.create'] }).click();
  await visible(page.getByText(m['lists.empty']));

  // The list with clinical columns, cells for the language.
  await page
    .getByRole('combobox', { name: m['lists.pick'], exact: true })
    .selectOption({ label: m['lists.count'].replace('{name}', 'Rounds').replace('{count}', '3') });
  const table = page.getByRole('table', { name: 'Rounds' });
  await visible(table.getByRole('row').nth(3));
  const headers = (await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  expect(headers).toEqual([...clinicalColumns.map((c) => m[`column.${c}` as MessageKey]), m['column.actions']]);
  const row = (listView.rows as Json[]).find((r) => r.cells.temperature?.status === 'ok' && r.cells.admissionDate?.status === 'ok')!;
  const cells = table.getByRole('row', { name: new RegExp(escape(row.displayName)) }).getByRole('cell');
  const cellOf = (column: string) => cells.nth(clinicalColumns.indexOf(column)).innerText();
  const temperature = row.cells.temperature.value;
  // The value first and the reading's time last; between them any flag and the stale mark (the sandbox's readings are days old).
  const shown = (await cellOf('temperature')).split('\n');
  expect(shown[0]).toBe(`${f.number(temperature.value.value)} ${m['unit.celsius']}`);
  expect(shown.at(-1)).toBe(f.reading(temperature.time.epochMs));
  expect(shown).toContain(m['vital.stale']);
  expect(await cellOf('admissionDate')).toBe(f.date(row.cells.admissionDate.value.epochMs));
  expect(await cellOf('birthDate')).toContain(f.day(row.birthDate));
  const location = row.cells.location.value;
  if (location.room && location.bed)
    expect(await cellOf('location')).toContain(m['location.roomBed'].replace('{room}', location.room).replace('{bed}', location.bed));
  for (const action of ['lists.rename', 'lists.delete', 'lists.makeDefault', 'lists.export', 'columns.edit'] as const) {
    expect(await page.getByRole('button', { name: m[action], exact: true }).isVisible(), action).toBe(true);
  }
  const removeRow = table.getByRole('button', { name: fill(m['lists.removeLabel'], { name: row.displayName, list: 'Rounds' }) });
  expect((await removeRow.innerText()).trim()).toBe(m['lists.remove']);
  await expectNoEnglish(page, language, 'list view');
  await table.getByRole('button', { name: m['lists.moveLabel'].replace('{name}', row.displayName) }).click();
  await visible(page.getByRole('menuitem', { name: m['lists.moveTo'].replace('{list}', 'Handoff') }));
  await expectNoEnglish(page, language, 'move menu');
  await page.keyboard.press('Escape');
  await page.getByLabel(m['lists.filter'], { exact: true }).fill('qxzqxz');
  await visible(page.getByRole('status').filter({ hasText: m['lists.noMatch'] }));
  await page.getByLabel(m['lists.filter'], { exact: true }).fill('');

  // The columns, rename and delete dialogs, each left with Cancel.
  await page.getByRole('button', { name: m['columns.edit'], exact: true }).click();
  const columns = page.getByRole('dialog', { name: m['columns.title'].replace('{list}', 'Rounds') });
  await visible(columns);
  expect(await columns.getByRole('checkbox', { name: m['column.careProvider'] }).isVisible()).toBe(true);
  expect(await columns.getByRole('button', { name: m['columns.save'] }).isVisible()).toBe(true);
  await expectNoEnglish(page, language, 'columns dialog');
  await columns.getByRole('button', { name: m['lists.cancel'] }).click();
  await page.getByRole('button', { name: m['lists.rename'], exact: true }).click();
  const rename = page.getByRole('dialog', { name: m['lists.renameTitle'].replace('{list}', 'Rounds') });
  await rename.getByLabel(m['lists.newName']).fill('');
  await visible(rename.getByText(m['lists.nameRequired']));
  await expectNoEnglish(page, language, 'rename dialog');
  await rename.getByRole('button', { name: m['lists.cancel'] }).click();
  await page.getByRole('button', { name: m['lists.delete'], exact: true }).click();
  const remove = page.getByRole('dialog', { name: m['lists.deleteTitle'].replace('{list}', 'Rounds') });
  await visible(remove.getByText(formatMessage(m['lists.deleteBody'], { count: 3 }, language)));
  expect(await remove.getByRole('button', { name: m['lists.deleteConfirm'] }).isVisible()).toBe(true);
  await expectNoEnglish(page, language, 'delete dialog');
  await remove.getByRole('button', { name: m['lists.cancel'] }).click();

  // The patient's details: every section, vital trends, a note with its time.
  await table.getByRole('button', { name: row.displayName, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: row.displayName });
  await visible(drawer.getByRole('heading', { name: m['details.vitals'], level: 3 }));
  for (const heading of [
    'details.conditions',
    'details.allergies',
    'details.medications',
    'details.encounters',
    'details.coverage',
    'details.careProvider',
    'details.notes',
  ] as const) {
    expect(await drawer.getByRole('heading', { name: m[heading], level: 3 }).isVisible(), heading).toBe(true);
  }
  expect(await drawer.getByText(f.day(row.birthDate), { exact: false }).first().isVisible()).toBe(true);
  const vitals = drawer.getByRole('table', { name: m['details.vitals'] });
  expect((await vitals.getByRole('columnheader').allInnerTexts()).map((h) => h.trim())).toEqual([
    m['details.vital'],
    m['details.latest'],
    m['details.taken'],
  ]);
  // The heart rate's trend chart, named, with its span tabs, in the language.
  const heartTrend = drawer.getByRole('region', { name: m['details.trend'].replace('{kind}', m['column.heartRate']), exact: true });
  await visible(heartTrend.locator('svg circle[role="img"]'));
  expect(await heartTrend.locator('svg[role="region"]').getAttribute('aria-label')).toBe(
    fill(m['trend.chartLabel'], { kind: m['column.heartRate'], unit: m['unit.perMinute'] }),
  );
  expect(await heartTrend.getByRole('tab', { name: m['trend.range.all'] }).getAttribute('aria-selected')).toBe('true');
  expect(await drawer.getByText(m['details.noNotes']).isVisible()).toBe(true);
  await drawer.getByLabel(m['details.newNote']).fill('Family meeting at 15:00');
  await drawer.getByRole('button', { name: m['details.addNote'] }).click();
  await visible(drawer.getByText('Family meeting at 15:00'));
  const [note] = (await api('GET', `/teams/${team.id}/patients/${row.patientId}/notes`)).notes as Json[];
  await visible(drawer.getByText(m['details.noteBy'].replace('{author}', owner.name).replace('{time}', f.dateTime(note.createdAt))));
  await expectNoEnglish(page, language, 'patient details');
  await drawer.getByRole('button', { name: m['details.close'] }).click();

  // Connection settings: a link refused, then Manual mode.
  await page.getByRole('button', { name: m['setup.change'] }).click();
  await page.getByRole('textbox', { name: m['setup.link'] }).fill('not a link');
  await page.getByRole('button', { name: m['setup.connect'], exact: true }).click();
  const refused = page.getByRole('alert').filter({ hasText: m['setup.failed'] });
  await visible(refused);
  if (language !== 'en') expect(await refused.innerText()).toContain(m['error.invalid']);
  await expectNoEnglish(page, language, 'refused link');
  await page.getByRole('radio', { name: new RegExp(escape(m['setup.manualMode'])) }).check();
  await page.getByRole('button', { name: m['setup.useManual'] }).click();
  // The list holds EHR patients: the change says so, in the language, and is confirmed.
  const change = page.getByRole('alertdialog', { name: m['setup.changeTitle'] });
  await visible(change);
  await expectNoEnglish(page, language, 'change of mode');
  await change.getByRole('button', { name: m['setup.changeConfirm'], exact: true }).click();
  await visible(page.getByText(m['setup.manualSaved']));
  await page.getByRole('button', { name: m['setup.close'] }).click();

  // Manual mode: the schema editor and a patient entered by hand.
  await visible(page.getByRole('heading', { name: m['manual.schema'] }));
  await visible(page.getByRole('status').filter({ hasText: m['manual.none'] }));
  await page.getByRole('button', { name: m['manual.addField'] }).click();
  await page.getByLabel(m['manual.fieldLabel']).fill('Score');
  await page.getByLabel(m['manual.fieldType']).selectOption({ label: m['manual.type.number'] });
  await page.getByRole('button', { name: m['manual.saveSchema'] }).click();
  await visible(page.getByText(m['manual.schemaSaved']));
  await expectNoEnglish(page, language, 'schema editor');
  await page.getByRole('button', { name: m['manual.newPatient'] }).click();
  const form = page.getByRole('dialog', { name: m['manual.newPatient'] });
  // Required: the label carries an asterisk.
  await form.getByRole('textbox', { name: new RegExp(`^${escape(m['column.name'])}\\s*\\*?$`) }).fill('Ivan Petrov');
  await form.getByLabel(m['search.birthDate'], { exact: true }).fill('1980-03-15');
  await form.getByLabel(m['column.gender'], { exact: true }).selectOption({ label: m['gender.male'] });
  await form.getByLabel('Score', { exact: true }).fill('1234.5');
  await expectNoEnglish(page, language, 'patient form');
  await form.getByRole('button', { name: m['manual.savePatient'] }).click();
  const manual = page.getByRole('table', { name: m['manual.title'] });
  const handEntered = manual.getByRole('row', { name: /Ivan Petrov/ });
  await visible(handEntered);
  const handEnteredText = await handEntered.innerText();
  expect(handEnteredText).toContain(f.day('1980-03-15'));
  expect(handEnteredText).toContain(f.number(1234.5));
  expect(handEnteredText).toContain(m['gender.male']);
  await expectNoEnglish(page, language, 'manual patients');

  // The audit trail, as the tenant's audit reader.
  await page.getByRole('button', { name: m['signin.switch'] }).click();
  const auditor = e2e.info.users.find((u) => u.name === reader)!;
  await signIn(page, `${e2e.server.url}/?lang=${language}`, `${reader} (${tn.name})`, tn.teams[0].name, m);
  await page.getByRole('button', { name: m['audit.open'] }).click();
  const audit = page.getByRole('table', { name: m['audit.title'] });
  await visible(audit.getByRole('row').nth(1));
  expect((await audit.getByRole('columnheader').allInnerTexts()).map((h) => h.trim())).toEqual(
    (['audit.time', 'audit.operation', 'audit.outcome', 'audit.user', 'audit.patient', 'audit.team'] as const).map((k) => m[k]),
  );
  const { events } = await (await apiAs(e2e.server.url, auditor.id))('GET', '/audit');
  const shownTime = (await audit.getByRole('row').nth(1).getByRole('cell').first().innerText()).trim();
  expect((events as Json[]).map((e) => f.dateTime(e.time))).toContain(shownTime);
  expect(
    await audit
      .getByRole('cell', { name: `${m['audit.outcome.success']} (200)` })
      .first()
      .isVisible(),
  ).toBe(true);
  await expectNoEnglish(page, language, 'audit trail');
  await page.getByLabel(m['audit.patient'], { exact: true }).fill('no-such-patient');
  await visible(page.getByRole('status').filter({ hasText: m['audit.empty'] }));
  await context.close();
});
