import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, type ClinicalPart } from '../../../server/ehr/index.js';
import { limitOutbound } from '../../../server/ehr/outbound-limit.js';
import type { OutgoingRequest, RawResponse, Transport } from '../../../server/ehr/transport.js';
import { startFakeEhr, type FakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

/** A transport whose answers the test releases by hand, counting what is in flight per tenant (from the URL). */
function heldTransport() {
  const pending: Array<{ tenant: string; answer: () => void }> = [];
  const inFlight = new Map<string, number>();
  let total = 0;
  let most = 0;
  const mostPerTenant = new Map<string, number>();
  const transport: Transport = (request: OutgoingRequest) =>
    new Promise<RawResponse>((resolve) => {
      const tenant = request.url.hostname;
      inFlight.set(tenant, (inFlight.get(tenant) ?? 0) + 1);
      mostPerTenant.set(tenant, Math.max(mostPerTenant.get(tenant) ?? 0, inFlight.get(tenant)!));
      most = Math.max(most, ++total);
      pending.push({
        tenant,
        answer: () => {
          inFlight.set(tenant, inFlight.get(tenant)! - 1);
          total--;
          resolve({ status: 200, headers: new Headers(), mediaType: 'application/fhir+json', text: '{}' });
        },
      });
    });
  return { transport, pending, inFlight, mostPerTenant, most: () => most };
}

const request = (tenant: string): OutgoingRequest => ({ method: 'GET', url: new URL(`https://${tenant}/fhir/Patient`), headers: {} });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('outbound requests in flight', () => {
  it('holds each tenant to its own limit and the process to its limit, in arrival order', async () => {
    const held = heldTransport();
    const limiter = limitOutbound(held.transport, { perTenant: 2, perProcess: 3 });
    const done: string[] = [];
    const all = ['a', 'a', 'a', 'a', 'b', 'b', 'c'].map((tenant, i) =>
      limiter
        .forTenant(tenant)(request(tenant))
        .then(() => done.push(`${tenant}${i}`)),
    );
    await settle();
    // a takes its two slots, b the last slot of the process; c waits for the process, a's others for a.
    expect(held.pending.map((p) => p.tenant)).toEqual(['a', 'a', 'b']);
    expect(limiter.stats()).toMatchObject({ inFlight: 3, tenants: { a: { inFlight: 2, waiting: 2 } } });
    while (held.pending.length > 0) {
      held.pending.shift()!.answer();
      await settle();
      await settle();
    }
    await Promise.all(all);
    expect(done).toHaveLength(7);
    expect(held.mostPerTenant.get('a')).toBe(2);
    expect(held.most()).toBe(3);
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
    expect(limiter.stats().tenants.busy).toEqual({ inFlight: 8, waiting: 292 });
    for (const p of held.pending.filter((p) => p.tenant === 'quiet')) p.answer();
    await other;
    // Release the flood: each answer lets the next request of the tenant go.
    while (held.pending.some((p) => p.tenant === 'busy')) {
      for (const p of held.pending.splice(0)) p.answer();
      await settle();
      await settle();
    }
    await Promise.all(flood);
    expect(held.mostPerTenant.get('busy')).toBe(8);
  });

  it('frees the slot of a request that failed', async () => {
    const limiter = limitOutbound(() => Promise.reject(new Error('unreachable')), { perTenant: 1 });
    await expect(limiter.forTenant('a')(request('a'))).rejects.toThrow('unreachable');
    await expect(limiter.forTenant('a')(request('a'))).rejects.toThrow('unreachable');
    expect(limiter.stats()).toEqual({ inFlight: 0, waiting: 0, tenants: {} });
  });
});

describe('the gateway', () => {
  let ehr: FakeEhr;
  beforeAll(async () => {
    ehr = await startFakeEhr();
  });
  afterAll(() => ehr.close());
  beforeEach(() => ehr.reset());

  const ALL: ClinicalPart[] = ['vitals', 'encounter', 'conditions', 'allergies', 'medications', 'coverage'];
  const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);

  it('keeps a tenant to maxRequestsPerTenant across concurrent list loads, and the process to maxRequestsInFlight', async () => {
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
    // Two tenants at once: 3 each, 5 in all.
    most = 0;
    const rows = await Promise.all(
      ['tenant-1', 'tenant-2', 'tenant-1', 'tenant-2'].map((tenant) => gateway.readClinical(ehr.base, tenant, ids, ALL)),
    );
    expect(most).toBe(5);
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
