import { describe, expect, it } from 'vitest';
import { cellText, csvColumns } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

const row = (cells: ListRow['cells']): ListRow => ({
  patientId: 'p1',
  displayName: 'Ann Doe',
  mrn: null,
  birthDate: '1960-01-01',
  gender: 'female',
  available: true,
  cells,
});
const ok = (value: unknown) => ({ status: 'ok' as const, value });

describe('the CSV says what the tab marks', () => {
  it('a high-criticality allergy (AllergyIntolerance.criticality high / DSTU2 CRITH) says so in words', () => {
    const text = cellText(
      'allergies',
      row({
        allergies: ok([
          { substance: 'Penicillin', criticality: 'high' },
          { substance: 'Latex', criticality: 'low' },
        ]),
      }),
    );
    expect(text).toBe('Penicillin (high criticality); Latex');
  });

  it('a preliminary reading (Observation.status preliminary) says so in its text and its flag column', () => {
    const reading = {
      time: { text: '2026-12-05T08:00:00Z', epochMs: Date.parse('2026-12-05T08:00:00Z') },
      value: { value: 135, unit: '/min' },
      preliminary: true,
    };
    const r = row({
      heartRate: ok(reading),
      bloodPressure: ok({ ...reading, value: undefined, systolic: { value: 85, unit: 'mmHg' }, diastolic: { value: 50, unit: 'mmHg' } }),
    });
    expect(cellText('heartRate', r, 'UTC')).toContain('(preliminary)');
    expect(cellText('bloodPressure', r, 'UTC')).toContain('85/50 mmHg (preliminary)');
    const flag = csvColumns('heartRate', 'Heart rate', 'UTC').find((c) => c.heading === 'Heart rate flag')!;
    expect(flag.value(r)).toBe('Critical high; preliminary');
  });
});

describe('the CSV says what the tab says of allergy statements and counted orders', () => {
  it('a statement of no known allergy not confirmed by the EHR keeps its mark', () => {
    const nka = (extra: object) => cellText('allergies', row({ allergies: ok([{ substance: null, criticality: null, noneKnown: true, ...extra }]) }));
    expect(nka({ verification: 'unconfirmed' })).toBe('No known allergies (unconfirmed)');
    expect(nka({})).toBe('No known allergies');
  });

  it('different orders of one drug read with their number', () => {
    const text = cellText(
      'medications',
      row({
        medications: ok([
          { name: 'Heparin', status: 'on-hold', count: 2 },
          { name: 'Metformin', status: 'active' },
        ]),
      }),
    );
    expect(text).toBe('Heparin ×2 (on hold); Metformin');
  });
});
