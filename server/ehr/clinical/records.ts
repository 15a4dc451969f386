import { isObject, list, objects, str, type JsonObject } from '../json.js';
import { earliestMs, fhirTime } from '../../../contract/fhir-time.js';
import type { AllergyReaction, AllergyView, Cell, ConditionView, EncounterView, When } from './types.js';
import type { AgeValue } from '../../../contract/patients.js';
import { isComparator } from '../../../contract/vital-ranges.js';
import { ucumCode } from './units.js';
import {
  annotationText,
  codeSystemUri,
  conceptCodes,
  conceptText,
  isLoincSystem,
  newestFirst,
  ownReferenceOf,
  statusCode,
  unnamedMark,
  when,
} from './values.js';
import type { Warnings } from './warnings.js';
import { qualifiedMark } from '../modifiers.js';
import { STATUS_CODES, readRecordStatus } from './record-status.js';
import { lookupTable } from '../../../contract/lookup-table.js';

/**
 * Records that are not true of the patient, shown nowhere (neither cell nor details): verification
 * `refuted` or `entered-in-error` (Condition.verificationStatus, condition-ver-status, all versions;
 * AllergyIntolerance: DSTU2 `status`, STU3/R4 `verificationStatus`, allergy-verification-status).
 * Each one left out is counted as a warning (`condition_not_valid`, `allergy_not_valid`).
 */
const NOT_VALID = new Set(['refuted', 'entered-in-error']);

/**
 * A current problem: clinicalStatus `active`, `recurrence` or `relapse` (DSTU2 and STU3 a code, R4 a
 * CodeableConcept; http://hl7.org/fhir/condition-clinical, terminology.hl7.org/CodeSystem/condition-clinical).
 * `inactive`, `remission` and `resolved` are history. A condition that states an abatement[x] is history
 * whatever its clinicalStatus (invariant con-4 of STU3 and R4: an abated condition is inactive, resolved
 * or in remission; Synthea's DSTU2 and STU3 records say "active" with an abatement date), except:
 * - `relapse` and `recurrence`: the condition is back ("re-experiencing the symptoms of the condition
 *   after a period of remission or presumed resolution", DSTU2 condition-clinical; the same codes in
 *   STU3 and R4), so an abatement is the earlier remission, not now;
 * - an abatement date still to come (Condition.abatement[x] is "the date or estimated date that the
 *   condition resolved or went into remission", DSTU2 to R4): it has not abated yet.
 * Without a
 * clinicalStatus (optional in DSTU2 and STU3) and without an abatement, a condition is current,
 * except a diagnosis of one encounter (category `encounter-diagnosis`, STU3 and R4 condition-category):
 * R4 requires a clinicalStatus of problem-list items only (con-3), so a visit's diagnosis without
 * one says what was found then, not that the problem goes on. It stays in the details, and is
 * current while the encounter it names is the stay the patient is in (withStayDiagnoses): the
 * diagnosis the patient is in hospital for.
 */
const CURRENT_CONDITION = new Set(['active', 'recurrence', 'relapse']);
/** Statuses that say the condition is back after it abated: current whatever abatement the record keeps. */
const BACK_AGAIN = new Set(['recurrence', 'relapse']);
/**
 * Condition.abatement[x] of every version: DSTU2 dateTime, Quantity (an Age: "abatementQuantity"),
 * boolean, Period, Range, string; STU3 dateTime, Age, boolean, Period, Range, string; R4 the same
 * without boolean. `abatementBoolean` false says the condition has not abated, so it is read apart.
 */
const ABATEMENT = ['abatementDateTime', 'abatementAge', 'abatementQuantity', 'abatementPeriod', 'abatementRange', 'abatementString'];

function conditionIsCurrent(r: JsonObject, clinicalStatus: string | null, now: number): boolean {
  if (clinicalStatus !== null && BACK_AGAIN.has(clinicalStatus)) return true;
  if (abatementOf(r, now)) return false;
  if (clinicalStatus === null) return !isEncounterDiagnosis(r);
  return CURRENT_CONDITION.has(clinicalStatus);
}

const isEncounterDiagnosis = (r: JsonObject) => objects(r.category).some((c) => statusCode(c) === 'encounter-diagnosis');

/**
 * The id of the Encounter a status-less, unabated encounter diagnosis names (STU3 `context`, R4
 * `encounter`, relative or on the EHR's `base`): current while that encounter is the ongoing stay.
 */
function diagnosisMark(r: JsonObject, clinicalStatus: string | null, abated: unknown, base?: URL | string): { diagnosisOf?: string } {
  if (clinicalStatus !== null || abated || !isEncounterDiagnosis(r)) return {};
  for (const ref of [r.encounter, r.context]) {
    const key = ownReferenceOf(ref, base, 'Encounter');
    if (key !== null) return { diagnosisOf: key.slice('Encounter/'.length) };
  }
  return {};
}

/**
 * The conditions with the diagnoses of the stay the patient is in made current (readConditions):
 * `stay` is the row's encounter (currentEncounter) when it is ongoing; a diagnosis of an encounter
 * it is part of (a ward leg's hospital stay: EncounterView.within) is one of the stay too.
 */
export function withStayDiagnoses(conditions: ConditionView[], stay: EncounterView | undefined): ConditionView[] {
  const ids = new Set([...(stay?.id === undefined ? [] : [stay.id]), ...(stay?.within ?? [])]);
  const ofStay = (c: ConditionView) => c.diagnosisOf !== undefined && ids.has(c.diagnosisOf);
  if (!conditions.some((c) => ofStay(c) && !c.current)) return conditions;
  return conditions.map((c) => (ofStay(c) ? { ...c, current: true } : c));
}

/**
 * When a condition abated (contract ConditionView.abated): its date, true when it states no date, null
 * when it has not abated, or abates only later (a date, or a period's start, still to come at the
 * earliest moment it can mean).
 */
function abatementOf(r: JsonObject, now: number): When | true | null {
  if (r.abatementBoolean === true) return true;
  if (!ABATEMENT.some((key) => r[key] !== undefined)) return null;
  const period = isObject(r.abatementPeriod) ? r.abatementPeriod : {};
  const began = str(r.abatementDateTime) ?? str(period.start);
  if (began !== undefined && (earliestMs(began) ?? -Infinity) > now) return null;
  return when(r.abatementDateTime) ?? when(period.end) ?? when(period.start) ?? true;
}

/** The first coding with a system as `system|code`, to tell the same problem or drug apart from its wording (a code without its system means nothing alone). */
export function firstCode(concept: unknown): string | null {
  for (const coding of isObject(concept) ? objects(concept.coding) : []) {
    const code = str(coding.code);
    const system = str(coding.system);
    if (code && system) return `${system}|${code}`;
  }
  return null;
}

/**
 * A problem's words with where it is when they do not say: Condition.bodySite ("anatomical location
 * where this condition manifests itself", 0..* CodeableConcept in DSTU2, STU3 and R4) is the only
 * place a record may give the side, "Fracture of femur (Left)", so two problems of one code at two
 * sites are two (a site given only by code is read out, as a problem is: conceptText). Each site
 * once, left out when the problem's words already hold it as whole words; a problem without words
 * stays so (the tab says "Name not given").
 */
function withBodySite(display: string | null, bodySite: unknown): string | null {
  if (!display) return display;
  const sites: string[] = [];
  for (const site of list(bodySite)) {
    const words = conceptText(site)?.trim();
    if (words && !holdsWords(display, words) && !sites.some((s) => s.toLowerCase() === words.toLowerCase())) sites.push(words);
  }
  return sites.length > 0 ? `${display} (${sites.join(', ')})` : display;
}

/** Whether `text` holds `words` as whole words, case aside ("Cleft lip" does not hold "Left"). */
const holdsWords = (text: string, words: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu').test(text);

/**
 * Conditions newest onset first (the recorded date when there is no onset); refuted and
 * entered-in-error left out. An onset that is no date (an age, a range of ages, words: undatedOnset)
 * cannot be placed in time here: an age is a date only with the birth date, and the Patient is not
 * among the resources this reads. Such a condition comes after every dated one (not by its recorded
 * date, which may be decades after an onset "at age 45"), newest recorded first among them; a
 * condition with no date at all comes last.
 */
export function readConditions(resources: JsonObject[], warnings?: Warnings, now = Date.now(), base?: URL | string): ConditionView[] {
  const views: ConditionView[] = [];
  for (const r of resources) {
    if (r.resourceType !== 'Condition') continue;
    const verificationStatus = verificationOf(r.verificationStatus, STATUS_CODES.conditionVerification);
    if (verificationStatus && NOT_VALID.has(verificationStatus)) {
      warnings?.add('condition_not_valid');
      continue;
    }
    // Words that are a FHIR date are a date (older feeds); other words are said as words (undatedOnset).
    const onset = onsetOf(r) ?? (fhirTime(str(r.onsetString) ?? '') ? when(r.onsetString) : null);
    // DSTU2 dateRecorded, STU3 assertedDate, R4 recordedDate; the onset when none was recorded.
    const recorded = when(r.dateRecorded) ?? when(r.assertedDate) ?? when(r.recordedDate);
    const { code: clinicalStatus, unreadable } = readRecordStatus(r.clinicalStatus, STATUS_CODES.conditionClinical);
    const abated = abatementOf(r, now);
    views.push({
      display: withBodySite(conceptText(r.code), r.bodySite),
      ...unnamedMark(r.code),
      code: firstCode(r.code),
      severity: severityOf(r.severity),
      date: recorded ?? onset,
      onset,
      ...(onset ? {} : undatedOnset(r)),
      clinicalStatus,
      verificationStatus,
      current: conditionIsCurrent(r, clinicalStatus, now),
      ...diagnosisMark(r, clinicalStatus, abated, base),
      ...(abated ? { abated } : {}),
      ...(unreadable ? { qualified: true as const } : qualifiedMark(r)),
    });
  }
  // [group, time]: dated (by onset, else recorded date), then an onset that is no date (by recorded date), then no date at all.
  const place = (c: ConditionView): [number, When | null] =>
    c.onsetAge !== undefined || c.onsetAgeRange !== undefined || c.onsetWords !== undefined
      ? [1, c.date]
      : c.date
        ? [0, c.onset ?? c.date]
        : [2, null];
  const placed = new Map(views.map((c) => [c, place(c)]));
  return views.sort((a, b) => placed.get(a)![0] - placed.get(b)![0] || newestFirst(placed.get(a)![1], placed.get(b)![1]));
}

/**
 * A condition's onset[x] that is no date (contract onsetAge, onsetAgeRange, onsetWords): DSTU2
 * `onsetQuantity` (a Quantity of the Age profile), `onsetRange`, `onsetString`
 * (hl7.org/fhir/DSTU2/condition.html: onset[x] dateTime | Quantity(Age) | Period | Range | string);
 * STU3 and R4 `onsetAge`, `onsetRange`, `onsetString` (hl7.org/fhir/R4/condition.html: dateTime |
 * Age | Period | Range | string). Words that are a FHIR date are the onset itself (readConditions).
 * Nothing when none of them can be read.
 */
function undatedOnset(r: JsonObject): Pick<ConditionView, 'onsetAge' | 'onsetAgeRange' | 'onsetWords'> {
  const age = ageOf(isObject(r.onsetAge) ? r.onsetAge : r.onsetQuantity, true);
  if (age) return { onsetAge: age };
  const range = isObject(r.onsetRange) ? r.onsetRange : {};
  const [low, high] = [ageOf(range.low, false), ageOf(range.high, false)];
  if (low || high) return { onsetAgeRange: { low, high } };
  const words = str(r.onsetString)?.trim();
  return words ? { onsetWords: words } : {};
}

const AGE_UNITS = new Set(['a', 'mo', 'wk', 'd', 'h', 'min']);
const AGE_UNIT_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    a: ['y', 'yr', 'yrs', 'year', 'years'],
    mo: ['month', 'months', 'mos'],
    wk: ['w', 'week', 'weeks', 'wks'],
    d: ['day', 'days'],
    h: ['hr', 'hrs', 'hour', 'hours'],
    min: ['minute', 'minutes', 'mins'],
  }).flatMap(([code, words]) => [[code, code] as const, ...words.map((w) => [w, code] as const)]),
);

/**
 * An Age (or a Range's bound, which takes no comparator) as the contract's ageValue; null without a
 * readable value. The unit is the UCUM code of the Age units (age-1: it "SHALL be an expression of
 * time"; value set age-units), from `code`, else from the unit's words ("years", "yrs"); a unit it
 * cannot tell is kept in the EHR's words.
 */
function ageOf(quantity: unknown, withComparator: boolean): AgeValue | null {
  if (!isObject(quantity) || typeof quantity.value !== 'number' || !Number.isFinite(quantity.value) || quantity.value < 0) return null;
  const ucum = ucumCode(quantity);
  const words = str(quantity.unit);
  const unit =
    (ucum !== undefined && AGE_UNITS.has(ucum) ? ucum : undefined) ??
    AGE_UNIT_WORDS.get((words ?? '').trim().toLowerCase()) ??
    words ??
    str(quantity.code) ??
    null;
  const comparator = withComparator && isComparator(quantity.comparator) ? { comparator: quantity.comparator } : {};
  return { value: quantity.value, unit, ...comparator };
}

/**
 * Condition.severity's words; a coding without display from the condition-severity value set (SNOMED
 * CT 24484000 severe, 6736007 moderate, 255604002 mild; DSTU2, STU3, R4) reads as that word, which
 * the tab shows in the user's language; any other code reads as conceptText gives it.
 */
const SEVERITY: Readonly<Record<string, string>> = lookupTable({ '24484000': 'severe', '6736007': 'moderate', '255604002': 'mild' });
function severityOf(concept: unknown): string | null {
  const coded = codingsOf(concept).find((c) => c.system === SNOMED && Object.hasOwn(SEVERITY, c.code));
  return conceptText(concept, false) ?? (coded ? SEVERITY[coded.code] : conceptText(concept));
}

function onsetOf(resource: JsonObject): When | null {
  const period = isObject(resource.onsetPeriod) ? resource.onsetPeriod : {};
  return when(resource.onsetDateTime) ?? when(period.start) ?? (typeof resource.onset === 'string' ? when(resource.onset) : null);
}

/** A verificationStatus's code, read by its words when it is none of `codes` (readRecordStatus); a code that cannot be read is kept as sent (never read as confirmed). */
const verificationOf = (value: unknown, codes: ReadonlySet<string>) => readRecordStatus(value, codes).code ?? statusCode(value);

/** DSTU2's one `status` holds both clinical and verification codes. */
const DSTU2_CLINICAL = new Set(['active', 'inactive', 'resolved']);

/**
 * Codes that state the absence of allergy rather than an allergy. SNOMED CT (AllergyIntolerance.code
 * value set "allergyintolerance-code" includes 716186003 No known allergy and its descendants;
 * R4 examples allergyintolerance-nka / -nkda / -nkla) and the International Patient Summary's
 * absent-unknown-uv-ips code system. Only 716186003 No known allergy, the older 160244002 No known
 * allergies, and IPS no-known-allergies say there is no allergy of any kind: they read "No known
 * allergies". The others speak of one kind only (409137002 No known drug allergy, 429625007 food,
 * 428607008 environmental, 716184000 latex; IPS no-known-medication-, -environmental-, -food-allergies):
 * a patient with no known drug allergy may still have a food allergy, so such a record reads as
 * what it says ("No known drug allergy"), never as "No known allergies".
 * A code counts only in its own system (a bare code with no system is read as SNOMED CT, which is
 * what these numbers are): the same digits in another code system mean something else. SNOMED CT
 * written by its OID urn:oid:2.16.840.1.113883.6.96, or with https, is SNOMED CT (values.ts codeSystemUri).
 */
const SNOMED = 'http://snomed.info/sct';
const IPS_ABSENT = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';
const NO_KNOWN_ALLERGY: Record<string, ReadonlySet<string>> = lookupTable({
  [SNOMED]: new Set(['716186003', '160244002']),
  [IPS_ABSENT]: new Set(['no-known-allergies']),
});
/** The kinds of allergy a statement of no known allergy may speak of. */
type AllergyKind = 'medication' | 'food' | 'environment' | 'latex';
/** Statements of no known allergy of one kind, with their kind and their words for a record that gives none. */
const NO_KNOWN_ALLERGY_OF_KIND: Record<string, Readonly<Record<string, { words: string; kind: AllergyKind }>>> = lookupTable({
  [SNOMED]: lookupTable({
    '409137002': { words: 'No known drug allergy', kind: 'medication' },
    '429625007': { words: 'No known food allergy', kind: 'food' },
    '428607008': { words: 'No known environmental allergy', kind: 'environment' },
    '716184000': { words: 'No known latex allergy', kind: 'latex' },
  }),
  [IPS_ABSENT]: lookupTable({
    'no-known-medication-allergies': { words: 'No known medication allergies', kind: 'medication' },
    'no-known-environmental-allergies': { words: 'No known environmental allergies', kind: 'environment' },
    'no-known-food-allergies': { words: 'No known food allergies', kind: 'food' },
  }),
});

/**
 * When a current allergy contradicts a current statement of no known allergy, the allergy wins: the
 * statement is left out of cell and details (a warning `allergy_none_known_contradicted` counts it),
 * so "Penicillin, No known drug allergy" is never shown. "No known allergy" of any kind is contradicted
 * by any current allergy; one of a kind by a current allergy of that kind, read from
 * AllergyIntolerance.category (DSTU2 one code food | medication | environment | other, STU3 a list of
 * food | medication | environment | biologic, R4 the same): drug and medication statements by
 * `medication` or `biologic` (vaccines and blood products are given as drugs are), food by `food`,
 * environmental by `environment`. Latex has no category of its own: a latex allergy is one whose
 * substance says latex (SNOMED CT 111088007 Latex, 300916003 Latex allergy, or its words). An
 * allergy without a category (optional in every version), or with none of these codes, may be of
 * any kind: it contradicts every statement of a kind, the safe side (a drug allergy read as "no
 * known drug allergy" can harm; a statement left out cannot). DSTU2 `other` names a kind beside
 * the others and contradicts none of them (latex by its substance still).
 */
const KIND_CATEGORIES: Readonly<Record<Exclude<AllergyKind, 'latex'>, readonly string[]>> = {
  medication: ['medication', 'biologic'],
  food: ['food'],
  environment: ['environment'],
};
const KNOWN_CATEGORIES = new Set(['food', 'medication', 'environment', 'biologic', 'other']);
const LATEX_CODES = new Set(['111088007', '300916003']);

function categoriesOf(r: JsonObject): string[] {
  return list(r.category)
    .flatMap((c) => (typeof c === 'string' ? [c] : conceptCodes(c)))
    .filter((c) => KNOWN_CATEGORIES.has(c));
}

function isLatex(concept: unknown): boolean {
  const words = conceptText(concept, false) ?? '';
  return /\blatex\b/i.test(words) || codingsOf(concept).some((c) => c.system === SNOMED && LATEX_CODES.has(c.code));
}

/** Whether an allergy (a record that is no statement of none known) contradicts a statement of no known allergy of `kind`. */
function contradicts(kind: AllergyKind, allergy: { categories: string[]; concept: unknown }): boolean {
  if (kind === 'latex' && isLatex(allergy.concept)) return true;
  if (allergy.categories.length === 0) return true;
  return kind !== 'latex' && allergy.categories.some((c) => KIND_CATEGORIES[kind].includes(c));
}
/** IPS no-allergy-info: nothing is known either way, so it is neither an allergy nor "no known allergies". */
const NO_ALLERGY_INFORMATION = 'no-allergy-info';

function codingsOf(concept: unknown): { system: string; code: string }[] {
  if (!isObject(concept)) return [];
  return objects(concept.coding).flatMap((c) => {
    const code = str(c.code);
    const system = str(c.system);
    return code ? [{ system: system === undefined ? SNOMED : codeSystemUri(system), code }] : [];
  });
}

function statesNoKnownAllergy(concept: unknown): boolean {
  return codingsOf(concept).some((c) => Object.hasOwn(NO_KNOWN_ALLERGY, c.system) && NO_KNOWN_ALLERGY[c.system].has(c.code));
}

/** The kind and words of a record stating no known allergy of one kind, when it states one. */
function noKnownAllergyOfKind(concept: unknown): { words: string; kind: AllergyKind } | null {
  for (const c of codingsOf(concept)) {
    const kinds = Object.hasOwn(NO_KNOWN_ALLERGY_OF_KIND, c.system) ? NO_KNOWN_ALLERGY_OF_KIND[c.system] : undefined;
    if (kinds && Object.hasOwn(kinds, c.code)) return kinds[c.code];
  }
  return null;
}

/**
 * A statement of no known allergy in words only. AllergyIntolerance.code (R4 and STU3; DSTU2
 * `substance`) has an example binding, so a concept may be text alone ("Concepts ... may be
 * represented with text only", R4 datatypes CodeableConcept): EHRs write {text: "No Known Allergies"}.
 * Read only when no coding is recognised (the codes above come first), and only when every word the
 * concept holds (its text, each coding's display) is one of these exact phrases, all of one kind: a
 * coding with a code but no display, a code of a substance terminology (SUBSTANCE_SYSTEMS: its code
 * says what the substance is), a question ("NKA?"), or words that say anything else ("Allergy to peanuts", "No known
 * allergies except latex"), leave the concept a substance, the safe side (an allergy read as a
 * statement of none could harm). Compared with case, spacing and punctuation left aside ("N.K.D.A."
 * reads as "nkda"); never a part of the words. Kinds as the codes' (NO_KNOWN_ALLERGY_OF_KIND).
 */
const NO_KNOWN_ALLERGY_WORDS: ReadonlyMap<string, AllergyKind | 'any'> = new Map(
  Object.entries({
    any: ['no known allergies', 'no known allergy', 'nka', 'no allergies'],
    medication: [
      'nkda',
      'no known drug allergies',
      'no known drug allergy',
      'no known medication allergies',
      'no known medication allergy',
      'no known allergies to medications',
      'no known allergies to medication',
    ],
    food: ['no known food allergies', 'no known food allergy'],
    environment: ['no known environmental allergies', 'no known environmental allergy'],
    latex: ['no known latex allergies', 'no known latex allergy'],
  }).flatMap(([kind, phrases]) => phrases.map((phrase) => [phrase, kind as AllergyKind | 'any'] as const)),
);

/**
 * Terminologies of substances only: a code in one says what the substance is, whatever its display
 * says. Not SNOMED CT, whose situations ("no known allergy" and its kin) its display may well name.
 */
const SUBSTANCE_SYSTEMS: ReadonlySet<string> = new Set([
  'http://www.nlm.nih.gov/research/umls/rxnorm',
  'http://fdasis.nlm.nih.gov',
  'http://hl7.org/fhir/sid/ndc',
  'http://hl7.org/fhir/ndfrt',
  'http://va.gov/terminology/medrt',
]);

// A question ("NKA?") is no statement: its words match nothing.
const phraseKey = (words: string): string =>
  words.includes('?')
    ? ''
    : words
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s]/gu, '')
        .replace(/\s+/g, ' ')
        .trim();

/** The kind a concept's words state no known allergy of (NO_KNOWN_ALLERGY_WORDS), with those words; null when they state none. */
function noKnownAllergyInWords(concept: unknown): { words: string; kind: AllergyKind | 'any' } | null {
  if (!isObject(concept)) return null;
  const words: string[] = [];
  const text = str(concept.text)?.trim();
  if (text) words.push(text);
  for (const coding of objects(concept.coding)) {
    const display = str(coding.display)?.trim();
    const system = str(coding.system);
    if (str(coding.code) && (!display || (system !== undefined && SUBSTANCE_SYSTEMS.has(codeSystemUri(system))))) return null;
    if (display) words.push(display);
  }
  const kinds = new Set(words.map((w) => NO_KNOWN_ALLERGY_WORDS.get(phraseKey(w))));
  const [kind] = kinds;
  return kinds.size === 1 && kind !== undefined ? { words: words[0], kind } : null;
}

function statesNoInformation(concept: unknown): boolean {
  return codingsOf(concept).some((c) => c.system === IPS_ABSENT && c.code === NO_ALLERGY_INFORMATION);
}

/**
 * The substanceExposureRisk extension (STU3 and R4 core extension,
 * hl7.org/fhir/R4/extension-allergyintolerance-substanceexposurerisk.html): "a more completely
 * structured and flexible alternative to the 'code' element for representing positive and negative
 * allergy and intolerance statements. If this extension element is present, the
 * AllergyIntolerance.code element SHALL be omitted." So it is read only when the record gives no
 * code (one saying nothing is none); each extension is one statement, its sub-extensions `substance`
 * and `exposureRisk` (CodeableConcepts, 1..1; http://hl7.org/fhir/allergy-intolerance-substance-exposure-risk
 * in STU3 and R4, terminology.hl7.org/CodeSystem/allergy-intolerance-substance-exposure-risk later):
 * - `known-reaction-risk`: an allergy to the substance, named as a code would name it;
 * - `no-known-reaction-risk`: no known allergy to that substance, never an allergy (see readAllergies);
 * - another code, none, or codes that disagree: the substance is named, as an allergy (the safe
 *   side), marked qualified ("check in the EHR"); so is every statement of a record with an extension
 *   that names no substance, and such a record alone is read as one without a code.
 */
const SUBSTANCE_EXPOSURE_RISK = 'http://hl7.org/fhir/StructureDefinition/allergyintolerance-substanceExposureRisk';
const EXPOSURE_RISK_SYSTEMS: ReadonlySet<string> = new Set([
  'http://hl7.org/fhir/allergy-intolerance-substance-exposure-risk',
  'http://terminology.hl7.org/CodeSystem/allergy-intolerance-substance-exposure-risk',
]);
type Statement = { concept: unknown; denies: boolean; unread: boolean };

function exposureRisks(r: JsonObject): Statement[] {
  const extensions = objects(r.extension).filter((e) => e.url === SUBSTANCE_EXPOSURE_RISK);
  const parts = extensions.map((e) => {
    const part = (url: string) => objects(e.extension).find((p) => p.url === url)?.valueCodeableConcept;
    const exposureRisk = part('exposureRisk');
    const risks = new Set(
      objects(isObject(exposureRisk) ? exposureRisk.coding : undefined)
        .filter((c) => {
          const system = str(c.system);
          return system === undefined || EXPOSURE_RISK_SYSTEMS.has(system);
        })
        .flatMap((c) => str(c.code) ?? []),
    );
    const [risk] = risks;
    return { substance: part('substance'), risk: risks.size === 1 ? risk : undefined };
  });
  const named = parts.filter((p) => conceptText(p.substance) !== null);
  const unnamed = named.length < parts.length;
  if (named.length === 0) return unnamed ? [{ concept: undefined, denies: false, unread: true }] : [];
  return named.map((p) => ({
    concept: p.substance,
    denies: p.risk === 'no-known-reaction-risk',
    unread: unnamed || (p.risk !== 'known-reaction-risk' && p.risk !== 'no-known-reaction-risk'),
  }));
}

/** Whether two substances are the same: a coding of one system and code, or the same words (case and spacing aside). */
function sameSubstance(a: unknown, b: unknown): boolean {
  const codes = new Set(codingsOf(a).map((c) => `${c.system}|${c.code}`));
  if (codingsOf(b).some((c) => codes.has(`${c.system}|${c.code}`))) return true;
  const words = (concept: unknown) => conceptText(concept, false)?.toLowerCase().replace(/\s+/g, ' ').trim() || null;
  return words(a) !== null && words(a) === words(b);
}

/**
 * Allergies newest first by their date; refuted and entered-in-error left out. Current: clinical
 * status `active` (STU3/R4 clinicalStatus, allergyintolerance-clinical; DSTU2 `status` active,
 * unconfirmed or confirmed, allergy-intolerance-status), or no clinical status at all (optional in
 * every version); `inactive` and `resolved` are history.
 */
export function readAllergies(resources: JsonObject[], warnings?: Warnings): AllergyView[] {
  const read: {
    view: AllergyView;
    statement: AllergyKind | 'any' | null;
    categories: string[];
    concept: unknown;
    /** The substance a substanceExposureRisk `no-known-reaction-risk` speaks of, while its record is active. */
    denies?: unknown;
  }[] = [];
  for (const r of resources) {
    if (r.resourceType !== 'AllergyIntolerance') continue;
    // DSTU2 `status`, read by its words when written otherwise ("Refuted", "Inactive"); any other code as sent.
    const legacy = readRecordStatus(r.status, STATUS_CODES.dstu2AllergyStatus).code ?? statusCode(r.status);
    const stated = readRecordStatus(r.clinicalStatus, STATUS_CODES.allergyClinical);
    const clinical = stated.code ?? (legacy && DSTU2_CLINICAL.has(legacy) ? legacy : null);
    const verification =
      verificationOf(r.verificationStatus, STATUS_CODES.allergyVerification) ?? (legacy && !DSTU2_CLINICAL.has(legacy) ? legacy : null);
    if (verification && NOT_VALID.has(verification)) {
      warnings?.add('allergy_not_valid');
      continue;
    }
    // DSTU2 `substance`, later `code`.
    const coded = isObject(r.substance) || conceptText(r.substance) !== null ? r.substance : r.code;
    if (statesNoInformation(coded)) {
      warnings?.add('allergy_no_information');
      continue;
    }
    const risks = conceptText(coded) === null ? exposureRisks(r) : [];
    const statements: Statement[] = risks.length > 0 ? risks : [{ concept: coded, denies: false, unread: false }];
    const onset = onsetOf(r) ?? when(r.onset);
    const recorded = when(r.recordedDate) ?? when(r.assertedDate);
    const current = clinical === null || clinical === 'active';
    for (const { concept, denies, unread } of statements) {
      const record = {
        clinicalStatus: clinical,
        verificationStatus: verification,
        criticality: criticalityOf(r.criticality),
        date: recorded ?? onset,
        onset,
        recorded,
        // DSTU2 spelled it lastOccurence.
        lastReaction: when(r.lastOccurrence) ?? when(r.lastOccurence),
        note: annotationText(r.note),
        reactions: objects(r.reaction).map(readReaction),
        ...(readRecordStatus(r.type, STATUS_CODES.allergyType).code === 'intolerance' ? { intolerance: true as const } : {}),
        ...(objects(r.reaction).some((reaction) => severityOfReaction(reaction) === 'severe') ? { severeReaction: true as const } : {}),
        ...(unread || stated.unreadable ? { qualified: true as const } : qualifiedMark(r, ['reaction'])),
      };
      if (denies) {
        // No known allergy to one substance: the contract's `noneKnown` says none of any kind, and a cell
        // item's words read as an allergy's name (and would stand in for a "No known allergies" beside
        // it), so it stays out of the cell (`current` is what the cell shows) and the details say it.
        const view: AllergyView = { ...record, substance: `No known allergy to ${conceptText(concept)}`, current: false, noneKnown: false };
        read.push({ view, statement: null, categories: [], concept, ...(current ? { denies: concept } : {}) });
        continue;
      }
      const codedKind = noKnownAllergyOfKind(concept);
      const codedNone = statesNoKnownAllergy(concept);
      // Words are read only when no code says it (NO_KNOWN_ALLERGY_WORDS).
      const worded = codedKind || codedNone ? null : noKnownAllergyInWords(concept);
      const ofKind = codedKind ?? (worded && worded.kind !== 'any' ? { words: worded.words, kind: worded.kind } : null);
      const noneKnown = codedNone || worded?.kind === 'any';
      const view: AllergyView = {
        // "No known drug allergy" and its kin keep their own words (a code alone gets them here, not "SNOMED CT 409137002").
        substance: conceptText(concept, false) ?? ofKind?.words ?? conceptText(concept) ?? reactionSubstances(r),
        ...(ofKind ? {} : unnamedMark(concept)),
        ...record,
        current,
        noneKnown,
      };
      read.push({ view, statement: noneKnown ? 'any' : (ofKind?.kind ?? null), categories: categoriesOf(r), concept });
    }
  }
  // See KIND_CATEGORIES: a current allergy outweighs a current statement that contradicts it.
  const allergies = read.filter((a) => a.statement === null && a.view.current);
  const views = read
    .filter((a) => {
      const { statement } = a;
      // No known allergy to a substance is contradicted by a current allergy to that very substance.
      const contradicted =
        a.denies !== undefined
          ? allergies.some((allergy) => sameSubstance(a.denies, allergy.concept))
          : statement !== null &&
            a.view.current &&
            (statement === 'any' ? allergies.length > 0 : allergies.some((allergy) => contradicts(statement, allergy)));
      if (contradicted) warnings?.add('allergy_none_known_contradicted');
      return !contradicted;
    })
    .map((a) => a.view);
  return views.sort((a, b) => newestFirst(a.date, b.date));
}

/**
 * Criticality in the terms of STU3 and R4 (allergy-intolerance-criticality: low, high,
 * unable-to-assess); DSTU2 wrote CRITL, CRITH and CRITU (allergy-intolerance-criticality of DSTU2).
 * A code written in other case or words ("High", "Unable to assess", "crith") is read by them
 * (record-status.ts readRecordStatus): the list marks and sorts first what is `high`. Any other code
 * is kept as sent.
 */
const DSTU2_CRITICALITY: Record<string, string> = lookupTable({ CRITL: 'low', CRITH: 'high', CRITU: 'unable-to-assess' });
function criticalityOf(value: unknown): string | null {
  const code = str(value);
  if (code === undefined) return null;
  return DSTU2_CRITICALITY[code.trim().toUpperCase()] ?? readRecordStatus(code, STATUS_CODES.allergyCriticality).code ?? code;
}

/** A reaction's severity (reaction-event-severity), read by its words when written otherwise ("Severe"); any other code as sent. */
const severityOfReaction = (reaction: JsonObject): string | null =>
  readRecordStatus(reaction.severity, STATUS_CODES.reactionSeverity).code ?? str(reaction.severity) ?? null;

/**
 * Allergy lists: LOINC 52473-6 Allergy or intolerance, 48765-2 Allergies and adverse reactions
 * Document, 52472-8 Allergies and adverse drug reactions, and the List resource's own example use
 * code `allergies` (http://hl7.org/fhir/list-example-use-codes). LOINC's system is matched with or
 * without a trailing slash, which some records carry. Searched by these codes with no system, so
 * that spelling does not hide a list.
 */
export const ALLERGY_LIST_CODES = ['52473-6', '48765-2', '52472-8', 'allergies'] as const;
const LIST_USE_CODES = 'http://hl7.org/fhir/list-example-use-codes';

function isAllergyList(concept: unknown): boolean {
  return objects(isObject(concept) ? concept.coding : undefined).some((c) => {
    const system = str(c.system) ?? '';
    const code = str(c.code);
    if (code === 'allergies') return system === LIST_USE_CODES;
    return isLoincSystem(system) && (ALLERGY_LIST_CODES as readonly (string | undefined)[]).includes(code);
  });
}

/**
 * A List that states the patient has no known allergies: an allergy list (ALLERGY_LIST_CODES),
 * status `current` (required in every version, yet missing from some records: read as current;
 * `retired` and `entered-in-error` lists state nothing; written in words, "Current", it is read by
 * them: record-status.ts readRecordStatus), with no entries and emptyReason `nilknown` ("clinical judgment that there
 * are no known items for this list after reasonable investigation": list-empty-reason, in
 * DSTU2 and STU3 http://hl7.org/fhir/list-empty-reason, in R4
 * http://terminology.hl7.org/CodeSystem/list-empty-reason). This is how FHIR first said "no known
 * allergies", and how DSTU2 records such as the SMART sample patients still say it. Read as a
 * "No known allergies" item only when it is the newest current allergy list (List.date: when the
 * list was prepared): a newer one that names allergies, or is empty for another reason
 * (`unavailable`, `notasked`…), says the 2015 judgment no longer holds. Lists of the same date
 * state it only when each does. Null when the newest list does not say so.
 */
export function readNoKnownAllergyList(resources: JsonObject[]): AllergyView | null {
  const lists = resources
    .filter(
      (r) =>
        r.resourceType === 'List' &&
        (r.status === undefined || readRecordStatus(r.status, STATUS_CODES.listStatus).code === 'current') &&
        isAllergyList(r.code),
    )
    .map((r) => ({ list: r, date: when(r.date) }))
    .sort((a, b) => newestFirst(a.date, b.date));
  if (lists.length === 0) return null;
  const { list, date } = lists[0];
  const newest = lists.filter((l) => newestFirst(l.date, date) === 0);
  if (!newest.every((l) => statesNoneKnown(l.list))) return null;
  return {
    substance: null,
    clinicalStatus: null,
    verificationStatus: null,
    criticality: null,
    date,
    note: annotationText(list.note),
    reactions: [],
    current: true,
    noneKnown: true,
    ...qualifiedMark(list),
  };
}

/** An allergy list with no entries whose emptyReason is `nilknown`. */
const statesNoneKnown = (list: JsonObject) =>
  objects(list.entry).length === 0 && objects(isObject(list.emptyReason) ? list.emptyReason.coding : undefined).some((c) => c.code === 'nilknown');

/**
 * The allergies cell with what an allergy List states: "no known allergies" joins the records
 * when none of them is a current allergy. A cell the EHR could not give stays as it is: a list
 * is never read as "no allergies" when the allergy records themselves are unknown.
 */
export function withAllergyListStatement(cell: Cell<AllergyView[]>, statement: AllergyView | null): Cell<AllergyView[]> {
  if (!statement || cell.status === 'unavailable') return cell;
  if (cell.status === 'none') return { status: 'ok', value: [statement] };
  // A current allergy outweighs the list; a record saying none known already says it.
  if (cell.value.some((a) => a.current || a.noneKnown)) return cell;
  return { status: 'ok', value: [...cell.value, statement] };
}

/**
 * An allergy without a code (STU3/R4 AllergyIntolerance.code is 0..1; DSTU2 `substance` missing in
 * some records) named by its reactions' substances, each once (case and spacing aside), joined with
 * " / ": reaction.substance is "the specific substance… considered to be responsible for the event"
 * (DSTU2, STU3, R4). Null when none is stated: the tab and CSV then read "Substance not stated".
 */
function reactionSubstances(r: JsonObject): string | null {
  const seen = new Set<string>();
  const names = objects(r.reaction).flatMap((reaction) => {
    const name = conceptText(reaction.substance);
    const key = name?.toLowerCase().replace(/\s+/g, ' ').trim();
    if (!name || !key || seen.has(key)) return [];
    seen.add(key);
    return [name];
  });
  return names.length > 0 ? names.join(' / ') : null;
}

function readReaction(reaction: JsonObject): AllergyReaction {
  return {
    substance: conceptText(reaction.substance),
    manifestations: objects(reaction.manifestation)
      .map((m) => conceptText(m))
      .filter((m): m is string => m !== null),
    severity: severityOfReaction(reaction),
    date: when(reaction.onset),
    note: annotationText(reaction.note) ?? str(reaction.description) ?? null,
  };
}
