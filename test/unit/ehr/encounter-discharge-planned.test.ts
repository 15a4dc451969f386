import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { currentEncounter, encounterOver, readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';

/**
 * hospitalization.dischargeDisposition (DSTU2, STU3, R4) is often recorded before discharge, as the
 * planned destination. Encounter.status is a modifier element: an ongoing status (arrived, triaged,
 * in-progress, onleave) keeps the stay, and its bed, unless a period.end has passed too.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const inpatient: Record<Release, unknown> = {
  DSTU2: 'inpatient',
  STU3: { system: 'http://hl7.org/fhir/v3/ActCode', code: 'IMP' },
  R4: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
};
const home = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home', display: 'Home' }] };
const now = Date.parse('2026-06-15T12:00:00Z');
const ago = (days: number) => new Date(now - days * 86_400_000).toISOString();
const soon = (days: number) => new Date(now + days * 86_400_000).toISOString();

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a discharge disposition on a %s stay', (release) => {
  const stay = (extra: Record<string, unknown>) => ({
    resourceType: 'Encounter',
    id: 'e1',
    status: 'in-progress',
    class: inpatient[release],
    period: { start: ago(3) },
    location: [{ location: { reference: 'Location/w', display: 'Ward 5, Room 12, Bed 3' }, status: 'active', period: { start: ago(3) } }],
    hospitalization: { dischargeDisposition: home },
    ...extra,
  });
  const ongoing = ['arrived', 'in-progress', 'onleave', ...(release === 'DSTU2' ? [] : ['triaged'])];

  it.each(ongoing)('status %s without a period.end keeps the stay, its place and admission (a planned destination)', (status) => {
    const [view] = readEncounters([stay({ status })], now);
    expect(view.discharged).toBeUndefined();
    expect(encounterOver(view, now)).toBe(false);
    const current = currentEncounter([view], now);
    expect(current).toMatchObject({ location: 'Ward 5, Room 12, Bed 3', room: '12', bed: '3', admission: { text: ago(3) } });
  });

  it.each(ongoing)('status %s with a period.end still to come keeps the stay', (status) => {
    const [view] = readEncounters([stay({ status, period: { start: ago(3), end: soon(1) } })], now);
    expect(view.discharged).toBeUndefined();
    expect(encounterOver(view, now)).toBe(false);
  });

  it.each(ongoing)('status %s with a period.end that has passed ends the stay', (status) => {
    const [view] = readEncounters([stay({ status, period: { start: ago(3), end: ago(1) } })], now);
    expect(view.discharged).toBe(true);
    expect(encounterOver(view, now)).toBe(true);
  });

  it.each(['finished', 'unknown', undefined])('status %s (not ongoing) with a disposition is discharged', (status) => {
    const [view] = readEncounters([stay({ status })], now);
    expect(view.discharged).toBe(true);
    expect(encounterOver(view, now)).toBe(true);
  });

  it('the list row shows the bed and the admission date of the ongoing stay with a planned disposition', () => {
    const parts = assemblePart('encounter', { ok: true, set: { resources: [stay({})], included: [] } }, new Map(), new Warnings(), {
      history: false,
    });
    const cells = cellsFor(['location', 'admissionDate'], { ...parts } as PatientClinical, undefined);
    expect(cells.location).toMatchObject({ status: 'ok', value: { location: 'Ward 5, Room 12, Bed 3' } });
    expect(cells.admissionDate).toMatchObject({ status: 'ok' });
  });
});
