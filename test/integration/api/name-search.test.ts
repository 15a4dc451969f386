import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * The name rule against the sandbox in DSTU2, STU3 and R4: the same query finds the same patients
 * in every release, inside a family name ("uer" finds Auer) where the EHR takes `:contains`, and
 * from the start of a name part, said so in the answer, where it does not.
 */

type Found = { patients: { displayName: string; mrn: string | null }[]; match?: string };
const versions = ['dstu2', 'stu3', 'r4'] as const;
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

let server: TestServer;
let who: ReturnType<typeof cast>;
const base = () => `/api/teams/${who.team.id}`;
/** A family name of the sandbox's patients and a piece from inside it (not its start). */
let family: string;
let inside: string;

async function connect(version: (typeof versions)[number], quirks = '') {
  const url = `${server.info.sandbox.fhir[version]}${quirks ? `/quirks/${quirks}` : ''}`;
  const res = await server.api(who.owner, 'PUT', `${base()}/connection`, { mode: 'ehr', url, name: version });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function search(query: string): Promise<Found> {
  const res = await server.api(who.member, 'GET', `${base()}/patients?${query}&count=100`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Found;
}

const mrns = (found: Found) => found.patients.map((p) => p.mrn).sort();

beforeAll(async () => {
  server = await startTestServer({ SANDBOX_PATIENTS: '60' });
  who = cast(server.info);
  await connect('r4');
  const all = [...(await search('gender=female')).patients, ...(await search('gender=male')).patients];
  family = all.map((p) => p.displayName.split(' ').at(-1)!).find((f) => /^[A-Za-z]{5,}$/.test(f))!;
  inside = family.slice(1, 4).toLowerCase();
});
afterAll(() => server?.stop());

describe('a piece from inside a family name', () => {
  it('finds the same patients in DSTU2, STU3 and R4, each with the piece in a name part', async () => {
    const answers: Found[] = [];
    for (const version of versions) {
      await connect(version);
      answers.push(await search(`name=${encodeURIComponent(inside)}`));
    }
    for (const found of answers) {
      expect(found.match).toBe('contains');
      expect(found.patients.some((p) => p.displayName.endsWith(family))).toBe(true);
      for (const p of found.patients) expect(fold(p.displayName)).toContain(inside);
      expect(mrns(found)).toEqual(mrns(answers[0]));
    }
  });
});

describe('an EHR that refuses :contains', () => {
  it('matches from the start of a name part in every release, and the answer says so', async () => {
    const inner: Found[] = [];
    const start: Found[] = [];
    for (const version of versions) {
      await connect(version, 'no-contains');
      inner.push(await search(`name=${encodeURIComponent(inside)}`));
      start.push(await search(`name=${encodeURIComponent(family.slice(0, 3))}`));
    }
    for (const found of [...inner, ...start]) expect(found.match).toBe('start');
    for (const found of inner) {
      expect(found.patients.some((p) => p.displayName.endsWith(family))).toBe(false);
      expect(mrns(found)).toEqual(mrns(inner[0]));
    }
    for (const found of start) {
      expect(found.patients.some((p) => p.displayName.endsWith(family))).toBe(true);
      expect(mrns(found)).toEqual(mrns(start[0]));
    }
  });
});

describe('an MRN', () => {
  it('is matched exactly, in every release', async () => {
    await connect('r4');
    const one = (await search('gender=female')).patients[0];
    for (const version of versions) {
      await connect(version);
      const found = await search(`identifier=${encodeURIComponent(one.mrn!)}`);
      expect(found.patients.map((p) => p.mrn)).toEqual([one.mrn]);
      expect(found).not.toHaveProperty('match');
      expect((await search(`identifier=${encodeURIComponent(one.mrn!.slice(0, -1))}`)).patients).toEqual([]);
    }
  });
});
