import { describe, expect, it } from 'vitest';
import { medicationGroup } from '../../../contract/medication-groups.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import { shown } from './medication-cell.js';

/**
 * MedicationRequest.intent (STU3 medication-request-intent, R4 medicationrequest-intent; required
 * binding, a modifier in R4: "intent alters when and how the resource is actually applicable") says
 * whether a request is an order at all. Written in words ("Proposal"), it is read by them; a code
 * that is none of the intent codes cannot tell an order from a proposal: the drug stays listed
 * (never hidden), marked "check in EHR", never shown as a plain order. DSTU2 MedicationOrder has no intent.
 */
const request = (intent: unknown, extra: JsonObject = {}): JsonObject => ({
  resourceType: 'MedicationRequest',
  id: 'r1',
  status: 'active',
  intent,
  authoredOn: '2026-12-01',
  medicationCodeableConcept: { text: 'Enoxaparin 40 mg' },
  ...extra,
});
const plainCodes = { STU3: ['proposal', 'plan', 'order', 'instance-order'], R4: ['original-order', 'reflex-order', 'filler-order', 'option'] };

describe.each(['STU3', 'R4'] as const)('an intent the app cannot read (%s)', (release) => {
  it.each(['directive', 'suggestion', 'urn:local:7'])('intent %s: listed in the tab and the CSV marked "check in EHR"', (intent) => {
    expect(shown([request(intent)])).toEqual({ tab: 'Enoxaparin 40 mg (check in EHR)', csv: 'Enoxaparin 40 mg (check in EHR)' });
    const [view] = readMedications([request(intent)], new Map());
    expect(view).toMatchObject({ current: true, qualified: true });
  });

  it('an intent written in words is read by them: a "Proposal" is no current order', () => {
    const [view] = readMedications([request('Proposal')], new Map());
    expect(view).toMatchObject({ intent: 'proposal', current: false });
    expect(view.qualified).toBeUndefined();
    expect(medicationGroup(view)).toBe('proposal');
    expect(shown([request('Proposal')]).tab).toBe('None recorded');
  });

  it("the version's own codes, and no intent stated: read as they say, no mark", () => {
    for (const intent of plainCodes[release]) expect(readMedications([request(intent)], new Map())[0].qualified).toBeUndefined();
    expect(shown([request(undefined)]).tab).toBe('Enoxaparin 40 mg');
  });
});
