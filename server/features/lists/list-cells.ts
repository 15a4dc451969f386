import {
  encounterOver,
  type AllergyView,
  type Cell,
  type ConditionView,
  type CoverageView,
  type MedicationView,
  type PatientClinical,
  type VitalKind,
  type ListPart,
} from '../../ehr/index.js';
import type { ListColumn } from '../../../contract/columns.js';
import { vitalKinds } from '../../../contract/vitals.js';
import { unreadableReading } from '../../../contract/cells.js';
import { isVitalUnavailable } from '../../../contract/patients.js';
import { isUnconfirmed } from '../../../contract/plain-constants.js';
import type { Note } from '../../storage/ports.js';

/** Columns that come with the patient summary itself and sit on every row. */
export const summaryColumns = new Set<ListColumn>(['name', 'mrn', 'birthDate', 'gender']);
const vitalColumns: ReadonlySet<ListColumn> = new Set<ListColumn>(vitalKinds);

/** The FHIR parts a set of columns needs, so a list reads only what it shows. */
export function partsFor(columns: ListColumn[]): ListPart[] {
  const parts = new Set<ListPart>();
  for (const column of columns) {
    if (vitalColumns.has(column)) parts.add('vitals');
    else if (column === 'location' || column === 'admissionDate') parts.add('encounter');
    else if (column === 'conditions') {
      // A diagnosis of the stay the patient is in, without a clinicalStatus, is current only while
      // that stay goes on (records.ts withStayDiagnoses): the conditions need the encounters.
      parts.add('conditions').add('encounter');
    } else if (column === 'allergies' || column === 'medications' || column === 'coverage') parts.add(column);
    else if (column === 'careProvider') parts.add('careProvider');
  }
  return [...parts];
}

/** The vital kinds a set of columns shows: a kind missing from a row's first page of vital signs is read on its own. */
export function vitalKindsFor(columns: ListColumn[]): VitalKind[] {
  return columns.filter((column): column is VitalKind => vitalColumns.has(column));
}

const none = { status: 'none' } as const;

/** How much an allergy item must be seen: high criticality, then a severe reaction, then the rest. */
const urgency = (a: { criticality: string | null; severeReaction?: true }) => (a.criticality === 'high' ? 2 : a.severeReaction ? 1 : 0);

/** Narrows a part's cell to one column's value, keeping "none recorded" and "not available" apart. */
function pick<T, U>(cell: Cell<T> | undefined, get: (value: T) => U | null | undefined): Cell<U> {
  if (!cell) return { status: 'unavailable', reason: 'failed' };
  if (cell.status !== 'ok') return cell;
  const value = get(cell.value);
  return value === null || value === undefined ? none : { status: 'ok', value };
}

/**
 * A verification status that is stated and is neither `confirmed` nor one never shown (`refuted`,
 * `entered-in-error`: records.ts NOT_VALID) says the EHR has not confirmed the record. The contract's
 * own codes (unconfirmedVerifications: unconfirmed, provisional, differential) are carried as they
 * are; every other is carried as the contract's `unconfirmed`, the list's "(unconfirmed)": a code a
 * system adds under `unconfirmed` (R4 allergyintolerance-verification `presumed`, a child of
 * `unconfirmed`: terminology.hl7.org/CodeSystem-allergyintolerance-verification.html), or a code the
 * app does not know (never read as confirmed: the safe side).
 */
const CONFIRMED_OR_NEVER_SHOWN: ReadonlySet<string> = new Set(['confirmed', 'refuted', 'entered-in-error']);
/**
 * A verification that states none: Condition `unknown` (DSTU2 and STU3 condition-ver-status, "there is
 * not enough information to determine the certainty status"). DSTU2 requires a verificationStatus
 * (1..1), so an EHR that keeps none must send `unknown`; R4 dropped the code, and leaves the element
 * out to say the same (0..1). It is no finding that the diagnosis is in doubt: the list shows it as
 * a condition without a verification, unmarked, never "(unconfirmed)". A confirmed record of the same
 * problem still speaks for it (`once`).
 */
const STATES_NO_VERIFICATION: ReadonlySet<string> = new Set(['unknown']);
/** Whether the EHR has not confirmed a record (see CONFIRMED_OR_NEVER_SHOWN). */
const notConfirmed = (code: string | null | undefined) => !!code && !CONFIRMED_OR_NEVER_SHOWN.has(code);
/** A record's verification, carried only when the EHR says it has not confirmed it (the list says so beside it). */
const unconfirmed = (code: string | null) =>
  isUnconfirmed(code)
    ? { verification: code }
    : notConfirmed(code) && !STATES_NO_VERIFICATION.has(code!)
      ? { verification: 'unconfirmed' as const }
      : {};
/** A plan, an intention without authorization (MedicationRequest.intent `plan`): the list marks it "(plan)". */
const planMark = (m: { intent?: string }) => (m.intent === 'plan' ? { intent: 'plan' as const } : {});
/** Carried only for a record the EHR qualifies with a modifier the app cannot read (the list marks it "check in the EHR"). */
const qualified = (item: { qualified?: true }) => (item.qualified ? { qualified: true as const } : {});

/**
 * What a list cell carries of each item: what the list shows, sorts and filters on. The details
 * panel reads the whole record; a 500-row list stays light.
 */
const listItems = {
  conditions: (list: ConditionView[]) =>
    once(
      list.filter((c) => c.current),
      (c) => c.display,
    ).map((c) => ({ display: c.display, clinicalStatus: c.clinicalStatus, ...unconfirmed(c.verificationStatus), ...qualified(c) })),
  allergies: (list: AllergyView[]) => {
    const current = list.filter((a) => a.current);
    const substance = (a: AllergyView) => a.substance;
    const recorded = current.filter((a) => !a.noneKnown);
    // One substance recorded twice is named once (`once` keeps the newest): if any of its current
    // records says high criticality, the item says so, however old that record is ("worst case
    // result of a future exposure is assessed to be life-threatening"): a newer low one never hides it.
    // So do a severe reaction in any of them, and an allergy: the item reads "intolerance" only when every record of it says so.
    const keysOf = (keep: (a: AllergyView) => boolean) => new Set(recorded.filter(keep).map((a) => nameKey(a, substance)));
    const highKeys = keysOf((a) => a.criticality === 'high');
    const severeKeys = keysOf((a) => a.severeReaction === true);
    const allergyKeys = keysOf((a) => !a.intolerance);
    const allergies = once(recorded, substance)
      .map((a) => {
        const key = nameKey(a, substance);
        const high = a.criticality === 'high' || highKeys.has(key);
        return {
          substance: a.substance,
          criticality: high ? 'high' : a.criticality,
          ...(!allergyKeys.has(key) ? { intolerance: true as const } : {}),
          ...(!high && severeKeys.has(key) ? { severeReaction: true as const } : {}),
          ...unconfirmed(a.verificationStatus),
          ...qualified(a),
        };
      })
      // High criticality first (allergy-intolerance-criticality; DSTU2 CRITH read as `high`), then a
      // severe reaction: the cell shows LIST_CELL_ITEMS items before "+N more", and these must never hide behind it.
      .sort((a, b) => urgency(b) - urgency(a));
    // A stated "no known allergy" reads so only while no current allergy contradicts it (kind-specific
    // statements contradicted by an allergy of their kind are already left out: records.ts KIND_CATEGORIES).
    // It keeps its marks as every allergy does: a statement the EHR has not confirmed (AllergyIntolerance
    // DSTU2 `status`, STU3/R4 `verificationStatus` `unconfirmed`) reads "No known allergies (unconfirmed)".
    // Of several, a confirmed plain one speaks for them (see `once`).
    const statements = current
      .filter((a) => a.noneKnown)
      .sort(
        (a, b) =>
          Number(notConfirmed(a.verificationStatus)) - Number(notConfirmed(b.verificationStatus)) || Number(!!a.qualified) - Number(!!b.qualified),
      );
    if (allergies.length === 0 && statements.length > 0) {
      const [statement] = statements;
      return [
        { substance: null, criticality: null, noneKnown: true as const, ...unconfirmed(statement.verificationStatus), ...qualified(statement) },
      ];
    }
    return allergies;
  },
  // Requests that carry out an order are not current (medications.ts belongToOrders): the order names the drug once.
  // Each current order is an order, whatever its wording: several of one drug are named once and
  // counted, "Heparin ×2" (`count`), the same dose ordered twice included (two orders, two doses:
  // a duplicate order is what a clinician must see). One resource read twice is one (searchset.ts, by id).
  medications: (list: MedicationView[]) =>
    counted(
      list.filter((m) => m.current),
      (m) => m.name,
    ).map(({ item: m, count }) => ({
      name: m.name,
      ...(m.nameUnavailable ? { nameUnavailable: true as const } : {}),
      status: m.status,
      ...planMark(m),
      ...(m.setting ? { setting: m.setting } : {}),
      ...qualified(m),
      ...(count > 1 ? { count } : {}),
    })),
  // Only coverage in force now; the details list every one with its status and period.
  coverage: (list: CoverageView[]) =>
    list
      .filter((c) => c.current)
      .map((c) => ({
        payer: c.payer,
        selfPay: c.selfPay ?? false,
        ...(c.payerPerson ? { payerPerson: true as const } : {}),
        ...(c.payerUnavailable ? { payerUnavailable: true as const } : {}),
        plan: c.plan,
        ...qualified(c),
      })),
};

/** Words compared as a clinician reads them: lower case, spaces collapsed, trimmed. */
const wordsKey = (text: string | null | undefined) => text?.toLowerCase().replace(/\s+/g, ' ').trim() || null;

/**
 * The key two items are the same by (see `once`): their name, marked qualified and plan; null for
 * an item without a name or named only by its code read out (`unnamed`), never the same as another.
 */
function nameKey<T extends { qualified?: true; unnamed?: true; intent?: string }>(item: T, name: (item: T) => string | null): string | null {
  // A name read out of a code is no words: two drugs coded only by a shared ingredient code stay two.
  if (item.unnamed) return null;
  const key = wordsKey(name(item));
  if (!key) return null;
  return [item.qualified && 'qualified', item.intent === 'plan' && 'plan', key].filter(Boolean).join(' ');
}

/**
 * Each item once: items are the same only when what the clinician reads is the same, their name
 * (lower case, spaces collapsed, trimmed). A shared code is not enough: the first coding is often
 * an ingredient or a parent concept. An item without a name, or named only by its code read out
 * (`unnamed`), is never merged. A qualified record (its meaning changed, e.g. negated) is not the
 * same as a plain one of that name: neither hides the other. Of the same item recorded twice, a
 * record the EHR has not confirmed (notConfirmed: provisional, differential, unconfirmed, presumed,
 * a condition's `unknown`…) gives way to a confirmed one, however new. (Drugs are not merged: each order counts, `counted`.)
 */
function once<T extends { qualified?: true; unnamed?: true; verificationStatus?: string | null; intent?: string }>(
  list: T[],
  name: (item: T) => string | null,
): T[] {
  const keyOf = (item: T) => nameKey(item, name);
  const confirmed = new Set(list.filter((item) => !notConfirmed(item.verificationStatus)).map(keyOf));
  const seen = new Set<string>();
  return list.filter((item) => {
    const key = keyOf(item);
    if (key === null) return true;
    if ((notConfirmed(item.verificationStatus) && confirmed.has(key)) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Items of the same name and status (orders of one drug: "Heparin 5000 units SC q8h" and
 * "Heparin 18 units/kg/h IV", both named "Heparin", or the same dose ordered twice) as one
 * item with their number, at the place of the first: the cell reads "Heparin ×2", which a clinician
 * checks in the details, where each is listed; never one "Heparin" hiding a second dose.
 */
function counted<T extends { qualified?: true; unnamed?: true; intent?: string; status?: string | null; setting?: string }>(
  list: T[],
  name: (item: T) => string | null,
): { item: T; count: number }[] {
  const groups = new Map<string, { item: T; count: number }>();
  const shown: { item: T; count: number }[] = [];
  for (const item of list) {
    const key = nameKey(item, name);
    // One drug ordered for now and for discharge is two items: each says what it is for.
    const group = key === null ? undefined : groups.get(`${item.status ?? ''} ${item.setting ?? ''} ${key}`);
    if (group) {
      group.count += 1;
      continue;
    }
    const entry = { item, count: 1 };
    if (key !== null) groups.set(`${item.status ?? ''} ${item.setting ?? ''} ${key}`, entry);
    shown.push(entry);
  }
  return shown;
}

/** The cells of one row for the list's columns beyond the summary ones. */
export function cellsFor(columns: ListColumn[], clinical: PatientClinical, latestNote: Note | undefined): Record<string, Cell<unknown>> {
  const cells: Record<string, Cell<unknown>> = {};
  // A record the EHR says must no longer be used (Patient.link replaced-by, a modifier: "the patient
  // resource containing this link must no longer be used", hl7.org/fhir/R4/codesystem-link-type.html)
  // had its data moved to the record in use: an empty search there is no "none recorded", and what
  // is left is not current. Every EHR column says so; the team's own note stays.
  const replaced = clinical.patient?.recordNotice?.kind === 'replaced';
  for (const column of columns) {
    if (summaryColumns.has(column)) continue;
    if (replaced && column !== 'latestNote') {
      cells[column] = { status: 'unavailable', reason: 'replaced_record' };
      continue;
    }
    if (vitalColumns.has(column)) {
      // The column names the kind; the reading is its time and value(s). A latest reading whose
      // value cannot be read is "not available" for that reason, never a value of nothing; so is a
      // kind the EHR could not give (contract `vitalUnavailable`), with its own reason.
      const latest = clinical.vitals?.status === 'ok' ? clinical.vitals.value[column as VitalKind] : undefined;
      if (latest && isVitalUnavailable(latest)) {
        cells[column] = { status: 'unavailable', reason: latest.unavailable };
        continue;
      }
      const cell = pick(clinical.vitals, (v) => {
        const reading = v[column as VitalKind];
        if (!reading || isVitalUnavailable(reading)) return null;
        const { kind, ...shown } = reading;
        return shown;
      });
      cells[column] = cell.status === 'ok' && unreadableReading(cell.value) ? { status: 'unavailable', reason: 'unreadable_value' } : cell;
    } else if (column === 'location')
      // A finished stay's locations are where the patient was: the cell says where the patient is (and whether on leave from it).
      // A patient on leave is away whether or not the stay names a place: "on leave" is never "none recorded".
      cells[column] = pick(clinical.encounter, (e) =>
        !encounterOver(e) && (e.location !== null || e.room || e.bed || e.onLeave)
          ? { location: e.location, room: e.room, bed: e.bed, ...(e.onLeave ? { onLeave: true as const } : {}), ...qualified(e) }
          : null,
      );
    // A stay that is over has no admission the list could speak of: the details keep its dates.
    else if (column === 'admissionDate') cells[column] = pick(clinical.encounter, (e) => (encounterOver(e) ? null : e.admission));
    else if (column === 'careProvider') cells[column] = clinical.careProvider;
    else if (column === 'latestNote') cells[column] = latestNote ? { status: 'ok', value: latestNote } : none;
    else if (column in listItems) {
      // Only what is current, each once: a list of past problems and drugs is "none recorded".
      const project = listItems[column as keyof typeof listItems] as (list: unknown[]) => unknown[];
      cells[column] = pick(clinical[column as keyof typeof listItems] as Cell<unknown[]> | undefined, (list) => {
        const shown = project(list);
        return shown.length ? shown : null;
      });
    }
  }
  return cells;
}
