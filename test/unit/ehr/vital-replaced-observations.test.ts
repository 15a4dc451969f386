import { describe, expect, it } from 'vitest';
import { latestVitals, latestVitalsOfSorted, readVitals, vitalHistory } from '../../../server/ehr/clinical/vitals.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { vitalObservation } from './vital-observations.js';
import type { Release } from './clinical-records.js';

/**
 * A revised value filed as a new Observation that `replaces` the old one (DSTU2 and STU3
 * Observation.related, type `replaces`: "The target observation is now obsolete",
 * hl7.org/fhir/STU3/codesystem-observation-relationshiptypes.html). The obsolete reading is no
 * result: never the latest, never in the trend, wherever either stands in the answer.
 */
const RELEASES: Release[] = ['DSTU2', 'STU3'];
const now = Date.now();
const at = new Date(now - 10 * 60_000).toISOString();
const earlier = new Date(now - 30 * 60_000).toISOString();
const bpm = (value: number) => ({ valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } });
const replaces = (reference: string) => ({ related: [{ type: 'replaces', target: { reference } }] });

/** What the heart-rate cell and the trend say, read whole and read as a newest-first page. */
function heartRate(observations: Record<string, unknown>[]) {
  const full = latestVitals(readVitals(observations, new Warnings()), now).heartRate;
  const sorted = latestVitalsOfSorted(observations, new Warnings(), now)?.heartRate;
  const trend = (vitalHistory(readVitals(observations, new Warnings())).heartRate ?? []).map((r) => (r.kind === 'heartRate' ? r.value?.value : null));
  return {
    full: full?.kind === 'heartRate' ? full.value?.value : undefined,
    sorted: sorted?.kind === 'heartRate' ? sorted.value?.value : undefined,
    trend,
  };
}

describe.each(RELEASES)('%s: an Observation another one replaces', (release) => {
  const wrong = { ...vitalObservation(release, '8867-4', at, bpm(180)), id: 'a' };
  const revised = { ...vitalObservation(release, '8867-4', at, bpm(80), replaces('Observation/a')), id: 'b', status: 'amended' };

  it('is never the latest, whichever comes first in the answer', () => {
    for (const page of [
      [wrong, revised],
      [revised, wrong],
    ]) {
      const seen = heartRate(page);
      expect(seen.full).toBe(80);
      expect(seen.sorted).toBe(80);
      expect(seen.trend).toEqual([80]);
    }
  });

  it('is left out when the reference names a version of it', () => {
    const byVersion = { ...revised, ...replaces('Observation/a/_history/2') };
    expect(heartRate([wrong, byVersion])).toMatchObject({ full: 80, sorted: 80, trend: [80] });
  });

  it('keeps an older reading the revision does not name, and the revision is the latest', () => {
    const older = { ...vitalObservation(release, '8867-4', earlier, bpm(95)), id: 'c' };
    expect(heartRate([wrong, revised, older])).toEqual({ full: 80, sorted: 80, trend: [95, 80] });
  });

  it('replaces nothing when the target is another server’s, or the Observation itself, or the link is of another type', () => {
    const elsewhere = { ...revised, ...replaces('https://other.example.org/fhir/Observation/a') };
    expect(heartRate([wrong, elsewhere]).trend.sort()).toEqual([180, 80].sort());
    const itself = { ...vitalObservation(release, '8867-4', at, bpm(80), replaces('Observation/b')), id: 'b' };
    expect(heartRate([itself]).full).toBe(80);
    const derived = { ...revised, related: [{ type: 'derived-from', target: { reference: 'Observation/a' } }] };
    expect(heartRate([wrong, derived]).trend.sort()).toEqual([180, 80].sort());
  });
});

describe.each(RELEASES)('%s: an Observation that is no result replaces nothing', (release) => {
  const valid = { ...vitalObservation(release, '8867-4', at, bpm(80)), id: 'a' };
  const link = replaces('Observation/a');
  it.each([
    ['entered in error', { status: 'entered-in-error' }],
    ['cancelled', { status: 'cancelled' }],
    ['about someone else (a fetus)', { focus: [{ reference: 'Patient/fetus-1' }] }],
  ])('%s: the reading it names stays the latest', (_why, extra) => {
    const bogus = { ...vitalObservation(release, '8867-4', at, bpm(180), { ...link, ...extra }), id: 'b' };
    expect(heartRate([bogus, valid])).toMatchObject({ full: 80, sorted: 80, trend: [80] });
  });
});
