import { beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, FhirError, type ClinicalWarning, type EhrGateway } from '../../../server/ehr/index.js';
import { MAX_NEXT_LINK } from '../../../server/ehr/patient-search.js';
import { capabilityStatement, outcome, partnerAt, patient, routes, searchset, useFakeEhr, type Handler, type ReceivedRequest } from './fake-ehr.js';

const TENANT = 'tenant-1';

const ehr = useFakeEhr();

let gateway: EhrGateway;
beforeEach(() => {
  gateway = createEhrGateway({ partners: () => [partnerAt(ehr)] });
});

/** Search parameters of a request, whether sent as POST form or GET query. */
const paramsOf = (r: ReceivedRequest) => (r.method === 'POST' ? r.form : r.url.searchParams);
const searches = () => ehr.requests.filter((r) => r.url.pathname.startsWith('/fhir/Patient'));
/** Every FHIR request but the discovery of the server. */
const fhirCalls = () => ehr.requests.filter((r) => r.url.pathname.startsWith('/fhir') && !/\/(metadata|\.well-known\/.*)$/.test(r.url.pathname));

function serve(fhirVersion: string, search: Handler, extra: Record<string, Handler> = {}): void {
  ehr.handle(
    routes({
      'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion }) }),
      'POST /fhir/Patient/_search': search,
      'GET /fhir/Patient': search,
      ...extra,
    }),
  );
}

const names = (result: { patients: { displayName: string }[] }) => result.patients.map((p) => p.displayName);

describe('patient search', () => {
  it('POSTs a form to _search in R4 syntax and sorts the answer by family, then given', async () => {
    serve('4.0.1', () => ({ json: searchset([patient('3', 'Zhou', 'Amy'), patient('1', 'Chau', 'Hugh'), patient('2', 'Chau', 'Anna')]) }));
    const result = await gateway.searchPatients(ehr.base, TENANT, {
      family: 'Chau',
      given: 'H',
      birthdate: '1951-08-14',
      gender: 'male',
      identifier: 'MRN+1',
      count: 500,
    });
    expect(names(result)).toEqual(['Anna Chau', 'Hugh Chau', 'Amy Zhou']);
    const [request] = searches();
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/fhir/Patient/_search');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request.form)).toEqual({
      'family:contains': 'Chau',
      'given:contains': 'H',
      birthdate: '1951-08-14',
      gender: 'male',
      identifier: 'MRN+1',
      _count: '100',
      _sort: 'family,given',
    });
  });

  it.each([
    ['4.0.1', 'R4'],
    ['3.0.1', 'STU3'],
    ['1.0.2', 'DSTU2'],
  ])('sends what was typed as one value, FHIR separators escaped (%s, %s): a comma never searches for two', async (fhirVersion) => {
    serve(fhirVersion, () => ({ json: searchset([]) }));
    await gateway.searchPatients(ehr.base, TENANT, { name: 'Adeyemi, Chloé', family: 'a$b|c\\d', identifier: '2405230,9033823|x' });
    const form = searches()[0].form;
    expect(form.get('name:contains')).toBe('Adeyemi\\, Chloé');
    expect(form.get('family:contains')).toBe('a\\$b\\|c\\\\d');
    expect(form.get('identifier')).toBe('2405230\\,9033823\\|x');
  });

  it('uses family:contains and modifier sorting on DSTU2', async () => {
    serve('1.0.2', () => ({ json: searchset([patient('1', 'Chau', 'Hugh', true)]) }));
    const result = await gateway.searchPatients(ehr.base, TENANT, { family: 'hau', id: 'abc' });
    expect(names(result)).toEqual(['Hugh Chau']);
    const form = searches()[0].form;
    expect(form.get('family:contains')).toBe('hau');
    expect(form.get('_id')).toBe('abc');
    expect(form.getAll('_sort')).toEqual(['family', 'given']);
  });

  it('falls back to GET when POST _search is refused, and goes straight to GET next time', async () => {
    serve('3.0.1', () => ({ json: searchset([patient('1', 'Chau', 'Hugh')]) }), {
      'POST /fhir/Patient/_search': () => ({ status: 405, json: outcome('not-supported') }),
    });
    expect(names(await gateway.searchPatients(ehr.base, TENANT, { family: 'Chau' }))).toEqual(['Hugh Chau']);
    expect(searches().map((r) => r.method)).toEqual(['POST', 'GET']);
    expect(searches()[1].url.searchParams.get('family:contains')).toBe('Chau');
    await gateway.searchPatients(ehr.base, TENANT, { family: 'Chau' });
    expect(searches().map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
  });

  it('matches a name from the start of a part when :contains is rejected, says so, and does not ask with it again', async () => {
    serve('1.0.2', (r) =>
      [...paramsOf(r).keys()].some((k) => k.endsWith(':contains'))
        ? { status: 400, json: outcome('not-supported', 'Unknown modifier') }
        : { json: searchset([patient('1', 'Chau', 'Hugh', true), patient('2', 'Chaudhry', 'Ravi', true)]) },
    );
    const result = await gateway.searchPatients(ehr.base, TENANT, { family: 'chau' });
    expect(names(result)).toEqual(['Hugh Chau', 'Ravi Chaudhry']);
    expect(result.match).toBe('start');
    expect(searches().map((r) => [...paramsOf(r).keys()].filter((k) => k.startsWith('family')))).toEqual([
      ['family:contains'],
      ['family:contains'],
      ['family'],
    ]);
    expect(searches().every((r) => r.method === 'POST')).toBe(true);
    // Remembered: the next search by name goes straight to the start-of-part rule.
    expect((await gateway.searchPatients(ehr.base, TENANT, { name: 'hu' })).match).toBe('start');
    expect([...new Set(paramsOf(searches()[3]).keys())]).toEqual(['name', '_sort']);
    expect(searches()).toHaveLength(4);
  });

  it('retries without _sort when it is rejected, and still sorts', async () => {
    serve('4.0.1', (r) =>
      paramsOf(r).has('_sort')
        ? { status: 400, json: outcome('not-supported') }
        : { json: searchset([patient('2', 'Young', 'Bo'), patient('1', 'Adams', 'Al')]) },
    );
    expect(names(await gateway.searchPatients(ehr.base, TENANT, { name: 'a' }))).toEqual(['Al Adams', 'Bo Young']);
    expect(searches().map((r) => paramsOf(r).has('_sort'))).toEqual([true, false]);
    await gateway.searchPatients(ehr.base, TENANT, { name: 'b' });
    expect(searches().map((r) => paramsOf(r).has('_sort'))).toEqual([true, false, false]);
  });

  it('drops OperationOutcome entries from the results and reports them as a count, without their text', async () => {
    const warnings: ClinicalWarning[] = [];
    gateway = createEhrGateway({ partners: () => [partnerAt(ehr)], onWarnings: (w) => warnings.push(...w) });
    const warning = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', diagnostics: 'Results for Hugh Chau limited' }],
    };
    serve('4.0.1', () => ({
      json: {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [
          { resource: warning, search: { mode: 'outcome' } },
          { resource: patient('1', 'Chau', 'Hugh'), search: { mode: 'match' } },
          { resource: outcome('not-supported'), search: { mode: 'match' } },
        ],
      },
    }));
    const result = await gateway.searchPatients(ehr.base, TENANT, { family: 'Chau' });
    expect(names(result)).toEqual(['Hugh Chau']);
    expect(result).not.toHaveProperty('warnings');
    expect(warnings).toEqual([{ code: 'outcome_entry', count: 2 }]);
  });

  it('never relies on total and returns the next link for paging', async () => {
    serve('4.0.1', () => ({
      json: searchset([patient('1', 'Chau', 'Hugh')], {
        total: 9999,
        link: [
          { relation: 'self', url: `${ehr.base}/Patient` },
          { relation: 'next', url: `${ehr.base}/Patient?page=2&_count=1` },
        ],
      }),
    }));
    const first = await gateway.searchPatients(ehr.base, TENANT, { family: 'Chau', count: 1 });
    expect(first).toEqual({ patients: [expect.objectContaining({ id: '1' })], next: `${ehr.base}/Patient?page=2&_count=1`, match: 'contains' });

    serve('4.0.1', () => ({ json: searchset([patient('2', 'Chau', 'Ivy')]) }));
    const second = await gateway.searchPatients(ehr.base, TENANT, { family: 'Chau', count: 1 }, first.next);
    expect(names(second)).toEqual(['Ivy Chau']);
    expect(second.next).toBeUndefined();
    const page = searches().at(-1)!;
    expect(page.method).toBe('GET');
    expect(page.path).toBe('/fhir/Patient?page=2&_count=1');
  });

  it.each([`/fhir/Patient?page=2`, `/fhir/Patient/_search?page=2`, `/fhir?_getpages=abc&_getpagesoffset=20`])(
    'pages on a Patient search link such as %s',
    async (link) => {
      const page2 = () => ({ json: searchset([patient('2', 'Chau', 'Ivy')]) });
      serve('4.0.1', page2, { 'GET /fhir/Patient/_search': page2, 'GET /fhir': page2 });
      const page = await gateway.searchPatients(ehr.base, TENANT, {}, `${ehr.origin}${link}`);
      expect(names(page)).toEqual(['Ivy Chau']);
      expect(fhirCalls().at(-1)!.path).toBe(link);
    },
  );

  it('resolves a relative next link against the base', async () => {
    serve('4.0.1', () => ({ json: searchset([], { link: [{ relation: 'next', url: 'Patient?page=2' }] }) }));
    expect((await gateway.searchPatients(ehr.base, TENANT, {})).next).toBe(`${ehr.base}/Patient?page=2`);
  });

  it.each([
    ['another origin', 'http://evil.example/fhir/Patient?page=2'],
    ['another port', 'http://127.0.0.1:1/fhir/Patient?page=2'],
    ['a path outside the base', '/admin/Patient?page=2'],
    ['a path that only starts like the base', '/fhirx/Patient?page=2'],
    ['a path escaping the base', '/fhir/../internal?x=1'],
    ['another scheme', 'file:///etc/passwd'],
    ['another resource type', '/fhir/Observation?_count=50'],
    ['a read of one patient', '/fhir/Patient/123'],
    ['an operation', '/fhir/Patient/$everything?_count=50'],
    ['a search of the whole server', '/fhir?_type=Observation'],
    ['the base itself', '/fhir'],
  ])('refuses a paging link to %s without fetching it', async (_, link) => {
    serve('4.0.1', () => ({ json: searchset([]) }));
    const pageUrl = link.startsWith('/') ? `${ehr.origin}${link}` : link;
    const error = await gateway.searchPatients(ehr.base, TENANT, {}, pageUrl).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).code).toBe('link_not_allowed');
    expect(searches()).toHaveLength(0);
    expect(fhirCalls()).toHaveLength(0);
  });

  it('reports a server error that no fallback explains', async () => {
    serve('4.0.1', () => ({ status: 502, json: outcome('exception') }));
    const error = await gateway.searchPatients(ehr.base, TENANT, { family: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ehr_error', status: 502 });
    expect(searches()).toHaveLength(1);
  });
});

/** The name rule, release by release: the same question, the same parameters, the same answer. */
describe.each([
  ['DSTU2', '1.0.2'],
  ['STU3', '3.0.2'],
  ['R4', '4.0.1'],
])('name search in %s', (_release, fhirVersion) => {
  const dstu2 = fhirVersion.startsWith('1.');
  const people = () => [patient('1', 'Auer', 'Valentin', dstu2), patient('2', 'Dicki', 'Max', dstu2)];

  it.each([
    [{ name: 'uer' }, ['name:contains']],
    [{ family: 'uer' }, ['family:contains']],
    [{ given: 'ax' }, ['given:contains']],
    [{ name: 'uer', given: 'val' }, ['name:contains', 'given:contains']],
  ])('asks %j with %j and says it matched inside names', async (query, params) => {
    serve(fhirVersion, () => ({ json: searchset(people()) }));
    const result = await gateway.searchPatients(ehr.base, TENANT, query);
    expect(result.match).toBe('contains');
    const asked = [...paramsOf(searches()[0]).keys()].filter((k) => !k.startsWith('_'));
    expect(asked).toEqual(params);
  });

  it('falls back to the start of a name part where :contains is refused, and says so', async () => {
    serve(fhirVersion, (r) =>
      paramsOf(r).has('name:contains')
        ? { status: 400, json: outcome('not-supported') }
        : { json: searchset([patient('1', 'Auer', 'Valentin', dstu2)]) },
    );
    const result = await gateway.searchPatients(ehr.base, TENANT, { name: 'Au' });
    expect(result).toMatchObject({ match: 'start', patients: [expect.objectContaining({ id: '1' })] });
    expect(paramsOf(searches().at(-1)!).get('name')).toBe('Au');
  });

  it('states no rule for a search without a name, and takes an MRN as it is (a token: exact)', async () => {
    serve(fhirVersion, () => ({ json: searchset(people()) }));
    const result = await gateway.searchPatients(ehr.base, TENANT, { identifier: 'MRN-0042' });
    expect(result).not.toHaveProperty('match');
    expect(Object.fromEntries([...paramsOf(searches()[0])].filter(([k]) => !k.startsWith('_')))).toEqual({ identifier: 'MRN-0042' });
  });
});

describe('what a DSTU2 Conformance states', () => {
  it('asks without :contains when the Conformance lists the name modifiers without it', async () => {
    const conformance = capabilityStatement({ fhirVersion: '1.0.2' }) as { rest: { resource: Record<string, unknown>[] }[] };
    conformance.rest[0].resource[0].searchParam = [{ name: 'name', type: 'string', modifier: ['exact', 'missing'] }];
    ehr.handle(
      routes({
        'GET /fhir/metadata': () => ({ json: conformance }),
        'POST /fhir/Patient/_search': () => ({ json: searchset([patient('1', 'Auer', 'Valentin', true)]) }),
      }),
    );
    const result = await gateway.searchPatients(ehr.base, TENANT, { name: 'Au' });
    expect(result.match).toBe('start');
    expect(searches()).toHaveLength(1);
    expect(paramsOf(searches()[0]).get('name')).toBe('Au');
  });
});

describe("an EHR's next link", () => {
  it('is not kept when it is longer than any paging needs: the search has no next page and says why', async () => {
    const warned: ClinicalWarning[] = [];
    const watched = createEhrGateway({ partners: () => [partnerAt(ehr)], onWarnings: (w) => warned.push(...w) });
    const page = (next: string) => () => ({
      json: { ...(searchset([patient('1', 'Chau', 'Hugh')]) as object), link: [{ relation: 'next', url: `${ehr.base}/Patient?${next}` }] },
    });
    serve('4.0.1', page(`_getpages=${'x'.repeat(MAX_NEXT_LINK)}`));
    const long = await watched.searchPatients(ehr.base, TENANT, { family: 'Chau', count: 10 });
    expect(names(long)).toEqual(['Hugh Chau']);
    expect(long.next).toBeUndefined();
    expect(warned).toContainEqual({ code: 'next_link_too_long', count: 1 });

    ehr.reset();
    serve('4.0.1', page(`_getpages=${'x'.repeat(2000)}`));
    expect((await watched.searchPatients(ehr.base, TENANT, { family: 'Chau', count: 10 })).next).toContain('_getpages=');
  });
});
