import { describe, expect, it } from 'vitest';
import { readCoverage } from '../../../server/ehr/clinical/medications.js';
import { periodEnded, periodNotBegun } from '../../../server/ehr/clinical/values.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';
import { showCell } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';

/** Coverage as each release writes it: DSTU2 `issuer` and flat `plan`, STU3 `payor` + `grouping`, R4 `payor` + `class[]`. */
const coverage = {
  DSTU2: (payer: string | null, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Coverage',
    ...(payer ? { issuer: { reference: 'Organization/1', display: payer } } : {}),
    plan: 'Gold',
    ...extra,
  }),
  STU3: (payer: string | null, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Coverage',
    ...(payer ? { payor: [{ reference: 'Organization/1', display: payer }] } : {}),
    grouping: { plan: 'Gold' },
    ...extra,
  }),
  R4: (payer: string | null, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Coverage',
    ...(payer ? { payor: [{ reference: 'Organization/1', display: payer }] } : {}),
    class: [{ type: { coding: [{ code: 'plan' }] }, value: 'Gold' }],
    ...extra,
  }),
};
const selfPayType = {
  STU3: { type: { coding: [{ system: 'http://hl7.org/fhir/coverage-selfpay', code: 'pay' }] } },
  R4: { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-selfpay', code: 'pay' }] } },
};

const csv = (items: Array<{ payer: string | null; selfPay?: boolean; plan: string | null }>) =>
  cellText('coverage', {
    patientId: 'p',
    displayName: 'A',
    mrn: null,
    birthDate: null,
    gender: null,
    available: true,
    cells: { coverage: { status: 'ok', value: items } },
  } as ListRow);

describe.each(['DSTU2', 'STU3', 'R4'] as const)('%s coverage without a payer', (release) => {
  it('a payer is named as the EHR gives it', () => {
    expect(readCoverage([coverage[release]('Acme Health')])[0]).toMatchObject({ payer: 'Acme Health', selfPay: false, plan: 'Gold' });
  });

  it('reads "Payer not stated" when nothing says who pays, never "?" (tab and CSV)', () => {
    const [view] = readCoverage([coverage[release](null)]);
    expect(view).toMatchObject({ payer: null, selfPay: false });
    expect(showCell('coverage', { status: 'ok', value: [view] }).text).toBe('Payer not stated – Gold');
    expect(csv([view])).toBe('Payer not stated – Gold');
  });
});

describe.each(['DSTU2', 'STU3', 'R4'] as const)('%s coverage naming a payer the app could not read', (release) => {
  const byReference = (payer: Record<string, unknown>) =>
    release === 'DSTU2' ? coverage.DSTU2(null, { issuer: payer }) : coverage[release](null, { payor: [payer] });

  it.each([
    ['on another server', { reference: 'https://other.example.org/fhir/Organization/7' }],
    ['not read (a type the EHR does not offer, or a failed read)', { reference: 'Organization/org-1' }],
    ['by identifier only', { identifier: { system: 'urn:payers', value: 'ACME' } }],
  ])('a payer %s reads "Payer not available", never "Payer not stated" (tab and CSV)', (_, payer) => {
    const [view] = readCoverage([byReference(payer)]);
    expect(view).toMatchObject({ payer: null, payerUnavailable: true });
    expect(showCell('coverage', { status: 'ok', value: [view] }).text).toBe('Payer not available – Gold');
    expect(csv([view])).toBe('Payer not available – Gold');
  });

  it('the same payer, once its name is read, is named', () => {
    const [view] = readCoverage([byReference({ reference: 'Organization/org-1' })], Date.now(), new Map([['Organization/org-1', 'Acme Health']]));
    expect(view).toMatchObject({ payer: 'Acme Health' });
    expect(view?.payerUnavailable).toBeUndefined();
  });

  it('an empty reference states no payer', () => {
    expect(readCoverage([byReference({})])[0]?.payerUnavailable).toBeUndefined();
  });
});

// DSTU2's Coverage has no type value set for self-pay and no patient payor: only STU3 and R4 can say it.
describe.each(['STU3', 'R4'] as const)('%s self-pay coverage', (release) => {
  it('reads "Self-pay" when the type is coverage-selfpay pay, or the patient is the payor', () => {
    const [typed] = readCoverage([coverage[release](null, selfPayType[release])]);
    const [patient] = readCoverage([coverage[release](null, { payor: [{ reference: 'Patient/p1' }] })]);
    // The patient named as payor by their own name (a display), or by an absolute reference: self-pay still.
    const [named] = readCoverage([coverage[release](null, { payor: [{ reference: 'Patient/p1', display: 'Ann Smith' }] })]);
    const [absolute] = readCoverage([coverage[release](null, { payor: [{ reference: 'https://ehr.example.org/fhir/Patient/p1' }] })]);
    for (const view of [typed, patient, named, absolute]) {
      expect(view).toMatchObject({ payer: null, selfPay: true });
      expect(showCell('coverage', { status: 'ok', value: [view] }).text).toBe('Self-pay – Gold');
      expect(csv([view])).toBe('Self-pay – Gold');
    }
  });
});

// Coverage.payor is Reference(Organization | Patient | RelatedPerson) in STU3 and R4: a Patient pays for
// themself only as the beneficiary; a parent's Patient or a RelatedPerson is a person who pays.
describe.each(['STU3', 'R4'] as const)('%s coverage paid by a person', (release) => {
  const forChild = (payor: Record<string, unknown>) =>
    readCoverage(
      [coverage[release](null, { beneficiary: { reference: 'Patient/child' }, payor: [payor] })],
      Date.now(),
      new Map(),
      'https://ehr.example.org/fhir/',
    )[0];

  it('the beneficiary as payor is self-pay, by a relative reference or its URL on the EHR', () => {
    for (const view of [forChild({ reference: 'Patient/child' }), forChild({ reference: 'https://ehr.example.org/fhir/Patient/child' })]) {
      expect(view).toMatchObject({ payer: null, selfPay: true });
      expect(view.payerPerson).toBeUndefined();
    }
  });

  it('reads the payor’s type from its reference whatever its id is written with (`Patient/p_1`): the patient, named, is still self-pay', () => {
    const view = readCoverage([coverage[release](null, { payor: [{ reference: 'Patient/p_1', display: 'Ann Doe' }] })], Date.now(), new Map())[0];
    expect(view).toMatchObject({ payer: null, selfPay: true });
  });

  it('another Patient (a parent) or a RelatedPerson, unnamed, reads "Paid by a related person", never self-pay or "Payer not stated" (tab and CSV)', () => {
    for (const payor of [
      { reference: 'Patient/mother' },
      { reference: 'RelatedPerson/rp1' },
      { type: 'RelatedPerson', identifier: { value: 'x' } },
    ]) {
      const view = forChild(payor);
      expect(view, JSON.stringify(payor)).toMatchObject({ payer: null, selfPay: false, payerPerson: true });
      const [item] = (
        cellsFor(['coverage'], { coverage: { status: 'ok', value: [view] } } as unknown as PatientClinical, undefined).coverage as {
          value: unknown[];
        }
      ).value;
      expect(showCell('coverage', { status: 'ok', value: [item] }).text).toBe('Paid by a related person – Gold');
      expect(csv([item as { payer: null; plan: string }])).toBe('Paid by a related person – Gold');
    }
  });

  it('a person named by the reference is the payer', () => {
    expect(forChild({ reference: 'Patient/mother', display: 'Jane Smith' })).toMatchObject({ payer: 'Jane Smith', selfPay: false });
    expect(forChild({ reference: 'RelatedPerson/rp1', display: 'John Smith' })).toMatchObject({ payer: 'John Smith', selfPay: false });
  });
});

describe('coverage text in every language', () => {
  it('names self-pay and a missing payer', () => {
    const cell = {
      status: 'ok',
      value: [
        { payer: null, selfPay: true, plan: null },
        { payer: null, plan: null },
      ],
    };
    const person = { status: 'ok', value: [{ payer: null, selfPay: false, payerPerson: true, plan: null }] };
    const unread = { status: 'ok', value: [{ payer: null, selfPay: false, payerUnavailable: true, plan: null }] };
    expect(showCell('coverage', cell).text).toBe('Self-pay, Payer not stated');
    expect(showCell('coverage', person).text).toBe('Paid by a related person');
    expect(showCell('coverage', unread).text).toBe('Payer not available');
    setLanguage('ru');
    expect(showCell('coverage', cell).text).toBe('За свой счёт, Плательщик не указан');
    expect(showCell('coverage', person).text).toBe('Оплачивает родственник или другое лицо');
    expect(showCell('coverage', unread).text).toBe('Плательщик недоступен');
    setLanguage('zh-CN');
    expect(showCell('coverage', cell).text).toBe('自费, 未注明付款方');
    expect(showCell('coverage', person).text).toBe('由亲属或他人支付');
    expect(showCell('coverage', unread).text).toBe('付款方不可用');
    setLanguage('zh-TW');
    expect(showCell('coverage', cell).text).toBe('自費, 未註明付款方');
    expect(showCell('coverage', person).text).toBe('由親屬或他人支付');
    expect(showCell('coverage', unread).text).toBe('付款方無法取得');
    setLanguage('en');
  });
});

const NOW = Date.parse('2026-12-04T15:00:00Z');

describe('the end of a FHIR Period', () => {
  // Period.end "includes any matching date/time" (DSTU2, STU3, R4 datatypes): a date alone lasts its
  // whole day, month or year; a date or a zone-less time carries no zone, so it is over only once it
  // is over in every zone (up to UTC-14:00), as an encounter's end is read (contract/fhir-time.ts latestMs).
  const HOUR = 3_600_000;
  it.each([
    ['2026-12-04', Date.UTC(2026, 11, 5, 14)],
    ['2026-12', Date.UTC(2027, 0, 1, 14)],
    ['2026', Date.UTC(2027, 0, 1, 14)],
    ['2026-12-31', Date.UTC(2027, 0, 1, 14)],
    ['2026-12-04T10:00:00', Date.UTC(2026, 11, 4, 24)],
    ['2026-12-04T10:00:00Z', Date.UTC(2026, 11, 4, 10)],
    ['2026-12-04T10:00:00-05:00', Date.UTC(2026, 11, 4, 15)],
  ])('%s is over from %s', (end, after) => {
    expect(periodEnded({ end }, after - 1)).toBe(false);
    expect(periodEnded({ end }, after)).toBe(true);
  });

  it('has ended only once its last day is over everywhere; no or an unreadable end is ongoing', () => {
    // 20:00 in New York on the last day (01:00 UTC the next day): still current there.
    expect(periodEnded({ end: '2026-12-04' }, Date.UTC(2026, 11, 5, 1))).toBe(false);
    expect(periodEnded({ end: '2026-12-04' }, Date.UTC(2026, 11, 5, 14) + HOUR)).toBe(true);
    expect(periodEnded({ end: '2026-12-04T14:59:59Z' }, NOW)).toBe(true);
    expect(periodEnded({ start: '2020-01-01' }, NOW)).toBe(false);
    for (const end of ['soon', '2026-13', '']) expect(periodEnded({ end }, NOW)).toBe(false);
  });

  it('has begun once its first day has begun anywhere (UTC+14:00 first); a start at an instant from that instant', () => {
    expect(periodNotBegun({ start: '2026-12-05' }, Date.UTC(2026, 11, 4, 10))).toBe(false);
    expect(periodNotBegun({ start: '2026-12-05' }, Date.UTC(2026, 11, 4, 9, 59))).toBe(true);
    expect(periodNotBegun({ start: '2026-12-05T08:00:00Z' }, Date.UTC(2026, 11, 5, 7, 59))).toBe(true);
    expect(periodNotBegun({ start: '2026-12-05T08:00:00Z' }, Date.UTC(2026, 11, 5, 8))).toBe(false);
    expect(periodNotBegun({ end: '2026-12-05' }, NOW)).toBe(false);
  });
});

describe.each(['DSTU2', 'STU3', 'R4'] as const)('%s coverage in force', (release) => {
  const cell = (views: ReturnType<typeof readCoverage>) =>
    cellsFor(
      ['coverage'],
      { careProvider: { status: 'none' }, warnings: [], coverage: { status: 'ok', value: views } } as unknown as PatientClinical,
      undefined,
    ).coverage;

  it('shows in the cell only coverage whose period holds now; the details keep every one', () => {
    const views = readCoverage(
      [
        coverage[release]('Ended', { period: { start: '2019-01-01', end: '2025-12-31' } }),
        coverage[release]('Ends today', { period: { start: '2026-01-01', end: '2026-12-04' } }),
        coverage[release]('Starts next year', { period: { start: '2027-01-01' } }),
        coverage[release]('Open', {}),
      ],
      NOW,
    );
    expect(views.map((v) => [v.payer, v.current])).toEqual([
      ['Starts next year', false],
      ['Ends today', true],
      ['Ended', false],
      ['Open', true],
    ]);
    expect(cell(views)).toEqual({
      status: 'ok',
      value: [
        { payer: 'Ends today', selfPay: false, plan: 'Gold' },
        { payer: 'Open', selfPay: false, plan: 'Gold' },
      ],
    });
    expect(cell(readCoverage([coverage[release]('Ended', { period: { end: '2020-06' } })], NOW))).toEqual({ status: 'none' });
  });

  // fm-status (STU3, R4): active | cancelled | draft | entered-in-error; DSTU2 Coverage has no status.
  if (release !== 'DSTU2')
    it('leaves cancelled, draft and entered-in-error coverage out of the cell', () => {
      const views = readCoverage(
        ['active', 'cancelled', 'draft', 'entered-in-error'].map((status) => coverage[release](status, { status })),
        NOW,
      );
      expect(views.filter((v) => v.current).map((v) => v.status)).toEqual(['active']);
    });
});
