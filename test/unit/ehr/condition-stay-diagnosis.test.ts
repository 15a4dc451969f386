import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { cellsFor, partsFor } from '../../../server/features/lists/list-cells.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import type { Release } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

/**
 * A diagnosis of one encounter (condition-category `encounter-diagnosis`) may come without a
 * clinicalStatus (R4 con-3 asks one of problem-list items only): what a visit found then, not a
 * current problem. While the encounter it names (STU3 `context`, R4 `encounter`) is the stay the
 * patient is in, it is what the patient is in hospital for: current, in the list's cell and the
 * details. Once the stay is over it is history again.
 */
const ehr = useFakeEhr();

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe.each(['STU3', 'R4'] as Release[])('%s: a diagnosis of the stay without a clinical status', (release) => {
  const category = (code: string) => [
    {
      coding: [
        { system: release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/condition-category' : 'http://hl7.org/fhir/condition-category', code },
      ],
    },
  ];
  const klass =
    release === 'R4'
      ? { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }
      : { system: 'http://hl7.org/fhir/v3/ActCode', code: 'IMP' };
  const stay = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Encounter',
    id,
    status,
    class: klass,
    subject: { reference: 'Patient/p1' },
    period: { start: ago(3) },
    ...extra,
  });
  const diagnosis = (id: string, display: string, encounter: string) => ({
    resourceType: 'Condition',
    id,
    subject: { reference: 'Patient/p1' },
    category: category('encounter-diagnosis'),
    code: { text: display },
    [release === 'R4' ? 'encounter' : 'context']: { reference: encounter },
    ...(release === 'R4' ? { recordedDate: ago(3) } : { assertedDate: ago(3) }),
  });
  const store = (encounters: Record<string, unknown>[]) => [
    { resourceType: 'Patient', id: 'p1', name: [{ family: 'Doe', given: ['Ann'] }] },
    ...encounters,
    diagnosis('c1', 'Community-acquired pneumonia', 'Encounter/e1'),
    diagnosis('c2', 'Sprained ankle', 'Encounter/e0'),
  ];
  const gateway = () => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });

  /** What the list's conditions cell says, read as a list reads it (the parts its column needs). */
  async function listCell(): Promise<string> {
    const row = (await gateway().readClinical(ehr.base, 'tenant-1', ['p1'], partsFor(['conditions']))).get('p1')!;
    const cells = cellsFor(['conditions'], row, undefined);
    return cellText('conditions', { patientId: 'p1', available: true, cells } as unknown as ListRow);
  }

  it('is current while that stay goes on: in the list cell (its column alone) and in the details', async () => {
    const finishedVisit = stay('e0', 'finished', { class: { ...klass, code: 'AMB' }, period: { start: ago(400), end: ago(400) } });
    serveClinical(ehr, store([stay('e1', 'in-progress'), finishedVisit]), { release });
    expect(partsFor(['conditions'])).toContain('encounter');
    expect(await listCell()).toBe('Community-acquired pneumonia');
    const details = (await gateway().readPatientDetails(ehr.base, 'tenant-1', 'p1'))!;
    expect(details.conditions).toMatchObject({
      status: 'ok',
      value: expect.arrayContaining([
        expect.objectContaining({ display: 'Community-acquired pneumonia', current: true }),
        expect.objectContaining({ display: 'Sprained ankle', current: false }),
      ]),
    });
  });

  it('is current when it names the hospital stay the ward leg the patient is in is part of (Encounter.partOf)', async () => {
    const hospitalStay = stay('e1', 'in-progress', { period: { start: ago(5) } });
    const wardLeg = stay('leg2', 'in-progress', { period: { start: ago(1) }, partOf: { reference: 'Encounter/e1' } });
    serveClinical(ehr, store([hospitalStay, wardLeg]), { release });
    expect(await listCell()).toBe('Community-acquired pneumonia');
  });

  it('is history once the stay is over, and when the encounter it names is not the one the patient is in', async () => {
    serveClinical(ehr, store([stay('e1', 'finished', { period: { start: ago(3), end: ago(1) } })]), { release });
    expect(await listCell()).toBe('None recorded');
    serveClinical(ehr, store([stay('e9', 'in-progress')]), { release });
    expect(await listCell()).toBe('None recorded');
  });
});
