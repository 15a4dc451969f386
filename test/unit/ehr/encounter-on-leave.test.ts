import { afterEach, describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { columnCells } from '../../../contract/cells.js';
import { encounterView } from '../../../contract/patients.js';
import { showCell } from '../../../client/shared/cells.js';
import { setLanguage } from '../../../client/shared/i18n/t.js';

/**
 * Encounter.status `onleave` (DSTU2 encounter-state, STU3/R4 encounter-status): the patient keeps
 * the bed but is not in it. The location cell keeps the place and says "on leave" in words, in
 * the list, the details and the CSV.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const klass: Record<Release, unknown> = {
  DSTU2: 'inpatient',
  STU3: { system: 'http://hl7.org/fhir/v3/ActCode', code: 'IMP' },
  R4: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
};
const started = new Date(Date.now() - 3 * 86_400_000).toISOString();

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a %s patient on leave', (release) => {
  afterEach(() => setLanguage('en'));
  const stay = (extra: Record<string, unknown> = {}) => ({
    resourceType: 'Encounter',
    status: 'onleave',
    class: klass[release],
    period: { start: started },
    location: [{ location: { reference: 'Location/b3', display: 'Ward 5, Room 12, Bed 3' } }],
    ...extra,
  });
  const parts = (resources: Record<string, unknown>[]) =>
    assemblePart('encounter', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings(), { history: false });
  const cells = (resources: Record<string, unknown>[]) =>
    cellsFor(['location', 'admissionDate'], { ...parts(resources) } as PatientClinical, undefined);
  const csvRow = (c: ListRow['cells']): ListRow => ({
    patientId: 'p1',
    displayName: 'A',
    mrn: null,
    birthDate: null,
    gender: null,
    available: true,
    cells: c,
  });

  it('keeps the place and the admission date, and the cell carries onLeave', () => {
    const c = cells([stay()]);
    expect(c.location).toEqual({ status: 'ok', value: { location: 'Ward 5, Room 12, Bed 3', room: '12', bed: '3', onLeave: true } });
    expect(c.admissionDate).toMatchObject({ status: 'ok', value: { text: started } });
    expect(columnCells.location.parse(c.location)).toEqual(c.location);
  });

  it('the list says "(on leave)" in words beside the place', () => {
    expect(showCell('location', cells([stay()]).location)).toMatchObject({ status: 'ok', text: 'Room 12, Bed 3 (on leave)', detail: 'Ward 5' });
  });

  it('the CSV says it too', () => {
    expect(cellText('location', csvRow(cells([stay()])))).toBe('Ward 5, Room 12, Bed 3 (on leave)');
    expect(cellText('location', csvRow(cells([stay({ modifierExtension: [{ url: 'x' }] })])))).toBe(
      'Ward 5, Room 12, Bed 3 (on leave, check in EHR)',
    );
  });

  it('the details say it of the current stay', () => {
    const view = readEncounters([stay()])[0];
    expect(view.onLeave).toBe(true);
    expect(encounterView.parse(view)).toEqual(view);
    expect(showCell('location', { status: 'ok', value: view })).toMatchObject({ text: 'Room 12, Bed 3 (on leave)' });
  });

  it('a patient in the bed (in-progress) carries no mark, and a leave whose stay is over is no current place', () => {
    const inBed = cells([stay({ status: 'in-progress' })]).location;
    expect(inBed).toEqual({ status: 'ok', value: { location: 'Ward 5, Room 12, Bed 3', room: '12', bed: '3' } });
    expect(showCell('location', inBed)).toMatchObject({ text: 'Room 12, Bed 3' });
    expect(cellText('location', csvRow(cells([stay({ status: 'in-progress' })])))).toBe('Ward 5, Room 12, Bed 3');
    const ended = stay({ period: { start: started, end: new Date(Date.now() - 86_400_000).toISOString() } });
    expect(cells([ended]).location).toEqual({ status: 'none' });
    expect(readEncounters([ended])[0].onLeave).toBeUndefined();
  });

  it('on leave from a stay that names no place: "on leave" in the list, the CSV and every language, never "none recorded"', () => {
    const c = cells([stay({ location: undefined })]);
    expect(c.location).toEqual({ status: 'ok', value: { location: null, room: null, bed: null, onLeave: true } });
    expect(columnCells.location.parse(c.location)).toEqual(c.location);
    expect(showCell('location', c.location)).toMatchObject({ status: 'ok', text: 'On leave (place not recorded)' });
    expect(cellText('location', csvRow(c))).toBe('On leave (place not recorded)');
    setLanguage('ru');
    expect(showCell('location', c.location)).toMatchObject({ status: 'ok', text: 'В отпуске (место не указано)' });
    // A stay in progress that names no place is still "none recorded".
    expect(cells([stay({ status: 'in-progress', location: undefined })]).location).toEqual({ status: 'none' });
  });

  it('an answer without the field (an older server) still parses', () => {
    const older = { status: 'ok', value: { location: 'Ward 5', room: null, bed: null } };
    expect(columnCells.location.parse(older)).toEqual(older);
  });
});
