import { describe, expect, it } from 'vitest';
import { repeatedName } from '../../../server/platform/json-text';

describe('repeatedName', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['{"x":[{"a":1,"b":{"c":1, "c" :2}}]}', 'c'],
    ['{"__proto__":{},"__proto__":{}}', '__proto__'],
  ])('names the member %s gives twice', (text, name) => {
    expect(repeatedName(text)).toBe(name);
  });

  it.each(['{"a":1,"b":{"a":2}}', '[{"a":1},{"a":2}]', '{"a":"\\"a\\":","b":["a","a"]}', '{"a":"}{","a\\\\":1}', '{"a":1,"A":2}', '{"a":1,'])(
    'finds none in %s',
    (text) => {
      expect(repeatedName(text)).toBeNull();
    },
  );
});
