import { isObject, str, type JsonObject } from '../json.js';
import type { EntryResult } from './batch.js';
import { currentEncounter, readEncounters, stillOngoing } from './encounter.js';
import { addMedications, readCoverage, readMedications, type MedicationIndex } from './medications.js';
import { readAllergies, readConditions, withStayDiagnoses } from './records.js';
import { readSearchset, type Searchset } from './searchset.js';
import type {
  AllergyView,
  Cell,
  ClinicalCells,
  ClinicalPart,
  ConditionView,
  CoverageView,
  EncounterView,
  MedicationView,
  UnavailableReason,
  VitalHistory,
} from './types.js';
import { epochMsOf } from './values.js';
import { latestVitals, latestVitalsOfSorted, readVitals, vitalHistory } from './vitals.js';
import type { Warnings } from './warnings.js';

/** What came back for one part of one patient. */
export type PartData = { ok: true; set: Searchset } | { ok: false; reason: UnavailableReason };

/** An entry's answer read as a searchset; `undefined` means the part was never asked (not offered). */
export function partData(result: EntryResult | undefined, patientId: string, warnings: Warnings, maxEntries?: number): PartData {
  if (!result) return { ok: false, reason: 'not_offered' };
  if (!result.ok) {
    warnings.add(result.reason === 'malformed' ? 'entry_malformed' : 'entry_failed');
    return { ok: false, reason: result.reason };
  }
  const set = readSearchset(result.body, patientId, warnings, maxEntries);
  if (!set) {
    warnings.add('entry_malformed');
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, set };
}

/**
 * Medications by local reference, from every `_include`d or separately read Medication; given the
 * EHR's `base` (ctx.server.base), by their absolute URL on it too (see MedicationIndex).
 */
export function indexMedications(resources: JsonObject[], index: MedicationIndex = new Map(), base?: URL | string): MedicationIndex {
  return addMedications(resources, index, base);
}

const unavailable = (reason: UnavailableReason) => ({ status: 'unavailable', reason }) as const;

/**
 * Runs a mapper on a part. The mappers are tolerant by construction; the catch is the last line
 * that keeps one odd record from failing a whole list.
 */
function mapped<T>(data: PartData, warnings: Warnings, map: (set: Searchset) => T): T | { failed: UnavailableReason } {
  if (!data.ok) return { failed: data.reason };
  try {
    return map(data.set);
  } catch {
    warnings.add('mapping_failed');
    return { failed: 'malformed' };
  }
}

function listCell<T>(value: T[] | { failed: UnavailableReason }): Cell<T[]> {
  if (!Array.isArray(value)) return unavailable(value.failed);
  return value.length > 0 ? { status: 'ok', value } : { status: 'none' };
}

export interface AssembledParts extends Partial<ClinicalCells> {
  vitalHistory?: Cell<VitalHistory>;
  encounters?: Cell<EncounterView[]>;
}

/** Cells for the parts that were asked (present in `parts`); `payers` names reference-only payers (unnamedPayors), by relative or absolute reference on the EHR's `base`. */
export function assemble(
  parts: Map<ClinicalPart, PartData>,
  medications: MedicationIndex,
  warnings: Warnings,
  payers: ReadonlyMap<string, string> = new Map(),
  base?: URL | string,
): AssembledParts {
  const out: AssembledParts = {};
  for (const [part, data] of parts) Object.assign(out, assemblePart(part, data, medications, warnings, { payers, base }));
  return out;
}

/**
 * Whether a part's answer is only part of what its search matched: a `next` page not read, one that
 * failed, or entries cut (searchset.ts `truncated`). A searchset's matches are all of its pages (FHIR
 * http.html#paging, DSTU2, STU3 and R4), and problems, allergies, drugs and coverage come in no
 * order a search can ask for: a current one may be on the part not read.
 */
export const readInPart = (data: PartData | undefined): boolean => !!data?.ok && (!!data.set.truncated || data.set.next !== undefined);

/**
 * Items of a part a list cell shows as current (server/features/lists/list-cells.ts): a condition,
 * drug or coverage current (conditions once the diagnoses of the stay the patient is in are made
 * current, withStayDiagnosesCell); an allergy current and not a "no known allergies" statement (a
 * statement that none is known never stands on part of the records).
 */
const SHOWN_CURRENT = {
  conditions: (c: ConditionView) => c.current,
  allergies: (a: AllergyView) => a.current && !a.noneKnown,
  medications: (m: MedicationView) => m.current,
  coverage: (c: CoverageView) => c.current,
};
export type ListedPart = keyof typeof SHOWN_CURRENT;
export const LISTED_PARTS = Object.keys(SHOWN_CURRENT) as ListedPart[];

/**
 * A listed part's cell when its answer was read only in part (readInPart): its current items are
 * true and stay (a further one may be on what was not read: the warning `page_failed`,
 * `pages_truncated` or `entries_over_limit` says so); without one the cell is "not available"
 * (`failed`), never "none recorded" nor "no known allergies" from part of the records.
 */
export function knownCell<T extends ConditionView | AllergyView | MedicationView | CoverageView>(
  part: ListedPart,
  cell: Cell<T[]> | undefined,
  partial: boolean,
): Cell<T[]> | undefined {
  if (!partial || !cell || cell.status === 'unavailable') return cell;
  const current = SHOWN_CURRENT[part] as (item: T) => boolean;
  return cell.status === 'ok' && cell.value.some(current) ? cell : unavailable('failed');
}

/**
 * The conditions cell with the diagnoses of the stay the patient is in current (withStayDiagnoses):
 * once a row has both parts, and only when its encounter is an ongoing one.
 */
export function withStayDiagnosesCell(
  conditions: Cell<ConditionView[]> | undefined,
  encounter: Cell<EncounterView> | undefined,
  now = Date.now(),
): Cell<ConditionView[]> | undefined {
  if (conditions?.status !== 'ok' || encounter?.status !== 'ok' || !stillOngoing(encounter.value, now)) return conditions;
  return { ...conditions, value: withStayDiagnoses(conditions.value, encounter.value) };
}

/**
 * The cells of one part; only medications need `medications`, the Medications read alongside, and
 * coverage `payers`, the names of payer Organizations read after the batches. `history: false`
 * (list rows) leaves out the vital sign history.
 */
export function assemblePart(
  part: ClinicalPart,
  data: PartData,
  medications: MedicationIndex,
  warnings: Warnings,
  { history = true, payers = new Map(), base }: { history?: boolean; payers?: ReadonlyMap<string, string>; base?: URL | string } = {},
): AssembledParts {
  switch (part) {
    case 'vitals': {
      if (!history) {
        const latest = mapped(data, warnings, (set) => latestVitalsOfSorted(set.resources, warnings, Date.now(), base));
        if (latest !== null) {
          if ('failed' in latest) return { vitals: unavailable(latest.failed) };
          return { vitals: Object.keys(latest).length > 0 ? { status: 'ok', value: latest } : { status: 'none' } };
        }
        // Not newest first: every reading is read below.
      }
      const readings = listCell(mapped(data, warnings, (set) => readVitals(set.resources, warnings, base)));
      const vitals: AssembledParts['vitals'] = readings.status === 'ok' ? { status: 'ok', value: latestVitals(readings.value) } : readings;
      if (!history) return { vitals };
      return { vitals, vitalHistory: readings.status === 'ok' ? { status: 'ok', value: vitalHistory(readings.value) } : readings };
    }
    case 'encounter': {
      const encounters = listCell(mapped(data, warnings, (set) => readEncounters(set.resources, Date.now(), base)));
      if (encounters.status !== 'ok') return { encounters, encounter: encounters };
      const current = currentEncounter(encounters.value);
      return { encounters, encounter: current ? { status: 'ok', value: current } : { status: 'none' } };
    }
    case 'conditions':
      return { conditions: listCell(mapped(data, warnings, (set) => readConditions(set.resources, warnings, Date.now(), base))) };
    case 'medications':
      return { medications: listCell(mapped(data, warnings, (set) => readMedications(set.resources, medications, Date.now(), base))) };
    case 'coverage':
      return { coverage: listCell(mapped(data, warnings, (set) => readCoverage(set.resources, Date.now(), payers, base))) };
    case 'allergies':
      return { allergies: listCell(mapped(data, warnings, (set) => readAllergies(set.resources, warnings))) };
  }
}

/**
 * A server that ignores `_sort` gives the newest items only by chance; when a sorted answer
 * comes back out of order, the base is marked and later reads widen their window and sort here.
 * A period is judged by its start, although a reading's time for the list is its end (vitals.ts):
 * which bound a sort on a Period uses is the server's choice, and a wrong "out of order" costs only
 * a wider window sorted here, never a wrong latest value.
 */
export function outOfOrder(set: Searchset): boolean {
  let previous = Infinity;
  for (const r of set.resources) {
    const period = isObject(r.effectivePeriod) ? r.effectivePeriod : isObject(r.period) ? r.period : undefined;
    const text = str(r.effectiveDateTime) ?? str(r.effectiveInstant) ?? str(period?.start);
    const time = text === undefined ? null : epochMsOf(text);
    if (time == null) continue;
    if (time > previous) return true;
    previous = time;
  }
  return false;
}
