import { runEntries } from './clinical/batch.js';
import { Warnings } from './clinical/warnings.js';
import type { EhrContext } from './ehr-context.js';
import { isFhirId, underBase } from './urls.js';
import { FhirError, type PatientSummary } from './types.js';

/**
 * `GET Patient/{id}`; null for 404/410 and for an id that is not FHIR id syntax (never sent). An
 * answer about another patient than the one asked (a server that matches ids loosely, say by
 * letter case: FHIR ids are case-sensitive) is an EHR error, never shown, so that what is shown
 * and audited is the patient asked for, as the batch and details reads have it.
 */
export async function readPatient(ctx: EhrContext, id: string): Promise<PatientSummary | null> {
  if (!isFhirId(id)) return null;
  let summary: PatientSummary | null;
  try {
    const { body } = await ctx.http({ method: 'GET', url: underBase(ctx.server.base, `Patient/${id}`), token: ctx.token });
    summary = ctx.adapter.toPatientSummary(body, { mrnSystem: ctx.mrnSystem, base: ctx.server.base });
  } catch (error) {
    if (error instanceof FhirError && error.code === 'ehr_error' && (error.status === 404 || error.status === 410)) {
      return null;
    }
    throw error;
  }
  if (summary && summary.id !== id) throw new FhirError('ehr_error', 'The EHR answered with another patient than the one asked for.');
  return summary;
}

/**
 * Reads many patients in batch Bundles (the same batching as list rows), in the order asked. Only
 * patients the EHR says it does not have (404/410, or an id no FHIR server can hold) are left
 * out; an entry it failed to answer (5xx, timeout, malformed, another patient than the one asked)
 * fails the whole read as an EHR error, so that an outage is never told as "no such patient".
 */
export async function readPatients(ctx: EhrContext, ids: string[]): Promise<PatientSummary[]> {
  const wanted = [...new Set(ids)].filter(isFhirId);
  ctx.budget?.sizeFor(wanted.length);
  const warnings = new Warnings();
  const results = await runEntries(
    ctx,
    wanted.map((id) => `Patient/${id}`),
    (body) => ctx.adapter.toPatientSummary(body, { mrnSystem: ctx.mrnSystem, base: ctx.server.base }),
    warnings,
  );
  if (warnings.list().length > 0) ctx.onWarnings?.(warnings.list());
  return results.flatMap((result, i) => {
    if (!result.ok && (result.status === 404 || result.status === 410)) return [];
    const summary = result.ok ? (result.body as PatientSummary | null) : null;
    if (summary?.id === wanted[i]) return [summary];
    const status = result.ok ? undefined : result.status;
    throw new FhirError('ehr_error', `The EHR could not answer for a patient asked for${status ? ` (HTTP ${status})` : ''}.`);
  });
}
