import { expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

// An EHR team with lists switches to Manual mode: the tab says what happens to the lists' patients
// and asks first; the owner starts from the ward template; the EHR patients left on a list read in
// plain words and are taken off it in one step.
it('switches an EHR team with lists to Manual mode after a warning with counts, starts from the ward template, and removes the rows it cannot show', async () => {
  const tenant = e2e.info.tenants[0];
  const team = tenant.teams[0];
  const ownerUser = e2e.info.users.find((u) => u.id === team.owners[0])!;
  const owner = await apiAs(e2e.server.url, ownerUser.id);
  const base = `/teams/${team.id}`;
  await owner('PUT', `${base}/connection`, { mode: 'ehr', url: e2e.info.sandbox.fhir.r4, name: 'Ward EHR' });
  const found = (await owner('GET', `${base}/patients?gender=female&count=3`)).patients as { id: string; displayName: string }[];
  expect(found.length).toBe(3);
  const ward = await owner('POST', `${base}/lists`, { name: 'Ward' });
  const rounds = await owner('POST', `${base}/lists`, { name: 'Rounds' });
  await owner('POST', `${base}/lists/${ward.id}/patients`, { patientIds: found.map((p) => p.id) });
  await owner('POST', `${base}/lists/${rounds.id}/patients`, { patientIds: [found[0]!.id] });

  const page = await (await e2e.browser.newContext({ reducedMotion: 'reduce' })).newPage();
  await signIn(page, e2e.server.url, `${ownerUser.name} (${tenant.name})`, team.name);
  const list = page.getByRole('table', { name: 'Ward' });
  await expect.poll(() => list.getByRole('button', { name: found[1]!.displayName, exact: true }).isVisible(), { timeout: 20_000 }).toBe(true);

  // The change of mode says what it does to the lists, and waits for the owner.
  await page.getByRole('button', { name: 'Connection settings' }).click();
  await page.getByRole('radio', { name: /^Manual mode/ }).check();
  await page.getByRole('button', { name: 'Use Manual mode' }).click();
  const warning = page.getByRole('alertdialog', { name: 'Change where patients come from?' });
  await expect.poll(() => warning.isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await warning.textContent()).toContain(
    '2 lists with 4 patients from the EHR will show those patients as “Patient from the EHR, not in Manual mode” until you remove them.',
  );
  await expectAccessible(page, 'the warning before a change of mode');
  // Kept as it was until confirmed.
  await warning.getByRole('button', { name: 'Keep the current setup' }).click();
  expect((await owner('GET', `${base}/connection`)).mode).toBe('ehr');
  await page.getByRole('button', { name: 'Use Manual mode' }).click();
  await warning.getByRole('button', { name: 'Change' }).click();
  await expect.poll(() => visible(page, 'Manual mode is on'), { timeout: 15_000 }).toBe(true);
  expect((await owner('GET', `${base}/connection`)).mode).toBe('manual');
  await page.getByRole('button', { name: 'Close settings' }).click();

  // Starting from the ward template: its fields are in the editor, to change before saving.
  await page.getByRole('button', { name: 'Start from the ward template' }).click();
  const labels = page.getByRole('textbox', { name: 'Field name' });
  await expect.poll(() => labels.count(), { timeout: 15_000 }).toBe(7);
  await labels.nth(0).fill('Bed number');
  await page.getByRole('button', { name: 'Save fields' }).click();
  await expect.poll(() => visible(page, 'Fields saved.'), { timeout: 15_000 }).toBe(true);
  const schema = await owner('GET', `${base}/schema`);
  expect(schema.fields.map((f: { id: string; type: string }) => `${f.id}:${f.type}`)).toEqual([
    // A field not saved yet takes its id from its name, as any new field does.
    'bed_number:text',
    'status:choice',
    'assignedNurse:person',
    'admissionDate:date',
    'diagnosis:longText',
    'codeStatus:choice',
    'isolation:choice',
  ]);
  expect(schema.fields[0].label).toBe('Bed number');

  // The EHR patients left on the list read in plain words, without their EHR ids.
  await expect.poll(() => list.getByText('Patient from the EHR, not in Manual mode').count(), { timeout: 20_000 }).toBe(3);
  expect(await list.getByText(found[1]!.id).count()).toBe(0);

  // One step, confirmed, takes them all off this list (the other list keeps its patient).
  await page.getByRole('button', { name: 'Remove 3 patients that cannot be shown' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove patients that cannot be shown?' });
  await confirm.getByRole('button', { name: 'Remove 3 patients that cannot be shown' }).click();
  await expect.poll(() => visible(page, 'This list has no patients yet'), { timeout: 20_000 }).toBe(true);
  expect(await page.getByRole('button', { name: /patients? that cannot be shown/ }).count()).toBe(0);
  const counts = async () => {
    const lists = (await owner('GET', `${base}/lists`)) as { id: string; patientCount: number }[];
    return [ward, rounds].map((l) => lists.find((x) => x.id === l.id)?.patientCount);
  };

  // The same ten-second Undo as a single removal: the rows come back, and nothing was taken off.
  expect(await visible(page, 'Removed 3 patients from Ward')).toBe(true);
  await page.getByRole('button', { name: 'Undo: put 3 patients back on Ward' }).click();
  await expect.poll(() => visible(page, '3 patients are back on Ward'), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => list.getByText('Patient from the EHR, not in Manual mode').count(), { timeout: 20_000 }).toBe(3);
  expect(await counts()).toEqual([3, 1]);

  // Without Undo, they are taken off this list when the ten seconds are over (the other list keeps its patient).
  await page.getByRole('button', { name: 'Remove 3 patients that cannot be shown' }).click();
  await confirm.getByRole('button', { name: 'Remove 3 patients that cannot be shown' }).click();
  await expect.poll(() => visible(page, 'This list has no patients yet'), { timeout: 20_000 }).toBe(true);
  await expect.poll(counts, { timeout: 25_000, interval: 1_000 }).toEqual([0, 1]);
  await page.reload();
  await expect.poll(() => visible(page, 'This list has no patients yet'), { timeout: 20_000 }).toBe(true);
});
