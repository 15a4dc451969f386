import { beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, type ClinicalWarning, type EhrGateway } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type Release } from './clinical-records.js';
import { batchPosts, batchUrls, serveClinical, singleGets, type ClinicalServerOptions } from './clinical-server.js';

/**
 * A list row reads one page of encounters, newest first (`_count=10`). Follow-up visits planned for
 * the coming months sort before the stay the patient is in; ten of them fill the page. A first page
 * that links to more and holds no ongoing inpatient stay (whatever else it holds: planned visits,
 * finished dialysis sessions) is followed by one search for the stays the patient may be in
 * (`status=arrived,triaged,in-progress,onleave`), so the list's location and admission date say the
 * stay, as the details do, never "none recorded".
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const DAY = 86_400_000;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const ADMITTED = iso(now - 4 * DAY);

const ehr = useFakeEhr();
let reported: ClinicalWarning[];
beforeEach(() => {
  reported = [];
});

const gateway = (): EhrGateway => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: (w) => reported.push(...w) });

/** A patient admitted four days ago (Ward 5, Room 12, Bed 2), with `planned` follow-ups weekly from next week. */
function admittedWithFollowUps(release: Release, id: string, planned: number): Record<string, unknown>[] {
  const record = {
    ...sampleRecord(id),
    encounters: [{ inpatient: true, type: 'Admission', start: ADMITTED, location: 'Ward 5, Room 12, Bed 2' }],
  };
  const who = release === 'DSTU2' ? { patient: { reference: `Patient/${id}` } } : { subject: { reference: `Patient/${id}` } };
  const ambulatory =
    release === 'DSTU2'
      ? 'outpatient'
      : { system: release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/v3-ActCode' : 'http://hl7.org/fhir/v3/ActCode', code: 'AMB' };
  const followUps = Array.from({ length: planned }, (_, i) => ({
    resourceType: 'Encounter',
    id: `${id}-follow-up-${i}`,
    status: 'planned',
    class: ambulatory,
    ...who,
    period: { start: iso(now + (i + 1) * 7 * DAY) },
    location: [{ location: { display: `Clinic ${i}` }, status: 'planned' }],
  }));
  return [...writeRecord(record, release), ...followUps];
}

function serve(release: Release, resources: Record<string, unknown>[], options: Partial<ClinicalServerOptions> = {}): void {
  serveClinical(ehr, resources, { release, ...options });
}

const shown = (clinical: Parameters<typeof cellsFor>[1]) => cellsFor(['location', 'admissionDate'], clinical, undefined);

describe.each(RELEASES)('the stay a list row speaks of, behind planned follow-ups (%s)', (release) => {
  it('asks for the ongoing stays when ten planned visits fill the first page, and shows the ward and the admission', async () => {
    serve(release, [...admittedWithFollowUps(release, 'p1', 12), ...admittedWithFollowUps(release, 'p2', 3)]);
    const handed: string[] = [];
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ['encounter'], (row) => handed.push(row.patient.id));

    for (const id of ['p1', 'p2']) {
      const cells = shown(rows.get(id)!);
      expect(cells.location, id).toMatchObject({ status: 'ok', value: { location: 'Ward 5, Room 12, Bed 2' } });
      expect(cells.admissionDate, id).toMatchObject({ status: 'ok', value: { text: ADMITTED } });
    }
    expect(rows.get('p1')!.warnings).toEqual([]);
    // One more batch, with one entry for p1 only (p2's first page holds its stay), and no single GETs.
    expect(batchPosts(ehr)).toHaveLength(2);
    expect(singleGets(ehr)).toHaveLength(0);
    const extra = batchUrls(batchPosts(ehr)[1]);
    const statuses = release === 'DSTU2' ? 'arrived,in-progress,onleave' : 'arrived,triaged,in-progress,onleave';
    const sort = release === 'DSTU2' ? '_sort:desc=date' : '_sort=-date';
    expect(extra).toEqual([`Encounter?patient=p1&status=${statuses}&_count=10&${sort}`]);
    // p2 needed nothing more: handed on before the extra read.
    expect(handed).toEqual(['p2', 'p1']);
  });

  it('asks no more when the first page holds the stay, or links to nothing more', async () => {
    serve(release, [...admittedWithFollowUps(release, 'p1', 9), ...admittedWithFollowUps(release, 'p2', 0)]);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ['encounter']);
    expect(shown(rows.get('p1')!).location).toMatchObject({ status: 'ok', value: { location: 'Ward 5, Room 12, Bed 2' } });
    expect(batchPosts(ehr)).toHaveLength(1);
  });

  it('says "not available", with a warning, when the extra search fails and the first page holds no ongoing stay', async () => {
    serve(release, admittedWithFollowUps(release, 'p1', 12), {
      entry: (url) => (url.includes('status=') ? { status: 500, json: { resourceType: 'OperationOutcome', issue: [] } } : undefined),
    });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['encounter']);
    const row = rows.get('p1')!;
    // A page of planned follow-ups is part of the encounters: the stay is unknown, never "none recorded".
    expect(shown(row).location).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(row.warnings).toContainEqual({ code: 'stay_lookup_failed', count: 1 });
  });
});
