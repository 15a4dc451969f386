import { describe, expect, it } from 'vitest';
import { entrySpans, parseAnswerJson, type EntryAllowance } from '../../../server/ehr/answer-json.js';
import { mayHoldHidden } from '../../../server/ehr/hidden-bytes.js';
import { parseEhrJson } from '../../../server/ehr/shown-text.js';
import { prng } from '../../../server/sandbox/data/people.js';

/**
 * A large Bundle is parsed entry by entry (answer-json.ts): whatever the bytes, the outcome must be
 * JSON.parse's of the whole answer (with shown-text's rule), the same value or the same refusal.
 */

/** The sandbox's seeded generator: the same cases on every run; `int(n)` is 0 to n - 1. */
function random(seed: number) {
  const r = prng(seed);
  return { int: (n: number) => r.int(0, n - 1), pick: r.pick };
}
type Random = ReturnType<typeof random>;

// Characters that make a splitter go wrong if it misreads a string: quotes, escapes, brackets,
// a key's name as a value, multi-byte text, hidden characters raw and escaped.
const PIECES = ['a', 'Zoë', '"', '\\', '{', '}', '[', ']', ',', ':', 'entry', '"entry":[', '\u202e', '\u0007', '😀', 'é', ' ', '\n', '\\u0065'];

function text(r: Random): string {
  let out = '';
  for (let k = r.int(6); k >= 0; k--) out += r.pick(PIECES);
  return out;
}

function value(r: Random, depth: number): unknown {
  const kind = depth > 3 ? r.int(4) : r.int(6);
  if (kind === 0) return text(r);
  if (kind === 1) return r.int(1000) / (r.int(3) + 1);
  if (kind === 2) return r.pick([true, false, null]);
  if (kind === 3) return `${text(r)}${r.int(99)}`;
  if (kind === 4) return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(4) + 1 }, () => [text(r), value(r, depth + 1)]));
}

/** JSON text of `v` with random whitespace wherever JSON allows it. */
function spaced(v: unknown, r: Random): string {
  const ws = () => ['', '', ' ', '\n', '\t', '\r\n  '][r.int(6)];
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => `${ws()}${spaced(x, r)}${ws()}`).join(',')}${ws()}]`;
  if (v && typeof v === 'object')
    return `{${ws()}${Object.entries(v)
      .map(([k, x]) => `${ws()}${JSON.stringify(k)}${ws()}:${ws()}${spaced(x, r)}${ws()}`)
      .join(',')}${ws()}}`;
  return JSON.stringify(v);
}

/** A Bundle well over the size from which answers are split. */
function bundle(r: Random): { resourceType: string; type: string; entry: unknown[]; [key: string]: unknown } {
  const entry = Array.from({ length: 60 + r.int(40) }, (_, i) => ({
    resource: { resourceType: 'Observation', id: `o${i}`, note: 'x'.repeat(1200), extra: value(r, 1) },
    response: { status: '200 OK' },
  }));
  // A top-level string written with an escape is not split (it could be a second "entry" key): the tricky text is one level down.
  return {
    resourceType: 'Bundle',
    type: 'batch-response',
    ...(r.int(2) ? { total: r.int(500) } : {}),
    entry,
    meta: { tag: value(r, 1), [text(r)]: value(r, 1) },
  };
}

/** JSON.parse's outcome of the whole answer, as shown-text reads it: a value or a refusal. */
function whole(bytes: Uint8Array): { value: unknown } | { refused: true } {
  try {
    return { value: parseEhrJson(new TextDecoder().decode(bytes)) };
  } catch {
    return { refused: true };
  }
}

/**
 * An allowance that has the answer split (its bytes could hold more entries than are left) but
 * never refuses it (every entry takes 3 bytes or more, so no answer holds more than this).
 */
const splitting = (bytes: Uint8Array): EntryAllowance => ({
  entriesLeft: Math.floor(bytes.length / 3),
  refuseEntries: () => {
    throw new Error('refused by the allowance');
  },
});

function split(bytes: Uint8Array): { value: unknown } | { refused: true } {
  try {
    return { value: parseAnswerJson(bytes, splitting(bytes)) };
  } catch {
    return { refused: true };
  }
}

/** Same outcome, and for a value the same keys in the same order at the top (where the entry array is put back). */
function expectSame(bytes: Uint8Array) {
  const expected = whole(bytes);
  const got = split(bytes);
  expect(got).toEqual(expected);
  if ('value' in got && got.value && typeof got.value === 'object' && 'value' in expected) {
    expect(Object.keys(got.value)).toEqual(Object.keys(expected.value as object));
  }
}

/** Every string value in `v` (keys are names, not text anyone reads). */
function stringValues(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (v && typeof v === 'object') return Object.values(v).flatMap(stringValues);
  return [];
}

const bytesOf = (s: string) => new TextEncoder().encode(s);

describe('a large EHR answer parsed entry by entry', () => {
  it('gives the value JSON.parse gives, for Bundles written every way JSON allows', () => {
    const r = random(1);
    for (let n = 0; n < 40; n++) {
      const b = bundle(r);
      const body = bytesOf(spaced(b, r));
      expect(body.length).toBeGreaterThan(64 * 1024);
      // Split indeed: one piece per entry.
      expect(entrySpans(body)?.spans).toHaveLength(2 * b.entry.length);
      expectSame(body);
      // Hidden characters are taken out of the entries' text as out of the rest (shown-text.ts).
      // eslint-disable-next-line no-control-regex -- a control character is what it looks for
      expect(stringValues(parseAnswerJson(body, splitting(body))).filter((t) => /[\u202a-\u202e\u0007]/.test(t))).toEqual([]);
    }
  });

  it('refuses what JSON.parse refuses, and reads what it reads, after any one byte is changed, taken out or put in', () => {
    const r = random(2);
    const structural = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x31, 0x61, 0xc3];
    for (let n = 0; n < 150; n++) {
      const body = bytesOf(spaced(bundle(r), r));
      const at = r.int(body.length);
      const how = r.int(3);
      const byte = r.pick(structural);
      // Typed-array copies, not spreads: the answers are some hundred kilobytes each.
      const mutated = new Uint8Array(body.length + (how === 1 ? -1 : how === 2 ? 1 : 0));
      mutated.set(body.subarray(0, at));
      if (how === 0) mutated.set(body.subarray(at), at);
      else if (how === 1) mutated.set(body.subarray(at + 1), at);
      else mutated.set(body.subarray(at), at + 1);
      if (how !== 1) mutated[at] = byte;
      expectSame(mutated);
    }
  });

  // Entries without tricky text: each change below lands where its name says.
  const base = () =>
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: Array.from({ length: 80 }, (_, i) => ({
        resource: { resourceType: 'Patient', id: `p${i}`, name: [{ text: 'x'.repeat(1000) }] },
        response: { status: '200 OK' },
      })),
      total: 80,
    });
  const cases: [string, (json: string) => string][] = [
    ['a byte order mark first', (json) => `\ufeff${json}`],
    ['whitespace around it', (json) => ` \n${json}\r\n\t`],
    ['something after it', (json) => `${json}x`],
    ['a second answer after it', (json) => `${json}{}`],
    ['a trailing comma among the entries', (json) => json.replace('}}],"total"', '}},],"total"')],
    ['two commas between entries', (json) => json.replace('}},{', '}},,{')],
    ['no comma between entries', (json) => json.replace('}},{', '}}{')],
    ['a comma before the first entry', (json) => json.replace('"entry":[', '"entry":[,')],
    ['a number among the entries', (json) => json.replace('"entry":[', '"entry":[1,')],
    ['a string among the entries', (json) => json.replace('"entry":[', '"entry":["{",')],
    ['an array among the entries', (json) => json.replace('"entry":[', '"entry":[[],')],
    ['null among the entries', (json) => json.replace('"entry":[', '"entry":[null,')],
    ['the entry array closed by a brace', (json) => json.replace('}}],"total"', '}}},"total"')],
    ['a second "entry" key after it', (json) => json.replace(/\}$/, ',"entry":[{"a":1}]}')],
    ...['1', '"x"', 'null', 'true', '{}', '{"a":[1]}'].map((value): [string, (json: string) => string] => [
      `a second "entry" key of value ${value} after it`,
      (json) => json.replace(/\}$/, `,"entry":${value}}`),
    ]),
    ['a second "entry" key written with an escape', (json) => json.replace(/\}$/, ',"\\u0065ntry":[{"a":1}]}')],
    ['a second, empty "entry" key written with an escape', (json) => json.replace(/\}$/, ',"\\u0065ntry":[]}')],
    ['an "entry" key written with an escape only', (json) => json.replace('"entry":', '"\\u0065ntry":')],
    ['"entry" as a value before an array', (json) => json.replace('"type":"batch-response"', '"type":"entry",[]')],
    ['two colons after "entry"', (json) => json.replace('"entry":', '"entry"::')],
    ['an unterminated string at the end', (json) => json.slice(0, -1) + ',"x":"abc'],
    ['a missing closing brace', (json) => json.slice(0, -1)],
    ['an array at the top', (json) => `[${json}]`],
    ['"entry" nested, not at the top', (json) => `{"outer":${json}}`],
    ['a raw line feed inside an entry string', (json) => json.replace('"status":"200 OK"', '"status":"200\nOK"')],
    ['an invalid UTF-8 byte in an entry', (json) => json.replace('"status":"200 OK"', '"status":"200 \u00ff"')],
  ];
  it.each(cases)('reads an answer with %s as JSON.parse does', (_name, change) => {
    const changed = change(base());
    expectSame(bytesOf(changed));
    if (_name === 'an invalid UTF-8 byte in an entry') {
      const raw = bytesOf(changed);
      const at = raw.indexOf(0xc3);
      raw[at] = 0xff; // a byte that begins no UTF-8 sequence: replaced by U+FFFD as TextDecoder does
      expectSame(raw);
    }
  });

  it('keeps the keys of the Bundle in their order, with the entries where they were', () => {
    const json = JSON.stringify({ resourceType: 'Bundle', entry: bundle(random(4)).entry, type: 'searchset', total: 3 });
    const parsed = parseAnswerJson(bytesOf(json), splitting(bytesOf(json))) as object;
    expect(Object.keys(parsed)).toEqual(['resourceType', 'entry', 'type', 'total']);
    expect(parsed).toEqual(parseEhrJson(json));
  });

  it('skips the hidden-character scan only for an answer that holds none, raw or escaped', () => {
    const r = random(5);
    // Every character shown-text takes out, and neighbours that it keeps.
    const chars = [
      ...Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)),
      ...Array.from({ length: 0x22 }, (_, c) => String.fromCharCode(0x7e + c)),
      ...Array.from({ length: 0x0c }, (_, c) => String.fromCharCode(0x2028 + c)),
      ...Array.from({ length: 0x0c }, (_, c) => String.fromCharCode(0x2060 + c)),
      ...['a', '\\', '"', '/', 'é', '°', '’', '–', '😀', '\u00e9'],
    ];
    // JSON text with some characters written as \uXXXX escapes (upper or lower case) and the rest raw.
    const encode = (text: string) =>
      `"${[...text]
        .map((c) => {
          const code = c.codePointAt(0)!;
          if (code > 0xffff) return c;
          if (code < 0x20 || r.int(3) === 0) {
            const hex = code.toString(16).padStart(4, '0');
            return `\\u${r.int(2) ? hex : hex.toUpperCase()}`;
          }
          return c === '"' || c === '\\' ? `\\${c}` : c;
        })
        .join('')}"`;
    let skipped = 0;
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: 1 + r.int(4) }, () => r.pick(chars)).join('');
      const json = `{"text":${encode(text)}}`;
      const bytes = bytesOf(json);
      if (!mayHoldHidden(bytes)) {
        skipped++;
        expect(JSON.parse(json), json).toEqual(parseEhrJson(json));
      }
    }
    // Plain text, escaped or not, is most of what an EHR sends: it is parsed without the scan.
    expect(skipped).toBeGreaterThan(50);
    expect(mayHoldHidden(bytesOf('{"a":"caf\\u00e9 \\\\b 37 °C – ’"}'))).toBe(true); // a \u escape may be anything
    expect(mayHoldHidden(bytesOf('{"a":"café \\\\b 37 °C – ’ \\/ \\n"}'))).toBe(false);
    expect(mayHoldHidden(bytesOf('{"a":"x\u202ey"}'))).toBe(true);
    expect(mayHoldHidden(bytesOf('{"a":"\\\\\\f"}'))).toBe(true); // an escaped backslash, then \f
  });

  it('counts the entries of an answer that could hold more than the read may still take, and refuses them before parsing any', () => {
    // 30,000 entries laid out plainly, each `{x}`: not JSON, so parsing any of them would fail.
    const bytes = bytesOf(`{"resourceType":"Bundle","entry":[${Array.from({ length: 30_000 }, () => '{x}').join(',')}]}`);
    const refused = {
      entriesLeft: 20_000,
      refuseEntries: (): never => {
        throw new Error('too many entries');
      },
    };
    expect(() => parseAnswerJson(bytes, refused)).toThrow('too many entries');
    // With room for them all, or no allowance, the entries are parsed: JSON.parse's refusal.
    expect(() => parseAnswerJson(bytes, { ...refused, entriesLeft: 30_000 })).toThrow(SyntaxError);
    expect(() => parseAnswerJson(bytes)).toThrow(SyntaxError);
    // An answer too small to hold more than are left is not looked into: parsed whole.
    const few = bytesOf(`{"resourceType":"Bundle","entry":[${Array.from({ length: 10 }, () => '{}').join(',')}]}`);
    expect(parseAnswerJson(few, { ...refused, entriesLeft: Math.ceil(few.length / 3) })).toMatchObject({ entry: expect.any(Array) });
    expect(() => parseAnswerJson(few, { ...refused, entriesLeft: 9 })).toThrow('too many entries');
  });

  // A fault test: the bytes below took the splitter minutes (each bracket looked back over the
  // spaces after the key); JSON.parse refuses them at once. Bounded by the test's time limit.
  it('refuses a hostile answer in the time JSON.parse takes, not in time growing with the square of its size', () => {
    const hostile = bytesOf(`{"entry"${' '.repeat(1 << 18)}${'[]'.repeat(1 << 17)}}`);
    expectSame(hostile);
    const nested = (levels: number) => bytesOf(`{"entry":[${'{"a":1},'.repeat(1 << 16)}{"b":${'['.repeat(levels)}${']'.repeat(levels)}}]}`);
    expectSame(nested(90));
    // Deeper than any FHIR answer (answer-json.ts MAX_DEPTH): refused before any of it is parsed.
    expect(split(nested(1 << 10))).toEqual({ refused: true });
  }, 5_000);
});
