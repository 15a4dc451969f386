import { describe, expect, it } from 'vitest';
import { apiAs, signIn, useE2e } from '../helpers/e2e';

const e2e = useE2e();

const columns = ['name', 'location', 'heartRate', 'bloodPressure', 'temperature', 'spo2', 'conditions', 'allergies', 'medications', 'coverage'];
const headings = [
  'Name',
  'Location',
  'Heart rate',
  'Blood pressure',
  'Temperature',
  'SpO2',
  'Conditions',
  'Allergies',
  'Medications',
  'Coverage',
  'Actions',
];

// Each release on a team of its own, so the three run against one server without touching each other.
describe.each([
  ['r4', 0, 0],
  ['stu3', 0, 1],
  ['dstu2', 1, 0],
] as const)('a list of generated patients from the sandbox %s endpoint, in the browser', (version, tenant, teamIndex) => {
  it('shows location, vital signs, conditions, allergies, medications and coverage on every row', async () => {
    const tn = e2e.info.tenants[tenant];
    const team = tn.teams[teamIndex];
    const owner = e2e.info.users.find((u) => u.id === team.owners[0])!;
    const api = await apiAs(e2e.server.url, owner.id);
    await api('PUT', `/teams/${team.id}/connection`, { mode: 'ehr', url: e2e.info.sandbox.fhir[version], name: `Sandbox ${version}`, confirm: true });
    const { patients } = await api('GET', `/teams/${team.id}/patients?gender=male&count=3`);
    const list = await api('POST', `/teams/${team.id}/lists`, { name: 'Ward round' });
    await api('PATCH', `/teams/${team.id}/lists/${list.id}`, { columns });
    await api('POST', `/teams/${team.id}/lists/${list.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });

    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1800, height: 900 } });
    const page = await context.newPage();
    await signIn(page, e2e.server.url, `${owner.name} (${tn.name})`, team.name);
    const table = page.getByRole('table', { name: 'Ward round' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBe(1 + patients.length);
    expect((await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim())).toEqual(headings);

    for (const [index, patient] of patients.entries()) {
      const cells = (
        await table
          .getByRole('row')
          .nth(index + 1)
          .getByRole('cell')
          .allInnerTexts()
      ).map((c) => c.replace(/\s+/g, ' ').trim());
      const cell = (column: string) => cells[headings.indexOf(column)];
      expect(cell('Name'), version).toContain(patient.displayName);
      expect(cell('Location')).toMatch(/^Room \S+, Bed \S+/);
      expect(cell('Heart rate')).toMatch(/^\d+(\.\d+)?\/min\b/);
      expect(cell('Blood pressure')).toMatch(/^\d+\/\d+ mmHg\b/);
      expect(cell('Temperature')).toMatch(/^\d+(\.\d+)? ?°C\b/);
      expect(cell('SpO2')).toMatch(/^\d+(\.\d+)? ?%/);
      expect(cell('Coverage')).toMatch(/\S+ – \S+/);
      // Conditions, allergies and medications: names, or "None recorded"; never "Not available".
      for (const column of ['Conditions', 'Allergies', 'Medications']) {
        expect(cell(column), `${version} ${column}`).not.toBe('');
        expect(cell(column), `${version} ${column}`).not.toContain('Not available');
      }
    }
    await context.close();
  });
});
