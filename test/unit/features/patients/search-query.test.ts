import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { Problem } from '../../../../server/platform/problem';
import {
  decodePageCursor,
  fhirDate,
  isFhirDate,
  pageCursor,
  pageCursorProblem,
  pageQuery,
  parsePatientSearch,
  patientSearchQuery,
} from '../../../../server/features/patients/search-query';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');

describe('FHIR dates', () => {
  it.each(['1951', '1951-08', '1951-08-24', '2000-02-29', '2024-02-29', '1600-02-29', '2026-12-31', '0001-01-01', '1951-04-30'])(
    'accepts %s',
    (value) => {
      expect(isFhirDate(value)).toBe(true);
      expect(fhirDate.safeParse(value).success).toBe(true);
    },
  );

  it.each([
    '1951-13-45',
    '1951-13',
    '1951-00',
    '1951-01-00',
    '1951-01-32',
    '1951-04-31',
    '1951-02-29',
    '1900-02-29',
    '2100-02-29',
    '2023-02-29',
    '0000',
    '0000-01-01',
    '51',
    '1951-8-24',
    '1951-08-24T00:00:00Z',
    '19510824',
    'ge1951',
    ' 1951',
    '1951-08-24 ',
    'yesterday',
    '',
    '１９５１',
  ])('refuses %j', (value) => {
    expect(isFhirDate(value)).toBe(false);
    expect(fhirDate.safeParse(value).success).toBe(false);
  });
});

describe('the patient search query', () => {
  it.each([
    [{ name: 'Smith' }, { name: 'Smith' }],
    [{ family: '  Иванов ' }, { family: 'Иванов' }],
    [{ given: '伟' }, { given: '伟' }],
    [{ name: "O'Brien-Núñez, Jr." }, { name: "O'Brien-Núñez, Jr." }],
    [{ identifier: 'MRN-00123' }, { identifier: 'MRN-00123' }],
    [{ identifier: 'http://hospital.example/mrn|00123' }, { identifier: 'http://hospital.example/mrn|00123' }],
    [{ identifier: 'urn:oid:1.2.36.146.595.217.0.1|12345' }, { identifier: 'urn:oid:1.2.36.146.595.217.0.1|12345' }],
    [{ identifier: '|00123' }, { identifier: '|00123' }],
    [
      { birthdate: '1951-08-24', gender: 'female' },
      { birthdate: '1951-08-24', gender: 'female' },
    ],
    [{ id: 'abc-123.x' }, { id: 'abc-123.x' }],
    [
      { name: 'a', count: '1' },
      { name: 'a', count: 1 },
    ],
    [
      { name: 'a', count: '100' },
      { name: 'a', count: 100 },
    ],
    [
      { name: 'a', count: '020' },
      { name: 'a', count: 20 },
    ],
  ])('accepts %j', (query, parsed) => {
    expect(patientSearchQuery.parse(query)).toEqual(parsed);
  });

  it.each([
    [{ name: 'Jane\u0000Doe' }, 'name'],
    [{ name: 'Jane\nDoe' }, 'name'],
    [{ family: 'Doe\u001b[31m' }, 'family'],
    [{ given: '\u007f' }, 'given'],
    [{ given: 'a\u0085b' }, 'given'],
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ name: ['a', 'b'] }, 'name'],
    [{ identifier: 'a|b|c' }, 'identifier'],
    [{ identifier: 'http://x|' }, 'identifier'],
    [{ identifier: 'http://x y|1' }, 'identifier'],
    [{ identifier: '12\t3' }, 'identifier'],
    [{ birthdate: '1951-13-45' }, 'birthdate'],
    [{ birthdate: '2023-02-29' }, 'birthdate'],
    [{ gender: 'F' }, 'gender'],
    [{ id: 'a/b' }, 'id'],
    [{ id: 'x'.repeat(65) }, 'id'],
    [{ name: 'a', count: '0' }, 'count'],
    [{ name: 'a', count: '101' }, 'count'],
    [{ name: 'a', count: '1000' }, 'count'],
    [{ name: 'a', count: '-1' }, 'count'],
    [{ name: 'a', count: '1.5' }, 'count'],
    [{ name: 'a', count: '1e1' }, 'count'],
    [{ name: 'a', count: '0x10' }, 'count'],
    [{ name: 'a', count: '' }, 'count'],
    [{ name: 'a', count: ' 5' }, 'count'],
    [{ name: 'a', _count: '5' }, ''],
    [{ name: 'a', page: 'x' }, ''],
  ])('refuses %j, naming %s', (query, key) => {
    const result = patientSearchQuery.safeParse(query);
    expect(result.success).toBe(false);
    if (key) expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(key);
  });
});

describe('page cursors', () => {
  // What the server hands out for a next page: an opaque ticket, 32 random bytes (page-links.ts).
  const ticket = randomBytes(32).toString('base64url');
  const next = 'https://ehr.example/fhir/r4?_getpages=abc&_getpagesoffset=20&_count=20';

  it('takes a ticket as it is, and nothing from it', () => {
    expect(decodePageCursor(ticket)).toBe(ticket);
    expect(pageCursor.parse(ticket)).toBe(ticket);
  });

  it.each([
    ['', 'it is empty'],
    ['\u0000', 'it was changed or cut short'],
    ['%00', 'it was changed or cut short'],
    [`${ticket}=`, 'it was changed or cut short'],
    [`${ticket}A`, 'it was changed or cut short'],
    [ticket.slice(1), 'it was changed or cut short'],
    [`${ticket.slice(0, 42)}+`, 'it was changed or cut short'],
    // The old form, the EHR's link in base64url: a page link the server did not issue.
    [b64(next), 'it was changed or cut short'],
    [b64('http://127.0.0.1:3978/sandbox/r4/Patient?_count=50'), 'it was changed or cut short'],
    [b64('https://ehr.example/fhir/Observation?_count=1000'), 'it was changed or cut short'],
    [b64(`https://ehr.example/${'x'.repeat(3000)}`), 'it was changed or cut short'],
  ])('refuses %j: %s', (cursor, problem) => {
    expect(pageCursorProblem(cursor)).toEqual({ problem });
    let thrown: unknown;
    try {
      decodePageCursor(cursor);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Problem);
    expect(thrown).toMatchObject({ status: 400, code: 'invalid_page', message: `The page link is not valid (${problem}). Search again.` });
    expect(pageCursor.safeParse(cursor).success).toBe(false);
  });

  it('is alone in its query', () => {
    expect(pageQuery.safeParse({ page: 'x', name: 'a' }).success).toBe(false);
  });
});

describe('parsePatientSearch', () => {
  const fail = (query: unknown) => {
    try {
      parsePatientSearch(query);
    } catch (err) {
      return err;
    }
    throw new Error('expected a refusal');
  };

  it('reads a page or search criteria', () => {
    const ticket = randomBytes(32).toString('base64url');
    expect(parsePatientSearch({ page: ticket })).toEqual({ kind: 'page', ticket });
    expect(parsePatientSearch({ family: 'Doe', count: '10' })).toEqual({ kind: 'search', criteria: { family: 'Doe', count: 10 } });
  });

  it('refuses what would have reached the EHR before', () => {
    expect(fail({ birthdate: '1951-13-45' })).toBeInstanceOf(ZodError);
    expect(fail({ page: '\u0000' })).toMatchObject({ status: 400, code: 'invalid_page' });
    expect(fail({ page: '' })).toMatchObject({ status: 400, code: 'invalid_page' });
    expect(fail({ page: ['a', 'b'] })).toBeInstanceOf(ZodError);
    expect(fail({ page: randomBytes(32).toString('base64url'), name: 'a' })).toBeInstanceOf(ZodError);
    expect(fail({ page: b64('http://127.0.0.1:3978/sandbox/r4/Patient?_count=50') })).toMatchObject({ status: 400, code: 'invalid_page' });
    expect(fail({})).toMatchObject({ status: 400, code: 'search_criteria_required' });
    expect(fail({ count: '5' })).toMatchObject({ status: 400, code: 'search_criteria_required' });
  });
});
