import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { currentEncounter, readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';

type Release = 'DSTU2' | 'STU3' | 'R4';
type Klass = 'IMP' | 'AMB' | 'EMER';

/** How each release writes an encounter's class: DSTU2 a code of its own, STU3/R4 a v3 ActCode Coding. */
const klass: Record<Release, (code: Klass) => unknown> = {
  DSTU2: (code) => ({ IMP: 'inpatient', AMB: 'outpatient', EMER: 'emergency' })[code],
  STU3: (code) => ({ system: 'http://hl7.org/fhir/v3/ActCode', code }),
  R4: (code) => ({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code }),
};

const now = Date.parse('2026-06-15T12:00:00Z');
const daysAgo = (n: number) => new Date(now - n * 86_400_000).toISOString();
const at = (display: string, extra: Record<string, unknown> = {}) => ({ location: { reference: 'Location/x', display }, ...extra });
const since = (start: string) => ({ period: { start } });

describe.each(['DSTU2', 'STU3', 'R4'] as const)('the %s encounter', (release) => {
  const encounter = (code: Klass | null, start: string, location: unknown[], extra: Record<string, unknown> = {}) => ({
    resourceType: 'Encounter',
    status: 'in-progress',
    ...(code ? { class: klass[release](code) } : {}),
    period: { start },
    location,
    ...extra,
  });
  const current = (resources: Record<string, unknown>[]) => currentEncounter(readEncounters(resources, now), now);
  const row = (resources: Record<string, unknown>[]) => {
    const parts = assemblePart('encounter', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings(), { history: false });
    return cellsFor(['location', 'admissionDate'], { ...parts } as PatientClinical, undefined);
  };
  const ward = () => encounter('IMP', daysAgo(3), [at('Ward 5, Room 12, Bed 3')]);
  const dialysis = () => encounter('AMB', daysAgo(0.1), [at('Dialysis unit')]);

  describe('the stay the row speaks of is the ongoing inpatient stay, not a newer visit during it', () => {
    it('an ongoing outpatient visit (dialysis) newer than the admission does not replace the ward nor the admission date', () => {
      expect(row([dialysis(), ward()])).toMatchObject({
        location: { status: 'ok', value: { location: 'Ward 5, Room 12, Bed 3', room: '12', bed: '3' } },
        admissionDate: { status: 'ok', value: { text: daysAgo(3) } },
      });
    });

    it('an admission read from hospitalization.admitSource (no class) is an inpatient stay too', () => {
      const admitted = encounter(null, daysAgo(3), [at('Ward 5')], { hospitalization: { admitSource: { text: 'Emergency' } } });
      expect(current([dialysis(), admitted])).toMatchObject({ location: 'Ward 5', admission: { text: daysAgo(3) } });
    });

    it('an ongoing emergency stay holds the bed before an ambulatory visit, and gives way to an inpatient stay', () => {
      const emergency = encounter('EMER', daysAgo(1), [at('ED Bay 4')]);
      expect(current([dialysis(), emergency])?.location).toBe('ED Bay 4');
      expect(current([dialysis(), emergency, ward()])?.location).toBe('Ward 5, Room 12, Bed 3');
    });

    it('without an ongoing stay in a bed, the newest ongoing encounter is the one, as before', () => {
      const discharged = encounter('IMP', daysAgo(9), [at('Ward 5')], { status: 'finished', period: { start: daysAgo(9), end: daysAgo(6) } });
      const clinic = encounter('AMB', daysAgo(2), [at('Clinic 2')]);
      expect(current([dialysis(), clinic, discharged])?.location).toBe('Dialysis unit');
    });
  });

  describe('after a transfer the room is the current location with the latest start', () => {
    const place = (location: unknown[]) => readEncounters([encounter('IMP', daysAgo(3), location)], now)[0];

    it('a newer room whose older one was never closed (no status, no end) is where the patient is, in any array order', () => {
      const moved = [at('Room 12', since(daysAgo(2))), at('Room 40', since(daysAgo(1)))];
      expect(place(moved)).toMatchObject({ location: 'Room 40', room: '40', bed: null });
      expect(place([...moved].reverse())).toMatchObject({ location: 'Room 40', room: '40', bed: null });
      expect(row([encounter('IMP', daysAgo(3), moved)]).location).toMatchObject({ status: 'ok', value: { location: 'Room 40', room: '40' } });
    });

    it('ward, room and bed given with the same start go together; the place left earlier is dropped', () => {
      const moved = [
        at('Ward 2', since(daysAgo(2))),
        at('Room 12', since(daysAgo(2))),
        at('Ward 5', since(daysAgo(1))),
        at('Room 40', { ...since(daysAgo(1)), status: 'active' }),
        at('Bed 3', since(daysAgo(1))),
      ];
      expect(place(moved)).toMatchObject({ location: 'Ward 5, Room 40, Bed 3', room: '40', bed: '3' });
    });

    it('an entry that starts later (not yet begun) is not where the patient is; a start given as a date alone counts on its day', () => {
      expect(place([at('Room 12', since(daysAgo(2))), at('Room 50', since('2026-06-16T09:00:00Z'))])).toMatchObject({ room: '12' });
      expect(place([at('Room 12', since(daysAgo(2))), at('Room 50', since('2026-06-16'))])).toMatchObject({ room: '50' });
    });

    it('entries with the same start or none: the later in the array is the room and bed (array order breaks ties)', () => {
      expect(place([at('Room 12'), at('Room 40')])).toMatchObject({ room: '40' });
      expect(place([at('Room 12', since(daysAgo(1))), at('Room 40', since(daysAgo(1)))])).toMatchObject({ room: '40' });
      // Undated entries cannot be placed against a dated one: the dated one speaks for now.
      expect(place([at('Room 40', since(daysAgo(1))), at('Room 12')])).toMatchObject({ location: 'Room 40', room: '40' });
    });
  });

  describe('a current location the EHR refers to without a name', () => {
    const place = (location: unknown[]) => readEncounters([encounter('IMP', daysAgo(3), location)], now)[0];

    it('is an unnamed place (location ""), never "no location" (null)', () => {
      expect(place([{ location: { reference: 'Location/123' } }])).toMatchObject({ location: '', room: null, bed: null });
      expect(place([{ location: { reference: 'Location/123', display: ' ' }, status: 'active' }])).toMatchObject({ location: '' });
      // Nothing current at all is still no location.
      expect(place([{ location: { reference: 'Location/123' }, status: 'completed' }])).toMatchObject({ location: null });
    });

    it('a move to an unnamed place does not leave the older named room standing', () => {
      const moved = [at('Room 12', since(daysAgo(2))), { location: { reference: 'Location/123' }, ...since(daysAgo(1)) }];
      expect(place(moved)).toMatchObject({ location: '', room: null, bed: null });
    });

    it('a named place given with it is shown', () => {
      expect(place([at('Ward 5'), { location: { reference: 'Location/123' } }])).toMatchObject({ location: 'Ward 5' });
    });
  });
});
