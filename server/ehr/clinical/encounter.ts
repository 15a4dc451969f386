import { isObject, objects, str, type JsonObject } from '../json.js';
import type { EncounterView } from './types.js';
import { conceptCodes, conceptText, newestFirst, statusCode, when } from './values.js';

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

/** Encounters newest first by start. */
export function readEncounters(resources: JsonObject[]): EncounterView[] {
  return resources
    .filter((r) => r.resourceType === 'Encounter')
    .map(readEncounter)
    .sort((a, b) => newestFirst(a.start, b.start));
}

function readEncounter(resource: JsonObject): EncounterView {
  const period = isObject(resource.period) ? resource.period : {};
  const start = when(period.start);
  const klass = classCode(resource.class);
  const place = location(resource);
  return {
    status: statusCode(resource.status),
    type: conceptText(objects(resource.type)[0]),
    class: klass,
    start,
    end: when(period.end),
    ...place,
    admission: klass && INPATIENT.has(klass) ? start : null,
  };
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
 * Room and bed come from the Location's physical type where the EHR gives it (R4 `physicalType`
 * ro/bd), otherwise from words in the display ("Room 412, Bed B"). Planned and finished stays at
 * a location count only when nothing is active.
 */
function location(resource: JsonObject): Pick<EncounterView, 'location' | 'room' | 'bed'> {
  const all = objects(resource.location).filter((l) => isObject(l.location) && str(l.location.display));
  const active = all.filter((l) => l.status === 'active' || l.status === undefined);
  const chosen = active.length > 0 ? active : all;
  let room: string | null = null;
  let bed: string | null = null;
  const displays: string[] = [];
  for (const entry of chosen) {
    const display = str((entry.location as JsonObject).display)!;
    if (!displays.includes(display)) displays.push(display);
    const physical = conceptCodes(entry.physicalType)[0];
    if (physical === 'ro') room ??= display;
    else if (physical === 'bd') bed ??= display;
    room ??= ROOM.exec(display)?.[1] ?? null;
    bed ??= BED.exec(display)?.[1] ?? null;
  }
  return { location: displays.length > 0 ? displays.join(', ') : null, room, bed };
}
