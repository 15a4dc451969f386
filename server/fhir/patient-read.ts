import type { EhrContext } from './ehr-context.js';
import { isObject, objects, str } from './json.js';
import { isFhirId, underBase } from './urls.js';
import { FhirError, type PatientSummary } from './types.js';
import { mapLimit } from './map-limit.js';

export const BATCH_SIZE = 50;
export const PARALLEL_REQUESTS = 4;

/** `GET Patient/{id}`; null for 404/410 and for an id that is not FHIR id syntax (never sent). */
export async function readPatient(ctx: EhrContext, id: string): Promise<PatientSummary | null> {
  if (!isFhirId(id)) return null;
  try {
    const { body } = await ctx.http({ method: 'GET', url: underBase(ctx.server.base, `Patient/${id}`), token: ctx.token });
    return ctx.adapter.toPatientSummary(body, { mrnSystem: ctx.mrnSystem });
  } catch (error) {
    if (error instanceof FhirError && error.code === 'ehr_error' && (error.status === 404 || error.status === 410)) {
      return null;
    }
    throw error;
  }
}

/** Reads many patients in batch Bundles, in the order asked; missing and failed ones are left out. */
export async function readPatients(ctx: EhrContext, ids: string[]): Promise<PatientSummary[]> {
  const wanted = [...new Set(ids)].filter(isFhirId);
  const chunks: string[][] = [];
  for (let i = 0; i < wanted.length; i += BATCH_SIZE) chunks.push(wanted.slice(i, i + BATCH_SIZE));
  const found = new Map<string, PatientSummary>();
  const results = await mapLimit(chunks, PARALLEL_REQUESTS, (chunk) => readBatch(ctx, chunk));
  for (const patient of results.flat()) found.set(patient.id, patient);
  return wanted.map((id) => found.get(id)).filter((p): p is PatientSummary => p !== undefined);
}

async function readBatch(ctx: EhrContext, ids: string[]): Promise<PatientSummary[]> {
  const bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: ids.map((id) => ({ request: { method: 'GET', url: `Patient/${id}` } })),
  };
  let body: unknown;
  try {
    ({ body } = await ctx.http({
      method: 'POST',
      url: new URL(ctx.server.base.href),
      body: { contentType: ctx.adapter.mimeType, text: JSON.stringify(bundle) },
      token: ctx.token,
    }));
  } catch (error) {
    const status = failedStatus(error);
    if (status !== undefined && status < 500) return readOneByOne(ctx, ids);
    throw error;
  }
  if (!isObject(body) || body.resourceType !== 'Bundle' || !Array.isArray(body.entry)) return readOneByOne(ctx, ids);
  const asked = new Set(ids);
  const patients: PatientSummary[] = [];
  for (const entry of objects(body.entry)) {
    // A failed entry (not 2xx) carries an OperationOutcome and is simply left out.
    const status = isObject(entry.response) ? str(entry.response.status) : undefined;
    if (status !== undefined && !status.startsWith('2')) continue;
    const patient = ctx.adapter.toPatientSummary(entry.resource, { mrnSystem: ctx.mrnSystem });
    if (patient && asked.has(patient.id)) patients.push(patient);
  }
  return patients;
}

/** The fallback when a server rejects batch: single reads; one patient's HTTP error leaves only it out. */
async function readOneByOne(ctx: EhrContext, ids: string[]): Promise<PatientSummary[]> {
  const patients = await mapLimit(ids, PARALLEL_REQUESTS, async (id) => {
    try {
      return await readPatient(ctx, id);
    } catch (error) {
      if (failedStatus(error) !== undefined) return null;
      throw error;
    }
  });
  return patients.filter((p): p is PatientSummary => p !== null);
}

/** The status of an HTTP error answer about this request, not of an unreachable EHR, busy EHR or refused token. */
function failedStatus(error: unknown): number | undefined {
  if (!(error instanceof FhirError) || error.code !== 'ehr_error') return undefined;
  const { status } = error;
  return status !== undefined && status >= 400 && status !== 429 && status !== 503 ? status : undefined;
}

