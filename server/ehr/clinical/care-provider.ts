import { providerResourceName } from '../adapters/patient.js';
import type { EhrContext } from '../ehr-context.js';
import { isObject, str, type JsonObject } from '../json.js';
import { ReadBudgetExceeded } from '../read-budget.js';
import { FhirError } from '../types.js';
import { runEntries } from './batch.js';
import type { Warnings } from './warnings.js';

/**
 * Names of care providers whose references carry no display (DSTU2 Patient.careProvider, STU3/R4
 * Patient.generalPractitioner), and of payer Organizations so referenced (Coverage issuer / payor,
 * medications.ts `unnamedPayors`): one more batch of `GET Practitioner/{id}`, `Organization/{id}` or
 * `PractitionerRole/{id}`, each read once however many patients share it. A Practitioner is named
 * by its HumanName (DSTU2 one object, later an array), an Organization by `name`, a PractitionerRole
 * by its practitioner's or organization's display. A failure leaves the cell "none recorded"
 * rather than failing the read.
 */
export async function careProviderNames(ctx: EhrContext, references: string[], warnings: Warnings): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const wanted = [...new Set(references)].filter((ref) => ctx.server.resources.includes(ref.split('/')[0]));
  if (wanted.length === 0) return names;
  try {
    const answers = await runEntries(ctx, wanted, undefined, warnings);
    answers.forEach((answer, i) => {
      const name = answer.ok && isObject(answer.body) ? providerName(answer.body, wanted[i]) : null;
      if (name) names.set(wanted[i], name);
    });
  } catch (error) {
    if (!(error instanceof FhirError) || error instanceof ReadBudgetExceeded) throw error;
    warnings.add('care_provider_lookup_failed');
  }
  return names;
}

/** The resource's name, when it is the one asked for. */
export function providerName(resource: JsonObject, reference: string): string | null {
  const [type, id] = reference.split('/');
  if (resource.resourceType !== type || str(resource.id) !== id) return null;
  return providerResourceName(resource);
}
