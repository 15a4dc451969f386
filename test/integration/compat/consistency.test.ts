import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCompat } from '../../../scripts/compat/run-compat';

it('shows each generated patient the same through DSTU2, STU3 and R4, found by MRN with complete details', async () => {
  // 20: the sandbox's 18th patient is a duplicate registration merged into the 17th.
  const report = await runCompat({ patientsPerTenant: 20 });
  expect(report.patients).toHaveLength(20);
  for (const patient of report.patients) {
    expect(patient.differences, `MRN ${patient.mrn}`).toEqual([]);
    expect(Object.keys(patient.versions).sort()).toEqual(['dstu2', 'r4', 'stu3']);
    for (const result of Object.values(patient.versions)) expect(result).toEqual({ found: true, complete: true });
  }
  expect(report.ok).toBe(true);
  // The statuses the list's rules met, counted per version.
  expect(Object.keys(report.statuses).sort()).toEqual(['dstu2', 'r4', 'stu3']);
  for (const counts of Object.values(report.statuses)) {
    const seen = Object.keys(counts ?? {});
    for (const kind of [/^condition clinicalStatus /, /^allergy clinicalStatus /, /^medication (order|statement) status /])
      expect(seen.some((key) => kind.test(key))).toBe(true);
    // The 12th patient's ruled-out problem carries the sandbox's own modifier extension.
    expect(counts).toMatchObject({
      'patient record replaced': 1,
      'patient record in use': 19,
      'condition qualified by the EHR (marked check in EHR)': 1,
    });
  }
}, 120_000);

it('reads a patient without an MRN too: reported by id, details built, statuses counted (an allergy List saying none known)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'patients-compat-'));
  try {
    mkdirSync(join(dir, 'dstu2'));
    const patient = {
      resourceType: 'Patient',
      id: 'no-mrn-1',
      identifier: [{ use: 'usual', system: 'urn:example:hospital', value: '42' }],
      name: [{ family: ['Doe'], given: ['Jo'] }],
    };
    const list = {
      resourceType: 'List',
      id: 'no-mrn-1-allergies',
      code: { coding: [{ system: 'http://loinc.org', code: '52473-6' }] },
      subject: { reference: 'Patient/no-mrn-1' },
      status: 'current',
      mode: 'snapshot',
      emptyReason: { coding: [{ system: 'http://hl7.org/fhir/list-empty-reason', code: 'nilknown' }] },
    };
    writeFileSync(
      join(dir, 'dstu2', 'one.json'),
      JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }, { resource: list }] }),
    );
    const report = await runCompat({ dataDir: dir });
    expect(report.withoutMrn).toEqual({ dstu2: 1 });
    const unmatched = report.patients.find((p) => p.mrn.includes('no-mrn-1'));
    expect(unmatched?.versions).toEqual({ dstu2: { found: true, complete: true } });
    expect(report.statuses.dstu2).toMatchObject({ 'allergy no-known-allergy': 1, 'allergy current (in the cell)': 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
