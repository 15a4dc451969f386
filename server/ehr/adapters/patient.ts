import { isObject, objects, str, strings, type JsonObject } from '../json.js';
import { isFhirId } from '../urls.js';
import type { AdapterSpec, PatientView, SortKey, VersionAdapter } from './types.js';

/** Both v2-0203 systems name the MR type; servers mix them across releases, so either counts. */
const MRN_TYPE_SYSTEMS = ['http://hl7.org/fhir/v2/0203', 'http://terminology.hl7.org/CodeSystem/v2-0203'];

const NAME_USE_RANK: Record<string, number> = { official: 0, usual: 1 };

export function createAdapter(spec: AdapterSpec): VersionAdapter {
  const adapter: VersionAdapter = {
    ...spec,
    sortParams: (keys) => sortParams(spec, keys),
    readPatient: (resource, options) => readPatient(spec, resource, options?.mrnSystem),
    toPatientSummary: (resource, options) => adapter.readPatient(resource, options)?.summary ?? null,
  };
  return adapter;
}

function sortParams(spec: AdapterSpec, keys: SortKey[]): Array<[string, string]> {
  if (keys.length === 0) return [];
  if (spec.sortSyntax === 'modifier') return keys.map((k) => [k.descending ? '_sort:desc' : '_sort', k.param]);
  return [['_sort', keys.map((k) => `${k.descending ? '-' : ''}${k.param}`).join(',')]];
}

function readPatient(spec: AdapterSpec, resource: unknown, mrnSystem: string | undefined): PatientView | null {
  if (!isObject(resource) || resource.resourceType !== 'Patient') return null;
  const id = str(resource.id);
  if (!id || !isFhirId(id)) return null;
  const name = chooseName(objects(resource.name));
  return {
    summary: {
      id,
      displayName: name?.display ?? '',
      mrn: findMrn(objects(resource.identifier), mrnSystem),
      birthDate: str(resource.birthDate) ?? null,
      gender: str(resource.gender) ?? null,
      generalPractitioner: firstDisplay(resource[spec.generalPractitionerField]),
    },
    family: name?.family ?? '',
    given: name?.given ?? '',
  };
}

interface NameParts {
  display: string;
  family: string;
  given: string;
}

/** Official, then usual, then the first name; a name without any usable part is skipped. */
function chooseName(names: JsonObject[]): NameParts | undefined {
  const ranked = names
    .map((name, index) => ({ name, index, rank: NAME_USE_RANK[String(name.use)] ?? 2 }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
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
  const display = [...strings(name.prefix), given, family].filter((p) => p !== '').join(' ');
  const text = str(name.text);
  if (display !== '') return { display: collapse(display), family, given };
  // Without parts the text stands in as the family, for sorting and filtering.
  if (text) return { display: collapse(text), family: collapse(text), given: '' };
  return undefined;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The identifier of the owner's configured system wins, then one typed MR. */
function findMrn(identifiers: JsonObject[], mrnSystem: string | undefined): string | null {
  const withValue = identifiers.filter((i) => str(i.value) !== undefined);
  const configured = mrnSystem ? withValue.find((i) => str(i.system) === mrnSystem) : undefined;
  const typed = withValue.find((i) =>
    objects(isObject(i.type) ? i.type.coding : undefined).some((c) => c.code === 'MR' && MRN_TYPE_SYSTEMS.includes(String(c.system))),
  );
  return str((configured ?? typed)?.value) ?? null;
}

function firstDisplay(references: unknown): string | null {
  for (const reference of objects(references)) {
    const display = str(reference.display);
    if (display) return display;
  }
  return null;
}
