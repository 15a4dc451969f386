import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createEhrGateway, type ClinicalPart } from '../../../server/ehr/index.js';
import { limitOutbound, STALLED_READ_MS } from '../../../server/ehr/outbound-limit.js';
import type { OutgoingRequest, RawResponse, Transport } from '../../../server/ehr/transport.js';
import { capabilityStatement, startFakeEhr, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

/**
 * A transport whose answers the test releases by hand, counting per tenant (from the URL) the
 * requests sent, and in all the answers being read: `begin()` is the EHR starting to answer (the
 * transport then waits for `beforeBody`, as the real one does), `answer()` its end.
 */
function heldTransport() {
  const pending: Array<{ tenant: string; begin: () => Promise<void>; answer: () => void }> = [];
  const inFlight = new Map<string, number>();
  let reading = 0;
  let mostReading = 0;
  const mostPerTenant = new Map<string, number>();
  const transport: Transport = (request: OutgoingRequest) =>
    new Promise<RawResponse>((resolve) => {
      const tenant = request.url.hostname;
      inFlight.set(tenant, (inFlight.get(tenant) ?? 0) + 1);
      mostPerTenant.set(tenant, Math.max(mostPerTenant.get(tenant) ?? 0, inFlight.get(tenant)!));
      let begun: Promise<void> | undefined;
      const begin = () =>
        (begun ??= (async () => {
          await request.beforeBody?.();
          mostReading = Math.max(mostReading, ++reading);
        })());
      pending.push({
        tenant,
        begin,
        answer: () =>
          void begin().then(() => {
            inFlight.set(tenant, inFlight.get(tenant)! - 1);
            reading--;
            resolve({ status: 200, headers: new Headers(), mediaType: 'application/fhir+json', bytes: 2, content: Buffer.from('{}'), text: '{}' });
          }),
      });
    });
  return { transport, pending, inFlight, mostPerTenant, reading: () => reading, mostReading: () => mostReading };
}

const request = (tenant: string): OutgoingRequest => ({ method: 'GET', url: new URL(`https://${tenant}/fhir/Patient`), headers: {} });
const settle = () => new Promise((resolve) => setImmediate(resolve));
/** The stats key of a tenant's requests to its EHR. */
const keyOf = (tenant: string) => `${tenant} https://${tenant}`;

describe('outbound requests in flight', () => {
  it('holds each tenant to its own limit at its EHR, and the answers being read to the limit of the process, in arrival order', async () => {
    const held = heldTransport();
    const limiter = limitOutbound(held.transport, { perTenant: 2, perProcess: 3 });
    const done: string[] = [];
    const all = ['a', 'a', 'a', 'a', 'b', 'b', 'c'].map((tenant, i) =>
      limiter
        .forTenant(tenant)(request(tenant))
        .then(() => done.push(`${tenant}${i}`)),
    );
    await settle();
    // Each tenant sends up to its two; the others of a wait for a.
    expect(held.pending.map((p) => p.tenant)).toEqual(['a', 'a', 'b', 'b', 'c']);
    expect(limiter.stats()).toMatchObject({ inFlight: 0, tenants: { [keyOf('a')]: { inFlight: 2, waiting: 2 } } });
    // All five EHRs begin to answer: three answers are read at once, two wait for the process.
    for (const p of held.pending) void p.begin();
    await settle();
    expect(held.reading()).toBe(3);
    expect(limiter.stats()).toMatchObject({ inFlight: 3, waiting: 2 });
    while (held.pending.length > 0) {
      held.pending.shift()!.answer();
      for (let i = 0; i < 4; i++) await settle();
    }
    await Promise.all(all);
    expect(done).toHaveLength(7);
    expect(held.mostPerTenant.get('a')).toBe(2);
    expect(held.mostReading()).toBe(3);
    // Tenants with nothing in flight leave nothing behind.
    expect(limiter.stats()).toEqual({ inFlight: 0, waiting: 0, tenants: {} });
  });

  it('lets another tenant through at once while one tenant has hundreds waiting (defaults 8 per tenant, 32 in all)', async () => {
    const held = heldTransport();
    const limiter = limitOutbound(held.transport);
    const flood = Array.from({ length: 300 }, () => limiter.forTenant('busy')(request('busy')));
    await settle();
    expect(held.inFlight.get('busy')).toBe(8);
    const other = limiter.forTenant('quiet')(request('quiet'));
    await settle();
    expect(held.inFlight.get('quiet')).toBe(1);
    expect(limiter.stats().tenants[keyOf('busy')]).toEqual({ inFlight: 8, waiting: 292 });
    for (const p of held.pending.filter((p) => p.tenant === 'quiet')) p.answer();
    await other;
    // Release the flood: each answer lets the next request of the tenant go.
    while (held.pending.some((p) => p.tenant === 'busy')) {
      for (const p of held.pending.splice(0)) p.answer();
      for (let i = 0; i < 4; i++) await settle();
    }
    await Promise.all(flood);
    expect(held.mostPerTenant.get('busy')).toBe(8);
  });

  it('gives requests to EHRs that never answer no slot of the process: five tenants (or teams) hanging do not hold up a sixth', async () => {
    const held = heldTransport();
    const limiter = limitOutbound(held.transport, { perTenant: 8, perProcess: 32 });
    const hung = ['h1', 'h2', 'h3', 'h4', 'h5'].flatMap((t) =>
      Array.from({ length: 8 }, () =>
        limiter
          .forTenant(t)(request(t))
          .catch(() => undefined),
      ),
    );
    await settle();
    expect(held.pending).toHaveLength(40);
    const victim = limiter.forTenant('v')(request('v'));
    await settle();
    const answer = held.pending.find((p) => p.tenant === 'v')!;
    answer.answer();
    await expect(victim).resolves.toMatchObject({ status: 200 });
    // A team of one tenant whose EHR hangs holds only that EHR's slots, not the tenant's others.
    const otherEhr = limiter.forTenant('h1')({ ...request('h1'), url: new URL('https://elsewhere.example/fhir/Patient') });
    await settle();
    held.pending.find((p) => p.tenant === 'elsewhere.example')!.answer();
    await expect(otherEhr).resolves.toMatchObject({ status: 200 });
    for (const p of held.pending.splice(0)) p.answer();
    await Promise.all(hung);
  });

  it('lets one tenant read at most a quarter of the answers at once, however many EHRs it points at: answers sent a byte at a time do not hold up another tenant', async () => {
    const held = heldTransport();
    const limiter = limitOutbound(held.transport);
    // Four EHRs of one tenant (teams, host names or ports), each sending its headers, then a byte now and then.
    const slow = ['s1', 's2', 's3', 's4'].flatMap((ehr) =>
      Array.from({ length: 8 }, () => limiter.forTenant('attacker')({ ...request(ehr), url: new URL(`https://${ehr}.example/fhir/Patient`) })),
    );
    await settle();
    expect(held.pending).toHaveLength(32);
    for (const p of held.pending) void p.begin();
    for (let i = 0; i < 4; i++) await settle();
    expect(held.reading()).toBe(8);
    expect(limiter.stats().inFlight).toBe(8);
    // Another tenant's answer is read as soon as it begins.
    const victim = limiter.forTenant('v')(request('v'));
    await settle();
    held.pending.find((p) => p.tenant === 'v')!.answer();
    await expect(victim).resolves.toMatchObject({ status: 200 });
    // The tenant's own answers are read in turn as the earlier ones end.
    while (held.pending.some((p) => p.tenant !== 'v')) {
      for (const p of held.pending.splice(0)) p.answer();
      for (let i = 0; i < 6; i++) await settle();
    }
    await Promise.all(slow);
    // The tenant's eight, and the other tenant's one beside them.
    expect(held.mostReading()).toBe(9);
    expect(limiter.stats()).toEqual({ inFlight: 0, waiting: 0, tenants: {} });
  });

  it('frees the slot of a request that failed', async () => {
    const limiter = limitOutbound(() => Promise.reject(new Error('unreachable')), { perTenant: 1 });
    await expect(limiter.forTenant('a')(request('a'))).rejects.toThrow('unreachable');
    await expect(limiter.forTenant('a')(request('a'))).rejects.toThrow('unreachable');
    expect(limiter.stats()).toEqual({ inFlight: 0, waiting: 0, tenants: {} });
  });
});

describe('the gateway', () => {
  const ehr = useFakeEhr();

  const ALL: ClinicalPart[] = ['vitals', 'encounter', 'conditions', 'allergies', 'medications', 'coverage'];
  const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);

  it('keeps a tenant to maxRequestsPerTenant across concurrent list loads, each tenant to its own', async () => {
    let inFlight = 0;
    let most = 0;
    serveClinical(
      ehr,
      ids.flatMap((id) => writeRecord(sampleRecord(id), 'R4')),
      {
        release: 'R4',
        batch: () => {
          most = Math.max(most, ++inFlight);
          setTimeout(() => inFlight--, 30);
          return undefined;
        },
        batchDelayMs: 30,
      },
    );
    const gateway = createEhrGateway({ partners: [], onWarnings: () => {}, batchSize: 10, maxRequestsPerTenant: 3, maxRequestsInFlight: 5 });
    // Three loads of 140 entries (14 batches, 4 at a time each) for one tenant: at most 3 in flight.
    await Promise.all([1, 2, 3].map(() => gateway.readClinical(ehr.base, 'tenant-1', ids, ALL)));
    expect(most).toBe(3);
    // Two tenants at once: 3 each (the process's limit, 5, is on answers being read at once).
    most = 0;
    const rows = await Promise.all(
      ['tenant-1', 'tenant-2', 'tenant-1', 'tenant-2'].map((tenant) => gateway.readClinical(ehr.base, tenant, ids, ALL)),
    );
    expect(most).toBe(6);
    expect(rows.map((r) => r.size)).toEqual([20, 20, 20, 20]);
  });

  it('does not slow a single list load: its four batches still go out together under the defaults', async () => {
    let inFlight = 0;
    let most = 0;
    serveClinical(
      ehr,
      ids.flatMap((id) => writeRecord(sampleRecord(id), 'R4')),
      {
        release: 'R4',
        batch: () => {
          most = Math.max(most, ++inFlight);
          setTimeout(() => inFlight--, 30);
          return undefined;
        },
        batchDelayMs: 30,
      },
    );
    await createEhrGateway({ partners: [], onWarnings: () => {}, batchSize: 10 }).readClinical(ehr.base, 'tenant-1', ids, ALL);
    expect(most).toBe(4);
  });
});

/**
 * An EHR that describes itself, then begins every answer to a patient search and sends a space of it now and
 * then, never its end: each read holds its slots until the request's timeout (15 s).
 */
async function startTricklingEhr() {
  let begun = 0;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/fhir/metadata')) {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify(capabilityStatement({ fhirVersion: '4.0.1' })));
      return;
    }
    req.resume();
    if (!req.url?.startsWith('/fhir/Patient')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.write('{"resourceType":"Bundle",');
    begun++;
    const trickle = setInterval(() => res.write(' '), 250);
    res.on('close', () => clearInterval(trickle));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/fhir`,
    begun: () => begun,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('answers trickled by the EHRs of several tenants', () => {
  it("give back the process's slots once stalled: another tenant's list is read long before their timeout", async () => {
    const trickling = await startTricklingEhr();
    const ehr = await startFakeEhr();
    const attackers: Array<Promise<unknown>> = [];
    try {
      const ids = ['p1', 'p2', 'p3'];
      serveClinical(
        ehr,
        ids.flatMap((id) => writeRecord(sampleRecord(id), 'R4')),
        { release: 'R4' },
      );
      // Defaults: 32 answers read at once in the process, 8 per tenant; four tenants fill them.
      const gateway = createEhrGateway({ partners: [], onWarnings: () => {} });
      for (const tenant of ['a1', 'a2', 'a3', 'a4'])
        for (let k = 0; k < 8; k++)
          attackers.push(gateway.searchPatients(trickling.base, tenant, { family: 'Doe', count: 10 }).catch(() => undefined));
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      while (trickling.begun() < 32) await pause(20);
      // Before: the list waited for the trickled answers' timeout (15 s) for a slot of the process.
      const read = gateway.readClinical(ehr.base, 'victim', ids, ['vitals', 'encounter', 'conditions']);
      const deadline = new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), STALLED_READ_MS + 4_000).unref());
      const rows = await Promise.race([read, deadline]);
      expect(rows === 'timed out' ? rows : rows.size).toBe(3);
      // Each tenant still holds no more than its own slots: a ninth search of one is not sent.
      attackers.push(gateway.searchPatients(trickling.base, 'a1', { family: 'Doe', count: 10 }).catch(() => undefined));
      await pause(300);
      expect(trickling.begun()).toBe(32);
    } finally {
      await trickling.close();
      await ehr.close();
    }
    await Promise.all(attackers);
  }, 15_000);
});
