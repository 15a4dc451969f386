import type { EhrContext } from '../ehr-context.js';
import { isObject, type JsonObject } from '../json.js';
import { FhirError, type PatientSummary } from '../types.js';
import { isFhirId } from '../urls.js';
import { assemble, assemblePart, indexMedications, outOfOrder, partData, type AssembledParts, type PartData } from './assemble.js';
import { runEntries, type EntryResult } from './batch.js';
import { unresolvedMedications, type MedicationIndex } from './medications.js';
import { partQueries, type ReadMode } from './queries.js';
import { fetchPlanned, followPages, type PlannedEntry } from './searchset.js';
import { CLINICAL_PARTS, type Cell, type ClinicalPart, type ClinicalWarning, type PatientClinical, type PatientDetails } from './types.js';
import { Warnings, sumWarnings } from './warnings.js';

/** Pages per part the details panel reads at most (with `_count=100`, 1000 vital signs). */
export const DETAIL_MAX_PAGES = 10;

/** Receives the warnings of one read, summed: codes and counts only. */
export type WarningReport = (warnings: ClinicalWarning[]) => void;

/**
 * List rows: Patient plus the asked parts for every patient, one batch entry per patient per
 * part, so n patients and p parts cost ceil(n·(1+p) / B) requests. Patients the EHR does not
 * have (404/410) or could not give are absent. List cells read one page: a `next` link is
 * ignored, since a cell shows the newest items only. Each part becomes its cells as soon as its
 * batch arrives, so a long list never holds every Bundle at once; medications wait for the
 * Medications that name them.
 */
export async function readClinical(
  ctx: EhrContext,
  patientIds: string[],
  parts: ClinicalPart[],
  report?: WarningReport,
): Promise<Map<string, PatientClinical>> {
  const ids = [...new Set(patientIds)].filter(isFhirId);
  const asked = CLINICAL_PARTS.filter((p) => parts.includes(p));
  const plan = planEntries(ctx, ids, asked, 'list');
  const sorted = sortedParts(plan);
  const warningsOf = new Map(ids.map((id) => [id, new Warnings()]));
  const early = (body: unknown, index: number): Early => {
    const { patientId, part } = plan[index];
    if (part === 'patient') return { summary: summaryOf(ctx, body, patientId) };
    const warnings = warningsOf.get(patientId)!;
    const data = partData({ ok: true, body }, patientId, warnings);
    checkOrder(ctx, sorted, [[part, data]], warnings);
    if (part === 'medications' && data.ok) {
      // Names behind references the answer did not include wait for one more read of all rows.
      const own = indexMedications(data.set.included);
      if (unresolvedMedications(data.set.resources, own).length > 0 && ctx.server.resources.includes('Medication')) return { pending: data };
      return { cells: assemblePart(part, data, own, warnings) };
    }
    // A list row has the latest only: the full history and encounter list stay with the details panel.
    const { encounters, ...cells } = assemblePart(part, data, new Map(), warnings, { history: false });
    return { cells };
  };
  const results = plan.length > 0 ? await fetchPlanned(ctx, plan, early) : [];
  const readWarnings = new Warnings();
  // Parts the EHR does not offer are never asked: their cells say so unless an answer fills them.
  const { vitalHistory, encounters, ...notOffered } = assemble(new Map(asked.map((part) => [part, { ok: false, reason: 'not_offered' }])), new Map(), readWarnings);
  const rows = new Map<string, { summary?: PatientSummary | null; patient?: EntryResult; cells: AssembledParts; pending?: PartData }>();
  for (const id of ids) rows.set(id, { cells: { ...notOffered } });
  plan.forEach(({ patientId, part }, i) => {
    const row = rows.get(patientId)!;
    const result = results[i];
    const got = result.ok ? (result.body as Early) : undefined;
    if (part === 'patient') {
      row.patient = result;
      row.summary = got && 'summary' in got ? got.summary : null;
    } else if (got && 'cells' in got) Object.assign(row.cells, got.cells);
    else if (got && 'pending' in got) row.pending = got.pending;
    else {
      const warnings = warningsOf.get(patientId)!;
      const { vitalHistory, encounters, ...cells } = assemblePart(part, partData(result, patientId, warnings), new Map(), warnings);
      Object.assign(row.cells, cells);
    }
  });

  const pending = [...rows.values()].flatMap((row) => (row.summary && row.pending ? [row.pending] : []));
  const medications = pending.length ? await resolveMedications(ctx, pending, readWarnings) : new Map();
  const found = new Map<string, PatientClinical>();
  for (const [id, row] of rows) {
    if (!row.summary) {
      if (row.patient && !isGone(row.patient)) readWarnings.add('patient_unreadable');
      continue;
    }
    const warnings = warningsOf.get(id)!;
    if (row.pending) Object.assign(row.cells, assemblePart('medications', row.pending, medications, warnings));
    found.set(id, { patient: row.summary, careProvider: careProvider(row.summary), ...row.cells, warnings: warnings.list() });
  }
  report?.(sumWarnings([readWarnings.list(), ...[...found.values()].map((p) => p.warnings)]));
  return found;
}

/**
 * The details panel: Patient and every part in one batch, then `next` pages of each part (at most
 * DETAIL_MAX_PAGES). Null when the EHR does not have the patient; an EHR failure on the Patient
 * itself is thrown, so it is not mistaken for a missing patient.
 */
export async function readPatientDetails(ctx: EhrContext, id: string, report?: WarningReport): Promise<PatientDetails | null> {
  if (!isFhirId(id)) return null;
  const plan = planEntries(ctx, [id], [...CLINICAL_PARTS], 'details');
  const results = await fetchPlanned(ctx, plan);
  const patientResult = results[0];
  if (isGone(patientResult)) return null;
  const summary = patientOf(ctx, patientResult, id);
  if (!summary) {
    const status = patientResult.ok ? undefined : patientResult.status;
    throw new FhirError('ehr_error', `The EHR could not give this patient${status ? ` (HTTP ${status})` : ''}.`, status);
  }
  const warnings = new Warnings();
  const data = new Map(CLINICAL_PARTS.map((part) => [part, partData(results[plan.findIndex((e) => e.part === part)], id, warnings)] as const));
  checkOrder(ctx, sortedParts(plan), data, warnings);
  await Promise.all(
    [...data].map(async ([part, got]) => {
      if (got.ok) data.set(part, { ok: true, set: await followPages(ctx, got.set, id, warnings, DETAIL_MAX_PAGES) });
    }),
  );
  const medications = await resolveMedications(ctx, [...data.values()], warnings);
  const cells = assemble(data, medications, warnings);
  const details: PatientDetails = {
    patient: summary,
    careProvider: careProvider(summary),
    vitals: cells.vitals!,
    vitalHistory: cells.vitalHistory!,
    encounter: cells.encounter!,
    encounters: cells.encounters!,
    conditions: cells.conditions!,
    allergies: cells.allergies!,
    medications: cells.medications!,
    coverage: cells.coverage!,
    warnings: warnings.list(),
  };
  report?.(details.warnings);
  return details;
}

function planEntries(ctx: EhrContext, ids: string[], parts: ClinicalPart[], mode: ReadMode): PlannedEntry[] {
  // A part the EHR does not offer is not asked; partData reads its absence as not_offered.
  const queries = parts.flatMap((part) => {
    const forPatient = partQueries(ctx, part, mode);
    return forPatient ? [{ part, forPatient }] : [];
  });
  const plan: PlannedEntry[] = [];
  for (const patientId of ids) {
    plan.push({ patientId, part: 'patient', url: `Patient/${patientId}` });
    for (const { part, forPatient } of queries) plan.push({ patientId, part, ...forPatient(patientId) });
  }
  return plan;
}

function isGone(result: EntryResult | undefined): boolean {
  return !!result && !result.ok && (result.status === 404 || result.status === 410);
}

/** What a list read keeps of one answer as soon as its batch arrives. */
type Early = { summary: PatientSummary | null } | { cells: AssembledParts } | { pending: PartData };

function summaryOf(ctx: EhrContext, body: unknown, id: string): PatientSummary | null {
  const summary = ctx.adapter.toPatientSummary(body, { mrnSystem: ctx.mrnSystem });
  // An answer about another patient than the one asked is never shown on this row.
  return summary && summary.id === id ? summary : null;
}

function patientOf(ctx: EhrContext, result: EntryResult | undefined, id: string): PatientSummary | null {
  return result?.ok ? summaryOf(ctx, result.body, id) : null;
}

function careProvider(summary: PatientSummary): Cell<string> {
  return summary.generalPractitioner ? { status: 'ok', value: summary.generalPractitioner } : { status: 'none' };
}

/** Parts asked with `_sort` (the same for every patient of one read). */
function sortedParts(plan: PlannedEntry[]): Set<string> {
  return new Set(plan.filter((e) => e.query?.sort).map((e) => e.part));
}

/** Parts read with `_sort`: one that came back out of order marks the base as not sorting. */
function checkOrder(ctx: EhrContext, sorted: Set<string>, parts: Iterable<[ClinicalPart, PartData]>, warnings: Warnings): void {
  if (!ctx.quirks || ctx.quirks.noDateSort) return;
  for (const [part, got] of parts) {
    if ((part === 'vitals' || part === 'encounter') && sorted.has(part) && got.ok && outOfOrder(got.set)) {
      ctx.quirks.noDateSort = true;
      warnings.add('sort_ignored');
    }
  }
}

/**
 * Medication names behind references: from `_include`d entries, else one more batch of
 * `GET Medication/{id}` for the references still unnamed (only when the EHR offers Medication).
 * A failure there leaves the names empty rather than failing the read.
 */
async function resolveMedications(ctx: EhrContext, data: PartData[], warnings: Warnings): Promise<MedicationIndex> {
  const sets = data.flatMap((d) => (d.ok ? [d.set] : []));
  const index = indexMedications(sets.flatMap((s) => s.included));
  const missing = [...new Set(sets.flatMap((s) => unresolvedMedications(s.resources, index)))];
  if (missing.length === 0 || !ctx.server.resources.includes('Medication')) return index;
  try {
    const answers = await runEntries(ctx, missing);
    indexMedications(answers.flatMap((a) => (a.ok && isObject(a.body) ? [a.body as JsonObject] : [])), index);
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
    warnings.add('medication_lookup_failed');
  }
  return index;
}
