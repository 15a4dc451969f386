import { containedResource } from '../contained.js';
import { isObject, objects, str, strings, type JsonObject } from '../json.js';
import { isFhirId } from '../urls.js';
import { epochMsOf, ownReferenceOf, periodEnded, periodNotBegun } from '../clinical/values.js';
import { qualifiedByEhr } from '../modifiers.js';
import { STATUS_CODES, readRecordStatus } from '../clinical/record-status.js';
import type { RecordNotice } from '../../../contract/patients.js';
import type { AdapterSpec, PatientView, SortKey, VersionAdapter } from './types.js';
import { lookupTable } from '../../../contract/lookup-table.js';

/**
 * The identifier type table v2-0203: `http://hl7.org/fhir/v2/0203` in DSTU2 and STU3,
 * `http://terminology.hl7.org/CodeSystem/v2-0203` in R4. Servers mix them across releases, so
 * either counts; so does a coding without a system (Coding.system is optional in all three), as
 * Identifier.type binds to v2-0203 (extensible) and code MR is that table's.
 */
const MRN_TYPE_SYSTEMS = ['http://hl7.org/fhir/v2/0203', 'http://terminology.hl7.org/CodeSystem/v2-0203'];
/** Identifier.type.text (CodeableConcept.text, DSTU2/STU3/R4) naming the MR type, compared without case. */
const MRN_TYPE_TEXTS = new Set(['mrn', 'mr', 'medical record number']);

/**
 * Which of a patient's names the list shows (HumanName.use, value set name-use, the same in
 * DSTU2/STU3/R4: hl7.org/fhir/valueset-name-use.html): official, then usual, then a name without
 * a use; temp, nickname, anonymous and maiden only when nothing better is there; `old` names and
 * names whose `period` has ended (HumanName.period: "time when this name was valid") last.
 */
const NAME_USE_RANK: Record<string, number> = lookupTable({ official: 0, usual: 1, temp: 3, nickname: 4, anonymous: 5, maiden: 6, old: 7 });
const NO_USE_RANK = 2;
const ENDED_RANK = 8;

/**
 * A name's rank by its use, read by its words when written otherwise ("Old", "MAIDEN"): HumanName.use
 * is a modifier (record-status.ts STATUS_CODES), so an old name is never shown as the current one.
 */
function nameUseRank(name: JsonObject): number {
  const use = readRecordStatus(name.use, STATUS_CODES.nameUse).code;
  return use !== null && Object.hasOwn(NAME_USE_RANK, use) ? NAME_USE_RANK[use] : NO_USE_RANK;
}

export function createAdapter(spec: AdapterSpec): VersionAdapter {
  const adapter: VersionAdapter = {
    ...spec,
    sortParams: (keys) => sortParams(spec, keys),
    readPatient: (resource, options) => readPatient(spec, resource, options?.mrnSystem, options?.now, options?.base),
    toPatientSummary: (resource, options) => adapter.readPatient(resource, options)?.summary ?? null,
  };
  return adapter;
}

function sortParams(spec: AdapterSpec, keys: SortKey[]): Array<[string, string]> {
  if (keys.length === 0) return [];
  if (spec.sortSyntax === 'modifier') return keys.map((k) => [k.descending ? '_sort:desc' : '_sort', k.param]);
  return [['_sort', keys.map((k) => `${k.descending ? '-' : ''}${k.param}`).join(',')]];
}

function readPatient(spec: AdapterSpec, resource: unknown, mrnSystem: string | undefined, now = Date.now(), base?: URL): PatientView | null {
  if (!isObject(resource) || resource.resourceType !== 'Patient') return null;
  const id = str(resource.id);
  if (!id || !isFhirId(id)) return null;
  const name = chooseName(objects(resource.name), now);
  const careProvider = careProviderName(resource, resource[spec.generalPractitionerField]);
  return {
    summary: {
      id,
      displayName: name?.display ?? '',
      sortName: name ? [name.family, name.given].filter((p) => p !== '').join(', ') : '',
      mrn: findMrn(objects(resource.identifier), mrnSystem, now),
      birthDate: str(resource.birthDate) ?? null,
      gender: str(resource.gender) ?? null,
      deceased: deceased(resource),
      recordNotice: recordNotice(resource, base),
      generalPractitioner: careProvider,
      multipleBirth: multipleBirth(resource),
    },
    family: name?.family ?? '',
    given: name?.given ?? '',
  };
}

/** A Practitioner's (or any HumanName holder's) name as the list shows a patient's: by use and period, prefix to suffix. */
export function humanNameText(names: unknown, now = Date.now()): string | null {
  return chooseName(objects(names), now)?.display || null;
}

interface NameParts {
  display: string;
  family: string;
  given: string;
}

/**
 * Patient.multipleBirth[x] (boolean or integer in DSTU2, STU3 and R4): an integer is the birth order
 * ("the actual value [indicates] the birth order"), 1 or more; `true` a multiple birth without it.
 * A boolean false, 0 or a value that is not one of these says nothing.
 */
function multipleBirth(resource: JsonObject): true | number | null {
  const order = resource.multipleBirthInteger;
  if (typeof order === 'number' && Number.isInteger(order) && order >= 1) return order;
  return resource.multipleBirthBoolean === true ? true : null;
}

/**
 * Patient.deceased[x] (DSTU2, STU3 and R4 alike: boolean or dateTime): `deceasedDateTime` gives
 * the date of death, `deceasedBoolean: true` a death without a date; false or absent is alive.
 * Any other `deceasedBoolean` (the string "true", 1) is no answer: the record is marked "check in
 * the EHR" (recordNotice, modifiers.ts malformedModifier), never read as alive without a mark.
 */
function deceased(resource: JsonObject): { date: string | null } | null {
  const date = str(resource.deceasedDateTime);
  if (date) return { date };
  return resource.deceasedBoolean === true ? { date: null } : null;
}

/**
 * Patient.link types saying "the patient resource containing this link must no longer be used":
 * DSTU2 `replace`, STU3 and R4 `replaced-by` (link-type). Either counts in every release, as servers
 * mix them; `replaces` (STU3, R4) says the opposite, that this is the record in use.
 */
const REPLACED_BY_LINK_TYPES: ReadonlySet<unknown> = new Set(['replace', 'replaced-by']);

/**
 * Whether the record is the one to use (contract recordNotice): a replaced-by link wins, with the
 * record it names when that is a Patient on the same EHR (a relative reference, with or without a
 * version, or an absolute URL on the EHR's base: nothing from another server is offered); then a record the EHR qualifies with a modifier the app cannot read (on the
 * Patient or a link: modifiers.ts); then `active: false` (a boolean false only: absent is active);
 * last a `refer` link (DSTU2, STU3, R4): the record is in use but another is the main one, which
 * holds more of the patient's information.
 */
function recordNotice(resource: JsonObject, base: URL | undefined): RecordNotice | null {
  const links = objects(resource.link);
  // A type written in words ("Replaced by", "REFER") is read by them (record-status.ts readRecordStatus).
  const typeOf = (link: JsonObject) => readRecordStatus(link.type, STATUS_CODES.patientLinkType).code;
  const replacedBy = links.find((l) => REPLACED_BY_LINK_TYPES.has(typeOf(l)));
  if (replacedBy) return { kind: 'replaced', ...otherRecord(replacedBy, base) };
  if (qualifiedByEhr(resource, ['link'])) return { kind: 'qualified', replacedById: null, replacedByName: null };
  if (resource.active === false) return { kind: 'inactive', replacedById: null, replacedByName: null };
  const refer = links.find((l) => typeOf(l) === 'refer');
  return refer ? { kind: 'refer', ...otherRecord(refer, base) } : null;
}

/**
 * The record a link points to: its id when it is a Patient on the same EHR (Reference.reference,
 * "relative or absolute URL", a version allowed: hl7.org/fhir/R4/references.html; values.ts
 * ownReference), and its display.
 */
function otherRecord(link: JsonObject, base: URL | undefined): Pick<RecordNotice, 'replacedById' | 'replacedByName'> {
  const other = isObject(link.other) ? link.other : {};
  const key = ownReferenceOf(other, base, 'Patient');
  return { replacedById: key === null ? null : key.slice('Patient/'.length), replacedByName: str(other.display) ?? null };
}

/**
 * A name not in use now: its period has ended (as every Period: an end given as a date lasts that
 * whole day; an unreadable end does not end it), or has not begun (a name taken from a later date,
 * e.g. after a marriage next month).
 */
const ended = (name: JsonObject, now: number) => periodEnded(name.period, now) || periodNotBegun(name.period, now);

/**
 * When a name in use took effect (HumanName.period.start, DSTU2/STU3/R4: "time when this name was
 * valid"), as a moment; null for a name without a readable start.
 */
const startOf = (name: JsonObject): number | null => {
  const start = isObject(name.period) ? str(name.period.start) : undefined;
  return start === undefined ? null : epochMsOf(start);
};

/**
 * The best name by NAME_USE_RANK; a name without any usable part is skipped. Within a rank (two
 * current official names, say, after a marriage where the EHR kept the old one open) the name that
 * took effect last wins: the latest begun `period.start` first, so a name taken up in 2024 reads
 * before one from 1990 whatever the array order. A name without a start ranks after those with one
 * (nothing says when it took effect, while a dated name says it is the newer); among undated names,
 * and names with the same start, the EHR's order stands. This is the one place a patient's (and a
 * practitioner's) name is chosen: list, search, details and export all read it.
 */
function chooseName(names: JsonObject[], now: number): NameParts | undefined {
  const ranked = names
    .map((name, index) => ({
      name,
      index,
      rank: ended(name, now) ? ENDED_RANK : nameUseRank(name),
      start: startOf(name) ?? -Infinity,
    }))
    .sort((a, b) => a.rank - b.rank || (a.start === b.start ? 0 : b.start > a.start ? 1 : -1) || a.index - b.index);
  for (const { name } of ranked) {
    const parts = nameParts(name);
    if (parts) return parts;
  }
  return undefined;
}

function nameParts(name: JsonObject): NameParts | undefined {
  // DSTU2 `family` is an array, later releases a string; wrongly shaped data gets the same tolerance.
  const family = strings(name.family).join(' ');
  const given = strings(name.given).join(' ');
  const display = [...strings(name.prefix), given, family, ...strings(name.suffix)].filter((p) => p !== '').join(' ');
  const text = str(name.text);
  if (given !== '' || family !== '') return { display: collapse(display), family: collapse(family), given: collapse(given) };
  // Without parts the text stands in as the family, for sorting and filtering.
  if (text) return { display: collapse(text), family: collapse(text), given: '' };
  return undefined;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The identifier of the owner's configured system wins, then one typed MR (see `mrnTypeRank`); in
 * each, the identifier by `mrnUseRank` first, then (typed) the surer type, then array order.
 */
function findMrn(identifiers: JsonObject[], mrnSystem: string | undefined, now: number): string | null {
  const useRank = (i: JsonObject) => mrnUseRank(i, now);
  const withValue = identifiers.filter((i) => str(i.value) !== undefined).sort((a, b) => useRank(a) - useRank(b));
  const configured = mrnSystem ? withValue.find((i) => str(i.system) === mrnSystem) : undefined;
  const typed = withValue
    .map((identifier) => ({ identifier, rank: mrnTypeRank(identifier.type) }))
    .filter((t) => t.rank !== null)
    // The better use first, then the surer type; array order among equals (sort is stable).
    .sort((a, b) => useRank(a.identifier) - useRank(b.identifier) || a.rank! - b.rank!)[0]?.identifier;
  return str((configured ?? typed)?.value) ?? null;
}

/**
 * How fit an identifier is to be shown as the MRN, by Identifier.use (value set identifier-use:
 * usual, official, temp, secondary, and `old` from R4; hl7.org/fhir/R4/valueset-identifier-use.html,
 * STU3 the same, DSTU2 without `old`) and Identifier.period ("time period when id is/was valid for
 * use", DSTU2/STU3/R4): 0 usual, official or no use, valid now; 1 secondary ("an identifier that
 * was assigned in secondary use"); 2 temp ("a temporary identifier"); 3 not valid yet (its period
 * starts later) or no longer in use (`old`, or its period has ended). So a temporary or secondary
 * number never reads before the official one, and a renumbered patient reads with the current number.
 */
function mrnUseRank(identifier: JsonObject, now: number): number {
  // Read by its words when written otherwise ("Old", "TEMP"): Identifier.use is a modifier (record-status.ts STATUS_CODES).
  const use = readRecordStatus(identifier.use, STATUS_CODES.identifierUse).code;
  if (use === 'old' || periodEnded(identifier.period, now) || periodNotBegun(identifier.period, now)) return 3;
  return use === 'secondary' ? 1 : use === 'temp' ? 2 : 0;
}

/**
 * Whether Identifier.type (a CodeableConcept in DSTU2, STU3 and R4) says medical record number, and
 * how surely: 0 a coding MR of v2-0203 (either system above), 1 a coding MR without a system, 2 only
 * the text "MRN", "MR" or "Medical Record Number" (any case), and then only when no v2-0203 or
 * system-less coding gives the type another code. Null: not typed MR (code MR of another system
 * may mean anything).
 */
function mrnTypeRank(type: unknown): number | null {
  if (!isObject(type)) return null;
  const codings = objects(type.coding).filter((c) => str(c.code) !== undefined);
  const tableCodes = codings.filter((c) => str(c.system) === undefined || MRN_TYPE_SYSTEMS.includes(str(c.system)!));
  if (tableCodes.some((c) => c.code === 'MR' && str(c.system) !== undefined)) return 0;
  if (tableCodes.some((c) => c.code === 'MR')) return 1;
  const text = str(type.text);
  return tableCodes.length === 0 && text !== undefined && MRN_TYPE_TEXTS.has(text.toLowerCase()) ? 2 : null;
}

/** Care provider types (DSTU2/STU3 Organization | Practitioner, R4 also PractitionerRole). */
const PROVIDER_TYPES = ['Practitioner', 'Organization', 'PractitionerRole'];

/**
 * The care provider's name the Patient itself gives: the first reference's display, else the first
 * that names a contained provider (`#id`, see containedResource). Null when only a reference to read
 * is left (care-provider.ts recordedProvider reads it).
 */
function careProviderName(patient: JsonObject, references: unknown): string | null {
  const refs = objects(references);
  for (const reference of refs) {
    const display = str(reference.display);
    if (display) return display;
  }
  for (const reference of refs) {
    const contained = containedResource(patient, reference, PROVIDER_TYPES);
    const name = contained ? providerResourceName(contained, patient) : null;
    if (name) return name;
  }
  return null;
}

/**
 * A provider's or payer's name from its resource: a Practitioner by its HumanName (DSTU2 one object,
 * later an array; chosen as a patient's is), an Organization by `name`, a PractitionerRole by its
 * practitioner's or organization's display, else by the name of the one it holds contained (`#id`,
 * resolved in `owner`, the resource that contains them all: the Patient for a role contained in it,
 * else the role itself; contained.ts). Null for any other type or without a name.
 */
export function providerResourceName(resource: JsonObject, owner: JsonObject = resource): string | null {
  if (resource.resourceType === 'Organization') return str(resource.name) ?? null;
  if (resource.resourceType === 'Practitioner') return humanNameText(resource.name);
  if (resource.resourceType !== 'PractitionerRole') return null;
  const members = objects([resource.practitioner, resource.organization]);
  for (const ref of members) {
    const display = str(ref.display);
    if (display) return display;
  }
  for (const ref of members) {
    const member = containedResource(owner, ref, ROLE_MEMBER_TYPES);
    const name = member ? providerResourceName(member) : null;
    if (name) return name;
  }
  return null;
}

/** What a PractitionerRole names (R4 PractitionerRole.practitioner, .organization), in that order. */
export const ROLE_MEMBER_TYPES = ['Practitioner', 'Organization'];
