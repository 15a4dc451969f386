import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { showCell, sortValue } from '../../../client/shared/cells';
import { VitalMarks } from '../../../client/shared/components/VitalMarks';
import { setLanguage } from '../../../client/shared/i18n/t';

/**
 * The tab's marks of a reading dated in the future (contract `future`) and of a value its kind cannot
 * physically be (contract implausibleValue), as the list and the details render them, in every language.
 */
const NOW = Date.parse('2026-12-03T12:00:00Z');
const render = (shown: ReturnType<typeof showCell>) =>
  renderToStaticMarkup(createElement(FluentProvider, { theme: webLightTheme }, createElement(VitalMarks, { shown })));

describe('vital marks of a doubtful date or value', () => {
  afterEach(() => setLanguage('en'));

  it.each([
    ['en', 'dated in the future: check in EHR'],
    ['ru', 'дата в будущем: проверьте в ЭМК'],
    ['zh-CN', '日期在未来：请在 EHR 中核对'],
    ['zh-TW', '日期在未來：請在 EHR 中核對'],
  ] as const)('marks a reading dated in the future, never stale (%s)', (language, words) => {
    setLanguage(language);
    const time = { text: '2026-12-01T08:00:00Z', epochMs: Date.parse('2026-12-01T08:00:00Z') };
    // Even on a clock that makes its time look old, a reading the server says is in the future is not stale.
    const shown = showCell('heartRate', { status: 'ok', value: { value: { value: 72, unit: '/min' }, time, future: true } }, NOW);
    expect(shown).toMatchObject({ future: true });
    expect(shown.stale).toBeUndefined();
    const html = render(shown);
    expect(html).toContain('data-future');
    expect(html).toContain(words);
  });

  it.each([
    ['en', 'implausible value: check in EHR'],
    ['ru', 'неправдоподобное значение: проверьте в ЭМК'],
    ['zh-CN', '数值不合理：请在 EHR 中核对'],
    ['zh-TW', '數值不合理：請在 EHR 中核對'],
  ] as const)('says an SpO2 fraction sent as a percentage is implausible, unflagged and sorted last (%s)', (language, words) => {
    setLanguage(language);
    const time = { text: '2026-12-03T11:00:00Z', epochMs: Date.parse('2026-12-03T11:00:00Z') };
    const cell = { status: 'ok', value: { value: { value: 0.93, unit: '%' }, time } };
    const shown = showCell('spo2', cell, NOW);
    expect(sortValue('spo2', cell)).toBeNull();
    expect(shown).toMatchObject({ implausible: true });
    expect(shown.text).toContain(words);
    expect(shown.flag).toBeUndefined();
    expect(render(shown)).not.toContain('Critical');
  });
});
