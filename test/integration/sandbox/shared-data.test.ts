import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyOf, ids, mrnOf, startPartner, tenantA, tenantB, type Partner } from './harness';

// The third-party sample folder CI keeps beside the project (`../shared/fhir-data`), or another
// folder named by SANDBOX_FHIR_DATA. partner.test.ts covers the loader with bundles of its own.
const folder = process.env.SANDBOX_FHIR_DATA ?? fileURLToPath(new URL('../../../../shared/fhir-data', import.meta.url));

describe.runIf(existsSync(folder))('the sandbox serving a folder of third-party bundles', () => {
  let partner: Partner;
  let access: { a: string; b: string };
  beforeAll(async () => {
    partner = await startPartner({ tenants: [{ id: tenantA, name: 'A' }, { id: tenantB, name: 'B' }], patientsPerTenant: 5, dataDir: folder });
    access = { a: await partner.tokenFor(tenantA), b: await partner.tokenFor(tenantB) };
  });
  afterAll(() => partner?.close());

  it('shows the first tenant the same person, by MRN, through DSTU2 and STU3', async () => {
    const dstu2 = (await partner.fhir('/dstu2/Patient?_count=1000', access.a)).body;
    expect(dstu2.total).toBeGreaterThan(5);
    for (const patient of dstu2.entry.slice(0, 5).map((e: { resource: any }) => e.resource)) {
      const mrn = mrnOf(patient);
      expect(mrn).toBeDefined();
      const twins = (await partner.fhir(`/stu3/Patient?identifier=${encodeURIComponent(mrn!)}`, access.a)).body.entry;
      expect(twins).toHaveLength(1);
      expect(familyOf(twins[0].resource)).toBe(familyOf(patient));
      expect(twins[0].resource.name[0].given).toEqual(patient.name[0].given);
    }
  });

  it('resolves the bundles\' references: vital signs found by patient in every release', async () => {
    for (const version of ['dstu2', 'stu3', 'r4']) {
      const patients = (await partner.fhir(`/${version}/Patient?_count=1000`, access.a)).body.entry.map((e: { resource: any }) => e.resource.id);
      let withVitals = 0;
      for (const id of patients.slice(0, 8)) {
        const sort = version === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
        const vitals = (await partner.fhir(`/${version}/Observation?patient=${id}&category=vital-signs&${sort}`, access.a)).body;
        if (vitals.total > 0) withVitals += 1;
      }
      expect(withVitals, version).toBeGreaterThan(0);
    }
  });

  it('keeps generated patients for the other tenant', async () => {
    const b = (await partner.fhir('/r4/Patient?_count=100', access.b)).body;
    expect(b.total).toBe(5);
    const a = (await partner.fhir('/r4/Patient?_count=100', access.a)).body;
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
  });
});
