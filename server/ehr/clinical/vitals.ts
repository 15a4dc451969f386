import { isObject, objects, str, type JsonObject } from '../json.js';
import { normaliseUnit } from './units.js';
import type { BloodPressureReading, LatestReadings, Measurement, VitalHistory, VitalKind, VitalReading, When } from './types.js';
import { effectiveText, epochMsOf, loincCodes, newestFirst, numberOf, ownReferenceOf, when } from './values.js';
import { Warnings } from './warnings.js';
import { KIND_OF_CODE, type VitalCodeKind } from './vital-codes.js';
import { isComparator } from '../../../contract/vital-ranges.js';
import { qualifiedByEhr, qualifiedMark } from '../modifiers.js';
import { interpretationMark, interpretationOf, mostSevere } from './interpretation.js';
import type { VitalInterpretation } from '../../../contract/vital-ranges.js';
import { datedInFuture } from './future.js';
import { unreadableReading } from '../../../contract/cells.js';
import { standaloneOxygen, withOxygen } from './oxygen.js';
import { STATUS_CODES, readRecordStatus } from './record-status.js';

/**
 * Observation.status (observation-status, the same codes in DSTU2, STU3 and R4; `corrected` from
 * STU3): `registered` ("no result yet available"), `cancelled` and `entered-in-error` are no result
 * and are skipped; `preliminary` ("the result is not yet final") is shown, marked preliminary;
 * `unknown` ("the authoring system does not know which of the status values currently applies") is
 * shown, marked "status unknown" the same way, never as a plain result; `final`, `amended`,
 * `corrected` and no status at all are shown as results. A status written in other case or words
 * ("Entered in Error", "Preliminary") is read by its words (record-status.ts readRecordStatus), so a
 * reading recorded in error never stands as the latest; one that still cannot be read (an EHR's own
 * code) is a modifier the app cannot read: the reading is shown, marked "check in EHR" (`qualified`).
 */
const SKIPPED_STATUS: ReadonlySet<string | null> = new Set(['entered-in-error', 'cancelled', 'registered']);
const statusOf = (obs: JsonObject) => readRecordStatus(obs.status, STATUS_CODES.observationStatus);
const skippedStatus = (obs: JsonObject) => SKIPPED_STATUS.has(statusOf(obs).code);
function statusMark(obs: JsonObject): { preliminary?: true; statusUnknown?: true; qualified?: true } {
  const { code, unreadable } = statusOf(obs);
  if (unreadable) return { qualified: true };
  return code === 'preliminary' ? { preliminary: true } : code === 'unknown' ? { statusUnknown: true } : {};
}

/**
 * Observations that another Observation of the same read replaces are no result, as one entered in
 * error: DSTU2 and STU3 `Observation.related` of type `replaces`, "This observation replaces a
 * previous observation (i.e. a revised value). The target observation is now obsolete."
 * (hl7.org/fhir/STU3/codesystem-observation-relationshiptypes.html; the same code in DSTU2's
 * observation-relationshiptypes), when the replacing one is itself a result about the patient (isResult). R4 has no `related` (a revised value is the same resource,
 * `amended` or `corrected`). The target is matched by a relative reference, with or without a
 * version, or an absolute URL on the EHR's own base `base` (values.ts ownReference); a URL on
 * another server names another server's Observation and replaces nothing here. An Observation
 * never replaces itself. The same array when nothing is replaced.
 */
export function withoutReplaced(observations: JsonObject[], base?: URL | string): JsonObject[] {
  let replaced: Set<string> | undefined;
  for (const obs of observations) {
    // Only a result about the patient replaces anything: one entered in error, cancelled or about someone else says nothing.
    if (obs.related === undefined || !isResult(obs)) continue;
    const own = typeof obs.id === 'string' ? `Observation/${obs.id}` : undefined;
    for (const related of objects(obs.related)) {
      const key = related.type === 'replaces' ? ownReferenceOf(related.target, base, 'Observation') : null;
      if (key !== null && key !== own) (replaced ??= new Set()).add(key);
    }
  }
  return replaced ? observations.filter((obs) => !(typeof obs.id === 'string' && replaced.has(`Observation/${obs.id}`))) : observations;
}

/**
 * The value of a reading the EHR recorded whose value[x] the app cannot read (contract
 * `unreadableMeasurement`): its kind reads "not available", never "none recorded", unless the kind
 * has a reading that can be read and is newer, or the unreadable one sent no value (latestRank).
 */
const UNREADABLE = { value: null, unit: '' } as const;

/**
 * Standalone systolic and diastolic Observations at most this far apart are one blood pressure:
 * EHRs file the two halves of one cuff reading as two Observations whose times differ by the
 * seconds between writes, while two separate readings are taken minutes apart.
 */
export const BP_PAIR_WINDOW_MS = 5 * 60_000;

/**
 * A reading dated in the future (future.ts: more than FUTURE_ALLOWANCE_MS after `now`) is not taken
 * as the latest: it stays in the history, and is the latest only when no reading of its kind has a
 * time that is not in the future; it is then marked (contract `future`).
 */
export { FUTURE_ALLOWANCE_MS } from './future.js';

type Kind = VitalCodeKind;

/**
 * The vital-sign kind of an Observation about the patient; undefined for any other, and for one
 * about someone or something else in the patient's record (a fetus, a donor), which is never the
 * patient's own reading: not the latest, not flagged, not in the trend (`vital_other_focus`).
 */
function kindOf(obs: JsonObject, warnings: Warnings): Kind | undefined {
  if (obs.resourceType !== 'Observation' || skippedStatus(obs)) return undefined;
  const kind = codeKind(obs);
  if (kind && aboutAnother(obs)) {
    warnings.add('vital_other_focus');
    return undefined;
  }
  return kind;
}

/**
 * R4 `Observation.focus`: "the actual focus of an observation when it is not the patient of
 * record … such as a spouse, parent, fetus, or donor" (https://hl7.org/fhir/R4/observation-definitions.html#Observation.focus);
 * DSTU2 and STU3 say it with the `observation-focal-subject` extension (a modifier extension in
 * STU3). A focus that is the subject itself changes nothing.
 */
function aboutAnother(obs: JsonObject): boolean {
  const subject = isObject(obs.subject) ? str(obs.subject.reference) : undefined;
  if (objects(obs.focus).some((focus) => subject === undefined || str(focus.reference) !== subject)) return true;
  return [...objects(obs.extension), ...objects(obs.modifierExtension)].some((e) => e.url === FOCAL_SUBJECT);
}
const FOCAL_SUBJECT = 'http://hl7.org/fhir/StructureDefinition/observation-focal-subject';

/** An Observation about the patient whose status is a result (SKIPPED_STATUS; aboutAnother): whatever its code. */
const isResult = (obs: JsonObject) => obs.resourceType === 'Observation' && !skippedStatus(obs) && !aboutAnother(obs);

function codeKind(obs: JsonObject): Kind | undefined {
  for (const code of loincCodes(obs.code)) {
    const kind = KIND_OF_CODE.get(code);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** A reading of one Observation that stands alone (not a standalone systolic or diastolic), marked when its value was sent but cannot be read. */
function readingOf(obs: JsonObject, kind: Exclude<Kind, 'systolic' | 'diastolic'>, time: When | null, warnings: Warnings): VitalReading | undefined {
  const reading = unmarkedReadingOf(obs, kind, time, warnings);
  return reading && valueSentMark(reading, obs);
}

function unmarkedReadingOf(
  obs: JsonObject,
  kind: Exclude<Kind, 'systolic' | 'diastolic'>,
  time: When | null,
  warnings: Warnings,
): VitalReading | undefined {
  if (kind === 'bpPanel') {
    const parts = objects(obs.component).length > 0 ? components(obs, warnings) : pressureText(obs.valueString);
    // Neither pressure read: kept as a pressure the EHR recorded that cannot be read (both null).
    if (!parts.systolic && !parts.diastolic) warnings.add('observation_without_value');
    return {
      kind: 'bloodPressure',
      time,
      systolic: parts.systolic ?? null,
      diastolic: parts.diastolic ?? null,
      ...qualifiedMark(obs, ['component']),
      ...statusMark(obs),
      // The EHR's interpretation of the panel or of either pressure it gives: the most severe.
      ...interpretationMark(mostSevere(interpretationOf(obs.interpretation), parts.interpretation)),
    };
  }
  const value = measurement(kind, obs.valueQuantity, warnings);
  // A value that cannot be read (value[x] not a Quantity with a number) is kept as such: the kind was recorded.
  if (!value) warnings.add('observation_without_value');
  return {
    kind,
    time,
    value: value ?? UNREADABLE,
    ...qualifiedMark(obs),
    ...statusMark(obs),
    ...interpretationMark(interpretationOf(obs.interpretation)),
  };
}

/**
 * A blood pressure panel without components that gives the pressure as text, "82/40" or
 * "82/40 mmHg" (older DSTU2 feeds, where Observation.value[x] may be a string): whole numbers,
 * read as mmHg. Any other text is no value.
 */
function pressureText(value: unknown): Pressure {
  const m = /^\s*(\d{1,3})\s*\/\s*(\d{1,3})\s*(?:mm\s*\[?hg\]?)?\s*$/i.exec(str(value) ?? '');
  if (!m) return {};
  return {
    systolic: normaliseUnit('bloodPressure', Number(m[1]), 'mmHg', 'mm[Hg]'),
    diastolic: normaliseUnit('bloodPressure', Number(m[2]), 'mmHg', 'mm[Hg]'),
  };
}

/** A standalone systolic or diastolic Observation, before it is paired. */
interface Half {
  kind: 'systolic' | 'diastolic';
  time: When | null;
  value: Measurement;
  qualified: boolean;
  preliminary: boolean;
  statusUnknown: boolean;
  interpretation?: VitalInterpretation;
}

/** A panel's pressures, and the most severe interpretation of the components they came from. */
interface Pressure {
  systolic?: Measurement;
  diastolic?: Measurement;
  interpretation?: VitalInterpretation;
}

/**
 * Readings from vital-sign Observations (but those another one replaces: withoutReplaced); unknown codes are ignored. One whose value cannot be read is
 * kept as unreadable (with a warning): the latest by its time when a value was sent, else only when nothing of the kind can be read (latestRank).
 */
export function readVitals(read: JsonObject[], warnings: Warnings, base?: URL | string): VitalReading[] {
  const observations = withoutReplaced(read, base);
  const readings: VitalReading[] = [];
  const halves: Half[] = [];
  // Only read when there is a saturation to give the oxygen it was taken on.
  let oxygen: ReturnType<typeof standaloneOxygen> | undefined;
  for (const obs of observations) {
    const kind = kindOf(obs, warnings);
    if (!kind) continue;
    const time = effective(obs);
    if (kind !== 'systolic' && kind !== 'diastolic') {
      const reading = readingOf(obs, kind, time, warnings);
      if (reading) readings.push(reading.kind === 'spo2' ? withOxygen(reading, obs, (oxygen ??= standaloneOxygen(observations, isResult))) : reading);
      continue;
    }
    const value = measurement('bloodPressure', obs.valueQuantity, warnings);
    if (!value) {
      // A half the EHR recorded that cannot be read: a pressure that cannot be read, never paired.
      warnings.add('observation_without_value');
      readings.push(valueSentMark({ kind: 'bloodPressure', time, systolic: null, diastolic: null, ...qualifiedMark(obs), ...statusMark(obs) }, obs));
      continue;
    }
    const marks = statusMark(obs);
    halves.push({
      kind,
      time,
      value,
      qualified: qualifiedByEhr(obs) || !!marks.qualified,
      preliminary: !!marks.preliminary,
      statusUnknown: !!marks.statusUnknown,
      interpretation: interpretationOf(obs.interpretation),
    });
  }
  return [...readings, ...pairHalves(halves)];
}

/**
 * Standalone systolic and diastolic Observations as blood pressures (FHIR vital signs: a pressure
 * may come as a panel with components or as its two halves). From the newest half down, each half
 * not yet paired takes the newest unpaired other half at most BP_PAIR_WINDOW_MS older (every newer
 * half is paired by then); the pair's time is its newer half's. So the newest pressure holds the
 * newest systolic and the newest diastolic whenever they are close enough to be one reading, and a
 * half without a partner in the window stands alone ("85/?"). Halves without a usable time pair
 * only with the other half written at the same time text. Either half qualified or preliminary
 * makes the pressure so; the pressure's interpretation is the more severe of the halves'.
 */
function pairHalves(halves: Half[]): BloodPressureReading[] {
  const timed = halves.filter((h) => h.time?.epochMs != null).sort((a, b) => newestFirst(a.time, b.time));
  const paired = new Set<Half>();
  const pressures: BloodPressureReading[] = [];
  const pressure = (...parts: Half[]): BloodPressureReading => ({
    kind: 'bloodPressure',
    // The newer half's time (parts come newest first).
    time: parts[0].time,
    systolic: parts.find((h) => h.kind === 'systolic')?.value ?? null,
    diastolic: parts.find((h) => h.kind === 'diastolic')?.value ?? null,
    ...(parts.some((h) => h.qualified) ? { qualified: true as const } : {}),
    ...(parts.some((h) => h.preliminary) ? { preliminary: true as const } : {}),
    ...(parts.some((h) => h.statusUnknown) ? { statusUnknown: true as const } : {}),
    ...interpretationMark(mostSevere(...parts.map((h) => h.interpretation))),
  });
  // One cuff reading first: a systolic and a diastolic at the same instant are one pressure, never split by a half between.
  const atInstant = new Map<number, Half>();
  for (const half of timed) {
    const at = half.time!.epochMs!;
    const other = atInstant.get(at);
    if (other && other.kind !== half.kind && !paired.has(other)) {
      paired.add(other).add(half);
      pressures.push(pressure(other, half));
    } else if (!other || paired.has(other)) atInstant.set(at, half);
  }
  for (const [i, half] of timed.entries()) {
    if (paired.has(half)) continue;
    paired.add(half);
    const at = half.time!.epochMs!;
    // Every newer half is paired already: the partner is the first unpaired other half after this one.
    let partner: Half | undefined;
    for (let j = i + 1; j < timed.length && at - timed[j].time!.epochMs! <= BP_PAIR_WINDOW_MS && !partner; j++) {
      if (timed[j].kind !== half.kind && !paired.has(timed[j])) partner = timed[j];
    }
    if (partner) paired.add(partner);
    pressures.push(partner ? pressure(half, partner) : pressure(half));
  }
  // Without an instant: the same time text (or none at all) is one moment, its halves paired in the order they came.
  const untimed = new Map<string, { systolic: Half[]; diastolic: Half[] }>();
  for (const half of halves) {
    if (half.time?.epochMs != null) continue;
    const slot = half.time?.text ?? '';
    let group = untimed.get(slot);
    if (!group) untimed.set(slot, (group = { systolic: [], diastolic: [] }));
    group[half.kind].push(half);
  }
  for (const { systolic, diastolic } of untimed.values()) {
    for (let k = 0; k < Math.max(systolic.length, diastolic.length); k++)
      pressures.push(pressure(...[systolic[k], diastolic[k]].filter((h) => h !== undefined)));
  }
  return pressures;
}

/**
 * The latest reading of each kind, as `latestVitals(readVitals(…), now)` gives it, from
 * Observations that came newest first (list reads ask them so): once a kind has a reading nothing
 * older can beat (latestRank), its older Observations are not read at all. The order is checked on
 * each reading's own time (effectiveText: a period's end), not on what the server sorted by: a
 * server may sort an effectivePeriod by its start, so a period that ended after the entry before it
 * breaks the order, and nothing is skipped on trust. Null when the answer is not in that order or
 * pairs standalone systolic and diastolic Observations; the full read then applies. Observations
 * another one of the page replaces are left out first (withoutReplaced), wherever they stand.
 */
export function latestVitalsOfSorted(read: JsonObject[], warnings: Warnings, now = Date.now(), base?: URL | string): LatestReadings | null {
  const observations = withoutReplaced(read, base);
  const latest: LatestReadings = {};
  const noted = new Warnings();
  let previous = Infinity;
  let spo2Obs: JsonObject | null = null;
  for (const obs of observations) {
    const kind = kindOf(obs, noted);
    if (!kind) continue;
    if (kind === 'systolic' || kind === 'diastolic') return null;
    // The time is compared as a number; a When is built only for a reading that is kept.
    const text = effectiveText(obs);
    const epochMs = text === undefined ? null : epochMsOf(text);
    if (epochMs != null) {
      if (epochMs > previous) return null;
      previous = epochMs;
    }
    const shown = kind === 'bpPanel' ? 'bloodPressure' : kind;
    const have = latest[shown];
    // Newest first: after a settled reading (readable, not in the future, a pressure with its systolic) every reading ranks lower.
    if (settledLatest(have, now)) continue;
    const reading = readingOf(obs, kind, text === undefined ? null : { text, epochMs }, noted);
    if (reading && (!have || ranksBefore(reading, have, now))) {
      latest[shown] = reading;
      if (shown === 'spo2') spo2Obs = obs;
    }
  }
  for (const { code, count } of noted.list()) warnings.add(code, count);
  // The oxygen the latest saturation was taken on: its components, or oxygen Observations of the page near its time.
  if (latest.spo2 && latest.spo2.kind === 'spo2') latest.spo2 = withOxygen(latest.spo2, spo2Obs, standaloneOxygen(observations, isResult));
  return latest;
}

function components(obs: JsonObject, warnings: Warnings): Pressure {
  const found: Pressure = {};
  for (const component of objects(obs.component)) {
    const kind = loincCodes(component.code)
      .map((c) => KIND_OF_CODE.get(c))
      .find((k) => k === 'systolic' || k === 'diastolic');
    if (kind && !found[kind]) {
      const value = measurement('bloodPressure', component.valueQuantity, warnings);
      if (value) {
        found[kind] = value;
        found.interpretation = mostSevere(found.interpretation, interpretationOf(component.interpretation));
      }
    }
  }
  return found;
}

/**
 * A Quantity as shown. Its comparator is a modifier (it changes what the value means): one of the
 * four codes stays with the value; any other, not understood, leaves the reading without a value.
 */
function measurement(kind: VitalKind, quantity: unknown, warnings: Warnings): Measurement | undefined {
  if (!isObject(quantity)) return undefined;
  const value = numberOf(quantity.value);
  if (value === undefined) return undefined;
  const { comparator } = quantity;
  if (comparator !== undefined && !isComparator(comparator)) return undefined;
  return normaliseUnit(kind, value, str(quantity.unit) ?? '', str(quantity.code), comparator, {
    system: str(quantity.system),
    onConflict: () => warnings.add('vital_unit_conflict'),
  });
}

function effective(obs: JsonObject): When | null {
  const text = effectiveText(obs);
  return text === undefined ? null : when(text);
}

/**
 * Marks a reading whose value cannot be read although the EHR sent one (Observation.value[x] as
 * text, a code, a Quantity without a number…; a panel's component values): it was measured, so it
 * ranks by its time (latestRank). A symbol: kept by spreads, never in an answer's JSON.
 */
const VALUE_SENT = Symbol('value sent');
type Marked = VitalReading & { [VALUE_SENT]?: true };

/** Whether an element carries a value[x] (FHIR choice names: valueQuantity, valueString…). */
const carriesValue = (element: JsonObject) => Object.keys(element).some((key) => /^value[A-Z]/.test(key));

/**
 * Whether the Observation sent a value of the kind it is read as: its own value[x], or for a blood
 * pressure a systolic or diastolic component's. Another component's value (the oxygen flow of a
 * saturation taken without one) is no reading of the kind.
 */
const sendsValue = (obs: JsonObject, kind: VitalReading['kind']): boolean =>
  carriesValue(obs) ||
  (kind === 'bloodPressure' &&
    objects(obs.component).some(
      (c) => carriesValue(c) && loincCodes(c.code).some((code) => ['systolic', 'diastolic'].includes(KIND_OF_CODE.get(code) ?? '')),
    ));

function valueSentMark<R extends VitalReading>(reading: R, obs: JsonObject): R {
  return unreadableReading(reading) && sendsValue(obs, reading.kind) ? Object.assign(reading, { [VALUE_SENT]: true as const }) : reading;
}

/**
 * How a reading ranks as its kind's latest, lowest first: [unrecorded, when, half, time].
 * - unrecorded: 1 for a reading without a value (none sent: a `dataAbsentReason`, say), so it is the
 *   latest only when no reading of its kind has one: the cell then reads "not available". A value
 *   sent in a form the app cannot read (valueString "39.8 C", a code) ranks by its time like any
 *   other: a newer reading is never hidden behind an older one shown as the latest (the cell then
 *   reads "not available": the EHR holds a newer reading than any the app could show).
 * - when: 0 for a time up to FUTURE_ALLOWANCE_MS after `now`, 1 for a time further in the future,
 *   2 for no usable time; within 0 and within 1, newest first.
 * - half: 1 for a blood pressure with a diastolic but no systolic (a lone diastolic, or a panel with
 *   only that component), so it ranks below every pressure of the same `when` that has one, however
 *   older: NEWS2 scores the systolic, and a newer diastolic alone must not hide an older, maybe
 *   critical, systolic (it stays in the history). It is the latest only when no such pressure has a systolic.
 *   A pressure sent in a form the app cannot read is not such a half (it may hold a systolic): it
 *   ranks by its time, so it also outranks a newer diastolic alone (the order must be total).
 */
function latestRank(reading: Marked, now: number): [number, number, number, number] {
  const lost = unreadableReading(reading) && !reading[VALUE_SENT] ? 1 : 0;
  const half = reading.kind === 'bloodPressure' && !reading.systolic && !!reading.diastolic ? 1 : 0;
  const at = reading.time?.epochMs;
  if (at == null) return [lost, 2, half, 0];
  return [lost, datedInFuture(reading.time, now) ? 1 : 0, half, -at];
}

/**
 * Whether a kind's latest reading is settled: with a value (readable, or sent in a form the app
 * cannot read: it was measured), timed, not in the future, and not a pressure with a diastolic
 * alone (else more may be asked for).
 */
export const settledLatest = (reading: VitalReading | undefined, now = Date.now()): boolean => {
  if (!reading) return false;
  const [lost, at, half] = latestRank(reading, now);
  return lost === 0 && at === 0 && half === 0;
};

/** Whether `a` ranks strictly before `b` as the latest (equals keep the order they came in). */
function ranksBefore(a: VitalReading, b: VitalReading, now: number): boolean {
  const [ra, rb] = [latestRank(a, now), latestRank(b, now)];
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] < rb[i];
  return false;
}

/** The latest reading of each kind at `now`, by latestRank: the newest, not one dated in the future (it stays in the history). */
export function latestVitals(readings: VitalReading[], now = Date.now()): LatestReadings {
  const latest: LatestReadings = {};
  for (const reading of readings) {
    const have = latest[reading.kind];
    if (!have || ranksBefore(reading, have, now)) latest[reading.kind] = reading;
  }
  return latest;
}

/** Readings per kind, oldest first; readings without a time, and readings that cannot be read, are left out of a time series. */
export function vitalHistory(readings: VitalReading[]): VitalHistory {
  const history: VitalHistory = {};
  const timed = readings.filter((r) => r.time?.epochMs != null && !unreadableReading(r)).sort((a, b) => -newestFirst(a.time, b.time));
  for (const reading of timed) (history[reading.kind] ??= []).push(reading);
  return history;
}
