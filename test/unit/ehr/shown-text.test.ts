import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { parseEhrJson } from '../../../server/ehr/shown-text.js';
import { capabilityStatement, partnerAt, patient, routes, searchset, startFakeEhr, type FakeEhr } from './fake-ehr.js';

// Characters no one sees, which reorder the text after them or drive a terminal: never passed on from an EHR.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let ehr: FakeEhr;
beforeAll(async () => {
  ehr = await startFakeEhr();
});
afterAll(() => ehr.close());
beforeEach(() => ehr.reset());

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
