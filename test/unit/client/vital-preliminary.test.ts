import { afterEach, describe, expect, it } from 'vitest';
import { cellText, showCell } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';

/** A reading the EHR has not made final (contract `preliminary`) says so in words, in the list cell and the details. */
const NOW = Date.parse('2026-12-03T12:00:00Z');
const recent = { text: '2026-12-03T08:00:00Z', epochMs: Date.parse('2026-12-03T08:00:00Z') };
const ok = (value: unknown) => ({ status: 'ok' as const, value });

describe('preliminary vital signs', () => {
  afterEach(() => setLanguage('en'));

  it.each([
    ['heartRate', { value: { value: 135, unit: '/min' } }, '135/min (preliminary)', 'criticalHigh'],
    ['temperature', { value: { value: 37.2, unit: '°C' } }, '37.2 °C (preliminary)', undefined],
    ['bloodPressure', { systolic: { value: 85, unit: 'mmHg' }, diastolic: { value: 50, unit: 'mmHg' } }, '85/50 mmHg (preliminary)', 'criticalLow'],
    ['bloodPressure', { systolic: null, diastolic: { value: 50, unit: 'mmHg' } }, '?/50 mmHg (preliminary)', undefined],
  ] as const)('%s %j reads %j, flagged %s', (column, value, text, flag) => {
    const shown = showCell(column, ok({ ...value, time: recent, preliminary: true }), NOW);
    expect(shown).toMatchObject({ status: 'ok', text, preliminary: true });
    expect(shown.flag).toBe(flag);
    // The details show the same text.
    expect(cellText(column, ok({ ...value, time: recent, preliminary: true }), NOW).text).toBe(text);
    // Without the mark, the value alone.
    const plain = showCell(column, ok({ ...value, time: recent }), NOW);
    expect(plain.text).toBe(text.replace(' (preliminary)', ''));
    expect(plain).not.toHaveProperty('preliminary');
  });

  it('reads only `true` as preliminary', () => {
    for (const preliminary of [false, 'true', 1, null]) {
      const shown = showCell('heartRate', ok({ value: { value: 72, unit: '/min' }, time: recent, preliminary }), NOW);
      expect(shown).toMatchObject({ status: 'ok', text: '72/min' });
      expect(shown).not.toHaveProperty('preliminary');
    }
  });
});
