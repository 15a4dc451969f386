import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type Release } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

/**
 * "No known allergies" from allergy Lists stands only on all of them. A server that ignores
 * `_count` answers every List at once, with no `next` link; the app reads what it asked for (plus
 * a margin) and leaves the rest: a newer List naming an allergy among those left must not be
 * outweighed by the older "nil known" ones read.
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];

const ehr = useFakeEhr();

const list = (id: string, date: string, extra: Record<string, unknown>) => ({
  resource: {
    resourceType: 'List',
    id,
    status: 'current',
    mode: 'snapshot',
    code: { coding: [{ system: 'http://loinc.org', code: '52473-6' }] },
    subject: { reference: 'Patient/p1' },
    date,
    ...extra,
  },
});
const nilKnown = { emptyReason: { coding: [{ code: 'nilknown' }] } };

describe.each(RELEASES)('allergy Lists from a server that ignores _count (%s)', (release) => {
  it('claims no "no known allergies" when the answer held more Lists than were read', async () => {
    const lists = [
      ...Array.from({ length: 40 }, (_, i) => list(`old-${i}`, '2019-05-01', nilKnown)),
      list('new', '2024-02-02', { entry: [{ item: { display: 'Penicillin allergy' } }] }),
    ];
    serveClinical(
      ehr,
      writeRecord(sampleRecord('p1'), release).filter((r) => r.resourceType !== 'AllergyIntolerance'),
      {
        release,
        resources: ['Patient', 'AllergyIntolerance', 'List'],
        entry: (url) => (url.startsWith('List?') ? { json: { resourceType: 'Bundle', type: 'searchset', entry: lists } } : undefined),
      },
    );
    const gateway = createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });
    const rows = await gateway.readClinical(ehr.base, TENANT, ['p1'], ['allergies']);
    expect(rows.get('p1')!.allergies).toEqual({ status: 'none' });
    // The same Lists without the newer one: the forty say none known, and they are all there are.
    ehr.reset();
    serveClinical(
      ehr,
      writeRecord(sampleRecord('p1'), release).filter((r) => r.resourceType !== 'AllergyIntolerance'),
      {
        release,
        resources: ['Patient', 'AllergyIntolerance', 'List'],
        entry: (url) => (url.startsWith('List?') ? { json: { resourceType: 'Bundle', type: 'searchset', entry: lists.slice(0, 3) } } : undefined),
      },
    );
    const few = await gateway.readClinical(ehr.base, TENANT, ['p1'], ['allergies']);
    expect(few.get('p1')!.allergies).toMatchObject({ status: 'ok', value: [{ noneKnown: true }] });
  });
});
