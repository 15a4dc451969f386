import { afterEach, describe, expect, it } from 'vitest';
import { cellText, showCell } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';

/** The tab flags vital signs from the contract's NEWS2 table and marks stale ones, with a fixed clock. */
const NOW = Date.parse('2026-12-03T12:00:00Z');
const at = (text: string) => ({ text, epochMs: Date.parse(text) });
const ok = (value: unknown) => ({ status: 'ok' as const, value });
const recent = at('2026-12-03T08:00:00Z');

describe('vital flags in list cells and the details', () => {
  afterEach(() => setLanguage('en'));

  it.each([
    ['heartRate', { value: 135, unit: '/min' }, 'criticalHigh', 3],
    ['heartRate', { value: 95, unit: '/min' }, 'high', 1],
    ['heartRate', { value: 72, unit: '/min' }, undefined, undefined],
    ['respiratoryRate', { value: 8, unit: '/min' }, 'criticalLow', 3],
    ['spo2', { value: 93, unit: '%' }, 'low', 2],
    ['temperature', { value: 39.4, unit: '°C' }, 'high', 2],
    ['temperature', { value: 34.8, unit: '°C' }, 'criticalLow', 3],
    ['temperature', { value: 34.8, unit: 'K' }, undefined, undefined],
    ['weight', { value: 180, unit: 'kg' }, undefined, undefined],
  ] as const)('%s %j is flagged %s', (column, value, flag, news2) => {
    const shown = showCell(column, ok({ value, time: recent }), NOW);
    expect(shown.flag).toBe(flag);
    expect(shown.news2).toBe(news2);
    expect(shown.stale).toBeUndefined();
  });

  it('flags blood pressure on the systolic value, as NEWS2 scores it', () => {
    const bp = (systolic: number, diastolic: number) =>
      showCell(
        'bloodPressure',
        ok({ systolic: { value: systolic, unit: 'mmHg' }, diastolic: { value: diastolic, unit: 'mmHg' }, time: recent }),
        NOW,
      );
    expect(bp(88, 50).flag).toBe('criticalLow');
    expect(bp(105, 40).flag).toBe('low');
    expect(bp(125, 40).flag).toBeUndefined();
    expect(bp(225, 120).flag).toBe('criticalHigh');
  });

  it('marks a reading older than 24 hours as stale, and leaves one without a time alone', () => {
    expect(showCell('heartRate', ok({ value: { value: 72, unit: '/min' }, time: at('2026-12-02T11:59:00Z') }), NOW).stale).toBe(true);
    expect(showCell('heartRate', ok({ value: { value: 72, unit: '/min' }, time: at('2026-12-02T12:00:00Z') }), NOW).stale).toBeUndefined();
    expect(showCell('heartRate', ok({ value: { value: 72, unit: '/min' }, time: null }), NOW).stale).toBeUndefined();
  });

  it('keeps what the EHR sent for the details, every digit of it', () => {
    const temp = cellText('temperature', ok({ value: { value: 36.9, unit: '°C', original: { value: 36.889, unit: 'Cel' } }, time: recent }), NOW);
    expect(temp.text).toBe('36.9 °C');
    expect(temp.source).toBe('36.889 Cel');
    const bp = cellText(
      'bloodPressure',
      ok({
        systolic: { value: 106, unit: 'mmHg', original: { value: 106.232, unit: 'mm[Hg]' } },
        diastolic: { value: 78, unit: 'mmHg', original: { value: 77.877, unit: 'mm[Hg]' } },
        time: recent,
      }),
      NOW,
    );
    expect(bp.text).toBe('106/78 mmHg');
    expect(bp.source).toBe('106.232/77.877 mm[Hg]');
    expect(cellText('heartRate', ok({ value: { value: 72, unit: '/min' }, time: recent }), NOW).source).toBeUndefined();
    setLanguage('ru');
    expect(
      cellText('temperature', ok({ value: { value: 36.9, unit: '°C', original: { value: 36.889, unit: 'Cel' } }, time: null }), NOW).source,
    ).toBe('36,889 Cel');
  });

  it('shows kg/m² as the server writes BMI', () => {
    expect(cellText('bmi', ok({ value: { value: 27.5, unit: 'kg/m²' }, time: null }), NOW).text).toBe('27.5 kg/m²');
  });
});
