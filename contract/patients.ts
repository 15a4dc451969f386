import { z } from 'zod';
import { bloodPressureValue, cellOf, qualified, unavailableReason, vitalValue } from './cells.js';
import { fhirId, when } from './ids.js';
import { note } from './notes.js';
import { vitalKinds } from './vitals.js';
import { COMPARATORS } from './vital-ranges.js';

/**
 * Query strings of the patient routes, checked before anything reaches the EHR: a bad value is
 * the caller's mistake (400), never the EHR's (502).
 */

const controlCharacters = /[\p{Cc}\p{Cs}]/u;

/** True when the text holds control characters or lone surrogates. */
export const hasControlCharacters = (text: string) => controlCharacters.test(text);

/** Days in a month of the proleptic Gregorian calendar (month 1..12). */
function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a FHIR `date` that names a real day, month or year: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export function isFhirDate(value: string): boolean {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  if (year < 1) return false;
  if (match[2] === undefined) return true;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return false;
  if (match[3] === undefined) return true;
  const day = Number(match[3]);
  return day >= 1 && day <= daysIn(year, month);
}

/** A FHIR date that is a real calendar date (leap years included). */
export const fhirDate = z.string().refine(isFhirDate, 'must be a real date like 1951-08-24, or a year-month like 1951-08, or a year like 1951');

/** A name or part of one: trimmed, 1..200 characters, no control characters. */
const searchText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => !controlCharacters.test(s), 'must not contain control characters');

/** An identifier value (an MRN), or `system|value` / `|value` as FHIR token search has it. */
const identifier = searchText.refine((s) => {
  const parts = s.split('|');
  if (parts.length === 1) return true;
  if (parts.length > 2) return false;
  const [system, value] = parts;
  return /^\S*$/.test(system) && value.trim().length > 0;
}, 'must be an identifier value, or system|value');

/** `count` as a query string gives it: a whole number from 1 to 100. */
const count = z
  .string()
  .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be a whole number from 1 to 100').max(100, 'must be a whole number from 1 to 100'));

export const genders = ['male', 'female', 'other', 'unknown'] as const;

/**
 * `GET /api/teams/{teamId}/patients?name=&family=&given=&identifier=&birthdate=&gender=&id=&count=`;
 * nothing else, and at least one criterion beside `count` (else 400 `search_criteria_required`).
 */
export const patientSearchQuery = z
  .object({
    name: searchText.optional(),
    family: searchText.optional(),
    given: searchText.optional(),
    identifier: identifier.optional(),
    birthdate: fhirDate.optional(),
    gender: z.enum(genders).optional(),
    id: fhirId.optional(),
    count: count.optional(),
  })
  .strict();
export type PatientSearchCriteria = z.infer<typeof patientSearchQuery>;

/** `GET …/patients?page=`, alone: the `next` of the page before (400 `invalid_page` when it is not one). */
export const pageQuery = z.object({ page: z.string() }).strict();
export type PageQuery = z.infer<typeof pageQuery>;

/** A patient's death: the date (a FHIR dateTime as given, or null when only `deceasedBoolean` is true). */
export const deceasedValue = z.object({ date: z.string().nullable() });
export type DeceasedValue = z.infer<typeof deceasedValue>;

/**
 * A patient record the EHR says is not the one to use (Patient.link and Patient.active, both
 * modifiers in DSTU2, STU3 and R4: hl7.org/fhir/{DSTU2,STU3,R4}/patient.html). `replaced`: a link
 * of type `replaced-by` (DSTU2 `replace`), "must no longer be used", with the record to use instead
 * when the link names one (`replacedById` on the same EHR, `replacedByName` its display); `inactive`:
 * `active` is false ("whether this patient record is in active use"; absent is active);
 * `qualified`: the Patient carries a modifier the app cannot read (see `qualified` in cells.ts);
 * `refer`: a link of type `refer`, "in use and valid but not considered the main source of
 * information about a patient", pointing to the record "that should be consulted to retrieve
 * additional patient information" (link-type, all three releases). `replacedById` and
 * `replacedByName` name the other record: the one to use instead (replaced) or to consult (refer).
 */
export const recordNotice = z.object({
  kind: z.enum(['replaced', 'qualified', 'inactive', 'refer']),
  replacedById: z.string().nullable(),
  replacedByName: z.string().nullable(),
});
export type RecordNotice = z.infer<typeof recordNotice>;

/** One patient as search results and `GET …/patients/{patientId}` give it. */
export const patientSummary = z.object({
  id: z.string(),
  /** Prefix, given names, family name, suffixes: "Mr. John Smith Jr."; '' when the patient has no name. */
  displayName: z.string(),
  /** Family name, then given names ("Smith, John"): what the name column sorts by. Older servers leave it out. */
  sortName: z.string().optional(),
  mrn: z.string().nullable(),
  /** As the EHR gives it: may be partial ("1951", "1951-08"). */
  birthDate: z.string().nullable(),
  gender: z.string().nullable(),
  /** Patient.deceased[x]: null (or absent, from older servers) when alive; `date` null when the EHR says only that the patient died. */
  deceased: deceasedValue.nullable().optional(),
  /** A replaced or inactive record (see recordNotice): null (or absent, from older servers) when the record is in use. */
  recordNotice: recordNotice.nullable().optional(),
  /** Display of the first general practitioner, when the EHR gives one. */
  generalPractitioner: z.string().nullable().optional(),
  /**
   * Patient.multipleBirth[x] (DSTU2, STU3, R4: boolean or integer): the patient is one of a multiple
   * birth, with the birth order when the EHR gives it (`multipleBirthInteger`); null (or absent, from
   * older servers) otherwise. Twins
   * share a birth date and often a family name: the details say it beside the birth date.
   */
  multipleBirth: z
    .union([z.literal(true), z.number().int().positive()])
    .nullable()
    .optional(),
});
export type PatientSummary = z.infer<typeof patientSummary>;

/**
 * How the EHR matched a name: `contains`, anywhere in a name part ("uer" finds Auer); `start`,
 * only from the start of a name part (FHIR's default string search, for EHRs that refuse
 * `:contains`), so the tab says to type the first letters.
 */
export const nameMatches = ['contains', 'start'] as const;
export type NameMatch = (typeof nameMatches)[number];

/**
 * `GET /api/teams/{teamId}/patients`: a page of results; `next` asks for the next page with
 * `?page=`; `match`, on the first page of a search by name, the rule the EHR matched it by.
 */
export const patientSearchAnswer = z.object({
  patients: z.array(patientSummary),
  next: z.string().optional(),
  match: z.enum(nameMatches).optional(),
});
export type PatientSearchAnswer = z.infer<typeof patientSearchAnswer>;

// The details panel: every part of the record, in full.

export const vitalKind = z.enum(vitalKinds);

/** A vital reading with its kind, as the details' history gives it. */
export const vitalReading = z.union([
  vitalValue.extend({ kind: vitalKind.exclude(['bloodPressure']) }),
  bloodPressureValue.extend({ kind: z.literal('bloodPressure') }),
]);
export type VitalReading = z.infer<typeof vitalReading>;

const byVitalKind = <T extends z.ZodType>(value: T) => z.partialRecord(vitalKind, value);

/**
 * A vital kind the app could not read although the EHR may hold it: its own lookup failed, timed
 * out or was malformed, or was read only in part with no reading of the kind in what was read (the
 * readings were all skipped ones, more pages were left). It reads "not available", with the
 * reason, never "none recorded"; the kinds that were read keep their readings.
 */
export const vitalUnavailable = z.object({ kind: vitalKind, unavailable: unavailableReason });
export type VitalUnavailable = z.infer<typeof vitalUnavailable>;
/** A kind's latest: its reading, or that the kind could not be read (vitalUnavailable). */
export const latestVital = z.union([vitalReading, vitalUnavailable]);
export type LatestVital = z.infer<typeof latestVital>;
export const isVitalUnavailable = (v: LatestVital): v is VitalUnavailable => 'unavailable' in v;

export const encounterView = z.object({
  /** The Encounter's id at the EHR (a diagnosis of the stay names it: ConditionView.diagnosisOf). */
  id: z.string().optional(),
  /** The ids of the encounters of the same read it is part of (Encounter.partOf, up the chain): a ward leg's hospital stay. */
  within: z.array(z.string()).optional(),
  status: z.string().nullable(),
  type: z.string().nullable(),
  /** Encounter class as v3 ActCode (`IMP`, `AMB`, `EMER`…). */
  class: z.string().nullable(),
  start: when.nullable(),
  end: when.nullable(),
  location: z.string().nullable(),
  room: z.string().nullable(),
  bed: z.string().nullable(),
  /** The start of an inpatient stay; null for other encounters. */
  admission: when.nullable(),
  /**
   * The EHR gave a discharge disposition (`hospitalization.dischargeDisposition`) on a stay that is
   * over: its status is not an ongoing one, or its `period.end` has passed. A disposition on a stay
   * still in progress is a planned one and does not end it.
   */
  discharged: z.literal(true).optional(),
  /** Status `onleave` on a stay that is not over: the patient keeps the place but is away from it (shown "on leave" beside it). */
  onLeave: z.literal(true).optional(),
  qualified,
});
export type EncounterView = z.infer<typeof encounterView>;

/**
 * An age (FHIR Age, a Quantity): the value, its unit as a UCUM code of the Age units (value set
 * age-units: `a`, `mo`, `wk`, `d`, `h`, `min`; read from the code, else from the unit's words) or the
 * EHR's words for it when it is none of them, null without a unit; the comparator when given.
 */
export const ageValue = z.object({ value: z.number(), unit: z.string().nullable(), comparator: z.enum(COMPARATORS).optional() });
export type AgeValue = z.infer<typeof ageValue>;

export const conditionView = z.object({
  display: z.string().nullable(),
  /** The first coding as `system|code`. */
  code: z.string().nullable(),
  severity: z.string().nullable(),
  date: when.nullable(),
  /** Condition.onset[x] when it is a date (a dateTime, a Period's start, or words that are a FHIR date). */
  onset: when.nullable(),
  /**
   * Condition.onset[x] when it is no date (absent otherwise, and from older servers): an age (DSTU2
   * `onsetQuantity`, STU3/R4 `onsetAge`), a range of ages (`onsetRange`, either bound may be missing)
   * or the EHR's words (`onsetString`). The details say it: "onset at age 45 years", "onset: childhood".
   */
  onsetAge: ageValue.optional(),
  onsetAgeRange: z.object({ low: ageValue.nullable(), high: ageValue.nullable() }).optional(),
  onsetWords: z.string().optional(),
  clinicalStatus: z.string().nullable(),
  verificationStatus: z.string().nullable(),
  /** Active, recurrence or relapse: what the list cell shows (refuted and entered-in-error are never sent). */
  current: z.boolean(),
  /**
   * A diagnosis of one encounter (category `encounter-diagnosis`) without a clinicalStatus: the id
   * of the Encounter it names (STU3 `context`, R4 `encounter`). It is current while that encounter
   * is the stay the patient is in (withStayDiagnoses), else history. Absent otherwise.
   */
  diagnosisOf: z.string().optional(),
  /**
   * The condition states it abated (Condition.abatement[x], DSTU2 to R4): when, for a dateTime or a
   * Period's end (its start when it has none), else true (an age, a range, words, `true`). Absent
   * otherwise. An abated condition is not current whatever its clinicalStatus, which DSTU2 and STU3
   * may leave out: the details say it abated rather than show no status.
   */
  abated: z.union([when, z.literal(true)]).optional(),
  /** The EHR gave the concept no words: the name is its code read out ("RxNorm 855332"), never taken for another item of that name. */
  unnamed: z.literal(true).optional(),
  qualified,
});
export type ConditionView = z.infer<typeof conditionView>;

export const allergyReaction = z.object({
  substance: z.string().nullable(),
  manifestations: z.array(z.string()),
  severity: z.string().nullable(),
  date: when.nullable(),
  note: z.string().nullable(),
});

export const allergyView = z.object({
  substance: z.string().nullable(),
  clinicalStatus: z.string().nullable(),
  verificationStatus: z.string().nullable(),
  criticality: z.string().nullable(),
  /** What the allergies sort by: the recorded date, else the onset. */
  date: when.nullable(),
  /**
   * The dates the details name (absent from older servers): `onset` (onset[x]; DSTU2 `onset`),
   * `recorded` (R4 recordedDate, STU3 assertedDate, DSTU2 recordedDate) and `lastReaction` (R4 and
   * STU3 lastOccurrence, DSTU2 lastOccurence: "the date of the last known occurrence of a reaction").
   */
  onset: when.nullable().optional(),
  recorded: when.nullable().optional(),
  lastReaction: when.nullable().optional(),
  note: z.string().nullable(),
  reactions: z.array(allergyReaction),
  /** Active (or without a clinical status): what the list cell shows (refuted and entered-in-error are never sent). */
  current: z.boolean(),
  /** The record states no known allergy (SNOMED 716186003 and kin): read "No known allergies". */
  noneKnown: z.boolean(),
  /**
   * AllergyIntolerance.type `intolerance` (DSTU2, STU3, R4 allergy-intolerance-type: "a propensity for
   * adverse reactions … not judged to be allergic"): said beside the substance, "Codeine (intolerance)".
   * Absent for `allergy` and for no type (the record may be either: read as an allergy, the safer side).
   */
  intolerance: z.literal(true).optional(),
  /**
   * A reaction of the record has severity `severe` (reaction.severity, DSTU2 to R4). Criticality is the
   * potential harm of a future exposure and is optional; a severe reaction the patient had is marked
   * on its own, so a record without criticality does not read as harmless.
   */
  severeReaction: z.literal(true).optional(),
  /** The EHR gave the concept no words: the name is its code read out ("RxNorm 855332"), never taken for another item of that name. */
  unnamed: z.literal(true).optional(),
  qualified,
});
export type AllergyView = z.infer<typeof allergyView>;

export const medicationView = z.object({
  kind: z.enum(['order', 'statement']),
  name: z.string().nullable(),
  /** The EHR gave the concept no words: the name is its code read out ("RxNorm 855332"), never taken for another item of that name. */
  unnamed: z.literal(true).optional(),
  /** No name: the record names its drug by a reference the app could not read, so "Name not available", not "Name not given". */
  nameUnavailable: z.literal(true).optional(),

  /** The drug's first coding as `system|code`. */
  code: z.string().nullable(),
  status: z.string().nullable(),
  /** Active or on-hold (a statement also intended): what the list cell shows. Details list current first. */
  current: z.boolean(),
  /** An order not to give the drug (R4 MedicationRequest.doNotPerform): never current; the details head it "do not give". */
  doNotPerform: z.literal(true).optional(),
  /**
   * Where the drug is meant to be taken, when not in the hospital (MedicationRequest.category, STU3
   * and R4; MedicationStatement.category, R4): `discharge`, prescribed for when the patient leaves
   * ("for discharge"); `community`, taken at home ("home"). The list, the details and the CSV say it.
   */
  setting: z.enum(['discharge', 'community']).optional(),
  /** STU3/R4 MedicationRequest.intent as sent; a `proposal` or an `option` is not an order given, never current; a `plan` is marked so. */
  intent: z.string().optional(),
  /** A request that carries out another current order (`basedOn`): that order's name; not current itself, listed under it. */
  partOf: z.string().nullable().optional(),
  /** A statement that the drug was not taken (DSTU2 `wasNotTaken`, STU3 `taken` n; R4 has the status `not-taken`). */
  notTaken: z.literal(true).optional(),
  dosage: z.string().nullable(),
  date: when.nullable(),
  prescriber: z.string().nullable(),
  qualified,
});
export type MedicationView = z.infer<typeof medicationView>;

export const coverageView = z.object({
  payer: z.string().nullable(),
  /** Self-pay coverage (Coverage.type coverage-selfpay `pay`, or the patient as payor); absent from older servers. */
  selfPay: z.boolean().optional(),
  /** Without a payer's name: a person pays (another Patient, such as a parent, or a RelatedPerson: STU3/R4 Coverage.payor). */
  payerPerson: z.literal(true).optional(),
  /** Without a payer's name: the record names a payer the app could not read (another server's, a type the EHR does not offer, a failed read): "Payer not available". */
  payerUnavailable: z.literal(true).optional(),
  plan: z.string().nullable(),
  group: z.string().nullable(),
  subscriberId: z.string().nullable(),
  status: z.string().nullable(),
  periodStart: when.nullable(),
  periodEnd: when.nullable(),
  /** In force now: not cancelled, draft or entered in error, and now within its period. What the list cell shows. */
  current: z.boolean(),
  qualified,
});
export type CoverageView = z.infer<typeof coverageView>;

/** Something skipped or odd while reading, as a code and a count (never patient data). */
export const clinicalWarning = z.object({ code: z.string(), count: z.number() });

/** `GET /api/teams/{teamId}/patients/{patientId}/details`: the whole record, with the team's notes. */
export const patientDetailsAnswer = z.object({
  patient: patientSummary,
  careProvider: cellOf(z.string()),
  /** The newest reading of each kind, or that the kind could not be read (vitalUnavailable); a kind absent is "none recorded". */
  vitals: cellOf(byVitalKind(latestVital)),
  /** Readings per kind, oldest first. */
  vitalHistory: cellOf(byVitalKind(z.array(vitalReading))),
  /** The most recent encounter by start time. */
  encounter: cellOf(encounterView),
  /** Newest first. */
  encounters: cellOf(z.array(encounterView)),
  conditions: cellOf(z.array(conditionView)),
  allergies: cellOf(z.array(allergyView)),
  medications: cellOf(z.array(medicationView)),
  coverage: cellOf(z.array(coverageView)),
  warnings: z.array(clinicalWarning),
  /** The team's notes on the patient, oldest first. */
  notes: z.array(note),
});
export type PatientDetailsAnswer = z.infer<typeof patientDetailsAnswer>;
