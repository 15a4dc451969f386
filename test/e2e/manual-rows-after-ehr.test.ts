import { expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

// A Manual-mode team links an EHR: the warning says its hand-entered patients are taken off the
// lists, and the list then holds no one (never "Patient <id> (not available from the EHR)").
it('takes hand-entered patients off the lists once the team links an EHR, after saying so', async () => {
  const tenant = e2e.info.tenants[0];
  const team = tenant.teams[0];
  const ownerUser = e2e.info.users.find((u) => u.id === team.owners[0])!;
  const owner = await apiAs(e2e.server.url, ownerUser.id);
  const base = `/teams/${team.id}`;
  await owner('PUT', `${base}/connection`, { mode: 'manual' });
  const zoe = await owner('POST', `${base}/manual-patients`, { name: 'Zoe Hand', mrn: 'ZH-1' });
  const ward = await owner('POST', `${base}/lists`, { name: 'Ward' });
  await owner('POST', `${base}/lists/${ward.id}/patients`, { patientIds: [zoe.id] });

  const page = await (await e2e.browser.newContext({ reducedMotion: 'reduce' })).newPage();
  await signIn(page, e2e.server.url, `${ownerUser.name} (${tenant.name})`, team.name);
  const list = page.getByRole('table', { name: 'Ward' });
  await expect.poll(() => list.getByRole('button', { name: 'Zoe Hand', exact: true }).isVisible(), { timeout: 20_000 }).toBe(true);

  await page.getByRole('button', { name: 'Connection settings' }).click();
  await page.getByRole('radio', { name: /^EHR mode/ }).check();
  await page.getByRole('button', { name: 'Sandbox R4' }).click();
  await page.getByRole('button', { name: 'Connect' }).click();
  const warning = page.getByRole('alertdialog', { name: 'Change where patients come from?' });
  await expect.poll(() => warning.isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await warning.textContent()).toContain(
    '1 list holds 1 patient entered by hand. Linking the EHR takes them off the lists; the lists, their names and columns are kept.',
  );
  await warning.getByRole('button', { name: 'Change' }).click();
  await expect.poll(() => visible(page, 'Connected to Sandbox R4'), { timeout: 15_000 }).toBe(true);
  await page.getByRole('button', { name: 'Close settings' }).click();

  await expect.poll(() => visible(page, 'This list has no patients yet'), { timeout: 20_000 }).toBe(true);
  expect(await list.getByText(zoe.id).count()).toBe(0);
  expect(await visible(page, 'not available from the EHR')).toBe(false);
  await expectAccessible(page, 'a list emptied by a change of source');
  const held = async () =>
    ((await owner('GET', `${base}/lists`)) as { id: string; patientCount: number }[]).find((l) => l.id === ward.id)?.patientCount;
  expect(await held()).toBe(0);
});
