import { describe, expect, it } from 'vitest';
import { folded, sortKeyOrder, type SortKey } from '../../../client/features/lists/row-order';

const sorted = (keys: SortKey[], factor: 1 | -1 = 1) =>
  [...keys].sort((a, b) => sortKeyOrder(new Intl.Collator('en', { numeric: true, sensitivity: 'base' }))(a, b, factor));

describe("the list's filter", () => {
  it.each([
    ['nunez', 'Núñez, José'],
    ['muller', 'Müller'],
    ['zoe', 'Zoë Adams'],
    ['JOSE', 'José'],
    ['angel', 'Ángel Ávila'],
  ])('finds %s in %s, letter case and accents aside', (needle, text) => {
    expect(folded(text).includes(folded(needle))).toBe(true);
  });
  it('still tells different letters apart', () => {
    expect(folded('Nunez').includes(folded('nanez'))).toBe(false);
  });
});

describe("the list's sort order", () => {
  it('puts numbers inside text in their order, as people read them', () => {
    expect(sorted(['Room 10', 'Room 101', 'Room 2', 'Room 9'])).toEqual(['Room 2', 'Room 9', 'Room 10', 'Room 101']);
    expect(sorted(['MRN100', 'MRN99', 'MRN1000'])).toEqual(['MRN99', 'MRN100', 'MRN1000']);
  });
  it('sorts accented and lower-case initials among the others, not after Z', () => {
    expect(sorted(['Zimmer, Bob', 'Ávila, Ángel', 'ostry, émile', 'Adams, Zoe'])).toEqual([
      'Adams, Zoe',
      'Ávila, Ángel',
      'ostry, émile',
      'Zimmer, Bob',
    ]);
  });
  it('keeps missing values last in both directions, and numbers by value', () => {
    expect(sorted([null, 9, 100, null, 10])).toEqual([9, 10, 100, null, null]);
    expect(sorted([null, 9, 100, 10], -1)).toEqual([100, 10, 9, null]);
    expect(sorted(['b', null, 'a'], -1)).toEqual(['b', 'a', null]);
  });
});
