import { describe, expect, it } from 'vitest';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import { shown } from './medication-cell.js';

/**
 * An order is current only while its schedule lasts, however the schedule is written: as its times
 * alone (Timing.event, DSTU2, STU3 and R4: "Identifies specific times when the event occurs"), or
 * as a count of doses at times of the day (Timing.repeat.count with `when` or `timeOfDay`, no
 * period). EHRs leave such orders `active` after the last dose.
 */
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const NOW = Date.now();
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

const order = (release: 'DSTU2' | 'STU3' | 'R4', timing: Record<string, unknown>, writtenAgo: number) => ({
  resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
  id: 'o',
  status: 'active',
  ...(release === 'DSTU2' ? { dateWritten: iso(NOW - writtenAgo) } : { intent: 'order', authoredOn: iso(NOW - writtenAgo) }),
  medicationCodeableConcept: { coding: [{ system: RXNORM, code: '1665005', display: 'Cefazolin 2 g IV' }] },
  dosageInstruction: [{ timing }],
});
const current = (resource: Record<string, unknown>) => readMedications([resource], new Map(), NOW)[0].current;

describe.each(['DSTU2', 'STU3', 'R4'] as const)('an order scheduled by its times (%s Timing.event)', (release) => {
  it('a one-off dose whose time passed a month ago is not a current drug, in the cell or the details', () => {
    const stat = order(release, { event: [iso(NOW - 30 * DAY)] }, 31 * DAY);
    expect(current(stat)).toBe(false);
    expect(shown([stat]).tab).not.toContain('Cefazolin');
  });

  it('doses at listed times stay current until a day after the last of them (it may be late), a date until a day after its day is over', () => {
    expect(current(order(release, { event: [iso(NOW - 2 * DAY), iso(NOW + DAY)] }, 3 * DAY))).toBe(true);
    expect(current(order(release, { event: [day(NOW)] }, DAY))).toBe(true);
    // A one-off dose due a minute ago is still an order for the patient: `active` is "not all actions … have occurred yet".
    expect(current(order(release, { event: [iso(NOW - 60_000)] }, DAY))).toBe(true);
    expect(current(order(release, { event: [iso(NOW - 3 * DAY), day(NOW - 3 * DAY)] }, 4 * DAY))).toBe(false);
  });

  it('events beside a repeat only interpret it: the repeat decides', () => {
    const repeat = release === 'DSTU2' ? { frequency: 1, period: 1, periodUnits: 'd' } : { frequency: 1, period: 1, periodUnit: 'd' };
    expect(current(order(release, { event: [iso(NOW - 30 * DAY)], repeat }, 31 * DAY))).toBe(true);
  });

  it('a time that cannot be read keeps the order current', () => {
    expect(current(order(release, { event: [iso(NOW - 30 * DAY), 'soon'] }, 31 * DAY))).toBe(true);
  });

  it('events beside a timing code (BID: "a complete statement" of the timing) only illustrate it: the order goes on', () => {
    const bid = { coding: [{ system: 'http://hl7.org/fhir/v3/GTSAbbreviation', code: 'BID' }] };
    expect(current(order(release, { code: bid, event: [iso(NOW - 2 * DAY)] }, 3 * DAY))).toBe(true);
  });

  it('an order of very many events is read, not a failure', () => {
    const events = Array.from({ length: 200_000 }, (_, i) => iso(NOW - 40 * DAY + i));
    expect(current(order(release, { event: events }, 41 * DAY))).toBe(false);
  });
});

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a count of doses at times of the day, no period (%s Timing.repeat)', (release) => {
  const bedtime = release === 'DSTU2' ? { count: 1, when: 'HS' } : { count: 1, when: ['HS'] };

  it('one bedtime dose ordered ten days ago is over; ordered this morning it is still to come', () => {
    expect(current(order(release, { repeat: bedtime }, 10 * DAY))).toBe(false);
    expect(current(order(release, { repeat: bedtime }, DAY / 4))).toBe(true);
  });

  it('six doses, morning and evening, last three days and the day before the first comes round', () => {
    const twice = release === 'DSTU2' ? { count: 6, when: 'C' } : { count: 6, when: ['MORN', 'EVE'] };
    const days = release === 'DSTU2' ? 7 : 4;
    // And a day after the last, which may be late (medications.ts DOSING_GRACE_MS).
    expect(current(order(release, { repeat: twice }, (days + 0.5) * DAY))).toBe(true);
    expect(current(order(release, { repeat: twice }, (days + 1.5) * DAY))).toBe(false);
  });
});

describe.each(['STU3', 'R4'] as const)('times of the day that are not a daily count (%s Timing.repeat)', (release) => {
  it('doses on days of the week (dayOfWeek) are not counted as daily ones: the order goes on', () => {
    expect(current(order(release, { repeat: { count: 4, when: ['MORN'], dayOfWeek: ['mon'] } }, 6 * DAY))).toBe(true);
  });

  it('only distinct named times count: values that are no times are not doses, a time named twice is one', () => {
    expect(current(order(release, { repeat: { count: 10, when: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }, 3 * DAY))).toBe(true);
    expect(current(order(release, { repeat: { count: 4, when: ['MORN', 'MORN'] } }, 4 * DAY))).toBe(true);
  });
});

describe('orders and statements the medications cell leaves out or marks, as each release defines them', () => {
  it('a proposal is not a current drug (R4 MedicationRequest.intent proposal)', () => {
    const cell = shown([
      { resourceType: 'MedicationRequest', id: 'p', status: 'active', intent: 'proposal', medicationCodeableConcept: { text: 'Apixaban 5 mg' } },
    ]);
    expect(cell.tab).not.toContain('Apixaban');
  });

  it('a DSTU2 statement dose given as dosage.quantityQuantity is written', () => {
    const statement = {
      resourceType: 'MedicationStatement',
      id: 's',
      status: 'active',
      medicationCodeableConcept: { text: 'Metformin' },
      dosage: [{ quantityQuantity: { value: 500, unit: 'mg' }, timing: { repeat: { frequency: 2, period: 1, periodUnits: 'd' } } }],
    };
    expect(readMedications([statement], new Map(), NOW)[0].dosage).toContain('500 mg');
  });

  it('an R4 statement of status unknown is not listed as a plain current drug', () => {
    const cell = shown([{ resourceType: 'MedicationStatement', id: 'u', status: 'unknown', medicationCodeableConcept: { text: 'Lisinopril' } }]);
    expect(cell.tab).not.toBe('Lisinopril');
  });

  it('a DSTU2 order ended yesterday (dateEnded) is not current', () => {
    const cell = shown([
      {
        resourceType: 'MedicationOrder',
        id: 'd',
        status: 'active',
        dateWritten: iso(NOW - 5 * DAY),
        dateEnded: iso(NOW - DAY),
        medicationCodeableConcept: { text: 'Amoxicillin 500 mg' },
      },
    ]);
    expect(cell.tab).not.toContain('Amoxicillin');
  });
});
