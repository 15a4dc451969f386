import { describe, expect, it } from 'vitest';
import { escapeSearchValue, splitUnescaped, unescapeSearchValue } from '../../../contract/fhir-search-value';

describe('a FHIR search value with its escapes', () => {
  const texts = ['Adeyemi, Chloé', 'a$b|c\\d', '\\', ',,', 'x\\,y', '123|456,789$0', '', 'plain'];

  it.each(texts)('%j escaped is one alternative, read back as typed', (text) => {
    const value = escapeSearchValue(text);
    expect(splitUnescaped(value, ',')).toEqual([value]);
    expect(splitUnescaped(value, '|')).toEqual([value]);
    expect(unescapeSearchValue(value)).toBe(text);
  });

  it('splits at separators that are not escaped, and keeps the escapes in the parts', () => {
    expect(splitUnescaped('a,b\\,c,\\\\,d', ',')).toEqual(['a', 'b\\,c', '\\\\', 'd']);
    expect(splitUnescaped('http://x|12\\|3', '|')).toEqual(['http://x', '12\\|3']);
  });
});
