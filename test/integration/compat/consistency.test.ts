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
