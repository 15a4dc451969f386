import { expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

// A Manual-mode team links an EHR: the warning says its hand-entered patients will read as entered
// by hand, the list then says so (not "Patient <id> (not available from the EHR)"), and they are
// taken off it in one step.
it('tells hand-entered patients apart once the team links an EHR, and removes them in one step', async () => {
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
    '1 list with 1 patient entered by hand will show those patients as “Patient entered by hand in Manual mode, not in the EHR” until you remove them.',
  );
  await warning.getByRole('button', { name: 'Change' }).click();
  await expect.poll(() => visible(page, 'Connected to Sandbox R4'), { timeout: 15_000 }).toBe(true);
  await page.getByRole('button', { name: 'Close settings' }).click();

  await expect.poll(() => list.getByText('Patient entered by hand in Manual mode, not in the EHR').isVisible(), { timeout: 20_000 }).toBe(true);
  expect(await list.getByText(zoe.id).count()).toBe(0);
  expect(await visible(page, 'not available from the EHR')).toBe(false);
  await expectAccessible(page, 'a hand-entered patient on a list with an EHR');

  await page.getByRole('button', { name: 'Remove 1 patient that cannot be shown' }).click();
  await page
    .getByRole('dialog', { name: 'Remove patients that cannot be shown?' })
    .getByRole('button', { name: 'Remove 1 patient that cannot be shown' })
    .click();
  await expect.poll(() => visible(page, 'This list has no patients yet'), { timeout: 20_000 }).toBe(true);
  const removed = async () =>
    ((await owner('GET', `${base}/lists`)) as { id: string; patientCount: number }[]).find((l) => l.id === ward.id)?.patientCount;
  await expect.poll(removed, { timeout: 25_000, interval: 1_000 }).toBe(0);
});
