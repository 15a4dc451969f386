import { isObject, objects, str, type JsonObject } from '../json.js';
import type { EncounterView } from './types.js';
import { conceptCodes, conceptText, newestFirst, periodEnded, statusCode, when } from './values.js';
import { qualifiedMark } from '../modifiers.js';

/** v3 ActCode IMP and its specialisations (acute, non-acute). */
const INPATIENT = new Set(['IMP', 'ACUTE', 'NONAC']);

/** DSTU2's own class codes in v3 ActCode terms, so one stay reads the same from every release. */
const DSTU2_CLASS: Record<string, string> = {
  inpatient: 'IMP',
  outpatient: 'AMB',
  ambulatory: 'AMB',
  emergency: 'EMER',
  home: 'HH',
  field: 'FLD',
  daytime: 'SS',
  virtual: 'VR',
};

/** "Room 412", "Rm. 4B", "Bed: 2": the word must stand alone, so "Bedford" is no bed. */
const ROOM = /\b(?:room|rm)\b\.?(?:\s*[:#]\s*|\s+)([A-Za-z0-9][\w-]*)/i;
const BED = /\b(?:bed|bd)\b\.?(?:\s*[:#]\s*|\s+)([A-Za-z0-9][\w-]*)/i;

/**
 * Encounter statuses of a stay that is going on now (DSTU2 encounter-state; STU3/R4
 * encounter-status, which add `triaged`): the patient has arrived and not left.
 */
const ONGOING = new Set(['arrived', 'triaged', 'in-progress', 'onleave']);
/** Encounters that did not (or not yet) take place: planned for later, cancelled, or recorded in error. */
const NOT_TAKEN_PLACE = new Set(['planned', 'cancelled', 'entered-in-error']);

/**
 * The encounter a list row speaks of, from encounters newest first: the newest ongoing one,
 * else the newest that has taken place (so a follow-up planned for next month, which sorts first
 * by date, never stands in for the stay the patient is in). Undefined when none has taken place.
 */
export function currentEncounter(encounters: EncounterView[], now = Date.now()): EncounterView | undefined {
  // An ongoing stay has begun whatever its start says: a start given as a date alone (no zone)
  // reads as midnight UTC, which is still to come in zones east of UTC on the day of admission.
  const taken = encounters.filter(
    (e) => !NOT_TAKEN_PLACE.has(e.status ?? '') && (ONGOING.has(e.status ?? '') || !((e.start?.epochMs ?? -Infinity) > now)),
  );
  return taken.find((e) => ONGOING.has(e.status ?? '')) ?? taken[0];
}

/**
 * Whether the encounter is over: status `finished`, or (any status but an ongoing one, e.g.
 * `unknown`) a period whose end has passed. Its locations are where the patient was, not is, and
 * its admission is history.
 */
export function encounterOver(encounter: EncounterView, now = Date.now()): boolean {
  if (encounter.status === 'finished') return true;
  return !ONGOING.has(encounter.status ?? '') && periodEnded({ end: encounter.end?.text }, now);
}

/** Encounters newest first by start; `now` (epoch ms) decides which location periods have ended. */
export function readEncounters(resources: JsonObject[], now = Date.now()): EncounterView[] {
  return resources
    .filter((r) => r.resourceType === 'Encounter')
    .map((r) => readEncounter(r, now))
    .sort((a, b) => newestFirst(a.start, b.start));
}

/**
 * The admission date is the start of the inpatient stay: Encounter.period.start of an encounter of
 * class inpatient (DSTU2 `inpatient`, STU3/R4 v3 ActCode IMP, ACUTE, NONAC; hl7.org/fhir/v3/ActEncounterCode).
 * An encounter without a class that carries `hospitalization` admission details (admitSource, the
 * same element in DSTU2/STU3/R4) is an admission too. Without period.start, the first location
 * period's start stands in. Other encounters have none.
 */
function readEncounter(resource: JsonObject, now: number): EncounterView {
  const period = isObject(resource.period) ? resource.period : {};
  const start = when(period.start);
  const klass = classCode(resource.class);
  const place = location(resource, now);
  const hospitalization = isObject(resource.hospitalization) ? resource.hospitalization : undefined;
  const admitted = klass ? INPATIENT.has(klass) : hospitalization?.admitSource !== undefined;
  return {
    status: statusCode(resource.status),
    type: conceptText(objects(resource.type)[0]),
    class: klass,
    start,
    end: when(period.end),
    ...place,
    admission: admitted ? (start ?? firstLocationStart(resource)) : null,
    ...qualifiedMark(resource, ['location', 'hospitalization']),
  };
}

function firstLocationStart(resource: JsonObject): EncounterView['start'] {
  const starts = objects(resource.location)
    .map((l) => when(isObject(l.period) ? l.period.start : undefined))
    .filter((w): w is NonNullable<typeof w> => w !== null)
    .sort((a, b) => newestFirst(b, a));
  return starts[0] ?? null;
}

/** DSTU2 plain code, STU3/R4 Coding, and (R5-style) CodeableConcept arrays; as v3 ActCode. */
function classCode(value: unknown): string | null {
  const code =
    typeof value === 'string'
      ? str(value)
      : objects(value)
          .map((item) => conceptCodes(item)[0])
          .find((c) => c !== undefined);
  if (!code) return null;
  return DSTU2_CLASS[code.toLowerCase()] ?? code.toUpperCase();
}

/**
 * Where the patient is now: Encounter.location[] entries (DSTU2, STU3, R4 alike) that are current.
 * An entry whose `period` has ended is history, and so is status `completed`; `planned` and
 * `reserved` are not there yet (value set encounter-location-status). Without a current entry the
 * encounter has no location (the history stays in the details' encounters). Room and bed come from
 * the Location's physical type where the EHR gives it (R4 `physicalType` ro/bd), otherwise from
 * words in the display ("Room 412, Bed B").
 */
function location(resource: JsonObject, now: number): Pick<EncounterView, 'location' | 'room' | 'bed'> {
  const chosen = objects(resource.location).filter(
    (l) => isObject(l.location) && str(l.location.display) && (l.status === 'active' || l.status === undefined) && !periodEnded(l.period, now),
  );
  let room: string | null = null;
  let bed: string | null = null;
  const displays: string[] = [];
  for (const entry of chosen) {
    const display = str((entry.location as JsonObject).display)!;
    if (!displays.includes(display)) displays.push(display);
    const physical = conceptCodes(entry.physicalType)[0];
    // A room's or bed's own display often names what it is ("Room 412"): the number is what the cell shows beside its word.
    if (physical === 'ro') room ??= ROOM.exec(display)?.[1] ?? display;
    else if (physical === 'bd') bed ??= BED.exec(display)?.[1] ?? display;
    room ??= ROOM.exec(display)?.[1] ?? null;
    bed ??= BED.exec(display)?.[1] ?? null;
  }
  return { location: displays.length > 0 ? displays.join(', ') : null, room, bed };
}
