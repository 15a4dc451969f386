import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../../server/sandbox/index';

// The sandbox interop partner over real HTTP, as the contract's section 5 asks of a partner.
const tenantA = '7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01';
const tenantB = 'b2e4a9f1-5d2c-4b8e-8f31-6a7c9e0d4c02';
let server: Server;
let base: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'patients-sandbox-'));
  writeBundles(dataDir);
  const sandbox = await createSandbox({
    tenants: [
      { id: tenantA, name: 'A' },
      { id: tenantB, name: 'B' },
    ],
    patientsPerTenant: 12,
  });
  const loaded = await createSandbox({ tenants: [{ id: tenantA, name: 'A' }], patientsPerTenant: 5, dataDir });
  const app = express().use('/sandbox', sandbox.router).use('/loaded', loaded.router);
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
async function register(at = '/sandbox') {
  const res = await fetch(`${base}${at}/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'test' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { client_id: string; client_secret: string; secret_id: string };
}
async function token(clientId: string, secret: string, tenant: string, how: 'basic' | 'post' = 'basic', at = '/sandbox') {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: tenant,
    ...(how === 'post' ? { client_id: clientId, client_secret: secret } : {}),
  });
  const res = await fetch(`${base}${at}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(how === 'basic' ? { authorization: basic(clientId, secret) } : {}) },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}
async function fhir(path: string, accessToken: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${accessToken}`, ...(init.headers ?? {}) } });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

describe('client registration and tokens', () => {
  it('issues tenant-scoped tokens by Basic or in the body, and refuses bad clients and unknown tenants', async () => {
    const client = await register();
    for (const how of ['basic', 'post'] as const) {
      const res = await token(client.client_id, client.client_secret, tenantA, how);
      expect(res).toMatchObject({ status: 200, body: { access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: tenantA } });
    }
    expect((await token(client.client_id, 'wrong', tenantA)).body.error).toBe('invalid_client');
    expect((await token(client.client_id, client.client_secret, '00000000-0000-4000-8000-000000000000')).body.error).toBe('invalid_scope');
  });

  it('rotates secrets: a new one works at once, a deleted one is refused', async () => {
    const client = await register();
    const added = await fetch(`${base}/sandbox/clients/${client.client_id}/secrets`, {
      method: 'POST',
      headers: { authorization: basic(client.client_id, client.client_secret) },
    });
    const second = (await added.json()) as { secret_id: string; client_secret: string };
    expect(added.status).toBe(201);
    expect((await token(client.client_id, second.client_secret, tenantA)).status).toBe(200);
    const removed = await fetch(`${base}/sandbox/clients/${client.client_id}/secrets/${client.secret_id}`, {
      method: 'DELETE',
      headers: { authorization: basic(client.client_id, second.client_secret) },
    });
    expect(removed.status).toBe(204);
    expect((await token(client.client_id, client.client_secret, tenantA)).body.error).toBe('invalid_client');
    expect((await token(client.client_id, second.client_secret, tenantA)).status).toBe(200);
  });
});

describe.each([
  ['dstu2', 'Conformance', '1.0.2', 'application/json+fhir'],
  ['stu3', 'CapabilityStatement', '3.0.2', 'application/fhir+json'],
  ['r4', 'CapabilityStatement', '4.0.1', 'application/fhir+json'],
])('the %s endpoint', (version, capabilityType, fhirVersion, contentType) => {
  let tokenA: string;
  let tokenB: string;
  beforeAll(async () => {
    const client = await register();
    tokenA = (await token(client.client_id, client.client_secret, tenantA)).body.access_token;
    tokenB = (await token(client.client_id, client.client_secret, tenantB)).body.access_token;
  });

  it('publishes an open capability statement with the oauth-uris extension', async () => {
    const res = await fetch(`${base}/sandbox/${version}/metadata`);
    const body = await res.json();
    expect(body).toMatchObject({ resourceType: capabilityType, fhirVersion });
    const oauth = body.rest[0].security.extension.find(
      (e: { url: string }) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
    );
    expect(oauth.extension).toContainEqual({ url: 'token', valueUri: `${base}/sandbox/token` });
    expect(body.rest[0].resource.map((r: { type: string }) => r.type)).toContain(version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest');
  });

  it('needs a token and routes each tenant to its own patients', async () => {
    expect((await fhir(`/sandbox/${version}/Patient`, 'nope')).status).toBe(401);
    const a = await fhir(`/sandbox/${version}/Patient?_count=50`, tokenA);
    const b = await fhir(`/sandbox/${version}/Patient?_count=50`, tokenB);
    expect(a.type).toContain(contentType);
    const idsA = a.body.entry.map((e: { resource: { id: string } }) => e.resource.id);
    const idsB = b.body.entry.map((e: { resource: { id: string } }) => e.resource.id);
    expect(idsA).toHaveLength(12);
    expect(idsA.filter((id: string) => idsB.includes(id))).toEqual([]);
    expect((await fhir(`/sandbox/${version}/Patient/${idsA[0]}`, tokenB)).status).toBe(404);
  });

  it('searches by name, family (from the start of a part, or anywhere with :contains), MRN and with POST _search; pages by next links', async () => {
    const all = (await fhir(`/sandbox/${version}/Patient?_count=3`, tokenA)).body;
    expect(all.total).toBe(12);
    const next = all.link.find((l: { relation: string }) => l.relation === 'next').url;
    const page2 = (await fhir(new URL(next).pathname + new URL(next).search, tokenA)).body;
    expect(page2.entry).toHaveLength(3);
    const patient = all.entry[0].resource;
    const family = version === 'dstu2' ? patient.name[0].family[0] : patient.name[0].family;
    const mrn = patient.identifier.find((i: { type?: { coding: { code: string }[] } }) => i.type?.coding[0].code === 'MR').value;
    const ids = (bundle: { entry?: { resource: { id: string } }[] }) => (bundle.entry ?? []).map((e) => e.resource.id);
    // FHIR string search, the same in every release: the start of a part, or anywhere with :contains.
    const inside = encodeURIComponent(family.slice(1, 4));
    expect(ids((await fhir(`/sandbox/${version}/Patient?family:contains=${inside}`, tokenA)).body)).toContain(patient.id);
    expect(ids((await fhir(`/sandbox/${version}/Patient?family=${inside}`, tokenA)).body)).not.toContain(patient.id);
    expect(ids((await fhir(`/sandbox/${version}/Patient?family=${encodeURIComponent(family.slice(0, 3))}`, tokenA)).body)).toContain(patient.id);
    const byMrn = await fhir(`/sandbox/${version}/Patient/_search`, tokenA, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `identifier=${mrn}`,
    });
    expect(byMrn.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([patient.id]);
    if (version === 'dstu2') expect(Array.isArray(patient.name[0].family)).toBe(true);
  });

  it('sorts vital signs newest first in its own syntax, and answers a batch entry by entry', async () => {
    const patient = (await fhir(`/sandbox/${version}/Patient?_count=1`, tokenA)).body.entry[0].resource;
    const sort = version === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
    const vitals = (await fhir(`/sandbox/${version}/Observation?patient=${patient.id}&category=vital-signs&${sort}`, tokenA)).body;
    const times = vitals.entry.map((e: { resource: { effectiveDateTime: string } }) => e.resource.effectiveDateTime);
    expect(times).toEqual([...times].sort().reverse());
    const wrongSort = version === 'dstu2' ? '_sort=-date' : '_sort:desc=date';
    expect((await fhir(`/sandbox/${version}/Observation?patient=${patient.id}&${wrongSort}`, tokenA)).status).toBe(400);

    const medication = version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest';
    const batch = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [`Patient/${patient.id}`, 'Patient/missing-1', `${medication}?patient=${patient.id}`].map((url) => ({
        request: { method: 'GET', url },
      })),
    };
    const res = await fhir(`/sandbox/${version}`, tokenA, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(batch),
    });
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'batch-response' });
    const [ok, missing, meds] = res.body.entry;
    expect(ok.resource.id).toBe(patient.id);
    expect(missing.response.status).toMatch(/^404/);
    const outcome = version === 'stu3' ? missing.response.outcome : missing.resource;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(meds.resource.resourceType).toBe('Bundle');
  });
});

describe('loading a folder of bundles', () => {
  it('loads collection and transaction bundles, resolving urn:uuid references, into the first tenant', async () => {
    const client = await register('/loaded');
    const access = (await token(client.client_id, client.client_secret, tenantA, 'basic', '/loaded')).body.access_token;
    const dstu2 = (await fhir('/loaded/dstu2/Patient?identifier=LOAD-1', access)).body.entry[0].resource;
    const conditions = (await fhir(`/loaded/dstu2/Condition?patient=${dstu2.id}`, access)).body;
    expect(conditions.entry.map((e: { resource: { code: { text: string } } }) => e.resource.code.text)).toEqual(['Asthma']);
    const r4 = (await fhir('/loaded/r4/Patient?identifier=LOAD-2', access)).body.entry[0].resource;
    const obs = (await fhir(`/loaded/r4/Observation?patient=${r4.id}`, access)).body;
    expect(obs.entry).toHaveLength(1);
    const stu3 = (await fhir('/loaded/stu3/Patient?_count=100', access)).body;
    expect(stu3.total).toBe(5);
  });
});

function writeBundles(dir: string) {
  mkdirSync(join(dir, 'dstu2', 'synthea'), { recursive: true });
  mkdirSync(join(dir, 'r4'), { recursive: true });
  writeFileSync(
    join(dir, 'dstu2', 'synthea', 'one.json'),
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:aaaa-1',
          resource: { resourceType: 'Patient', id: 'aaaa-1', identifier: [{ value: 'LOAD-1' }], name: [{ family: ['Loaded'], given: ['Ann'] }] },
        },
        {
          fullUrl: 'urn:uuid:cccc-1',
          resource: { resourceType: 'Condition', id: 'cccc-1', patient: { reference: 'urn:uuid:aaaa-1' }, code: { text: 'Asthma' } },
        },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'r4', 'two.json'),
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:11111111-2222-4333-8444-555555555555',
          resource: { resourceType: 'Patient', identifier: [{ value: 'LOAD-2' }], name: [{ family: 'Second' }] },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: 'urn:uuid:66666666-2222-4333-8444-555555555555',
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'Heart rate' },
            subject: { reference: 'urn:uuid:11111111-2222-4333-8444-555555555555' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    }),
  );
}
