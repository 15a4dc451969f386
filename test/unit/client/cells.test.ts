import { afterEach, describe, expect, it } from 'vitest';
import { cellText, dateText, shortTime, showCell, sortValue } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';

const at = (text: string) => ({ text, epochMs: Date.parse(text) });
const ok = (value: unknown) => ({ status: 'ok' as const, value });

describe('list cells', () => {
  afterEach(() => setLanguage('en'));

  it('shows a vital sign as value and short unit, with its time on a second line', () => {
    const shown = cellText('heartRate', ok({ kind: 'heartRate', value: { value: 82, unit: 'beats/minute' }, time: at('2026-11-13T17:00:00Z') }));
    expect(shown.text).toBe('82/min');
    expect(shown.detail).toMatch(/Nov 13/);
    expect(cellText('temperature', ok({ value: { value: 37.2, unit: '°C' }, time: null })).text).toBe('37.2 °C');
    expect(cellText('bmi', ok({ value: { value: 38.4, unit: 'kg/m2' }, time: null })).text).toBe('38.4 kg/m²');
  });

  it('flags a vital sign by the adult ranges only for a patient old enough for them: a child shows the value, no flag', () => {
    const heartRate = ok({ value: { value: 135, unit: '/min' }, time: null });
    expect(cellText('heartRate', heartRate)).toMatchObject({ text: '135/min', flag: 'criticalHigh' });
    const child = cellText('heartRate', heartRate, Date.now(), Infinity);
    expect(child.text).toBe('135/min');
    expect(child).not.toHaveProperty('flag');
    const pressure = ok({ systolic: { value: 85, unit: 'mmHg' }, diastolic: { value: 50, unit: 'mmHg' }, time: null });
    expect(cellText('bloodPressure', pressure, Date.now(), Infinity)).not.toHaveProperty('flag');
  });

  it("flags a reading by the patient's age when it was taken, not today's: a child's reading of years ago has no adult flag", () => {
    const taken = Date.parse('2019-03-30T10:00:00Z');
    const pressure = ok({
      systolic: { value: 85, unit: 'mmHg' },
      diastolic: { value: 50, unit: 'mmHg' },
      time: { text: '2019-03-30T10:00:00Z', epochMs: taken },
    });
    // Born 2010-01-13: 9 then, 16 since 2026-01-13.
    const sixteen = Date.UTC(2026, 0, 13);
    expect(cellText('bloodPressure', pressure, Date.now(), sixteen)).not.toHaveProperty('flag');
    expect(cellText('bloodPressure', pressure, Date.now(), taken)).toMatchObject({ flag: 'criticalLow' });
    // A reading without a time is judged now.
    const untimed = ok({ value: { value: 135, unit: '/min' }, time: null });
    expect(cellText('heartRate', untimed, Date.now(), sixteen)).toMatchObject({ flag: 'criticalHigh' });
  });

  it('writes numbers and units the way the language does', () => {
    setLanguage('ru');
    expect(cellText('temperature', ok({ value: { value: 37.2, unit: '°C' }, time: null })).text).toBe('37,2 °C');
    expect(cellText('heartRate', ok({ value: { value: 82, unit: 'beats/minute' }, time: null })).text).toBe('82/мин');
    expect(cellText('weight', ok({ value: { value: 1234.5, unit: 'kg' }, time: null })).text).toBe('1\u00a0234,5 кг');
    expect(
      cellText('bloodPressure', ok({ systolic: { value: 153, unit: 'mm[Hg]' }, diastolic: { value: 92, unit: 'mm[Hg]' }, time: null })).text,
    ).toBe('153/92 мм рт. ст.');
    setLanguage('zh-CN');
    expect(cellText('respiratoryRate', ok({ value: { value: 18, unit: 'breaths/minute' }, time: null })).text).toBe('18 次/分');
    expect(cellText('spo2', ok({ value: { value: 97, unit: '%' }, time: null })).text).toBe('97 %');
  });

  it('shows a whole or partial date from the EHR as a date of the language, whatever the time zone', () => {
    expect(dateText({ text: '2026-11-02', epochMs: Date.parse('2026-11-02') })).toBe('Nov 2, 2026');
    expect(dateText({ text: '2026-11', epochMs: null })).toBe('November 2026');
    setLanguage('zh-TW');
    expect(dateText({ text: '2026-11-02', epochMs: Date.parse('2026-11-02') })).toBe('2026年11月2日');
    expect(dateText({ text: 'early 2020', epochMs: null })).toBe('early 2020');
  });

  it('shows a bound the EHR gave as one ("<35 °C", "≥131/min"), flagged only when every value it allows would be', () => {
    const temperature = cellText(
      'temperature',
      ok({ value: { value: 35.1, unit: '°C', comparator: '<', original: { value: 35.04, unit: 'Cel' } }, time: null }),
    );
    expect(temperature).toMatchObject({ text: '<35.1 °C', flag: 'criticalLow', news2: 3, source: '<35.04 Cel' });
    expect(cellText('heartRate', ok({ value: { value: 131, unit: '/min', comparator: '>=' }, time: null }))).toMatchObject({
      text: '≥131/min',
      flag: 'criticalHigh',
    });
    const under = cellText('heartRate', ok({ value: { value: 120, unit: '/min', comparator: '<' }, time: null }));
    expect(under.text).toBe('<120/min');
    expect(under.flag).toBeUndefined();
    const bp = ok({ systolic: { value: 70, unit: 'mmHg', comparator: '<=' }, diastolic: { value: 40, unit: 'mmHg' }, time: null });
    expect(cellText('bloodPressure', bp)).toMatchObject({ text: '≤70/40 mmHg', flag: 'criticalLow' });
    // A comparator the tab does not know changes the value's meaning in a way it cannot show.
    expect(showCell('spo2', ok({ value: { value: 99, unit: '%', comparator: 'ad' }, time: null })).status).toBe('unavailable');
  });

  it('shows blood pressure as systolic/diastolic', () => {
    const bp = ok({
      kind: 'bloodPressure',
      systolic: { value: 153, unit: 'mm[Hg]' },
      diastolic: { value: 92, unit: 'mm[Hg]' },
      time: at('2026-11-13T17:00:00Z'),
    });
    expect(cellText('bloodPressure', bp).text).toBe('153/92 mmHg');
    expect(sortValue('bloodPressure', bp)).toBe(153);
  });

  it('shows room and bed, with the rest of the location as detail', () => {
    expect(cellText('location', ok({ location: '4 West, Room 412, Bed B', room: '412', bed: 'B' }))).toEqual({
      text: 'Room 412, Bed B',
      detail: '4 West',
    });
    expect(cellText('location', ok({ location: 'Room 412, Bed B', room: '412', bed: 'B' }))).toEqual({ text: 'Room 412, Bed B', detail: undefined });
    expect(cellText('location', ok({ location: 'Emergency department', room: null, bed: null })).text).toBe('Emergency department');
  });

  it('shortens long lists to their first entries and keeps the whole list', () => {
    const conditions = ok(['Pneumonia', 'Heart failure', 'Diabetes mellitus type 2', 'Asthma'].map((display) => ({ display })));
    expect(cellText('conditions', conditions)).toEqual({
      text: 'Pneumonia, Heart failure +2 more',
      full: 'Pneumonia, Heart failure, Diabetes mellitus type 2, Asthma',
    });
    expect(cellText('allergies', ok([{ substance: 'Penicillin G' }])).text).toBe('Penicillin G');
    expect(cellText('coverage', ok([{ payer: 'Northwind Mutual', plan: 'Silver HMO' }])).text).toBe('Northwind Mutual – Silver HMO');
    expect(sortValue('conditions', conditions)).toBe('pneumonia, heart failure, diabetes mellitus type 2, asthma');
  });

  it('reads a stated no-known-allergy as "No known allergies" in every language, neither an allergy nor "none recorded"', () => {
    const nka = ok([{ substance: null, criticality: null, noneKnown: true }]);
    expect(cellText('allergies', nka).text).toBe('No known allergies');
    const texts = (['ru', 'zh-CN', 'zh-TW'] as const).map((language) => {
      setLanguage(language);
      return cellText('allergies', nka).text;
    });
    expect(texts).toEqual(['Известных аллергий нет', '无已知过敏', '無已知過敏']);
  });

  it('says beside a diagnosis or allergy that the EHR has not confirmed it (verification provisional, differential, unconfirmed)', () => {
    const conditions = ok([
      { display: 'Pneumonia', verification: 'provisional' },
      { display: 'Pulmonary embolism', verification: 'differential' },
      { display: null, verification: 'unconfirmed' },
      { display: 'Asthma', verification: 'made-up' },
    ]);
    expect(cellText('conditions', conditions).full).toBe(
      'Pneumonia (provisional), Pulmonary embolism (differential), Name not given (unconfirmed), Asthma',
    );
    expect(cellText('allergies', ok([{ substance: 'Penicillin G', verification: 'unconfirmed' }])).text).toBe('Penicillin G (unconfirmed)');
    setLanguage('ru');
    expect(cellText('allergies', ok([{ substance: 'Пенициллин', verification: 'unconfirmed' }])).text).toMatch(/^Пенициллин \([^)a-z]+\)$/);
  });

  it('says beside a medication order that it is on hold (halted for now), never as if it were being given', () => {
    const medications = ok([
      { name: 'Warfarin 5 MG', status: 'on-hold' },
      { name: 'Metformin 500 MG', status: 'active' },
    ]);
    expect(cellText('medications', medications).text).toBe('Warfarin 5 MG (on hold), Metformin 500 MG');
  });

  it('marks an entry or a value the EHR qualifies in a way the tab cannot read (a FHIR modifier): "check in EHR", never shown plain', () => {
    const conditions = ok([
      { display: 'Pneumonia', qualified: true },
      { display: 'Asthma', verification: 'provisional', qualified: true },
      { display: 'Gout', qualified: 'yes' },
    ]);
    expect(cellText('conditions', conditions).full).toBe('Pneumonia (check in EHR), Asthma (provisional, check in EHR), Gout');
    expect(cellText('medications', ok([{ name: 'Simvastatin', status: 'active', qualified: true }])).text).toBe('Simvastatin (check in EHR)');
    expect(cellText('coverage', ok([{ payer: 'Acme', plan: null, qualified: true }])).text).toBe('Acme (check in EHR)');
    expect(cellText('allergies', ok([{ substance: 'Latex', qualified: true }])).text).toBe('Latex (check in EHR)');
    const now = Date.parse('2026-06-02T09:00:00Z');
    const reading = { time: { text: '2026-06-02T08:00:00Z', epochMs: Date.parse('2026-06-02T08:00:00Z') }, value: { value: 72, unit: '/min' } };
    expect(cellText('heartRate', ok({ ...reading, qualified: true }), now)).toMatchObject({ text: '72/min', qualified: true });
    expect(cellText('heartRate', ok(reading), now).qualified).toBeUndefined();
    const bp = { time: reading.time, systolic: { value: 120, unit: 'mm[Hg]' }, diastolic: { value: 80, unit: 'mm[Hg]' }, qualified: true };
    expect(cellText('bloodPressure', ok(bp), now)).toMatchObject({ text: '120/80 mmHg', qualified: true });
    expect(cellText('location', ok({ location: 'Ward 3', room: null, bed: null, qualified: true }))).toMatchObject({
      text: 'Ward 3',
      qualified: true,
    });
    setLanguage('zh-CN');
    expect(cellText('conditions', ok([{ display: '肺炎', qualified: true }])).text).toBe('肺炎 (请在 EHR 中核对)');
  });

  it('tells "none recorded" from "not available"', () => {
    expect(cellText('allergies', { status: 'none' }).text).toBe('None recorded');
    expect(cellText('allergies', { status: 'unavailable', reason: 'not_offered' }).text).toBe('Not available');
    expect(cellText('allergies', undefined).text).toBe('Not available');
    expect(sortValue('heartRate', { status: 'none' })).toBeNull();
  });

  it('gives the year of a reading only when it is not this year', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    expect(shortTime(at('2026-11-13T17:00:00Z'), now)).not.toMatch(/2026/);
    expect(shortTime(at('2025-03-02T08:00:00Z'), now)).toMatch(/2025/);
    expect(shortTime(null, now)).toBe('');
  });
});
