import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { hasHiddenCharacter } from '../../../contract/shared-text.js';
import { mayHoldHidden } from '../../../server/ehr/hidden-bytes.js';
import { parseEhrJson } from '../../../server/ehr/shown-text.js';
import { capabilityStatement, partnerAt, patient, routes, searchset, useFakeEhr } from './fake-ehr.js';

// Characters no one sees, which reorder the text after them or drive a terminal: never passed on from an EHR.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const ehr = useFakeEhr();

describe("an EHR's text with hidden characters", () => {
  it('reads a name and an MRN in their logical order, without direction overrides or control characters', async () => {
    const reordered = {
      ...(patient('p1', 'Doe\u202eLLIK\u202c\u0007\u001b[31m', 'Jane') as object),
      identifier: [{ type: { coding: [{ code: 'MR' }] }, value: '12\u202e3456' }],
    };
    ehr.handle(
      routes({
        'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion: '4.0.1' }) }),
        'POST /fhir/Patient/_search': () => ({ json: searchset([reordered]) }),
        'GET /fhir/Patient': () => ({ json: searchset([reordered]) }),
      }),
    );
    const gateway = createEhrGateway({ partners: () => [partnerAt(ehr)] });
    const { patients } = await gateway.searchPatients(ehr.base, 'tenant-1', { family: 'Doe', count: 10 });
    expect(patients).toHaveLength(1);
    const [found] = patients;
    expect(found.displayName).not.toMatch(HIDDEN);
    expect(found.displayName).toContain('DoeLLIK');
    expect(found.mrn).toBe('123456');
  });

  it('finds them raw or as JSON escapes, in any element, and leaves tab, line feed and other text alone', () => {
    const parsed = parseEhrJson(String.raw`{"a":"x\u202Ey","b":["\u0007bell","line\nnext\ttab"],"c":{"d":"\u0085c1","e":"caf` + 'é\u202d"}}');
    expect(parsed).toEqual({ a: 'xy', b: [' bell', 'line\nnext\ttab'], c: { d: ' c1', e: 'café' } });
  });

  it('parses a clean answer as it is', () => {
    const text = JSON.stringify({ resourceType: 'Bundle', entry: [{ resource: { name: [{ text: 'Zoë Ångström\nnote' }] } }], n: 1.5 });
    expect(parseEhrJson(text)).toEqual(JSON.parse(text));
  });
});

/** One character of each kind the shared rule (contract/shared-text.ts) drops from an EHR's text. */
const DROPPED: Record<string, string> = {
  'soft hyphen U+00AD': '\u00ad',
  'combining grapheme joiner U+034F': '\u034f',
  'Arabic letter mark U+061C': '\u061c',
  'Hangul choseong filler U+115F': '\u115f',
  'Hangul jungseong filler U+1160': '\u1160',
  'Khmer vowel inherent U+17B4': '\u17b4',
  'Mongolian vowel separator U+180E': '\u180e',
  'zero width space U+200B': '\u200b',
  'right-to-left mark U+200F': '\u200f',
  'line separator U+2028': '\u2028',
  'paragraph separator U+2029': '\u2029',
  'right-to-left override U+202E': '\u202e',
  'word joiner U+2060': '\u2060',
  'invisible separator U+2063': '\u2063',
  'reserved default ignorable U+2065': '\u2065',
  'inhibit symmetric swapping U+206A': '\u206a',
  'nominal digit shapes U+206F': '\u206f',
  'Hangul filler U+3164': '\u3164',
  'byte order mark U+FEFF': '\ufeff',
  'halfwidth Hangul filler U+FFA0': '\uffa0',
  'interlinear annotation anchor U+FFF9': '\ufff9',
  'Egyptian hieroglyph joiner U+13430': '\u{13430}',
  'musical symbol begin beam U+1D173': '\u{1d173}',
  'language tag U+E0001': '\u{e0001}',
  'tag latin capital A U+E0041, outside a flag': '\u{e0041}',
  'cancel tag U+E007F, outside a flag': '\u{e007f}',
};
/** Text in scripts and emoji that need joiners, variation selectors and tags: shown as sent. */
const KEPT: Record<string, string> = {
  Arabic: 'محمد عبد الله',
  Persian: 'می\u200cخواهم',
  Hebrew: 'כֹּהֵן',
  Hindi: 'क्\u200dष शर्मा',
  'emoji with ZWJ': '👨\u200d👩\u200d👧',
  'emoji with variation selector': '❤\ufe0f',
  'flag of a country': '🇫🇷',
  'flag of England (tag sequence)': '🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}',
};

/** JSON text with every character outside ASCII written as \u escapes (a character past U+FFFF as its surrogate pair). */
const escapedJson = (value: unknown) => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe("an EHR's text, by the rule text a person types is refused by", () => {
  const cases = [
    ...Object.entries(DROPPED).map(([kind, c]) => ({ kind, family: `Do${c}e`, mrn: `12${c}34`, shown: 'Doe', shownMrn: '1234' })),
    {
      kind: 'half a surrogate pair (escaped only: UTF-8 cannot carry it)',
      family: 'Do\ud800e',
      mrn: '12\udc0034',
      shown: 'Doe',
      shownMrn: '1234',
      escapedOnly: true,
    },
    ...Object.entries(KEPT).map(([kind, text]) => ({ kind, family: text, mrn: `12${text}34`, shown: text, shownMrn: `12${text}34` })),
  ];
  const resource = (id: string, family: string, mrn: string) => ({
    ...(patient(id, family, 'Jane') as object),
    identifier: [{ type: { coding: [{ code: 'MR' }] }, value: mrn }],
  });

  for (const [encoding, body] of [
    ['raw UTF-8', (value: unknown) => JSON.stringify(value)],
    ['JSON escapes', escapedJson],
  ] as const) {
    it(`is shown without the characters it drops and with all other text, as ${encoding}`, async () => {
      const sent = cases.filter((c) => encoding === 'JSON escapes' || !('escapedOnly' in c));
      const answer = body(searchset(sent.map((c, i) => resource(`p${i}`, c.family, c.mrn))));
      ehr.handle(
        routes({
          'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion: '4.0.1' }) }),
          'POST /fhir/Patient/_search': () => ({ body: answer, headers: { 'content-type': 'application/fhir+json' } }),
          'GET /fhir/Patient': () => ({ body: answer, headers: { 'content-type': 'application/fhir+json' } }),
        }),
      );
      const gateway = createEhrGateway({ partners: () => [partnerAt(ehr)] });
      const { patients } = await gateway.searchPatients(ehr.base, 'tenant-1', { family: 'Doe', count: 100 });
      expect(patients).toHaveLength(sent.length);
      const byId = new Map(patients.map((found) => [found.id, found]));
      sent.forEach((c, i) => {
        expect({ kind: c.kind, name: byId.get(`p${i}`)?.sortName, mrn: byId.get(`p${i}`)?.mrn }).toEqual({
          kind: c.kind,
          name: `${c.shown}, Jane`,
          mrn: c.shownMrn,
        });
      });
    });
  }
});

describe("the byte scan that lets an EHR's plain answers skip the character scan", () => {
  it('finds every character of every plane that the rule drops, between any text', () => {
    const missed: string[] = [];
    for (let code = 0x80; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue; // not in UTF-8; as escapes, any \u is found
      const c = String.fromCodePoint(code);
      if (hasHiddenCharacter(c, true) && !mayHoldHidden(Buffer.from(`{"a":"Zoë ${c}é"}`))) missed.push(code.toString(16));
    }
    expect(missed).toEqual([]);
  });

  it('lets plain text in any script through, and finds every escape', () => {
    for (const text of ['Smith', 'Zoë Ångström-Müller', ...Object.values(KEPT).filter((t) => !t.includes('\u{e007f}'))])
      expect(mayHoldHidden(Buffer.from(JSON.stringify({ a: text }))), text).toBe(false);
    expect(mayHoldHidden(Buffer.from(escapedJson({ a: 'Zoë' })))).toBe(true);
  });
});
