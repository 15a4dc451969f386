import { latestMs } from '../../../contract/fhir-time.js';
import { containedResource } from '../contained.js';
import { isObject, objects, str, type JsonObject } from '../json.js';
import type { EncounterView } from './types.js';
import { conceptCodes, conceptText, newestFirst, ownReferenceOf, periodEnded, when } from './values.js';
import { qualifiedByEhr, qualifiedMark } from '../modifiers.js';
import { lookupTable } from '../../../contract/lookup-table.js';
import { STATUS_CODES, readRecordStatus } from './record-status.js';

/** v3 ActCode IMP and its specialisations (acute, non-acute). */
const INPATIENT = new Set(['IMP', 'ACUTE', 'NONAC']);

/** DSTU2's own class codes in v3 ActCode terms, so one stay reads the same from every release. */
const DSTU2_CLASS: Record<string, string> = lookupTable({
  inpatient: 'IMP',
  outpatient: 'AMB',
  ambulatory: 'AMB',
  emergency: 'EMER',
  home: 'HH',
  field: 'FLD',
  daytime: 'SS',
  virtual: 'VR',
});

/**
 * "Room 412", "Rm. 4B", "Bed: 2": the word must stand alone, so "Bedford" is no bed. A room word
 * right after another word is part of a place's name ("Operating Room 3", "Recovery Room 2",
 * "Delivery Room B"), not a room number in a ward: it is not split (the name is shown whole, never
 * "Room 3" with "Operating" as the ward). After a number or a separator it is a room ("Ward 5 Rm 12",
 * "ICU, Room 4").
 */
const ROOM = /(?<![A-Za-z][A-Za-z'-]*\s+)\b(?:room|rm)\b\.?(?:\s*[:#]\s*|\s+)([A-Za-z0-9][\w-]*)/i;
const BED = /\b(?:bed|bd)\b\.?(?:\s*[:#]\s*|\s+)([A-Za-z0-9][\w-]*)/i;

/**
 * Encounter statuses that say a stay is going on (DSTU2 encounter-state; STU3/R4 encounter-status,
 * which add `triaged`): the patient has arrived and not left. A status the EHR forgot to update
 * does not outlast the stay: see `encounterOver`.
 */
export const ONGOING_STATUSES = ['arrived', 'triaged', 'in-progress', 'onleave'] as const;
const ONGOING: ReadonlySet<string> = new Set(ONGOING_STATUSES);
/** Encounters that did not (or not yet) take place: planned for later, cancelled, or recorded in error. */
const NOT_TAKEN_PLACE = new Set(['planned', 'cancelled', 'entered-in-error']);
/**
 * STU3/R4 `unknown` is "a value of last resort" (hl7.org/fhir/R4/valueset-encounter-status.html):
 * it says nothing of the present, so such an encounter is never the stay a row speaks of (the
 * details still list it). Nor is one without a status: Encounter.status is required (1..1) and a
 * modifier in DSTU2, STU3 and R4, so without it nothing says whether the encounter took place,
 * is going on or was recorded in error.
 */
const saysNothingOfNow = (e: EncounterView) => e.status === null || e.status === 'unknown';

/**
 * Classes of a stay in a hospital bed that is not an admission: v3 ActCode EMER (DSTU2 `emergency`)
 * and OBSENC (observation encounter, STU3/R4). Like an inpatient stay they hold the patient's bed,
 * so a visit during them (dialysis, a clinic) does not say where the patient is.
 */
const BED_STAY = new Set(['EMER', 'OBSENC']);

/**
 * How surely an ongoing encounter holds the place the patient is in: 0 an inpatient stay (class
 * IMP, ACUTE, NONAC, DSTU2 `inpatient`; or an admission read from `hospitalization`), 1 an
 * emergency or observation stay, 2 any other (ambulatory, virtual, home, field…).
 */
function stayRank(e: EncounterView): number {
  if ((e.class !== null && INPATIENT.has(e.class)) || e.admission !== null) return 0;
  return e.class !== null && BED_STAY.has(e.class) ? 1 : 2;
}

/**
 * The encounter a list row speaks of, from encounters newest first: the ongoing one that holds the
 * patient's bed (the newest ongoing inpatient stay, else the newest ongoing emergency or observation
 * stay, else the newest ongoing one), so an outpatient visit during an admission (dialysis, a
 * clinic) never takes the ward's place nor the admission date; else the newest that has taken
 * place (so a follow-up planned for next month, which sorts first by date, never stands in for the
 * stay the patient is in). A stay whose status says ongoing but which is over (`encounterOver`) is
 * not ongoing; an `unknown` one, or one without a status, is never chosen. Undefined when none has taken place.
 */
export function currentEncounter(encounters: EncounterView[], now = Date.now()): EncounterView | undefined {
  const ongoing = new Set(encounters.filter((e) => stillOngoing(e, now)));
  // An ongoing stay has begun whatever its start says: a start given as a date alone (no zone)
  // reads as midnight UTC, which is still to come in zones east of UTC on the day of admission.
  const taken = encounters.filter(
    (e) => !NOT_TAKEN_PLACE.has(e.status ?? '') && !saysNothingOfNow(e) && (ongoing.has(e) || !((e.start?.epochMs ?? -Infinity) > now)),
  );
  // Newest first already: the first of the lowest rank (reduce keeps the earlier on a tie).
  const stay = taken
    .filter((e) => ongoing.has(e))
    .reduce<EncounterView | undefined>((best, e) => (best === undefined || stayRank(e) < stayRank(best) ? e : best), undefined);
  return stay ?? taken[0];
}

/**
 * Whether a list row's first page of encounters (it links to more) may hide the stay the patient
 * is in: it holds no ongoing inpatient stay (stayRank 0, which nothing on a later page outranks).
 * A searchset's matches are all of its pages (FHIR http.html#paging), and a page sorted by date
 * holds the newest encounters, not the ongoing ones: follow-ups planned for the coming months, or
 * ten dialysis sessions during a stay (each its own finished encounter), fill it while the stay,
 * begun before them, sits on a later page. The stays the patient may be in are then asked on their
 * own (queries.ts `ongoingStayQueries`), whether or not the page came newest first.
 */
export function mayHideStay(resources: JsonObject[], now = Date.now()): boolean {
  return !readEncounters(resources, now).some((e) => stillOngoing(e, now) && stayRank(e) === 0);
}

/** An ongoing status (`ONGOING`) on a stay that is not over. */
export const stillOngoing = (encounter: EncounterView, now: number) => ONGOING.has(encounter.status ?? '') && !encounterOver(encounter, now);

/**
 * Whether the encounter is over, whatever a stale status says: status `finished`; a discharge
 * (`discharged`: a disposition on a stay whose status is not ongoing, see dischargedBy); or a
 * `period.end` that has passed by the latest moment it can mean
 * (a date alone lasts its whole day in every zone, contract/fhir-time.ts `latestMs`). Its
 * locations are where the patient was, not is, and its admission is history.
 */
export function encounterOver(encounter: EncounterView, now = Date.now()): boolean {
  if (encounter.status === 'finished' || encounter.discharged) return true;
  const end = encounter.end === null ? null : latestMs(encounter.end.text);
  return end !== null && end <= now;
}

/** Encounters newest first by start; `now` (epoch ms) decides which location periods have ended. */
export function readEncounters(resources: JsonObject[], now = Date.now(), base?: URL | string): EncounterView[] {
  const read = resources.filter((r) => r.resourceType === 'Encounter').map((resource) => ({ resource, view: readEncounter(resource, now) }));
  return withStayAdmissions(read, base)
    .map(({ view }) => view)
    .sort((a, b) => newestFirst(a.start, b.start));
}

type ReadEncounter = { resource: JsonObject; view: EncounterView };

/**
 * An admission that is part of a larger encounter is dated from the stay it is part of.
 * Encounter.partOf (DSTU2, STU3, R4: "Another Encounter this encounter is part of", R4 "administratively
 * or in time"; hl7.org/fhir/R4/encounter-definitions.html#Encounter.partOf) makes a ward transfer
 * leg part of the hospital stay; the admission date is the start of that stay, not of the leg. The
 * chain is followed up through the encounters of this read (a `{Type}/{id}` reference, relative or
 * versioned, or an absolute URL on the EHR's own base `base`, to an Encounter's `id`: values.ts
 * ownReference; a URL on another server, a contained or identifier-only reference matches nothing),
 * each at most once, so a cycle ends. A stay on the way that did not take place (planned,
 * cancelled, entered in error) dates nothing. An encounter on the
 * way counts when it is an admission itself (its own admission date: inpatientSince, period.start…)
 * or has no class (a stay recorded without one: its period.start); one of another class (emergency,
 * ambulatory, or any of a code system the app does not read) is no admission, whose start is no
 * admission date (as for classHistory), and is passed over. The admission date is the earliest of those dates and the encounter's own: the top
 * of the chain when the dates agree, and when the parent is not in the read (not on the page read,
 * or another patient's encounter, as a newborn's is part of the mother's: R4 partOf comments), the
 * earliest the chain known holds, at worst the leg's own. Only the admission date changes: the
 * leg's start, status and place (the ward it is in now) stay its own, and an encounter that is no
 * admission (a dialysis visit during the stay) gets none.
 */
function withStayAdmissions(read: ReadEncounter[], base?: URL | string): ReadEncounter[] {
  const byKey = new Map<string, ReadEncounter>();
  for (const e of read) {
    const id = str(e.resource.id);
    if (id !== undefined && !byKey.has(`Encounter/${id}`)) byKey.set(`Encounter/${id}`, e);
  }
  const parentOf = (e: ReadEncounter) => {
    const key = ownReferenceOf(e.resource.partOf, base, 'Encounter');
    return key === null ? undefined : byKey.get(key);
  };
  return read.map((e) => {
    // The encounters it is part of, up the chain, each once (a diagnosis of the stay names one: withStayDiagnoses).
    const chain: ReadEncounter[] = [];
    for (let up = parentOf(e); up !== undefined && up !== e && !chain.includes(up); up = parentOf(up)) chain.push(up);
    const within = chain.flatMap((up) => str(up.resource.id) ?? []);
    if (within.length > 0) e = { ...e, view: { ...e.view, within } };
    if (e.view.admission === null) return e;
    let admission = e.view.admission;
    for (const up of chain) {
      // A stay that did not take place (planned, cancelled, entered in error) dates nothing.
      if (NOT_TAKEN_PLACE.has(up.view.status ?? '')) continue;
      // A class of another code system (classCode) may be an emergency visit: not a stay without a class.
      const since = up.view.admission ?? (carriesClass(up.resource.class) ? null : up.view.start);
      if (since?.epochMs != null && (admission.epochMs == null || since.epochMs < admission.epochMs)) admission = since;
    }
    return admission === e.view.admission ? e : { ...e, view: { ...e.view, admission } };
  });
}

/**
 * The admission date is the start of the inpatient stay: Encounter.period.start of an encounter of
 * class inpatient (DSTU2 `inpatient`, STU3/R4 v3 ActCode IMP, ACUTE, NONAC; hl7.org/fhir/v3/ActEncounterCode).
 * An encounter without a class the app can read (none, or one of the EHR's own code system: classCode)
 * that carries `hospitalization` admission details (admitSource, the same element in DSTU2/STU3/R4)
 * is an admission too. An admission that began as an emergency
 * encounter keeps its classes in STU3/R4 `classHistory` ("the class history permits the tracking of
 * the encounters transitions without needing to go through the resource history ... an admission
 * that starts of as an emergency encounter", hl7.org/fhir/R4/encounter-definitions.html#Encounter.classHistory),
 * while period.start is the emergency arrival: the admission date is then the earliest start of an
 * inpatient-class classHistory period (inpatientSince). Else period.start; without it, the first
 * location period's start stands in. Other encounters have none. An admission that is part of a
 * larger stay (`partOf`) is dated from that stay after every encounter is read (withStayAdmissions).
 */
function readEncounter(resource: JsonObject, now: number): EncounterView {
  const period = isObject(resource.period) ? resource.period : {};
  const start = when(period.start);
  const klass = classCode(resource.class);
  const place = location(resource, now);
  const hospitalization = isObject(resource.hospitalization) ? resource.hospitalization : undefined;
  const admitted = klass ? INPATIENT.has(klass) : hospitalization?.admitSource !== undefined;
  const id = str(resource.id);
  const status = statusOf(resource);
  const view: EncounterView = {
    ...(id === undefined ? {} : { id }),
    status: status.code,
    type: conceptText(objects(resource.type)[0]),
    class: klass,
    start,
    end: when(period.end),
    ...place,
    admission: admitted ? (inpatientSince(resource) ?? start ?? firstLocationStart(resource)) : null,
    ...(dischargedBy(resource, hospitalization, now) ? { discharged: true as const } : {}),
    // classHistory gives the admission date (inpatientSince): a modifier there qualifies the stay too.
    ...(status.unreadable ? { qualified: true as const } : qualifiedMark(resource, ['location', 'hospitalization', 'classHistory'])),
  };
  // `onleave`: the stay holds the bed while the patient is away from it; the place is said with it.
  return view.status === 'onleave' && !encounterOver(view, now) ? { ...view, onLeave: true } : view;
}

/**
 * Whether a discharge disposition ends the stay. `hospitalization.dischargeDisposition` (DSTU2,
 * STU3 and R4: "category or kind of location after discharge") is often recorded ahead, as the
 * planned destination, while the patient is still in the bed; Encounter.status is a modifier
 * element (DSTU2, STU3, R4), so an ongoing status (ONGOING: arrived, triaged, in-progress, onleave;
 * DSTU2 encounter-state has the same codes but triaged) is believed over it. The disposition ends the
 * stay when the status is not ongoing (finished, or a stale or missing one), or together with a
 * `period.end` that has passed (which ends the stay on its own too, see encounterOver).
 */
function dischargedBy(resource: JsonObject, hospitalization: JsonObject | undefined, now: number): boolean {
  if (conceptText(hospitalization?.dischargeDisposition) === null) return false;
  if (!ONGOING.has(statusOf(resource).code ?? '')) return true;
  return periodEnded(resource.period, now);
}

/**
 * Encounter.status as read (record-status.ts readRecordStatus): a code of encounter-state (DSTU2) or
 * encounter-status (STU3, R4), by its words when written otherwise ("Entered in Error", "In
 * Progress"), so a stay recorded in error or cancelled never stands as where the patient is. One
 * that still cannot be read (an EHR's own code) is no status (saysNothingOfNow: never the row's
 * stay) and marks the encounter "check in EHR": Encounter.status is a modifier.
 */
const statusOf = (resource: JsonObject) => readRecordStatus(resource.status, STATUS_CODES.encounterStatus);

/** The earliest readable start of a classHistory period (STU3/R4) of an inpatient class (`INPATIENT`); null without one. */
function inpatientSince(resource: JsonObject): EncounterView['start'] {
  const starts = objects(resource.classHistory)
    .filter((h) => INPATIENT.has(classCode(h.class) ?? ''))
    .map((h) => when(isObject(h.period) ? h.period.start : undefined))
    .filter((w): w is NonNullable<typeof w> => w?.epochMs != null)
    .sort((a, b) => newestFirst(b, a));
  return starts[0] ?? null;
}

function firstLocationStart(resource: JsonObject): EncounterView['start'] {
  const starts = objects(resource.location)
    .map((l) => when(isObject(l.period) ? l.period.start : undefined))
    .filter((w): w is NonNullable<typeof w> => w !== null)
    .sort((a, b) => newestFirst(b, a));
  return starts[0] ?? null;
}

/** v3 ActCode by its R4 and STU3 URIs and its OID (terminology.hl7.org/CodeSystem-v3-ActCode.html). */
const ACT_CODE_SYSTEMS: ReadonlySet<string> = new Set([
  'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  'http://hl7.org/fhir/v3/ActCode',
  'urn:oid:2.16.840.1.113883.5.4',
]);
/** The ActEncounterCode value set (R4, STU3), which some servers send as a Coding's system. */
const ACT_ENCOUNTER_VALUE_SETS: ReadonlySet<string> = new Set([
  'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode',
  'http://hl7.org/fhir/ValueSet/v3-ActEncounterCode',
]);
/** DSTU2's own class code system, should its codes come as a Coding. */
const DSTU2_CLASS_SYSTEM = 'http://hl7.org/fhir/encounter-class';
/** ActEncounterCode (STU3 and R4 alike), the value set Encounter.class is bound to. */
const ACT_ENCOUNTER_CODES: ReadonlySet<string> = new Set(['AMB', 'EMER', 'FLD', 'HH', 'IMP', 'ACUTE', 'NONAC', 'OBSENC', 'PRENC', 'SS', 'VR']);

/**
 * An encounter class as v3 ActCode; null when there is none the app can read. DSTU2 `class` is a
 * code of its own value set (DSTU2_CLASS). STU3/R4 `class` is a Coding (R5-style CodeableConcept
 * arrays read too) bound to ActEncounterCode with an extensible binding
 * (hl7.org/fhir/R4/encounter-definitions.html#Encounter.class, STU3 the same), so the EHR may send
 * a class of its own code system ("urn:oid:…", code "1", display "Inpatient"). A Coding is read as
 * ActCode only in the v3 ActCode system (ACT_CODE_SYSTEMS; DSTU2's encounter-class system through
 * DSTU2_CLASS), or without a system when its code is an ActEncounterCode or DSTU2 class code. Any
 * other is an unknown class, read as no class: `hospitalization.admitSource` then decides whether
 * the encounter is an admission (readEncounter). Its code and display are not read for a meaning:
 * the local system's codes mean nothing here, and a display is words for people.
 */
function classCode(value: unknown): string | null {
  if (typeof value === 'string') {
    const code = str(value);
    return code ? (dstu2Class(code) ?? code.toUpperCase()) : null;
  }
  for (const item of objects(value)) {
    for (const coding of item.coding !== undefined ? objects(item.coding) : [item]) {
      const code = actCode(coding);
      if (code !== null) return code;
    }
  }
  return null;
}

/** One class Coding as v3 ActCode (classCode), else null. */
function actCode(coding: JsonObject): string | null {
  const code = str(coding.code);
  if (!code) return null;
  const system = str(coding.system)
    ?.replace(/^https:/, 'http:')
    .replace(/\/+$/, '');
  const dstu2 = dstu2Class(code);
  if (system !== undefined && ACT_CODE_SYSTEMS.has(system)) return code.toUpperCase();
  // Some servers name the value set where the code system belongs: its codes are still ActEncounterCodes.
  if (system !== undefined && ACT_ENCOUNTER_VALUE_SETS.has(system)) return ACT_ENCOUNTER_CODES.has(code.toUpperCase()) ? code.toUpperCase() : null;
  if (system === DSTU2_CLASS_SYSTEM) return dstu2 ?? code.toUpperCase();
  if (system === undefined) return dstu2 ?? (ACT_ENCOUNTER_CODES.has(code.toUpperCase()) ? code.toUpperCase() : null);
  return null;
}

/** A DSTU2 class code as v3 ActCode (DSTU2_CLASS), own keys only ("constructor" is no class). */
const dstu2Class = (code: string): string | undefined =>
  Object.hasOwn(DSTU2_CLASS, code.toLowerCase()) ? DSTU2_CLASS[code.toLowerCase()] : undefined;

/** Whether the EHR gave the encounter a class, readable or not (a code, or a Coding with a code). */
function carriesClass(value: unknown): boolean {
  if (typeof value === 'string') return str(value) !== undefined;
  return objects(value).some((item) => conceptCodes(item).length > 0);
}

/**
 * How wide a place is, by its physical type (location-physical-type, DSTU2/STU3/R4: `si` site and
 * `wa` ward since STU3): 0 the widest (a jurisdiction) to 9 the narrowest (a cabinet). A place
 * without a type is a room or bed by the words of its name ("Room 12", "Bed 3"), else of a level of
 * its own (`place`), sorted among wards; a place with neither type nor name may be of any level (`unknown`).
 */
const LEVEL_RANK: Readonly<Record<string, number>> = lookupTable({
  jdn: 0,
  rd: 1,
  si: 1,
  bu: 2,
  ho: 2,
  wi: 3,
  lvl: 4,
  wa: 5,
  area: 5,
  ve: 5,
  place: 5,
  unknown: 5,
  co: 6,
  ro: 7,
  bd: 8,
  ca: 9,
});

/**
 * Where the patient is now, from Encounter.location[] (DSTU2, STU3, R4 alike). An entry is current
 * when its status is `active`, or it has none, and its `period` has not ended (value set
 * encounter-location-status: `completed` is history, `planned` and `reserved` are not there yet;
 * nor is an entry whose period starts later). A status written in words ("Active") is read by them
 * (record-status.ts readRecordStatus).
 * Every current entry says where the patient is, at its own level (Location.physicalType, R4
 * Encounter.location.physicalType: ward, room, bed…; else the room or bed words of its name): a ward
 * entered at admission and a bed entered after a move two hours ago are both current, and both are
 * said. The latest `period.start` only chooses between entries of one level: an EHR that moves a
 * patient from Room 12 to Room 40 without closing Room 12 still says Room 40. Within a level an entry
 * without a start cannot be placed against one that has one, so undated entries count only when no
 * entry of that level is dated; entries sharing the latest start are all kept, and for the room or
 * bed the later entry in the array wins (the list grows as the patient moves). The places are named
 * from the widest level to the narrowest ("Ward 5 North, Room 12, Bed 3"). Without a current entry
 * the encounter has no location (the history stays in the details' encounters).
 *
 * A place is named by the Location the Encounter holds in its own `contained` when the reference is
 * `#id` (placeOf), else by the reference's display. Room and bed come from the physical type where
 * the EHR gives it (R4 `Encounter.location.physicalType`, or a contained Location's `physicalType`)
 * ro/bd, otherwise from words in the name ("Room 412, Bed B"). A current place the EHR refers to
 * without naming it (`location.reference`, no `display`, no contained Location with a name; this app
 * reads no Location from the EHR) is not nothing: when the patient's current place has no name at
 * all, `location` is '' (the EHR's empty name), never null, so it can be told from "no location
 * recorded". A place named from a contained Location that carries a modifierExtension (or
 * implicitRules) marks the encounter qualified ("check in EHR", modifiers.ts).
 */
function location(resource: JsonObject, now: number): Pick<EncounterView, 'location' | 'room' | 'bed' | 'qualified'> {
  const current = objects(resource.location).filter(
    (l) =>
      isObject(l.location) &&
      Object.keys(l.location).length > 0 &&
      (l.status === undefined || readRecordStatus(l.status, STATUS_CODES.encounterLocationStatus).code === 'active') &&
      !periodEnded(l.period, now) &&
      !notBegun(l.period, now),
  );
  const startOf = (l: JsonObject) => when(isObject(l.period) ? l.period.start : undefined)?.epochMs ?? null;
  const entries = current.map((entry) => {
    const place = placeOf(entry, resource);
    return { ...place, level: levelOf(place), start: startOf(entry) };
  });
  const latest = new Map<string, number>();
  for (const e of entries) latest.set(e.level, Math.max(latest.get(e.level) ?? -Infinity, e.start ?? -Infinity));
  // A place given by reference only, without a type, may be of any level: a move to it supersedes every older entry.
  const unknown = latest.get('unknown') ?? -Infinity;
  // Array order kept: within a level the later entry is the newer place.
  const here = entries.filter((e) => (e.start ?? -Infinity) === latest.get(e.level) && (e.start ?? -Infinity) >= unknown);
  if (here.length === 0) return { location: null, room: null, bed: null };
  let room: string | null = null;
  let bed: string | null = null;
  const displays: string[] = [];
  for (const { name: display } of [...here].sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level])) {
    if (display && !displays.includes(display)) displays.push(display);
  }
  for (const { name: display, physicalType } of [...here].reverse()) {
    if (!display) continue;
    const physical = conceptCodes(physicalType)[0];
    // A room's or bed's own display often names what it is ("Room 412"): the number is what the cell shows beside its word.
    if (physical === 'ro') room ??= ROOM.exec(display)?.[1] ?? display;
    else if (physical === 'bd') bed ??= BED.exec(display)?.[1] ?? display;
    room ??= ROOM.exec(display)?.[1] ?? null;
    bed ??= BED.exec(display)?.[1] ?? null;
  }
  const qualified = here.some((e) => e.held !== undefined && qualifiedByEhr(e.held));
  return { location: displays.join(', '), room, bed, ...(qualified ? { qualified: true as const } : {}) };
}

/** The level of a place (LEVEL_RANK): its physical type, else a bed or room by the words of its name, else `place`. */
function levelOf(place: { name: string | undefined; physicalType: unknown }): string {
  const physical = conceptCodes(place.physicalType).find((code) => Object.hasOwn(LEVEL_RANK, code));
  if (physical) return physical;
  if (place.name && BED.test(place.name)) return 'bd';
  if (place.name && ROOM.test(place.name)) return 'ro';
  return place.name ? 'place' : 'unknown';
}

/**
 * The name and physical type of one `Encounter.location` entry's place, and the contained Location
 * it is read from. A reference `#id` points at the resource of that id in the Encounter's own
 * `contained` (hl7.org/fhir/R4/references.html#contained, the same in DSTU2 and STU3): a Location
 * there is named by its `name`, else the reference's `display`. Only this Encounter's contained
 * resources count, never one held by another resource.
 */
function placeOf(entry: JsonObject, encounter: JsonObject): { name: string | undefined; physicalType: unknown; held: JsonObject | undefined } {
  const reference = entry.location as JsonObject;
  const held = containedResource(encounter, reference, ['Location']);
  return {
    name: str(held?.name) ?? str(reference.display),
    physicalType: entry.physicalType ?? held?.physicalType,
    held: held ?? undefined,
  };
}

/** UTC+14, the furthest zone ahead: a start without a zone ("2026-06-15") may be that far ahead of UTC. */
const MAX_ZONE_AHEAD_MS = 14 * 3_600_000;

/**
 * Whether a location's period starts after `now`. A start without a zone (a date alone, too) reads
 * as UTC, so it counts as begun while it could be today somewhere: on the day of a move east of UTC
 * the new room is where the patient is.
 */
function notBegun(period: unknown, now: number): boolean {
  const text = isObject(period) ? str(period.start) : undefined;
  const at = text === undefined ? null : when(text)?.epochMs;
  if (at === null || at === undefined) return false;
  return /(?:Z|[+-]\d{2}:\d{2})$/.test(text!) ? at > now : at - MAX_ZONE_AHEAD_MS > now;
}
