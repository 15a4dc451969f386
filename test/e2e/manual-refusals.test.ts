import { expect, it } from 'vitest';
import { catalogs } from '../../client/shared/i18n/catalogs';
import { apiAs, signIn, useE2e } from '../helpers/e2e';

const e2e = useE2e();

// A refusal only the server can make (the field's range was narrowed by a colleague while the form
// was open) reads in the user's language, from the codes the server gives, not in its English.
it('says a value the server refuses in the user’s language, with the range the server holds now', async () => {
  const tn = e2e.info.tenants[1];
  const tm = tn.teams[0];
  const owner = e2e.info.users.find((u) => u.id === tm.owners[0])!;
  const api = await apiAs(e2e.server.url, owner.id);
  const base = `/teams/${tm.id}`;
  await api('PUT', `${base}/connection`, { mode: 'manual' });
  const saved = await api('PUT', `${base}/schema`, { fields: [{ id: 'weight', label: 'Вес', type: 'number', unit: 'кг', min: 1, max: 300 }] });

  const m = catalogs.ru;
  const page = await (await e2e.browser.newContext({ reducedMotion: 'reduce', locale: 'ru-RU' })).newPage();
  await signIn(page, `${e2e.server.url}/?lang=ru`, `${owner.name} (${tn.name})`, tm.name, m);
  await expect.poll(() => page.getByRole('button', { name: m['manual.newPatient'] }).isVisible(), { timeout: 30_000 }).toBe(true);
  await page.getByRole('button', { name: m['manual.newPatient'] }).click();
  const form = page.getByRole('dialog', { name: m['manual.newPatient'] });
  await form.getByLabel(m['column.name']).fill('Анна Петрова');
  await form.getByLabel('Вес', { exact: true }).fill('250');

  // Meanwhile a colleague narrows the range; the form still holds the old one, so only the server refuses.
  await api('PUT', `${base}/schema`, {
    version: saved.version,
    fields: [{ id: 'weight', label: 'Вес', type: 'number', unit: 'кг', min: 1, max: 200 }],
  });
  const answer = page.waitForResponse((r) => r.url().endsWith('/manual-patients') && r.request().method() === 'POST');
  await form.getByRole('button', { name: m['manual.savePatient'] }).click();
  expect((await answer).status()).toBe(400);
  await expect.poll(() => form.getByText('Вес: введите число от 1 до 200.', { exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await form.getByText(/enter a number/).count()).toBe(0);
  expect((await api('GET', `${base}/manual-patients`)).patients).toEqual([]);
});
