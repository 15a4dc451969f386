import { isObject, objects, str, strings, type JsonObject } from '../json.js';
import { conceptCodes, conceptText, numberOf } from './values.js';
import { lookupTable } from '../../../contract/lookup-table.js';

/**
 * Each dosage instruction's words: its `text` (DSTU2 and later `dosageInstruction[].text`, a
 * statement's `dosage[].text`), else what its structure states (dosageFromStructure), so a dose the
 * record gives is never shown blank. In the order they are given (dosageSequence): Dosage.sequence
 * (STU3 https://hl7.org/fhir/STU3/dosage-definitions.html#Dosage.sequence, R4
 * https://hl7.org/fhir/R4/dosage-definitions.html#Dosage.sequence: "the order in which the dosage
 * instructions should be applied or interpreted") puts lower numbers first and a later number after
 * "; then " (a taper: "40 mg every 1 d for 3 days; then 20 mg every 1 d for 3 days"); instructions of
 * one number are given together, joined with "; ". When the order is not known (dosageSequence
 * null) they are joined with "; " as listed.
 */
export function dosageText(r: JsonObject): string | null {
  const instructions = [...objects(r.dosageInstruction), ...objects(r.dosage)];
  const words = (d: JsonObject) => str(d.text) ?? dosageFromStructure(d);
  const steps = (dosageSequence(r, instructions) ?? [instructions])
    .map((group) => group.map(words).filter((t): t is string => t !== undefined && t !== null))
    .filter((group) => group.length > 0);
  if (steps.length === 0) return null;
  // A step whose words already begin with "then" is not given a second one.
  return steps.map((group, i) => (i === 0 || /^then\b/i.test(group[0]) ? '' : 'then ') + group.join('; ')).join('; ');
}

/**
 * Instructions grouped by Dosage.sequence (STU3 and R4 Dosage, see dosageText), ascending; one
 * group per number, its instructions given together. Null when their order is not known: several
 * instructions, some or all without `sequence`, or a DSTU2 MedicationOrder (DSTU2 has no
 * Dosage.sequence). One instruction, or none, is one group.
 */
export function dosageSequence(r: JsonObject, instructions: JsonObject[]): JsonObject[][] | null {
  if (instructions.length <= 1) return [instructions];
  const sequences = instructions.map((d) => numberOf(d.sequence));
  if (r.resourceType === 'MedicationOrder' || sequences.some((n) => n === undefined)) return null;
  const groups = new Map<number, JsonObject[]>();
  instructions.forEach((d, i) => {
    const n = sequences[i]!;
    groups.set(n, [...(groups.get(n) ?? []), d]);
  });
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/**
 * An instruction without text in words from its structure: dose, rate, route, schedule, "as
 * needed", the most it may give, e.g. "5000 U SC every 8 h". The dose: R4
 * Dosage.doseAndRate[].dose[x], STU3 Dosage.dose[x], DSTU2 MedicationOrder.dosageInstruction.dose[x]
 * (each `doseQuantity` or `doseRange`), DSTU2 MedicationStatement.dosage.quantity[x]; the rate
 * likewise (R4 doseAndRate[].rate[x], STU3 and DSTU2 rate[x]: `rateQuantity`, `rateRatio`,
 * `rateRange`). R4 doseAndRate[].type ("the kind of dose or rate specified, for example, ordered or
 * calculated", dose-rate-type) says how one dose is given, not another dose: entries with a type
 * are one dose, each named by its type, "15 mg/kg (ordered), 1050 mg (calculated)"; entries without
 * a type are read as alternatives ("or"). The route: `route` (every version), in words only. The
 * limits (maxDoseText) last. Null when none of these is stated.
 */
function dosageFromStructure(d: JsonObject): string | null {
  const entries = [d, ...objects(d.doseAndRate)];
  const typed = entries.some((x) => isObject(x.type));
  const doses = entries.flatMap((x) => {
    const dose = quantityText(x.doseQuantity) ?? rangeText(x.doseRange) ?? quantityText(x.quantityQuantity) ?? rangeText(x.quantityRange);
    return dose ? [withType(dose, x.type)] : [];
  });
  const rates = entries.flatMap((x) => {
    const rate = quantityText(x.rateQuantity) ?? ratioText(x.rateRatio) ?? rangeText(x.rateRange);
    return rate ? [withType(rate, x.type)] : [];
  });
  // The body site (STU3/R4 Dosage.site; DSTU2 dosageInstruction.siteCodeableConcept): which eye,
  // which knee. The method (Dosage.method, DSTU2 method: "Inhale", "Chew") comes first, as said.
  const site = conceptText(d.site, false) ?? conceptText(d.siteCodeableConcept, false);
  const words = [
    conceptText(d.method, false),
    doses.join(typed ? ', ' : ' or '),
    rates.length > 0 ? `at ${rates.join(typed ? ', ' : ' or ')}` : null,
    conceptText(d.route, false),
    site ? `to ${site}` : null,
    timingText(d.timing),
    asNeededText(d),
    maxDoseText(d),
  ].filter(Boolean);
  return words.length > 0 ? words.join(' ') : null;
}

/** A dose or rate named by its R4 doseAndRate.type: its words (the code of dose-rate-type, "ordered", "calculated", else the concept's words). */
function withType(text: string, type: unknown): string {
  if (!isObject(type)) return text;
  const code = objects(type.coding).find((c) => str(c.system)?.endsWith('dose-rate-type'))?.code;
  const words = str(code) ?? conceptText(type, false) ?? conceptCodes(type)[0];
  return words ? `${text} (${words})` : text;
}

/**
 * The most an instruction may give (Dosage, DSTU2 MedicationOrder.dosageInstruction, STU3 and R4):
 * `maxDosePerPeriod` (a Ratio: "max 20 mg per 24 h"), STU3/R4 `maxDosePerAdministration` ("max 4 mg
 * per dose") and `maxDosePerLifetime` ("max 500 mg in total"); a PRN order's limit is part of the order.
 */
function maxDoseText(d: JsonObject): string | null {
  const limits: string[] = [];
  for (const ratio of [d.maxDosePerPeriod].flat().filter(isObject)) {
    const amount = quantityText(ratio.numerator);
    const per = quantityText(ratio.denominator);
    if (amount) limits.push(per ? `max ${amount} per ${per.replace(/^1 (?=\S)/, '')}` : `max ${amount}`);
  }
  const perDose = quantityText(d.maxDosePerAdministration);
  if (perDose) limits.push(`max ${perDose} per dose`);
  const lifetime = quantityText(d.maxDosePerLifetime);
  if (lifetime) limits.push(`max ${lifetime} in total`);
  return limits.length > 0 ? limits.join(', ') : null;
}

/** A SimpleQuantity as "5000 U" (its unit, else its code); null without a value. */
function quantityText(q: unknown): string | null {
  const value = isObject(q) ? numberOf(q.value) : undefined;
  if (!isObject(q) || value === undefined) return null;
  return [String(value), str(q.unit) ?? str(q.code)].filter(Boolean).join(' ');
}

/** A Range as "1–2 tablet", "at least 1 tablet", "up to 2 tablet". */
function rangeText(range: unknown): string | null {
  if (!isObject(range)) return null;
  const [low, high] = [quantityText(range.low), quantityText(range.high)];
  if (low && high) {
    const lowUnit = isObject(range.low) ? (str(range.low.unit) ?? str(range.low.code)) : undefined;
    const highUnit = isObject(range.high) ? (str(range.high.unit) ?? str(range.high.code)) : undefined;
    return lowUnit === highUnit ? `${numberOf((range.low as JsonObject).value)}–${high}` : `${low}–${high}`;
  }
  return low ? `at least ${low}` : high ? `up to ${high}` : null;
}

/** A Ratio as "100 mL/1 h" (a denominator of 1 unit written as the unit alone: "100 mL/h"). */
export function ratioText(ratio: unknown): string | null {
  if (!isObject(ratio)) return null;
  const numerator = quantityText(ratio.numerator);
  const denominator = quantityText(ratio.denominator);
  if (!numerator) return null;
  if (!denominator) return numerator;
  return `${numerator}/${denominator.replace(/^1 (?=\S)/, '')}`;
}

/**
 * Timing.repeat in words (DSTU2, STU3, R4): frequency (and frequencyMax) per period (and periodMax)
 * in periodUnit ("every 8 h", "2 times every 1 d", "1–2 times every 4–6 h"), `when` (EventTiming,
 * "before meals", with its `offset`: whenText), `timeOfDay` (STU3, R4: "at 08:00"), `dayOfWeek`
 * (STU3, R4); else Timing.code's words or code ("BID"); then its bounds (boundsText) and its count.
 * An offset without `when` counts from nothing and is not read (R4 Timing tim-9: "If there's an
 * offset, there must be a when").
 */
const EVENT_TIMING: Readonly<Record<string, string>> = lookupTable({
  HS: 'at bedtime',
  WAKE: 'on waking',
  C: 'with meals',
  CM: 'with breakfast',
  CD: 'with lunch',
  CV: 'with dinner',
  AC: 'before meals',
  ACM: 'before breakfast',
  ACD: 'before lunch',
  ACV: 'before dinner',
  PC: 'after meals',
  PCM: 'after breakfast',
  PCD: 'after lunch',
  PCV: 'after dinner',
  MORN: 'in the morning',
  AFT: 'in the afternoon',
  EVE: 'in the evening',
  NIGHT: 'at night',
});

/**
 * An EventTiming code in words, with its Timing.repeat.offset (STU3, R4; DSTU2 has none): "the
 * number of minutes from the event. If the event code does not indicate whether the minutes is
 * before or after the event, then the offset is assumed to be after the event"
 * (https://hl7.org/fhir/R4/datatypes-definitions.html#Timing.repeat.offset). So "30 min before
 * breakfast" (ACM), "60 min after dinner" (PCV), "15 min after waking" (WAKE); an event without a
 * moment to count from keeps its words, the offset after them: "in the morning (30 min after)".
 */
const EVENT_MOMENT: Readonly<Record<string, string>> = lookupTable({
  HS: 'bedtime',
  WAKE: 'waking',
  C: 'meals',
  CM: 'breakfast',
  CD: 'lunch',
  CV: 'dinner',
  AC: 'meals',
  ACM: 'breakfast',
  ACD: 'lunch',
  ACV: 'dinner',
  PC: 'meals',
  PCM: 'breakfast',
  PCD: 'lunch',
  PCV: 'dinner',
});
/** The codes whose event the offset counts back from: AC* "before meal" (from the Latin ante cibus) and HS, "prior to beginning a regular period of extended sleep" (v3 TimingEvent). */
const BEFORE_EVENT = /^(AC[MDV]?|HS)$/;
function whenText(code: string, offset: number | undefined): string {
  const words = EVENT_TIMING[code] ?? code;
  if (offset === undefined || offset <= 0) return words;
  const moment = EVENT_MOMENT[code];
  return moment ? `${offset} min ${BEFORE_EVENT.test(code) ? 'before' : 'after'} ${moment}` : `${words} (${offset} min after)`;
}

/**
 * How long a schedule lasts, Timing.repeat.bounds[x] (DSTU2 `boundsQuantity` (a Duration),
 * `boundsRange`, `boundsPeriod`; STU3 and R4 `boundsDuration`, `boundsRange`, `boundsPeriod`): a
 * length "for 3 days", a range of lengths "for 3–5 days", a Period "from 2026-12-07 until
 * 2026-12-14" (its dates written as Timing.event's, eventText). So each step of a taper says how
 * long it lasts. Null without bounds.
 */
function boundsText(repeat: JsonObject): string | null {
  const length = quantityText(repeat.boundsDuration) ?? quantityText(repeat.boundsQuantity) ?? rangeText(repeat.boundsRange);
  if (length) return `for ${length}`;
  const period = isObject(repeat.boundsPeriod) ? repeat.boundsPeriod : {};
  const date = (value: unknown) => {
    const text = str(value);
    return text === undefined ? null : eventText(text);
  };
  const [start, end] = [date(period.start), date(period.end)];
  return [start && `from ${start}`, end && `until ${end}`].filter(Boolean).join(' ') || null;
}

function timingText(timing: unknown): string | null {
  if (!isObject(timing)) return null;
  const repeat = isObject(timing.repeat) ? timing.repeat : {};
  const words: string[] = [];
  const period = numberOf(repeat.period);
  const unit = str(repeat.periodUnit) ?? str(repeat.periodUnits);
  if (period !== undefined && unit) {
    const frequency = numberOf(repeat.frequency) ?? 1;
    const frequencyMax = numberOf(repeat.frequencyMax);
    const periodMax = numberOf(repeat.periodMax);
    const times = frequencyMax !== undefined ? `${frequency}–${frequencyMax} times ` : frequency !== 1 ? `${frequency} times ` : '';
    words.push(`${times}every ${periodMax !== undefined ? `${period}–${periodMax}` : period} ${unit}`);
  }
  const offset = numberOf(repeat.offset);
  const named = strings(repeat.when).map((w) => whenText(w, offset));
  if (named.length > 0) words.push(named.join(', '));
  const times = strings(repeat.timeOfDay).map((t) => t.replace(/^(\d{2}:\d{2}):00$/, '$1'));
  if (times.length > 0) words.push(`at ${times.join(', ')}`);
  const days = strings(repeat.dayOfWeek);
  if (days.length > 0) words.push(`on ${days.join(', ')}`);
  // Timing.repeat.duration (durationMax; DSTU2 durationUnits): how long each dose takes, an infusion's "over 30 min".
  const duration = numberOf(repeat.duration);
  const durationMax = numberOf(repeat.durationMax);
  const durationUnit = str(repeat.durationUnit) ?? str(repeat.durationUnits);
  if (duration !== undefined && durationUnit)
    words.push(`over ${durationMax !== undefined && durationMax !== duration ? `${duration}–${durationMax}` : duration} ${durationUnit}`);
  // Timing.event (every version): the times the doses are given, written readably (eventText).
  const events = strings(timing.event)
    .map(eventText)
    .filter((e): e is string => e !== null);
  if (events.length > 0)
    words.push(`at ${events.slice(0, MAX_EVENTS).join(', ')}${events.length > MAX_EVENTS ? ` and ${events.length - MAX_EVENTS} more` : ''}`);
  const timed = words.length > 0 ? words.join(' ') : (conceptText(timing.code, false) ?? conceptCodes(timing.code)[0] ?? null);
  const schedule = [timed, boundsText(repeat)].filter(Boolean).join(' ') || null;
  // Timing.repeat.count (STU3 and R4 also countMax): how many doses in all.
  const count = numberOf(repeat.count);
  const countMax = numberOf(repeat.countMax);
  const range = countMax !== undefined && countMax !== count ? `${count}–${countMax}` : `${count}`;
  const doses = count === undefined ? null : `${range} ${range === '1' ? 'dose' : 'doses'}`;
  return doses === null ? schedule : schedule ? `${schedule}, ${doses}` : doses;
}

/**
 * A Timing.event dateTime as a clinician reads it, without a locale (the server's words): the date,
 * the time to the minute (seconds when given), the zone as "UTC" or its offset, "2026-12-07 08:00
 * UTC"; a time without a zone, or a date alone, as given. Null for what is not a FHIR dateTime.
 */
const MAX_EVENTS = 3;
const DATE_TIME = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T(\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
function eventText(text: string): string | null {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return null;
  const [, date, hm, seconds, zone] = match;
  if (!hm) return date;
  const time = seconds && seconds !== '00' ? `${hm}:${seconds}` : hm;
  const inZone = zone === undefined ? '' : zone === 'Z' || zone === '+00:00' ? ' UTC' : ` UTC${zone}`;
  return `${date} ${time}${inZone}`;
}

/** Dosage.asNeeded[x] (DSTU2, STU3, R4): "as needed", or "as needed for" its reason. */
function asNeededText(d: JsonObject): string | null {
  const reason = conceptText(d.asNeededCodeableConcept, false);
  if (reason) return `as needed for ${reason}`;
  return d.asNeededBoolean === true || isObject(d.asNeededCodeableConcept) ? 'as needed' : null;
}
