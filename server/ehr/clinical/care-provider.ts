import { ROLE_MEMBER_TYPES, providerResourceName } from '../adapters/patient.js';
import type { EhrContext } from '../ehr-context.js';
import { isObject, objects, str, type JsonObject } from '../json.js';
import { ReadBudgetExceeded } from '../read-budget.js';
import { FhirError } from '../types.js';
import { runEntries } from './batch.js';
import type { Cell } from './types.js';
import { ownReference } from './values.js';
import type { Warnings } from './warnings.js';

/**
 * Names of care providers whose references carry no display (DSTU2 Patient.careProvider, STU3/R4
 * Patient.generalPractitioner), and of payer Organizations so referenced (Coverage issuer / payor,
 * medications.ts `unnamedPayors`): one more batch of `GET Practitioner/{id}`, `Organization/{id}` or
 * `PractitionerRole/{id}`, each read once however many patients share it. A Practitioner is named
 * by its HumanName (DSTU2 one object, later an array), an Organization by `name`, a PractitionerRole
 * by its practitioner's or organization's display or contained resource, else by the practitioner
 * or organization it references (roleMember), read in one batch more. A failure leaves the name unread rather than
 * failing the read: the cell then says "not available" (careProviderCell), never "none recorded",
 * as a care provider is recorded.
 */
export async function careProviderNames(ctx: EhrContext, references: string[], warnings: Warnings): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const wanted = [...new Set(references)].filter((ref) => ctx.server.resources.includes(ref.split('/')[0]));
  if (wanted.length === 0) return names;
  try {
    const answers = await runEntries(ctx, wanted, undefined, warnings);
    // A PractitionerRole naming its practitioner (or organization) by reference alone: read by that resource.
    const members = new Map<string, string>();
    answers.forEach((answer, i) => {
      const body = answer.ok && isObject(answer.body) ? answer.body : null;
      const name = body ? providerName(body, wanted[i]) : null;
      const member = body && !name && body.resourceType === 'PractitionerRole' ? roleMember(ctx, body) : null;
      if (name) names.set(wanted[i], name);
      else if (member) members.set(wanted[i], member);
    });
    if (members.size > 0) {
      const asked = [...new Set(members.values())];
      const read = new Map((await runEntries(ctx, asked, undefined, warnings)).map((answer, i) => [asked[i], answer]));
      for (const [role, member] of members) {
        const answer = read.get(member);
        const name = answer?.ok && isObject(answer.body) ? providerName(answer.body, member) : null;
        if (name) names.set(role, name);
      }
    }
  } catch (error) {
    if (!(error instanceof FhirError) || error instanceof ReadBudgetExceeded) throw error;
    warnings.add('care_provider_lookup_failed');
  }
  return names;
}

/**
 * The practitioner, else the organization, a PractitionerRole names by a reference on the EHR's own
 * base (R4 PractitionerRole.practitioner and .organization, each 0..1: "practitioner that is able to
 * provide the defined services for the organization"), when the EHR offers its type: `{Type}/{id}`.
 */
function roleMember(ctx: EhrContext, role: JsonObject): string | null {
  for (const ref of objects([role.practitioner, role.organization])) {
    const key = ownReference(str(ref.reference) ?? '', ctx.server.base);
    const type = key?.split('/')[0];
    if (key && type && ROLE_MEMBER_TYPES.includes(type) && ctx.server.resources.includes(type)) return key;
  }
  return null;
}

/** The resource's name, when it is the one asked for. */
export function providerName(resource: JsonObject, reference: string): string | null {
  const [type, id] = reference.split('/');
  if (resource.resourceType !== type || str(resource.id) !== id) return null;
  return providerResourceName(resource);
}

const PROVIDER_REF = /^(Practitioner|Organization|PractitionerRole)\//;

/** What a Patient records of its care provider when it gives no name itself (the adapter's display or contained name). */
export interface RecordedProvider {
  /** Any care provider entry at all (a reference, identifier or display): then the cell is never "none recorded". */
  recorded: boolean;
  /** `{Type}/{id}` to read its name by: relative, or absolute on the EHR's base (ownReference); null when none can be read. */
  reference: string | null;
}

/**
 * The care provider a Patient records (DSTU2 careProvider, STU3/R4 generalPractitioner): the first
 * reference to a Practitioner, Organization or PractitionerRole on the EHR's own base, relative or
 * absolute (an absolute URL on the base is the same resource: hl7.org/fhir/R4/references.html; the
 * adapter reads relative ones only). A reference to another server is recorded but never read.
 */
export function recordedProvider(ctx: EhrContext, patient: unknown): RecordedProvider {
  const entries = isObject(patient) ? objects(patient[ctx.adapter.generalPractitionerField]) : [];
  const recorded = entries.some((e) => str(e.reference) !== undefined || str(e.display) !== undefined || e.identifier !== undefined);
  for (const entry of entries) {
    const ref = str(entry.reference);
    const own = ref === undefined || ref.startsWith('#') ? null : ownReference(ref, ctx.server.base);
    if (own && PROVIDER_REF.test(own)) return { recorded, reference: own };
  }
  return { recorded, reference: null };
}

/**
 * The care provider cell: the name when one was read; "none recorded" only when the Patient records
 * no care provider; else "not available" (one is recorded, its name unread): `failed` when it was
 * asked of the EHR (`asked`) and no name came (lookup error, no such resource, no name in it),
 * `not_offered` when it could not be asked (type not offered, another server, nothing to read).
 */
export function careProviderCell(ctx: EhrContext, name: string | null | undefined, provider: RecordedProvider, asked: boolean): Cell<string> {
  if (name) return { status: 'ok', value: name };
  if (!provider.recorded) return { status: 'none' };
  const readable = asked && provider.reference !== null && ctx.server.resources.includes(provider.reference.split('/')[0]);
  return { status: 'unavailable', reason: readable ? 'failed' : 'not_offered' };
}
