import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../server/start';
import { downloadedCsvLines, expectAccessible, signIn, startE2e, visible } from '../helpers/e2e';

let server: RunningServer;
let browser: Browser;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ server, browser, stop } = await startE2e());
});
afterAll(() => stop?.());

const open = async () => (await browser.newContext({ reducedMotion: 'reduce' })).newPage();

it('runs a team in Manual mode: its own fields, hand-entered patients, on a list', async () => {
  const page: Page = await open();
  await signIn(page, server.url, 'Dana Petrova (Fabrikam Medical Center)', 'ICU Team');
  await page.getByRole('radio', { name: /Manual mode/ }).check();
  await page.getByRole('button', { name: 'Use Manual mode' }).click();
  await page.getByRole('button', { name: 'Close settings' }).click();

  await expect.poll(() => page.getByRole('heading', { name: 'Patient fields' }).isVisible(), { timeout: 15_000 }).toBe(true);
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.getByLabel('Field name').fill('Acuity');
  await page.getByLabel('Type').selectOption({ label: 'Choice' });
  await page.getByLabel('Choices (comma-separated)').fill('Low, High');
  await page.getByRole('button', { name: 'Save fields' }).click();
  await expect.poll(() => visible(page, 'Fields saved.')).toBe(true);
  await expectAccessible(page, 'manual mode');

  await page.getByRole('button', { name: 'New patient' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Иван Петров');
  await dialog.getByLabel('Room').fill('ICU-3');
  await dialog.getByLabel('Acuity').selectOption('High');
  await expectAccessible(page, 'new patient form');
  await dialog.getByRole('button', { name: 'Save patient' }).click();
  const table = page.getByRole('table', { name: 'Patients of this team' });
  await expect.poll(() => table.getByRole('cell', { name: 'Иван Петров', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await table.getByRole('cell', { name: 'High', exact: true }).isVisible()).toBe(true);

  await page.getByRole('button', { name: 'New list' }).click();
  await page.getByLabel('List name').fill('Bay');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('checkbox', { name: 'Select Иван Петров' }).check();
  await page.getByRole('button', { name: 'Add 1 selected to Bay' }).click();
  await expect
    .poll(() => page.getByRole('table', { name: 'Bay' }).getByRole('button', { name: 'Иван Петров', exact: true }).isVisible(), { timeout: 15_000 })
    .toBe(true);
});

it('shows the audit trail to an audit reader, and not to others', async () => {
  const reader = await open();
  await signIn(reader, server.url, 'Finley Haddad (Fabrikam Medical Center)', 'ICU Team');
  await expect.poll(() => reader.getByRole('button', { name: 'Audit trail' }).isVisible(), { timeout: 15_000 }).toBe(true);
  await reader.getByRole('button', { name: 'Audit trail' }).click();
  const audit = reader.getByRole('table', { name: 'Audit trail' });
  await expect.poll(() => audit.getByRole('cell', { name: 'PatientSchemaCreate' }).first().isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await audit.getByRole('cell', { name: 'EHRConnectionSet' }).first().isVisible()).toBe(true);
  await expectAccessible(reader, 'audit trail');
  await reader.getByLabel('Operation').selectOption('PatientListCreate');
  await expect.poll(async () => (await audit.getByRole('row').count()) - 1).toBe(1);
  // The CSV comes through a link the app opens (a blob cannot be saved in Teams), with the filters shown.
  const lines = await downloadedCsvLines(reader, 'Download CSV');
  expect(lines[0]).toBe('time,operation,outcome,status,tenantId,teamId,userId,patientId,listId,requestId');
  expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['PatientListCreate']);
  // A team's records by its id (another team's id: none of them), typed key by key: the trail is
  // asked for once the typing pauses, not at each of the 36 keystrokes.
  const reads: string[] = [];
  reader.on('request', (r) => new URL(r.url()).pathname === '/api/audit' && reads.push(new URL(r.url()).search));
  await reader.getByLabel('Team', { exact: true }).pressSequentially('00000000-0000-4000-8000-000000000000', { delay: 20 });
  await expect.poll(() => visible(reader, 'No audit records match.'), { timeout: 15_000 }).toBe(true);
  expect(reads.length).toBeLessThanOrEqual(2);
  expect(reads.at(-1)).toContain('team=00000000-0000-4000-8000-000000000000');

  const clinician = await open();
  await signIn(clinician, server.url, 'Emery Zhang (Fabrikam Medical Center)', 'ICU Team');
  await expect.poll(() => visible(clinician, 'Patients of this team'), { timeout: 15_000 }).toBe(true);
  expect(await clinician.getByRole('button', { name: 'Audit trail' }).count()).toBe(0);
});

it('keeps a list of 500 patients light: only the rows in view are rendered, and scrolling reaches the last', async () => {
  const info = await (await fetch(`${server.url}/dev/info`)).json();
  const team = info.tenants[1].teams[1];
  const ownerId = team.owners[0];
  const { access_token } = await (
    await fetch(`${server.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: ownerId }),
    })
  ).json();
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api/teams/${team.id}${path}`, {
      method,
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json());
  await api('PUT', '/connection', { mode: 'manual' });
  const ids: string[] = [];
  for (let i = 0; i < 500; i++)
    ids.push((await api('POST', '/manual-patients', { name: `Patient ${String(i + 1).padStart(3, '0')}`, room: `R${i}` })).id);
  const list = await api('POST', '/lists', { name: 'Ward 500' });
  await api('POST', `/lists/${list.id}/patients`, { patientIds: ids });

  const page = await open();
  const owner = info.users.find((u: { id: string }) => u.id === ownerId);
  await signIn(page, server.url, `${owner.name} (${info.tenants[1].name})`, team.name);
  const table = page.getByRole('table', { name: 'Ward 500' });
  await expect.poll(() => table.getByRole('button', { name: 'Patient 001', exact: true }).isVisible(), { timeout: 20_000 }).toBe(true);
  expect(await table.locator('tbody tr[data-index]').count()).toBeLessThan(80);
  await table.locator('xpath=ancestor::div[1]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(() => table.getByRole('button', { name: 'Patient 500', exact: true }).isVisible()).toBe(true);
  expect(await table.locator('tbody tr[data-index]').count()).toBeLessThan(80);
});
