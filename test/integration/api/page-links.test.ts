import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * The next-page link of a patient search, against an open FHIR server that counts what it is
 * asked. The link is the server's own: a link made by hand from a FHIR address (the EHR's whole
 * patient list, another resource), altered, or used by another user, team or tenant, is refused
 * with 400 `invalid_page` and the EHR is not asked; a real one pages through every result.
 */

const females = Array.from({ length: 7 }, (_, i) => ({
  resourceType: 'Patient',
  id: `f${i + 1}`,
  name: [{ family: `Family${String.fromCharCode(65 + i)}`, given: ['Ann'] }],
  gender: 'female',
  birthDate: '1950-01-01',
}));
const males = Array.from({ length: 5 }, (_, i) => ({ ...females[i], id: `m${i + 1}`, gender: 'male', name: [{ family: `Male${i}` }] }));

interface FakeFhir {
  origin: string;
  /** Requests other than the discovery of the server (metadata, SMART configuration). */
  asked: string[];
  close(): Promise<void>;
}

/** An open FHIR R4 server (no SMART security) at `/fhir` and `/alt/fhir`, paging with `_count` and `_offset`. */
async function startFakeFhir(): Promise<FakeFhir> {
  const fake = { asked: [] as string[] } as FakeFhir;
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', fake.origin);
    const base = url.pathname.startsWith('/alt/fhir') ? '/alt/fhir' : '/fhir';
    const path = url.pathname.slice(base.length);
    if (path === '/metadata') {
      return send(res, 200, {
        resourceType: 'CapabilityStatement',
        status: 'active',
        fhirVersion: '4.0.1',
        rest: [{ mode: 'server', resource: [{ type: 'Patient', interaction: [{ code: 'read' }, { code: 'search-type' }] }] }],
      });
    }
    if (path.startsWith('/.well-known')) return send(res, 404, { resourceType: 'OperationOutcome', issue: [] });
    fake.asked.push(`${req.method} ${url.pathname}${url.search}`);
    // Searches by GET only: the app falls back from POST _search.
    if (req.method !== 'GET' || path !== '/Patient') return send(res, 405, { resourceType: 'OperationOutcome', issue: [] });
    const gender = url.searchParams.get('gender');
    const all = [...females, ...males].filter((p) => !gender || p.gender === gender);
    const count = Number(url.searchParams.get('_count') ?? 100);
    const offset = Number(url.searchParams.get('_offset') ?? 0);
    const kept = [...url.searchParams].filter(([k]) => k !== '_offset');
    const link = (at: number) => `${fake.origin}${base}/Patient?${new URLSearchParams([...kept, ['_offset', String(at)]])}`;
    send(res, 200, {
      resourceType: 'Bundle',
      type: 'searchset',
      link: offset + count < all.length ? [{ relation: 'next', url: link(offset + count) }] : [],
      entry: all.slice(offset, offset + count).map((resource) => ({ resource, search: { mode: 'match' } })),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

let server: TestServer;
let fhir: FakeFhir;
let who: ReturnType<typeof cast>;
/** Avery owns the first team (with Blake and Casey); Blake owns the second, with Avery. */
let avery: string;
let casey: string;
let secondTeam: { id: string; owners: string[] };

const patientsOf = (teamId: string) => `/api/teams/${teamId}/patients`;
const page = (teamId: string, link: string) => `${patientsOf(teamId)}?page=${encodeURIComponent(link)}`;
const ids = (body: { patients: { id: string }[] }) => body.patients.map((p) => p.id);

async function connect(teamId: string, owner: string, url = `${fhir.origin}/fhir`) {
  const res = await server.api(owner, 'PUT', `/api/teams/${teamId}/connection`, { mode: 'ehr', url, name: 'Counting EHR', confirm: true });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** The EHR requests that `call` caused. */
async function askedDuring(call: () => Promise<unknown>): Promise<string[]> {
  const before = fhir.asked.length;
  await call();
  return fhir.asked.slice(before);
}

beforeAll(async () => {
  [server, fhir] = await Promise.all([startTestServer(), startFakeFhir()]);
  who = cast(server.info);
  avery = who.owner;
  casey = who.team.members.find((m) => m !== avery && !who.contoso.teams[1].members.includes(m))!;
  secondTeam = who.contoso.teams.find((t) => t.id !== who.team.id && t.members.includes(avery))!;
  await connect(who.team.id, avery);
  await connect(secondTeam.id, secondTeam.owners[0]);
  await connect(who.otherTenantTeam.id, who.otherTenantOwner);
});
afterAll(async () => {
  await server?.stop();
  await fhir?.close();
});

describe('a next-page link', () => {
  it('pages through every result, the page size kept, and is opaque', async () => {
    const first = await server.api(avery, 'GET', `${patientsOf(who.team.id)}?gender=female&count=2`);
    expect(first.status).toBe(200);
    const seen = ids(first.body);
    let next: string | undefined = first.body.next;
    while (next) {
      // The EHR's address and query never reach the tab.
      expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const res = await server.api(avery, 'GET', page(who.team.id, next));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.patients.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res.body));
      next = res.body.next;
    }
    expect(seen.sort()).toEqual(females.map((p) => p.id).sort());
  });

  it.each([
    ['the whole patient list', () => `${fhir.origin}/fhir/Patient?_count=50`],
    ['the next page of a search made by hand', () => `${fhir.origin}/fhir/Patient?gender=female&_count=50&_offset=0`],
    ['another resource type', () => `${fhir.origin}/fhir/Observation?_count=50`],
  ])('made by hand from a FHIR address (%s) is refused, and the EHR not asked', async (_, target) => {
    const forged = Buffer.from(target()).toString('base64url');
    let res: Awaited<ReturnType<TestServer['api']>> | undefined;
    expect(await askedDuring(async () => (res = await server.api(avery, 'GET', page(who.team.id, forged))))).toEqual([]);
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'invalid_page', message: expect.stringMatching(/^The page link is not valid \(.*\)\. Search again\.$/) },
    });
  });

  it('refuses the criteria-less search it would have stood for', async () => {
    expect((await server.api(avery, 'GET', patientsOf(who.team.id))).body.code).toBe('search_criteria_required');
  });

  it('is refused when altered, and the EHR not asked', async () => {
    const first = await server.api(avery, 'GET', `${patientsOf(who.team.id)}?gender=female&count=2`);
    const next: string = first.body.next;
    const altered = [`${next.slice(0, 20)}${next[20] === 'A' ? 'B' : 'A'}${next.slice(21)}`, `${next}A`, next.slice(0, -1), `${next}=`];
    for (const link of altered) {
      let res: Awaited<ReturnType<TestServer['api']>> | undefined;
      expect(await askedDuring(async () => (res = await server.api(avery, 'GET', page(who.team.id, link))))).toEqual([]);
      expect(res).toMatchObject({ status: 400, body: { code: 'invalid_page' } });
    }
    // The link itself still works.
    expect((await server.api(avery, 'GET', page(who.team.id, next))).status).toBe(200);
  });

  it('is refused for another user, another team of the same EHR, and another tenant, and the EHR not asked', async () => {
    const first = await server.api(avery, 'GET', `${patientsOf(who.team.id)}?gender=female&count=2`);
    const next: string = first.body.next;
    const uses = [
      ['another member of the team', casey, page(who.team.id, next)],
      ['the same user in another team', avery, page(secondTeam.id, next)],
      ['another tenant', who.otherTenantOwner, page(who.otherTenantTeam.id, next)],
    ] as const;
    for (const [what, userId, path] of uses) {
      let res: Awaited<ReturnType<TestServer['api']>> | undefined;
      expect(await askedDuring(async () => (res = await server.api(userId, 'GET', path))), what).toEqual([]);
      expect(res, what).toMatchObject({
        status: 400,
        body: { code: 'invalid_page', message: 'The page link is not valid (it is not a link this search gave you). Search again.' },
      });
    }
    // The one it was given to still pages on.
    const second = await server.api(avery, 'GET', page(who.team.id, next));
    expect(second.status).toBe(200);
    expect(ids(second.body)).not.toContain(ids(first.body)[0]);
  });

  it("is refused once the team's EHR link changed", async () => {
    const first = await server.api(avery, 'GET', `${patientsOf(who.team.id)}?gender=female&count=2`);
    await connect(who.team.id, avery, `${fhir.origin}/alt/fhir`);
    try {
      let res: Awaited<ReturnType<TestServer['api']>> | undefined;
      expect(await askedDuring(async () => (res = await server.api(avery, 'GET', page(who.team.id, first.body.next))))).toEqual([]);
      expect(res).toMatchObject({ status: 400, body: { code: 'invalid_page' } });
    } finally {
      await connect(who.team.id, avery);
    }
  });
});
