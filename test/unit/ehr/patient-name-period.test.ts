import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../server/ehr/adapters/index.js';
import { humanNameText } from '../../../server/ehr/adapters/patient.js';

/**
 * Which name a patient is shown by (one function for list, search, details and export): within
 * the same use rank, the name in effect whose HumanName.period.start (DSTU2, STU3, R4: "time when
 * this name was valid") is latest; names without a start after those with one; the EHR's order
 * among equals. Showing an old surname is a patient identification risk.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const family: Record<Release, (f: string) => unknown> = { DSTU2: (f) => [f], STU3: (f) => f, R4: (f) => f };
const now = Date.parse('2026-06-15T12:00:00Z');

describe.each(['DSTU2', 'STU3', 'R4'] as const)('two current names of one use in %s', (release) => {
  const name = (f: string, extra: Record<string, unknown> = {}) => ({ use: 'official', family: family[release](f), given: ['Nia'], ...extra });
  const read = (names: unknown[]) => adapterFor(release).readPatient({ resourceType: 'Patient', id: 'p1', name: names }, { now })!.summary;

  it.each([
    [
      'the newer official name wins, though listed second',
      [name('Oldname', { period: { start: '1990-01-01' } }), name('Newname', { period: { start: '2024-06-01' } })],
      'Nia Newname',
    ],
    [
      'the newer one wins in either order',
      [name('Newname', { period: { start: '2024-06-01' } }), name('Oldname', { period: { start: '1990-01-01' } })],
      'Nia Newname',
    ],
    ['a dated name before an undated one', [name('Undated'), name('Dated', { period: { start: '2020-02' } })], 'Nia Dated'],
    ['undated names keep the EHR order', [name('First'), name('Second')], 'Nia First'],
    [
      'a name not yet in effect is not chosen',
      [name('Current', { period: { start: '2001-01-01' } }), name('Future', { period: { start: '2027-01-01' } })],
      'Nia Current',
    ],
    [
      'a name whose period ended is not chosen, however late it began',
      [name('Current', { period: { start: '2001-01-01' } }), name('Ended', { period: { start: '2020-01-01', end: '2022-01-01' } })],
      'Nia Current',
    ],
    [
      'use still ranks first: an official name before a newer usual one',
      [name('Official', { period: { start: '1990-01-01' } }), name('Usual', { use: 'usual', period: { start: '2024-01-01' } })],
      'Nia Official',
    ],
  ])('%s', (_story, names, shown) => {
    const summary = read(names);
    expect(summary.displayName).toBe(shown);
    // What the name column sorts and filters by is the same name.
    expect(summary.sortName).toBe(`${shown.split(' ')[1]}, Nia`);
  });

  it('a practitioner is named by the same rule', () => {
    const names = [name('Oldname', { period: { start: '1990-01-01' } }), name('Newname', { period: { start: '2024-06-01' } })];
    expect(humanNameText(names, now)).toBe('Nia Newname');
  });
});
