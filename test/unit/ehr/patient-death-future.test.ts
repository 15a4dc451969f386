import { afterEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../server/ehr/adapters/index.js';
import { birthDateWithAge, deceasedText } from '../../../client/shared/format';
import { setLanguage } from '../../../client/shared/i18n/t';
import '../../../client/shared/i18n/catalogs';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * Patient.deceasedDateTime (DSTU2, STU3 and R4 alike) still to come: a death cannot be later than
 * now, so the date is a record error (a year typed wrong). The tab (list, details) and the CSV show
 * it as given and say the dates conflict, never "died 2031-…, aged 81" as a fact nor any age by it.
 * A death today, or a moment within the clock skew allowed, is no conflict.
 */
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The birth date column of the list (tab) and of the CSV for a Patient as `release` reads it. */
function shown(release: 'DSTU2' | 'STU3' | 'R4', deceasedDateTime: string, birthDate: string | null = '1950-03-14') {
  const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: release === 'DSTU2' ? ['Vale'] : 'Vale', given: ['Ida'] }] };
  const summary = adapterFor(release).readPatient({ ...patient, ...(birthDate ? { birthDate } : {}), deceasedDateTime })!.summary;
  const row = {
    patientId: 'p1',
    displayName: summary.displayName,
    mrn: null,
    birthDate,
    gender: null,
    available: true,
    cells: {},
    deceased: summary.deceased,
  };
  return {
    tab: birthDateWithAge(summary.birthDate, new Date(), summary.deceased),
    badge: deceasedText(summary.deceased!),
    csv: cellText('birthDate', row as ListRow),
  };
}

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a date of death still to come (%s Patient)', (release) => {
  afterEach(() => setLanguage('en'));

  it.each([
    ['a day next year', day(Date.now() + 400 * DAY)],
    ['only a year, two years on', String(new Date(Date.now() + 800 * DAY).getUTCFullYear())],
    ['a moment an hour from now', new Date(Date.now() + 3_600_000).toISOString()],
  ])('%s: no age, the date as given, said to conflict in the tab and the CSV', (_, death) => {
    const { tab, badge, csv } = shown(release, death);
    expect(tab).toMatch(/\(died .+; dates conflict: check in EHR\)$/);
    expect(badge).toMatch(/^Deceased .+ \(dates conflict: check in EHR\)$/);
    expect(csv).toBe(`1950-03-14 (died ${death.slice(0, 10)}; dates conflict: check in EHR)`);
    expect(`${tab} ${csv}`).not.toMatch(/aged/);
  });

  it('without a birth date the tab and the CSV say so too', () => {
    const death = day(Date.now() + 400 * DAY);
    const { tab, csv } = shown(release, death, null);
    expect(tab).toMatch(/^Deceased .+ \(dates conflict: check in EHR\)$/);
    expect(csv).toBe(`Died ${death}; dates conflict: check in EHR`);
  });

  it('a death today, or within the clock skew allowed, keeps its age', () => {
    for (const death of [day(Date.now()), new Date(Date.now() + 60_000).toISOString()]) {
      const { tab, badge, csv } = shown(release, death);
      expect(`${tab} ${badge} ${csv}`).not.toMatch(/conflict/);
      expect(csv).toMatch(/^1950-03-14 \(died \d{4}-\d{2}-\d{2}, aged \d+\)$/);
    }
  });

  it('is said in every language', () => {
    for (const language of ['ru', 'zh-CN', 'zh-TW'] as const) {
      setLanguage(language);
      const { tab, badge } = shown(release, day(Date.now() + 400 * DAY));
      for (const text of [tab, badge]) expect(text).toMatch(/EHR|ЭМК/);
    }
  });
});
