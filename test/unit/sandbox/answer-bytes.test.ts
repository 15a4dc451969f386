import { describe, expect, it } from 'vitest';
import { answerBytes } from '../../../server/sandbox/answer-bytes';

const observation = (id: string, text: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { text, coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  valueQuantity: { value: 72.5, unit: '{beats}/min' },
  note: [{ text: 'Ärztin: 心拍 ok 😀 \u2028 "quoted" \\ \u0007' }],
  extension: undefined,
});

/** A batch answer as the sandbox builds one: envelopes made per request around stored resources. */
const batchAnswer = (resources: object[], base: string) => ({
  resourceType: 'Bundle',
  type: 'batch-response',
  entry: [
    {
      resource: {
        resourceType: 'Bundle',
        type: 'searchset',
        total: undefined,
        link: [{ relation: 'self', url: `${base}/Observation?patient=p1&_count=50` }],
        entry: resources.map((resource) => ({
          fullUrl: `${base}/Observation/${(resource as { id: string }).id}`,
          resource,
          search: { mode: 'match' },
        })),
      },
      response: { status: '200 OK' },
    },
    { response: { status: '404 Not Found', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] } } },
    {
      resource: { resourceType: 'Patient', id: 'p1', deceasedBoolean: false, name: [{ family: 'Auer', given: ['Ann', undefined] }] },
      response: { status: '200 OK' },
    },
  ],
  nothing: () => 1,
  empty: [],
  zero: 0,
  no: null,
});

describe("the sandbox's answer bytes", () => {
  it('are the bytes JSON.stringify gives, for envelopes, stored resources and the values JSON leaves out', () => {
    const resources = [observation('o1', 'Heart rate'), observation('o2', 'Puls')];
    const answer = batchAnswer(resources, 'http://127.0.0.1:1/sandbox/r4');
    expect(answerBytes(answer).equals(Buffer.from(JSON.stringify(answer)))).toBe(true);
    // Served again inside other envelopes (another base, another order): still the same bytes.
    const again = batchAnswer([resources[1], resources[0]], 'http://localhost:2/sandbox/r4');
    expect(answerBytes(again).equals(Buffer.from(JSON.stringify(again)))).toBe(true);
    for (const value of [null, 'text', 3.5, [undefined, 1, () => 2], { a: undefined }, { toJSON: () => 'x' }, { when: new Date(0) }]) {
      expect(answerBytes(value).toString(), JSON.stringify(value)).toBe(JSON.stringify(value));
    }
  });

  it('write a resource replaced by a new object as the new object is', () => {
    const first = observation('o1', 'Heart rate');
    const before = answerBytes(batchAnswer([first], 'http://h/r4')).toString();
    const replaced = observation('o1', 'Pulse rate');
    const after = answerBytes(batchAnswer([replaced], 'http://h/r4')).toString();
    expect(before).toContain('Heart rate');
    expect(after).toContain('Pulse rate');
    expect(after).not.toContain('Heart rate');
    expect(JSON.parse(after)).toEqual(JSON.parse(JSON.stringify(batchAnswer([replaced], 'http://h/r4'))));
  });
});
