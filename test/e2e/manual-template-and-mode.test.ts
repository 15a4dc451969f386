import { expect, it } from 'vitest';
import { apiAs, expectAccessible, signIn, useE2e, visible } from '../helpers/e2e';

const e2e = useE2e();

// An EHR team with lists switches to Manual mode: the tab says what happens to the lists' patients
// and the notes, and asks first; the change takes the EHR patients off the lists (the lists stay);
// the owner starts from the ward template.
it('switches an EHR team with lists to Manual mode after a warning with counts, empties the lists, and starts from the ward template', async () => {
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
    '2 lists hold 4 patients from the EHR. Manual mode takes them off the lists; the lists, their names and columns are kept.',
  );
  expect(await warning.textContent()).toContain("Notes written under the current source are kept in the team's data but no longer shown");
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

  // The lists stay, without the EHR's patients.
  const counts = async () => {
    const lists = (await owner('GET', `${base}/lists`)) as { id: string; patientCount: number }[];
    return [ward, rounds].map((l) => lists.find((x) => x.id === l.id)?.patientCount);
  };
  expect(await counts()).toEqual([0, 0]);
  await page.reload();
  await expect.poll(() => visible(page, 'This list has no patients yet'), { timeout: 20_000 }).toBe(true);
  expect(await list.getByText(found[1]!.id).count()).toBe(0);
});
