import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, familyOf, ids, mrnOf, startPartner, tenantA, tenantB, versions, type Partner, type Version } from './harness';
import type { Json } from '../../helpers/json';

// The partner's FHIR endpoints in each release, over real HTTP, beyond the basics of partner.test.ts.
let partner: Partner;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  partner = await startPartner(
    {
      tenants: [
        { id: tenantA, name: 'Contoso' },
        { id: tenantB, name: 'Fabrikam' },
      ],
      patientsPerTenant: 30,
    },
    '/dev/partner',
  );
  tokens.a = await partner.tokenFor(tenantA);
  tokens.b = await partner.tokenFor(tenantB);
});
afterAll(() => partner?.close());

const medication: Record<Version, string> = { dstu2: 'MedicationOrder', stu3: 'MedicationRequest', r4: 'MedicationRequest' };
const newestFirst: Record<Version, string> = { dstu2: '_sort:desc=date', stu3: '_sort=-date', r4: '_sort=-date' };
const oldestFirst: Record<Version, string> = { dstu2: '_sort:asc=date', stu3: '_sort=date', r4: '_sort=date' };

describe('discovery', () => {
  it.each(versions)('%s: smart-configuration names the token endpoint under the mount point, with both secret methods', async (version) => {
    const res = await fetch(`${partner.url}/${version}/.well-known/smart-configuration`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      token_endpoint: `${partner.url}/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      grant_types_supported: ['client_credentials'],
    });
  });

  it.each(versions)('%s: metadata lists each served resource with its search parameters', async (version) => {
    const body = await (await fetch(`${partner.url}/${version}/metadata`)).json();
    const resources = body.rest[0].resource as { type: string; searchParam: { name: string }[] }[];
    expect(resources.map((r) => r.type)).toEqual(
      expect.arrayContaining(['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'Coverage', medication[version]]),
    );
    const patientParams = resources.find((r) => r.type === 'Patient')!.searchParam.map((p) => p.name);
    expect(patientParams).toEqual(expect.arrayContaining(['_id', 'name', 'family', 'given', 'birthdate', 'gender', 'identifier']));
    expect(body.rest[0].security.extension[0].extension).toContainEqual({ url: 'authorize', valueUri: `${partner.url}/authorize` });
  });
});

describe('tokens', () => {
  it('refuses FHIR calls without a valid token with 401 and an OperationOutcome, also for unknown types', async () => {
    for (const path of ['/r4/Patient', '/stu3/Nothing', '/dstu2/Patient/x']) {
      const res = await fetch(`${partner.url}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect((await res.json()).resourceType).toBe('OperationOutcome');
    }
    expect((await partner.fhir('/r4/Patient', 'made-up')).status).toBe(401);
  });

  it('keeps tokens issued with a secret valid after that secret is deleted, and refuses to delete the secret in use', async () => {
    const client = await partner.register();
    const issued = (await partner.token(client.client_id, client.client_secret, tenantA, 'post')).body.access_token;
    const second = await (
      await fetch(`${partner.url}/clients/${client.client_id}/secrets`, {
        method: 'POST',
        headers: { authorization: basic(client.client_id, client.client_secret) },
      })
    ).json();
    const self = await fetch(`${partner.url}/clients/${client.client_id}/secrets/${client.secret_id}`, {
      method: 'DELETE',
      headers: { authorization: basic(client.client_id, client.client_secret) },
    });
    expect(self.status).toBe(400);
    const deleted = await fetch(`${partner.url}/clients/${client.client_id}/secrets/${client.secret_id}`, {
      method: 'DELETE',
      headers: { authorization: basic(client.client_id, second.client_secret) },
    });
    expect(deleted.status).toBe(204);
    expect((await partner.fhir('/r4/Patient?_count=1', issued)).status).toBe(200);
    const stranger = await fetch(`${partner.url}/clients/${client.client_id}/secrets`, {
      method: 'POST',
      headers: { authorization: basic(client.client_id, client.client_secret) },
    });
    expect(stranger.status).toBe(401);
    expect((await stranger.json()).error).toBe('invalid_client');
  });

  it('refuses other grants, and a token request naming no or two tenants', async () => {
    const client = await partner.register();
    const other = await fetch(`${partner.url}/token`, {
      method: 'POST',
      headers: { authorization: basic(client.client_id, client.client_secret) },
      body: new URLSearchParams({ grant_type: 'password', scope: tenantA }),
    });
    expect((await other.json()).error).toBe('unsupported_grant_type');
    expect((await partner.token(client.client_id, client.client_secret, '')).body.error).toBe('invalid_scope');
    expect((await partner.token(client.client_id, client.client_secret, `${tenantA} ${tenantB}`)).body.error).toBe('invalid_scope');
    expect((await partner.token(client.client_id, client.client_secret, `system/*.read ${tenantB}`)).body.scope).toBe(tenantB);
    expect((await partner.token('nobody', 'nothing', tenantA, 'post')).status).toBe(401);
    for (const authorization of ['Basic !!!', `Basic ${Buffer.from('%zz:%zz').toString('base64')}`, 'Bearer x']) {
      const res = await fetch(`${partner.url}/token`, {
        method: 'POST',
        headers: { authorization },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: tenantA }),
      });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toBe('invalid_client');
    }
    const authorize = await fetch(`${partner.url}/authorize?response_type=code`);
    expect(authorize.status).toBe(400);
    expect((await authorize.json()).error).toBe('unsupported_response_type');
  });

  it('lets a token expire after its lifetime', async () => {
    const shortLived = await startPartner({ tenants: [{ id: tenantA, name: 'A' }], patientsPerTenant: 2, tokenLifetimeSeconds: 1 });
    try {
      const access = await shortLived.tokenFor(tenantA);
      expect((await shortLived.fhir('/stu3/Patient', access)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await shortLived.fhir('/stu3/Patient', access)).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });
});

describe.each(versions)('the %s endpoint', (version) => {
  const get = (path: string, token = tokens.a) => partner.fhir(`/${version}${path}`, token);
  const patients = async () => (await get('/Patient?_count=100')).body.entry.map((e: { resource: Json }) => e.resource);

  it("keeps tenants apart: different people, and no read of the other tenant's ids", async () => {
    const a = (await get('/Patient?_count=100')).body;
    const b = (await get('/Patient?_count=100', tokens.b)).body;
    expect(a.total).toBe(30);
    expect(b.total).toBe(30);
    const mrnsA = a.entry.map((e: { resource: Json }) => mrnOf(e.resource));
    expect(b.entry.map((e: { resource: Json }) => mrnOf(e.resource)).filter((m: string) => mrnsA.includes(m))).toEqual([]);
    for (const id of ids(a).slice(0, 3)) expect((await get(`/Patient/${id}`, tokens.b)).status).toBe(404);
    const someone = a.entry[0].resource;
    expect(ids((await get(`/Observation?patient=${someone.id}`, tokens.b)).body)).toEqual([]);
  });

  it('searches by name in other scripts, given, gender, birthdate, _id and MRN with its system', async () => {
    const all = await patients();
    const chinese = (await get(`/Patient?name=${encodeURIComponent('张')}`)).body;
    expect(chinese.entry.map((e: { resource: Json }) => familyOf(e.resource))).toEqual(['张']);
    const russian = (await get(`/Patient?family:contains=${encodeURIComponent('мирнов')}`)).body;
    expect(russian.entry.map((e: { resource: Json }) => familyOf(e.resource))).toEqual(['Смирнова']);
    const p = all[7];
    const byAll = (await get(`/Patient?given=${encodeURIComponent(p.name[0].given[0])}&gender=${p.gender}&birthdate=${p.birthDate}`)).body;
    expect(ids(byAll)).toContain(p.id);
    expect(byAll.entry.every((e: { resource: Json }) => e.resource.gender === p.gender && e.resource.birthDate === p.birthDate)).toBe(true);
    expect(ids((await get(`/Patient?_id=${p.id}`)).body)).toEqual([p.id]);
    const system = p.identifier[0].system;
    expect(ids((await get(`/Patient?identifier=${encodeURIComponent(`${system}|${mrnOf(p)}`)}`)).body)).toEqual([p.id]);
    expect(ids((await get(`/Patient?identifier=${encodeURIComponent(`urn:other|${mrnOf(p)}`)}`)).body)).toEqual([]);
  });

  it('finds by family:contains in every release, matching inside the name', async () => {
    const all = await patients();
    const family = familyOf(all.find((p: Json) => /^[A-Za-z]{5,}$/.test(familyOf(p))));
    const inner = family.slice(2, 5);
    const found = (await get(`/Patient?family:contains=${inner}`)).body;
    expect(found.total).toBe(all.filter((p: Json) => familyOf(p).toLowerCase().includes(inner.toLowerCase())).length);
    expect(found.entry.every((e: { resource: Json }) => familyOf(e.resource).toLowerCase().includes(inner.toLowerCase()))).toBe(true);
  });

  it('pages through every patient once by following next links, each page with a self link', async () => {
    let url: string | undefined = `${partner.url}/${version}/Patient?_count=7`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const page: Json = (await partner.fhir(url, tokens.a)).body;
      expect(page.link.find((l: { relation: string }) => l.relation === 'self').url).toMatch(new RegExp(`^${partner.url}/${version}/Patient\\?`));
      expect(
        page.entry.every(
          (e: { search: { mode: string }; fullUrl: string; resource: Json }) =>
            e.search.mode === 'match' && e.fullUrl === `${partner.url}/${version}/Patient/${e.resource.id}`,
        ),
      ).toBe(true);
      seen.push(...ids(page));
      url = page.link.find((l: { relation: string }) => l.relation === 'next')?.url;
      pages += 1;
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });

  it('sorts encounters by date both ways in its own syntax; the newest is the inpatient stay with room and bed', async () => {
    const withHistory = (await patients()).map((p: Json) => p.id);
    let found = false;
    for (const id of withHistory) {
      const newest = (await get(`/Encounter?patient=${id}&${newestFirst[version]}`)).body;
      if (newest.total < 2) continue;
      const starts = newest.entry.map((e: { resource: Json }) => e.resource.period.start);
      expect(starts).toEqual([...starts].sort().reverse());
      const oldest = (await get(`/Encounter?patient=${id}&${oldestFirst[version]}`)).body;
      expect(oldest.entry.map((e: { resource: Json }) => e.resource.period.start)).toEqual([...starts].reverse());
      const [last] = (await get(`/Encounter?patient=${id}&${newestFirst[version]}&_count=1`)).body.entry;
      expect(last.resource.status).toBe('in-progress');
      expect(last.resource.location[0].location.display).toMatch(/^Room \d+, Bed [A-D]$/);
      found = true;
      break;
    }
    expect(found).toBe(true);
  });

  it('answers a batch in order, failed entries (unknown type, bad parameter, missing id) beside good ones', async () => {
    const p = (await patients())[3];
    const urls = [
      `Patient/${p.id}`,
      'Nothing?x=1',
      `Observation?patient=${p.id}&bogus=1`,
      `Condition?patient=${p.id}&_count=5`,
      'Patient/nobody',
      `${partner.url}/${version}/Coverage?patient=${p.id}`,
    ];
    const batch = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [...urls.map((url) => ({ request: { method: 'GET', url } })), { request: { method: 'DELETE', url: `Patient/${p.id}` } }],
    };
    const res = await partner.fhir(`/${version}`, tokens.a, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(batch),
    });
    expect(res.status).toBe(200);
    const statuses = res.body.entry.map((e: { response: { status: string } }) => e.response.status.slice(0, 3));
    expect(statuses).toEqual(['200', '404', '400', '200', '404', '200', '400']);
    for (const [i, entry] of res.body.entry.entries()) {
      if (statuses[i] === '200') continue;
      const outcome = version === 'stu3' ? entry.response.outcome : entry.resource;
      expect(outcome.resourceType).toBe('OperationOutcome');
    }
    expect(res.body.entry[0].resource.id).toBe(p.id);
    expect(res.body.entry[3].resource).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(res.body.entry[5].resource.entry[0].resource.resourceType).toBe('Coverage');
  });

  it('refuses bad input with an OperationOutcome: malformed JSON, unknown type or id, writes', async () => {
    const malformed = await partner.fhir(`/${version}`, tokens.a, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: '{"resourceType": "Bundle",',
    });
    expect(malformed).toMatchObject({ status: 400, body: { resourceType: 'OperationOutcome' } });
    const notBatch = await partner.fhir(`/${version}`, tokens.a, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect(notBatch).toMatchObject({ status: 400, body: { resourceType: 'OperationOutcome' } });
    expect(await get('/Nothing')).toMatchObject({ status: 404, body: { resourceType: 'OperationOutcome' } });
    expect(await get('/Patient/nobody')).toMatchObject({ status: 404, body: { resourceType: 'OperationOutcome' } });
    expect(await get('/Patient/bad%20id')).toMatchObject({ status: 400, body: { resourceType: 'OperationOutcome' } });
    expect(await get('/Patient?_count=many')).toMatchObject({ status: 400, body: { resourceType: 'OperationOutcome' } });
    expect(await get(`/${version === 'dstu2' ? 'MedicationRequest' : 'MedicationOrder'}?patient=x`)).toMatchObject({ status: 404 });
    const write = await partner.fhir(`/${version}/Patient`, tokens.a, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient' }),
    });
    expect(write.status).toBe(405);
    const jsonSearch = await partner.fhir(`/${version}/Patient/_search`, tokens.a, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"family":"x"}',
    });
    expect(jsonSearch).toMatchObject({ status: 415, body: { resourceType: 'OperationOutcome' } });
    expect(await get('')).toMatchObject({ status: 404, body: { resourceType: 'OperationOutcome' } });
  });
});

describe('one patient across releases', () => {
  it('has the same MRN, name, birth date and vital values in DSTU2, STU3 and R4, each in its own shape', async () => {
    const byVersion = Object.fromEntries(
      await Promise.all(
        versions.map(async (v) => [
          v,
          (await partner.fhir(`/${v}/Patient?_count=100&_sort=birthdate`, tokens.a)).body.entry.map((e: { resource: Json }) => e.resource),
        ]),
      ),
    );
    const subject = byVersion.r4[4];
    const mrn = mrnOf(subject);
    for (const version of versions) {
      const found = (await partner.fhir(`/${version}/Patient?identifier=${mrn}`, tokens.a)).body.entry[0].resource;
      expect(familyOf(found)).toBe(subject.name[0].family);
      expect(found.name[0].given).toEqual(subject.name[0].given);
      expect(found.birthDate).toBe(subject.birthDate);
      expect(Array.isArray(found.name[0].family)).toBe(version === 'dstu2');
      expect(found[version === 'dstu2' ? 'careProvider' : 'generalPractitioner'][0].display).toBe(subject.generalPractitioner[0].display);
      const hr = (await partner.fhir(`/${version}/Observation?patient=${found.id}&code=8867-4&${newestFirst[version]}`, tokens.a)).body.entry;
      expect(hr.map((e: { resource: Json }) => e.resource.valueQuantity.value)).toHaveLength(4);
      const category = hr[0].resource.category;
      expect(Array.isArray(category)).toBe(version !== 'dstu2');
    }
  });

  it('serves DSTU2 medication orders with prescriber and dateWritten, newer releases requests with requester', async () => {
    const [dstu2, stu3, r4] = await Promise.all(
      versions.map(async (v) =>
        (await partner.fhir(`/${v}/${medication[v]}?_count=1000`, tokens.a)).body.entry.map((e: { resource: Json }) => e.resource),
      ),
    );
    expect(dstu2.length).toBeGreaterThan(0);
    expect(dstu2).toHaveLength(r4.length);
    const order = dstu2[0];
    expect(order).toMatchObject({
      resourceType: 'MedicationOrder',
      prescriber: { display: expect.stringMatching(/^Dr\. /) },
      dateWritten: expect.any(String),
      dosageInstruction: [{ text: expect.any(String) }],
    });
    const twin = (list: Json[]) => list.find((m) => m.id === order.id);
    expect(twin(stu3)).toMatchObject({ authoredOn: order.dateWritten, requester: { agent: { display: order.prescriber.display } } });
    expect(twin(r4)).toMatchObject({ authoredOn: order.dateWritten, requester: { display: order.prescriber.display } });
  });
});
