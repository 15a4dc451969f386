import type { EhrContext, SearchQuirks } from '../ehr-context.js';
import { formEncode } from '../urls.js';
import type { ClinicalPart, VitalKind } from './types.js';
import { ALLERGY_LIST_CODES } from './records.js';
import { VITAL_CODES, type VitalCodeKind } from './vital-codes.js';
import { ONGOING_STATUSES } from './encounter.js';

/** One search of one part for one patient, kept as parts so a retry can drop `_sort` or `_include`. */
export interface PartQuery {
  type: string;
  /** Search parameters but `_count`, `_sort` and `_include`. */
  params: Array<[string, string]>;
  count: number;
  /** The page size when the server does not sort: wider, so the newest are likely among what we read. */
  unsortedCount: number;
  /** Ask the server for newest first (`date` descending). */
  sort: boolean;
  /** `_include` value, to get referenced Medications in the same answer. */
  include?: string;
}

export type ReadMode = 'list' | 'details';

/**
 * Page sizes. A list cell of vital signs or encounters shows the newest only, so one sorted page
 * is read: 50 vital-sign Observations hold the latest of most kinds (on quarter-hourly charting
 * only some three hours: a kind the list shows that is missing from a sorted page with a `next`
 * link is asked on its own, latestVitalQueries), and 10 encounters (the contract's `_count=1`
 * gives only the newest by date, which may be a visit planned for next month) usually hold the
 * stay the patient is in; a page that links to more without an ongoing inpatient stay is followed
 * by ongoingStayQueries. When the server cannot sort, the window widens and we sort ourselves (a
 * list reads such vital signs whole). Problems, allergies, drugs and coverage have no date order
 * to ask for: a list follows their `next` links (read-clinical.ts READ_WHOLE), as the details do.
 */
const COUNT: Record<ReadMode, Record<ClinicalPart, number>> = {
  list: { vitals: 50, encounter: 10, conditions: 100, allergies: 100, medications: 100, coverage: 20 },
  details: { vitals: 100, encounter: 50, conditions: 100, allergies: 100, medications: 100, coverage: 50 },
};
const UNSORTED_COUNT: Partial<Record<ClinicalPart, number>> = { vitals: 100, encounter: 50 };

/** Resource types a part may be searched on, in order of preference. */
const CANDIDATES: Record<ClinicalPart, readonly string[]> = {
  vitals: ['Observation'],
  encounter: ['Encounter'],
  conditions: ['Condition'],
  allergies: ['AllergyIntolerance'],
  // DSTU2 MedicationOrder, later MedicationRequest; MedicationStatement when only that is offered.
  medications: ['MedicationRequest', 'MedicationStatement'],
  coverage: ['Coverage'],
};
const DSTU2_MEDICATIONS = ['MedicationOrder', 'MedicationStatement'] as const;

/** The resource type a part is searched on, or undefined when the EHR does not offer it. */
function partType(ctx: EhrContext, part: ClinicalPart): string | undefined {
  const candidates = part === 'medications' && ctx.server.version === 'DSTU2' ? DSTU2_MEDICATIONS : CANDIDATES[part];
  for (const type of candidates) if (ctx.server.resources.includes(type)) return type;
  return undefined;
}

function partQuery(ctx: EhrContext, part: ClinicalPart, patientId: string, mode: ReadMode): PartQuery | undefined {
  const type = partType(ctx, part);
  if (!type) return undefined;
  const quirks: SearchQuirks = ctx.quirks ?? {};
  const sortable = part === 'vitals' || part === 'encounter';
  const count = COUNT[mode][part];
  const unsortedCount = Math.max(count, (mode === 'list' && UNSORTED_COUNT[part]) || 0);
  // Coverage is searched by `patient` as the contract says (R4 also knows `beneficiary`).
  const params: Array<[string, string]> = [['patient', patientId]];
  if (part === 'vitals') params.push(['category', 'vital-signs']);
  const include = part === 'medications' && !quirks.noInclude ? `${type}:medication` : undefined;
  return { type, params, count, unsortedCount, sort: sortable && !quirks.noDateSort, ...(include ? { include } : {}) };
}

/**
 * A part's query and entry URL for one patient after another, built once per read: only
 * `patient` differs, and a list of 300 patients asks 1,800 of them.
 */
export function partQueries(
  ctx: EhrContext,
  part: ClinicalPart,
  mode: ReadMode,
): ((patientId: string, encodedId?: string) => { query: PartQuery; url: string }) | undefined {
  const template = partQuery(ctx, part, '', mode);
  if (!template) return undefined;
  const rest = template.params.slice(1);
  const head = `${template.type}?patient=`;
  const tail = queryUrl(ctx, { ...template, params: rest }).slice(template.type.length + 1);
  // `encodedId` lets a caller that asks several parts per patient encode the id once.
  return (patientId, encodedId = encodeURIComponent(patientId)) => ({
    query: { ...template, params: [['patient', patientId], ...rest] },
    url: `${head}${encodedId}&${tail}`,
  });
}

/**
 * The allergy List search that goes with the allergies part, for one patient after another, when
 * the EHR offers List: `List?patient={id}&code=…` (ALLERGY_LIST_CODES, without a system: records
 * spell LOINC's system more than one way). Its answer can state "no known allergies"
 * (records.ts `readNoKnownAllergyList`).
 */
export function allergyListQueries(ctx: EhrContext): ((patientId: string, encodedId?: string) => { query: PartQuery; url: string }) | undefined {
  if (!ctx.server.resources.includes('List')) return undefined;
  const rest: Array<[string, string]> = [['code', ALLERGY_LIST_CODES.join(',')]];
  const template: PartQuery = { type: 'List', params: rest, count: LIST_COUNT, unsortedCount: LIST_COUNT, sort: false };
  // The commas between codes stay as they are (an OR in FHIR search); the codes need no escaping.
  const tail = `code=${ALLERGY_LIST_CODES.join(',')}&_count=${LIST_COUNT}`;
  return (patientId, encodedId = encodeURIComponent(patientId)) => ({
    query: { ...template, params: [['patient', patientId], ...rest] },
    url: `List?patient=${encodedId}&${tail}`,
  });
}
/** Allergy lists per patient read at most: one is usual, an EHR may keep a few. */
const LIST_COUNT = 10;

/**
 * Readings asked per kind when a list row's first vital-sign page has none of that kind: the
 * newest may be a reading without a value or dated in the future, so two; a blood pressure may
 * come as standalone systolic and diastolic Observations that pair (vitals.ts pairHalves), so six.
 * An SpO2 is asked by its own codes only (oxygen charted every few minutes would fill the answer):
 * such an SpO2 has the oxygen of its components (oxygen.ts).
 */
const LATEST_VITAL_COUNT = 2;
const LATEST_PRESSURE_COUNT = 6;

/**
 * Observation statuses that hold a result (vitals.ts SKIPPED_STATUS leaves out `registered`,
 * `cancelled` and `entered-in-error`): `status` is an Observation search parameter in DSTU2, STU3
 * and R4 (a token; the commas an OR), so a kind's lookup never spends its few readings on
 * records that are no result while a valid older one exists. DSTU2's observation-status has no
 * `corrected`.
 */
const RESULT_STATUSES = ['final', 'amended', 'corrected', 'preliminary', 'unknown'] as const;

/** The codes whose Observations are read as a vital kind (a blood pressure: its panels and both halves). */
function codesOfKind(kind: VitalKind): string[] {
  const kinds: VitalCodeKind[] = kind === 'bloodPressure' ? ['bpPanel', 'systolic', 'diastolic'] : [kind];
  return kinds.flatMap((k) => Object.keys(VITAL_CODES[k]));
}

/**
 * The search for the newest readings of one vital kind, for one patient after another:
 * `Observation?patient={id}&category=vital-signs&code={codes of the kind}&status={RESULT_STATUSES}&_count=2&_sort=-date`
 * (DSTU2 `_sort:desc=date`; a blood pressure `_count=6`). The codes are those of vital-codes.ts,
 * without a system (records spell LOINC's system more than one way; a code is matched on `code`
 * alone), joined with commas, which stay as they are (an OR in FHIR search). `category` keeps the
 * answer within what the first page and the details panel read. Undefined when the EHR does not
 * offer Observation.
 */
export function latestVitalQueries(
  ctx: EhrContext,
  kind: VitalKind,
): ((patientId: string, encodedId?: string) => { query: PartQuery; url: string }) | undefined {
  const type = partType(ctx, 'vitals');
  if (!type) return undefined;
  const codes = codesOfKind(kind).join(',');
  const statuses = RESULT_STATUSES.filter((s) => ctx.server.version !== 'DSTU2' || s !== 'corrected').join(',');
  const count = kind === 'bloodPressure' ? LATEST_PRESSURE_COUNT : LATEST_VITAL_COUNT;
  const rest: Array<[string, string]> = [
    ['category', 'vital-signs'],
    ['code', codes],
    ['status', statuses],
  ];
  const template: PartQuery = { type, params: rest, count, unsortedCount: count, sort: true };
  const sort = formEncode(ctx.adapter.sortParams([{ param: 'date', descending: true }]));
  const tail = `category=vital-signs&code=${codes}&status=${statuses}&_count=${count}&${sort}`;
  return (patientId, encodedId = encodeURIComponent(patientId)) => ({
    query: { ...template, params: [['patient', patientId], ...rest] },
    url: `${type}?patient=${encodedId}&${tail}`,
  });
}

/**
 * The search for the stays a patient may be in, for one patient after another, when a list row's
 * first page of encounters may hide it (encounter.ts `mayHideStay`):
 * `Encounter?patient={id}&status=arrived,triaged,in-progress,onleave&_count=10&_sort=-date`
 * (DSTU2's encounter-state has no `triaged`; DSTU2 `_sort:desc=date`; without `_sort`, and a wider
 * page, on a server that ignores it). The commas stay as they are (an OR in FHIR search).
 * Undefined when the EHR does not offer Encounter.
 */
export function ongoingStayQueries(ctx: EhrContext): ((patientId: string, encodedId?: string) => { query: PartQuery; url: string }) | undefined {
  const template = partQuery(ctx, 'encounter', '', 'list');
  if (!template) return undefined;
  const statuses = ONGOING_STATUSES.filter((s) => ctx.server.version !== 'DSTU2' || s !== 'triaged').join(',');
  const rest: Array<[string, string]> = [['status', statuses]];
  const query: PartQuery = { ...template, params: rest };
  const sort = query.sort ? `&${formEncode(ctx.adapter.sortParams([{ param: 'date', descending: true }]))}` : '';
  const tail = `status=${statuses}&_count=${query.sort ? query.count : query.unsortedCount}${sort}`;
  return (patientId, encodedId = encodeURIComponent(patientId)) => ({
    query: { ...query, params: [['patient', patientId], ...rest] },
    url: `${query.type}?patient=${encodedId}&${tail}`,
  });
}

/** The entry URL, relative to the base; `plain` drops `_sort` and `_include` (for servers that reject them). */
export function queryUrl(ctx: EhrContext, query: PartQuery, plain = false): string {
  const sorted = query.sort && !plain;
  const params = [...query.params, ['_count', String(sorted ? query.count : query.unsortedCount)] as [string, string]];
  if (sorted) params.push(...ctx.adapter.sortParams([{ param: 'date', descending: true }]));
  if (query.include && !plain) params.push(['_include', query.include]);
  return `${query.type}?${formEncode(params)}`;
}

/** Entries beyond the page size a searchset may carry: OperationOutcomes, a stray include. */
const ENTRY_MARGIN = 10;

/**
 * The most entries of one answer to `query` that are read: the larger page size (with or without
 * `_sort`), twice that with `_include` (one Medication per order), plus ENTRY_MARGIN.
 */
export function entryLimit(query: PartQuery): number {
  return Math.max(query.count, query.unsortedCount) * (query.include ? 2 : 1) + ENTRY_MARGIN;
}

/** Whether a retry without `_sort`/`_include` could help. */
export function hasExtras(query: PartQuery): boolean {
  return query.sort || query.include !== undefined;
}
