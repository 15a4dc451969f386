import type { EhrContext } from '../ehr-context.js';
import { isObject, str, type JsonObject } from '../json.js';
import { ClinicalRows, FhirError, type PatientSummary } from '../types.js';
import type { PatientView } from '../adapters/types.js';
import { isFhirId } from '../urls.js';
import {
  assemble,
  assemblePart,
  indexMedications,
  knownCell,
  LISTED_PARTS,
  readInPart,
  outOfOrder,
  partData,
  withStayDiagnosesCell,
  type AssembledParts,
  type ListedPart,
  type PartData,
} from './assemble.js';
import { parallelism, runEntries, type EntryResult } from './batch.js';
import { mapLimit } from '../map-limit.js';
import { careProviderCell, careProviderNames, recordedProvider, type RecordedProvider } from './care-provider.js';
import { unnamedPayors, unresolvedMedications, type MedicationIndex } from './medications.js';
import { ReadBudgetExceeded } from '../read-budget.js';
import { allergyListQueries, entryLimit, latestVitalQueries, ongoingStayQueries, partQueries, type PartQuery, type ReadMode } from './queries.js';
import { mayHideStay, stillOngoing } from './encounter.js';
import { readNoKnownAllergyList, withAllergyListStatement } from './records.js';
import { fetchPlanned, followPages, readSearchset, type PlannedEntry, type Searchset } from './searchset.js';
import { latestVitals, readVitals, settledLatest } from './vitals.js';
import {
  CLINICAL_PARTS,
  VITAL_KINDS,
  type AllergyView,
  type ClinicalPart,
  type ListPart,
  type ClinicalWarning,
  type LatestReadings,
  type PatientClinical,
  type UnavailableReason,
  type PatientDetails,
  type VitalKind,
} from './types.js';
import { Warnings, sumWarnings } from './warnings.js';
import { isVitalUnavailable } from '../../../contract/patients.js';
import { withAfterDeathHistoryMarks, withAfterDeathMarks } from './after-death.js';
import { withFutureHistoryMarks, withFutureMarks } from './future.js';

/** Pages per part the details panel reads at most (with `_count=100`, 1000 vital signs). */
const DETAIL_MAX_PAGES = 10;
/**
 * Parts a list cell reads whole: problems, allergies, drugs and coverage come in no order a search
 * can ask for (no date sort in the FHIR search of each), so a current one may sit on any page; their
 * `next` pages are read after the batches, at most this many pages in all (500 records a part, 100
 * coverages). A part read only in part (a page failed, pages left) shows its current items, and is
 * "not available" without one (assemble.ts knownCell). Vital signs and encounters are sorted newest
 * first: their first page holds what a cell shows, but for a vital kind charted less often than
 * others (a weight among quarter-hourly heart rates), which is asked on its own (readLatestVitals),
 * and the stay the patient is in behind newer visits (readOngoingStays). Vital signs a server did
 * not sort are read whole too: which reading is the latest is known only from all of them.
 */
const LIST_MAX_PAGES = 5;
const READ_WHOLE: ReadonlySet<ClinicalPart> = new Set(['conditions', 'allergies', 'medications', 'coverage']);

/** Receives the warnings of one read, summed: codes and counts only. */
export type WarningReport = (warnings: ClinicalWarning[]) => void;

/**
 * List rows: Patient plus the asked parts for every patient, one batch entry per patient per
 * part, so n patients and p parts cost ceil(n·(1+p) / B) requests. Patients the EHR does not
 * have (404/410) or could not give are absent; those it does not have, and ids no FHIR server can
 * hold, are named in the answer's `gone` (the entry's own status says which, no second read). Vital signs and encounters read one page (sorted,
 * it holds the newest); problems, allergies and drugs follow their `next` pages (READ_WHOLE).
 * A sorted first vital-sign page that links to more and lacks a kind of `vitalKinds` (the vital
 * columns the list shows; default every kind) is followed by one more search per missing kind,
 * newest first, after the batches (readLatestVitals): a cell never says "none recorded" for a kind
 * the EHR has. Each answer goes into its row as soon as
 * its batch arrives, so a long list never holds every Bundle at once, and a row whose answers
 * are all in is handed to `onRow` right away (medications may wait for the Medications that
 * name them, vital signs for a missing kind; rows with a failed entry are handed on at the end).
 */
export async function readClinical(
  ctx: EhrContext,
  patientIds: string[],
  parts: ListPart[],
  report?: WarningReport,
  onRow?: (row: PatientClinical) => void,
  vitalKinds: readonly VitalKind[] = VITAL_KINDS,
): Promise<ClinicalRows> {
  const ids = [...new Set(patientIds)].filter(isFhirId);
  const gone = new Set(patientIds.filter((id) => !isFhirId(id)));
  // Only a list that shows the care provider waits for the names behind bare references.
  const nameProviders = parts.includes('careProvider');
  const asked = CLINICAL_PARTS.filter((p) => parts.includes(p));
  const shownKinds = VITAL_KINDS.filter((kind) => vitalKinds.includes(kind));
  const plan = planEntries(ctx, ids, asked, 'list');
  ctx.budget?.sizeFor(plan.length);
  const sorted = sortedParts(plan);
  const readWarnings = new Warnings();
  // Parts the EHR does not offer are never asked: their cells say so unless an answer fills them.
  const { vitalHistory, encounters, ...notOffered } = assemble(
    new Map(asked.map((part) => [part, { ok: false, reason: 'not_offered' }])),
    new Map(),
    readWarnings,
  );
  const rows = new Map<string, RowRead>();
  for (const id of ids) rows.set(id, { cells: { ...notOffered }, warnings: new Warnings(), waiting: 0 });
  for (const { patientId } of plan) rows.get(patientId)!.waiting++;

  const take = ({ patientId, part, query }: PlannedEntry, result: EntryResult): void => {
    const row = rows.get(patientId)!;
    if (part === 'patient') {
      row.answered = true;
      row.gone = isGone(result);
      const view = result.ok ? viewOf(ctx, result.body, patientId) : null;
      row.summary = view?.summary ?? null;
      row.provider = providerOf(ctx, result.ok ? result.body : undefined, view);
      // A care provider reference without a display (relative, or absolute on the EHR's base) is read after the batches (careProviderNames).
      if (nameProviders && row.provider.reference) row.careProviderRef = row.provider.reference;
      return;
    }
    const data = partData(result, patientId, row.warnings, query && entryLimit(query));
    if (part === 'allergyList') {
      row.allergyStatement = allergyStatementOf(data);
      return;
    }
    // More pages of a part read whole, or of vital signs not newest first: the row waits for them (read after the batches).
    if (data.ok && data.set.next && (READ_WHOLE.has(part) || (part === 'vitals' && !sortedPage(ctx, data.set, query)))) {
      (row.paged ??= []).push({ part, set: data.set, limit: query && entryLimit(query) });
      return;
    }
    takePart(row, part, data);
    // A vital kind the list shows that the first page lacks is asked on its own: the row waits for it.
    if (part === 'vitals') row.vitalLookup = vitalLookupOf(ctx, row.cells.vitals, data, query, shownKinds);
    // So is the stay the patient is in, when the first page of encounters (it links to more) holds none.
    if (part === 'encounter' && data.ok && data.set.next && mayHideStay(data.set.resources)) row.stayLookup = data.set;
  };
  const takePart = (row: RowRead, part: ClinicalPart, data: PartData): void => {
    checkOrder(ctx, sorted, [[part, data]], row.warnings);
    if (isListed(part) && readInPart(data)) (row.partial ??= new Set()).add(part);
    if (part === 'medications' && data.ok) {
      // Names behind references the answer did not include wait for one more read of all rows.
      // Absolute references on the EHR's own base name included Medications too (never another server's).
      const own = indexMedications(data.set.included, new Map(), ctx.server.base);
      if (unresolvedMedications(data.set.resources, own, ctx.server.base).length > 0 && ctx.server.resources.includes('Medication'))
        row.pending = data;
      else Object.assign(row.cells, assemblePart(part, data, own, row.warnings, { base: ctx.server.base }));
      return;
    }
    // Payers given by reference only wait for their names, read with the care providers after the batches.
    if (part === 'coverage' && data.ok && payorsToName(ctx, data).length > 0) {
      row.pendingCoverage = data;
      return;
    }
    // A list row has the latest only: the full history and encounter list stay with the details panel.
    const { encounters, ...cells } = assemblePart(part, data, new Map(), row.warnings, { history: false, base: ctx.server.base });
    Object.assign(row.cells, cells);
  };
  const finish = (row: RowRead): PatientClinical => {
    if (row.cells.conditions) row.cells.conditions = withStayDiagnosesCell(row.cells.conditions, row.cells.encounter);
    withKnownCells(row.cells, row.partial ?? new Set());
    row.cells.vitals = withFutureMarks(withAfterDeathMarks(row.cells.vitals, row.summary!.deceased?.date));
    if (row.cells.allergies) row.cells.allergies = withAllergyListStatement(row.cells.allergies, row.allergyStatement ?? null);
    const careProvider = careProviderCell(ctx, row.summary!.generalPractitioner, row.provider!, nameProviders);
    row.done = { patient: row.summary!, careProvider, ...row.cells, warnings: row.warnings.list() };
    onRow?.(row.done);
    return row.done;
  };

  const results =
    plan.length > 0
      ? await fetchPlanned(
          ctx,
          plan,
          (body, index) => {
            take(plan[index], { ok: true, body });
            const row = rows.get(plan[index].patientId)!;
            if (
              --row.waiting === 0 &&
              row.summary &&
              !row.pending &&
              !row.pendingCoverage &&
              !row.careProviderRef &&
              !row.paged &&
              !row.vitalLookup &&
              !row.stayLookup
            )
              finish(row);
            return undefined;
          },
          readWarnings,
        )
      : [];
  // Failed entries never reached the reader above.
  plan.forEach((entry, i) => {
    if (!results[i].ok) take(entry, results[i]);
  });
  // The further pages of parts read whole, as many at once as the read may have in flight, and
  // meanwhile the newest reading of each vital kind a sorted first page lacked (not when the EHR
  // turned out, in this read or before, to ignore or refuse `_sort`: its first page is no proof).
  const paged = [...rows].flatMap(([id, row]) => (row.summary && row.paged ? row.paged.map((p) => ({ id, row, ...p })) : []));
  const lookups = [...rows].filter(([, row]) => row.summary && row.vitalLookup);
  // The EHR turned out not to sort: a first page is no proof a kind it lacks has no reading, nor is a lookup's answer.
  if (ctx.quirks?.noDateSort) for (const [, row] of lookups.splice(0)) for (const kind of row.vitalLookup!.kinds) unreadKind(row, kind, 'failed');
  const stays = [...rows].filter(([, row]) => row.summary && row.stayLookup);
  const vitalEntries = lookups.reduce((n, [, row]) => n + row.vitalLookup!.kinds.length, 0);
  await Promise.all([
    mapLimit(paged, parallelism(ctx), async ({ id, row, part, set, limit }) => {
      const whole = await followPages(ctx, set, id, row.warnings, LIST_MAX_PAGES, limit);
      takePart(row, part, { ok: true, set: whole });
      // Vital signs not newest first, read in part: the latest may be on what was not read.
      if (part === 'vitals' && whole.truncated) row.cells.vitals = { status: 'unavailable', reason: 'failed' };
    }),
    lookups.length ? readLatestVitals(ctx, lookups, plan.length + stays.length, readWarnings) : undefined,
    stays.length ? readOngoingStays(ctx, stays, plan.length + vitalEntries, readWarnings) : undefined,
  ]);

  const pending = [...rows.values()].flatMap((row) => (!row.done && row.summary && row.pending ? [row.pending] : []));
  const unnamed = [...rows.values()].flatMap((row) =>
    !row.done && row.summary ? [...(row.careProviderRef ? [row.careProviderRef] : []), ...payorsToName(ctx, row.pendingCoverage)] : [],
  );
  const [medications, providers] = await Promise.all([
    pending.length ? resolveMedications(ctx, pending, readWarnings) : new Map(),
    unnamed.length ? careProviderNames(ctx, unnamed, readWarnings) : new Map<string, string>(),
  ]);
  const found = new Map<string, PatientClinical>();
  for (const [id, row] of rows) {
    if (row.done) found.set(id, row.done);
    else if (!row.summary) {
      if (row.gone) gone.add(id);
      else if (row.answered) readWarnings.add('patient_unreadable');
    } else {
      if (row.pending) Object.assign(row.cells, assemblePart('medications', row.pending, medications, row.warnings, { base: ctx.server.base }));
      if (row.pendingCoverage)
        Object.assign(
          row.cells,
          assemblePart('coverage', row.pendingCoverage, medications, row.warnings, { payers: providers, base: ctx.server.base }),
        );
      if (row.careProviderRef) row.summary = withCareProvider(row.summary, providers.get(row.careProviderRef));
      found.set(id, finish(row));
    }
  }
  report?.(sumWarnings([readWarnings.list(), ...[...found.values()].map((p) => p.warnings)]));
  return new ClinicalRows(found, gone);
}

/** One list row while its answers come in. */
interface RowRead {
  cells: AssembledParts;
  warnings: Warnings;
  /** Entries not read yet. */
  waiting: number;
  answered?: boolean;
  gone?: boolean;
  summary?: PatientSummary | null;
  pending?: PartData;
  /** Coverage whose payers are references without a display, named after the batches (unnamedPayors). */
  pendingCoverage?: PartData;
  /** Parts read whole whose first page links to more, read after the batches. */
  paged?: { part: ClinicalPart; set: Searchset; limit?: number }[];
  /** Listed parts whose answer was read only in part (readInPart), for knownCell when the row is done. */
  partial?: Set<ListedPart>;
  /** What the Patient records of its care provider (set with `summary`), for its cell. */
  provider?: RecordedProvider;
  /** A care provider reference without a display, read after the batches. */
  careProviderRef?: string;
  /** Vital kinds shown that the first page (sorted, with more pages) lacks, read after the batches. */
  vitalLookup?: VitalLookup;
  /** The first page of encounters, when it may hide the stay the patient is in (`mayHideStay`): the stays are asked after the batches. */
  stayLookup?: Searchset;
  /** "No known allergies" as an allergy List states it, joined to the allergies cell when the row is done. */
  allergyStatement?: AllergyView | null;
  done?: PatientClinical;
}

/** The vital kinds a row's first page lacks, and the Observations that page had (not counted twice). */
interface VitalLookup {
  kinds: VitalKind[];
  seen: Set<string>;
}

/**
 * What a row's vital signs need besides their first page: the kinds of `shown` it has no reading
 * of, when that page was asked newest first, came so, and links to more (an older reading of a
 * missing kind may sit there). Undefined when nothing more is needed or can be trusted.
 */
function vitalLookupOf(
  ctx: EhrContext,
  cell: AssembledParts['vitals'],
  data: PartData,
  query: PartQuery | undefined,
  shown: readonly VitalKind[],
): VitalLookup | undefined {
  if (!data.ok || !data.set.next || !sortedPage(ctx, data.set, query)) return undefined;
  if (cell?.status !== 'ok' && cell?.status !== 'none') return undefined;
  const have = readingsIn(cell);
  // A kind is asked for when the page has no settled latest of it: none, only readings dated in the future or without a value, or a diastolic alone.
  const kinds = shown.filter((kind) => !settledLatest(have[kind]));
  return kinds.length ? { kinds, seen: new Set(data.set.resources.map(observationKey)) } : undefined;
}

/** The readings of a vitals cell: a kind that could not be read (contract `vitalUnavailable`) has none. */
function readingsIn(cell: AssembledParts['vitals']): LatestReadings {
  if (cell?.status !== 'ok') return {};
  return Object.fromEntries(Object.entries(cell.value).filter(([, v]) => v && !isVitalUnavailable(v))) as LatestReadings;
}

const observationKey = (resource: JsonObject): string => `Observation/${str(resource.id) ?? ''}`;

/** Whether a first page came newest first as asked: `_sort` sent, not known to be ignored, and the page in that order. */
const sortedPage = (ctx: EhrContext, set: Searchset, query: PartQuery | undefined): boolean =>
  !!query?.sort && !ctx.quirks?.noDateSort && !outOfOrder(set);

/**
 * The stays rows may be in, one batch entry per row (queries.ts `ongoingStayQueries`), all in one
 * runEntries call; each row's encounter cells are built again from its first page and what this
 * found (an encounter on both counted once). A failure leaves the cells as the first page made
 * them, with `stay_lookup_failed`.
 */
async function readOngoingStays(ctx: EhrContext, rows: Array<[string, RowRead]>, planned: number, warnings: Warnings): Promise<void> {
  const build = ongoingStayQueries(ctx);
  if (!build) return;
  const entries = rows.map(([id, row]) => ({ id, row, ...build(id) }));
  const sets = await lookupSearchsets(ctx, entries, planned, warnings, 'stay_lookup_failed');
  if (!sets) {
    for (const { row } of entries) row.cells.encounter = ongoingOrUnknown(row.cells.encounter);
    return;
  }
  entries.forEach(({ row }, i) => {
    const set = sets[i];
    if (lookupFailed(set)) {
      row.warnings.add('stay_lookup_failed');
      row.cells.encounter = ongoingOrUnknown(row.cells.encounter);
      return;
    }
    const first = row.stayLookup!;
    const key = (r: JsonObject) => `Encounter/${str(r.id) ?? ''}`;
    const seen = new Set(first.resources.filter((r) => str(r.id)).map(key));
    const more = set.resources.filter((r) => !str(r.id) || !seen.has(key(r)));
    const { encounters, ...cells } = assemblePart(
      'encounter',
      { ok: true, set: { ...first, resources: [...first.resources, ...more] } },
      new Map(),
      row.warnings,
      {
        history: false,
        base: ctx.server.base,
      },
    );
    Object.assign(row.cells, cells);
    if (readInPart({ ok: true, set })) row.cells.encounter = ongoingOrUnknown(row.cells.encounter);
  });
}

/**
 * A row's encounter cell when the search for the stays it may be in failed or was read in part:
 * an ongoing encounter found stays (it is true); else the stay the patient is in is unknown, "not
 * available" (`failed`), never a past visit's "none recorded" location and admission.
 */
function ongoingOrUnknown(cell: AssembledParts['encounter']): AssembledParts['encounter'] {
  if (cell?.status === 'ok' && stillOngoing(cell.value, Date.now())) return cell;
  return { status: 'unavailable', reason: 'failed' };
}

/**
 * The searchsets a lookup's entries answer (one search each, for its row), all in one runEntries
 * call, in the order given: for an entry that failed, why (`failed`: an error or no answer in time;
 * `malformed`: an answer that is no searchset). Null when the read failed as a whole (not a spent
 * budget, which is thrown): each row then has the warning `failed`.
 */
async function lookupSearchsets(
  ctx: EhrContext,
  entries: Array<{ row: RowRead; id: string; query: PartQuery; url: string }>,
  planned: number,
  warnings: Warnings,
  failed: string,
): Promise<(Searchset | LookupFailure)[] | null> {
  ctx.budget?.sizeFor(planned + entries.length);
  let results: EntryResult[];
  try {
    results = await runEntries(
      ctx,
      entries.map((e) => e.url),
      undefined,
      warnings,
    );
  } catch (error) {
    if (!(error instanceof FhirError) || error instanceof ReadBudgetExceeded) throw error;
    for (const row of new Set(entries.map((e) => e.row))) row.warnings.add(failed);
    return null;
  }
  return entries.map(({ row, id, query }, i) => {
    const result = results[i];
    if (!result.ok) return 'failed';
    return readSearchset(result.body, id, row.warnings, entryLimit(query)) ?? 'malformed';
  });
}

/** Why one lookup entry has no searchset. */
type LookupFailure = Extract<UnavailableReason, 'failed' | 'malformed'>;
const lookupFailed = (set: Searchset | LookupFailure): set is LookupFailure => typeof set === 'string';

/**
 * The newest readings of the vital kinds rows lack, one batch entry per row per kind
 * (queries.ts `latestVitalQueries`), all in one runEntries call, merged into each row's vital
 * signs. A kind whose answer links to more and still has no settled latest (a server that ignored
 * the `status` filter gave records entered in error; readings without a value) reads on, at most
 * VITAL_LOOKUP_MAX_PAGES pages: a searchset's matches are all of its pages (FHIR http.html#paging).
 * A kind the lookup could not settle is never "none recorded": when its answer failed
 * (`vital_lookup_failed`), was malformed, came out of order (`sort_ignored`: its readings need not
 * be the newest) or was read only in part (pages left, a page failed) and holds no reading of the
 * kind, the kind is "not available" (unreadKind); the kinds that were read keep their readings.
 */
async function readLatestVitals(ctx: EhrContext, rows: Array<[string, RowRead]>, planned: number, warnings: Warnings): Promise<void> {
  const builders = new Map<VitalKind, ReturnType<typeof latestVitalQueries>>();
  const entries: Array<{ row: RowRead; id: string; kind: VitalKind; query: PartQuery; url: string }> = [];
  for (const [id, row] of rows) {
    for (const kind of row.vitalLookup!.kinds) {
      if (!builders.has(kind)) builders.set(kind, latestVitalQueries(ctx, kind));
      const build = builders.get(kind);
      if (build) entries.push({ row, id, kind, ...build(id) });
      else unreadKind(row, kind, 'failed');
    }
  }
  if (entries.length === 0) return;
  const sets = await lookupSearchsets(ctx, entries, planned, warnings, 'vital_lookup_failed');
  if (!sets) {
    for (const { row, kind } of entries) unreadKind(row, kind, 'failed');
    return;
  }
  const found = new Map<RowRead, JsonObject[]>();
  const unread: Array<{ row: RowRead; kind: VitalKind; reason: UnavailableReason }> = [];
  const sorted = entries.flatMap((entry, i) => {
    const set = sets[i];
    if (lookupFailed(set) || outOfOrder(set)) {
      entry.row.warnings.add(lookupFailed(set) ? 'vital_lookup_failed' : 'sort_ignored');
      unread.push({ ...entry, reason: lookupFailed(set) ? set : 'failed' });
      return [];
    }
    found.set(entry.row, [...(found.get(entry.row) ?? []), ...set.resources]);
    return [{ ...entry, set }];
  });
  for (const [row, resources] of found) mergeLookedUp(ctx, row, resources);
  const unsettled = sorted.filter(({ row, kind, set }) => set.next && !settledLatest(readingsOf(row)[kind]));
  const readOn = new Set(unsettled);
  for (const entry of sorted) if (!readOn.has(entry) && readInPart({ ok: true, set: entry.set })) unread.push({ ...entry, reason: 'failed' });
  await mapLimit(unsettled, parallelism(ctx), async ({ row, id, kind, query, set }) => {
    const whole = await followPages(ctx, set, id, row.warnings, VITAL_LOOKUP_MAX_PAGES, entryLimit(query));
    if (outOfOrder(whole)) row.warnings.add('sort_ignored');
    else mergeLookedUp(ctx, row, whole.resources);
    if (outOfOrder(whole) || readInPart({ ok: true, set: whole })) unread.push({ row, kind, reason: 'failed' });
  });
  for (const { row, kind, reason } of unread) unreadKind(row, kind, reason);
}

/** Pages of one vital kind's lookup read at most (with `_count=2`, ten readings; a blood pressure thirty). */
const VITAL_LOOKUP_MAX_PAGES = 5;

/** The readings of a row's vital signs so far (a kind marked unread has none). */
const readingsOf = (row: RowRead): LatestReadings => readingsIn(row.cells.vitals);

/**
 * A vital kind a row's lookup could not read: "not available" for `reason` when the row has no
 * reading of it (a reading that was read stays, marked as it is: it is what the EHR gave).
 */
function unreadKind(row: RowRead, kind: VitalKind, reason: UnavailableReason): void {
  row.cells.vitals = withUnreadKinds(row.cells.vitals, [kind], reason);
}

/** A vitals cell with each of `kinds` it has no reading of "not available" for `reason` (a cell not available as a whole stays so). */
function withUnreadKinds(cell: AssembledParts['vitals'], kinds: readonly VitalKind[], reason: UnavailableReason): AssembledParts['vitals'] {
  if (!cell || cell.status === 'unavailable') return cell;
  const readings = readingsIn(cell);
  const unread = kinds.filter((kind) => !readings[kind]).map((kind) => [kind, { kind, unavailable: reason }]);
  return unread.length ? { status: 'ok', value: { ...(cell.status === 'ok' ? cell.value : {}), ...Object.fromEntries(unread) } } : cell;
}

/**
 * Readings a lookup found merged into a row's vital signs, for the kinds it looked up: each
 * Observation once (the first page's are not counted again); the page's reading of a kind stays
 * unless the lookup's ranks before it (latestVitals' rule).
 */
function mergeLookedUp(ctx: EhrContext, row: RowRead, resources: JsonObject[]): void {
  const lookup = row.vitalLookup!;
  const fresh = resources.filter((resource) => {
    const key = observationKey(resource);
    if (str(resource.id) && lookup.seen.has(key)) return false;
    lookup.seen.add(key);
    return true;
  });
  const latest = latestVitals(readVitals(fresh, row.warnings, ctx.server.base));
  const had = readingsOf(row);
  const more = Object.fromEntries(
    lookup.kinds.flatMap((kind) => (latest[kind] ? [[kind, latestVitals([had[kind], latest[kind]].filter((r) => !!r))[kind]]] : [])),
  );
  if (Object.keys(more).length === 0) return;
  const cell = row.cells.vitals;
  row.cells.vitals = { status: 'ok', value: { ...(cell?.status === 'ok' ? cell.value : {}), ...more } };
}

/**
 * The details panel: Patient and every part in one batch, then `next` pages of each part (at most
 * DETAIL_MAX_PAGES). Null when the EHR does not have the patient; an EHR failure on the Patient
 * itself is thrown, so it is not mistaken for a missing patient.
 */
export async function readPatientDetails(ctx: EhrContext, id: string, report?: WarningReport): Promise<PatientDetails | null> {
  if (!isFhirId(id)) return null;
  const plan = planEntries(ctx, [id], [...CLINICAL_PARTS], 'details');
  const warnings = new Warnings();
  const results = await fetchPlanned(ctx, plan, undefined, warnings);
  const patientResult = results[0];
  if (isGone(patientResult)) return null;
  const view = patientResult?.ok ? viewOf(ctx, patientResult.body, id) : null;
  let summary = view?.summary ?? null;
  if (!summary) {
    const status = patientResult.ok ? undefined : patientResult.status;
    throw new FhirError('ehr_error', `The EHR could not give this patient${status ? ` (HTTP ${status})` : ''}.`, status);
  }
  const limits = new Map(plan.map((e) => [e.part, e.query && entryLimit(e.query)]));
  const data = new Map(
    CLINICAL_PARTS.map((part) => [part, partData(results[plan.findIndex((e) => e.part === part)], id, warnings, limits.get(part))] as const),
  );
  checkOrder(ctx, sortedParts(plan), data, warnings);
  const vitalsQuery = plan.find((e) => e.part === 'vitals')?.query;
  const vitalsFirst = data.get('vitals');
  const vitalsSorted = !!vitalsFirst?.ok && sortedPage(ctx, vitalsFirst.set, vitalsQuery);
  await Promise.all(
    [...data].map(async ([part, got]) => {
      if (got.ok) data.set(part, { ok: true, set: await followPages(ctx, got.set, id, warnings, DETAIL_MAX_PAGES, limits.get(part)) });
    }),
  );
  const provider = providerOf(ctx, patientResult.ok ? patientResult.body : undefined, view);
  const unnamed = [...(provider.reference ? [provider.reference] : []), ...payorsToName(ctx, data.get('coverage'))];
  const [medications, providers] = await Promise.all([
    resolveMedications(ctx, [...data.values()], warnings),
    unnamed.length ? careProviderNames(ctx, unnamed, warnings) : new Map<string, string>(),
  ]);
  if (provider.reference) summary = withCareProvider(summary, providers.get(provider.reference));
  const cells = assemble(data, medications, warnings, providers, ctx.server.base);
  cells.conditions = withStayDiagnosesCell(cells.conditions, cells.encounter);
  withKnownCells(cells, new Set(LISTED_PARTS.filter((part) => readInPart(data.get(part)))));
  // Vital signs not newest first, read in part: the latest may be on a page not read (the history stays).
  if (!vitalsSorted && readInPart(data.get('vitals'))) cells.vitals = { status: 'unavailable', reason: 'failed' };
  // Newest first, read in part (a page failed, pages left): a kind with no reading in what was read may have one on what was not.
  else if (readInPart(data.get('vitals'))) cells.vitals = withUnreadKinds(cells.vitals, VITAL_KINDS, 'failed');
  cells.vitals = withFutureMarks(withAfterDeathMarks(cells.vitals, summary.deceased?.date));
  cells.vitalHistory = withFutureHistoryMarks(withAfterDeathHistoryMarks(cells.vitalHistory, summary.deceased?.date));
  const listIndex = plan.findIndex((e) => e.part === 'allergyList');
  if (listIndex >= 0) {
    const lists = partData(results[listIndex], id, warnings, plan[listIndex].query && entryLimit(plan[listIndex].query));
    cells.allergies = withAllergyListStatement(cells.allergies!, allergyStatementOf(lists));
  }
  const details: PatientDetails = {
    patient: summary,
    careProvider: careProviderCell(ctx, summary.generalPractitioner, provider, true),
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
    if (!forPatient) return [];
    // An allergy List can say "no known allergies" where there is no allergy record to say it.
    const lists = part === 'allergies' ? allergyListQueries(ctx) : undefined;
    return [{ part, forPatient }, ...(lists ? [{ part: 'allergyList' as const, forPatient: lists }] : [])];
  });
  const plan: PlannedEntry[] = [];
  for (const patientId of ids) {
    plan.push({ patientId, part: 'patient', url: `Patient/${patientId}` });
    const encoded = encodeURIComponent(patientId);
    for (const { part, forPatient } of queries) {
      const { query, url } = forPatient(patientId, encoded);
      plan.push({ patientId, part, url, query });
    }
  }
  return plan;
}

/**
 * What an answer to the allergy List search states: "no known allergies", or nothing (also when
 * it failed). "No known allergies" from the allergy Lists read, only when they are all the EHR has: a page
 * that links to more, or one cut to the entries asked for (a server that ignores `_count`), may
 * leave out a newer list that names an allergy (a search of Lists has no date order to ask for),
 * and a statement that none is known must never stand on part of them.
 */
function allergyStatementOf(data: PartData): AllergyView | null {
  return data.ok && !data.set.next && !data.set.truncated ? readNoKnownAllergyList(data.set.resources) : null;
}

const isListed = (part: ClinicalPart): part is ListedPart => (LISTED_PARTS as readonly ClinicalPart[]).includes(part);

/** Each listed part's cell, by knownCell: "not available" rather than "none recorded" when read in part without a current item. */
function withKnownCells(cells: AssembledParts, partial: ReadonlySet<ListedPart>): void {
  const listed = cells as Pick<AssembledParts, ListedPart>;
  if (partial.has('conditions')) listed.conditions = knownCell('conditions', listed.conditions, true);
  if (partial.has('allergies')) listed.allergies = knownCell('allergies', listed.allergies, true);
  if (partial.has('medications')) listed.medications = knownCell('medications', listed.medications, true);
  if (partial.has('coverage')) listed.coverage = knownCell('coverage', listed.coverage, true);
}

function isGone(result: EntryResult | undefined): boolean {
  return !!result && !result.ok && (result.status === 404 || result.status === 410);
}

function viewOf(ctx: EhrContext, body: unknown, id: string): PatientView | null {
  const view = ctx.adapter.readPatient(body, { mrnSystem: ctx.mrnSystem, base: ctx.server.base });
  // An answer about another patient than the one asked is never shown on this row.
  return view && view.summary.id === id ? view : null;
}

/** The summary with the care provider's name read from its reference (unchanged when none was found). */
function withCareProvider(summary: PatientSummary, name: string | undefined): PatientSummary {
  return name ? { ...summary, generalPractitioner: name } : summary;
}

/**
 * The care provider a Patient records when it names none itself (the adapter's display or contained
 * name): its reference to read, relative or absolute on the EHR's base (recordedProvider; the
 * adapter reads relative ones only), and whether one is recorded at all.
 */
function providerOf(ctx: EhrContext, body: unknown, view: PatientView | null): RecordedProvider {
  return view?.summary.generalPractitioner ? { recorded: true, reference: null } : recordedProvider(ctx, body);
}

/** The payer Organizations a coverage answer names by reference only, when the EHR offers Organization to read them. */
function payorsToName(ctx: EhrContext, data: PartData | undefined): string[] {
  return data?.ok && ctx.server.resources.includes('Organization') ? unnamedPayors(data.set.resources, ctx.server.base) : [];
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
  const index = indexMedications(
    sets.flatMap((s) => s.included),
    new Map(),
    ctx.server.base,
  );
  const missing = [...new Set(sets.flatMap((s) => unresolvedMedications(s.resources, index, ctx.server.base)))];
  if (missing.length === 0 || !ctx.server.resources.includes('Medication')) return index;
  try {
    const answers = await runEntries(ctx, missing, undefined, warnings);
    indexMedications(
      answers.flatMap((a) => (a.ok && isObject(a.body) ? [a.body as JsonObject] : [])),
      index,
      ctx.server.base,
    );
  } catch (error) {
    if (!(error instanceof FhirError) || error instanceof ReadBudgetExceeded) throw error;
    warnings.add('medication_lookup_failed');
  }
  return index;
}
