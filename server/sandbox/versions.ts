import { createMedplumEngine } from './engine/medplum/medplum-engine.js';
import { createMemoryEngine } from './engine/memory/memory-engine.js';
import { dstu2Params, stu3Params } from './engine/memory/params.js';
import { FhirRequestError, type FhirEngine, type SortKey } from './engine/types.js';

/** The three FHIR releases the sandbox speaks, as data: what differs between them lives here. */
export type SandboxVersion = 'dstu2' | 'stu3' | 'r4';

export interface VersionSpec {
  key: SandboxVersion;
  fhirVersion: string;
  capabilityType: 'Conformance' | 'CapabilityStatement';
  contentType: string;
  /** Failed batch entries carry their OperationOutcome here. */
  outcomeIn: 'resource' | 'response.outcome';
  resourceTypes: readonly string[];
  /** Reads one `_sort` parameter in the release's syntax; undefined when the name is not a sort. */
  readSort(name: string, value: string): SortKey[] | undefined;
  createEngine(): FhirEngine;
}

const parts = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** DSTU2: `_sort=a` / `_sort:asc=a` / `_sort:desc=a`, one parameter per key. */
function modifierSort(name: string, value: string): SortKey[] | undefined {
  if (name !== '_sort' && name !== '_sort:asc' && name !== '_sort:desc') return undefined;
  return parts(value).map((param) => {
    if (param.startsWith('-')) throw new FhirRequestError(400, 'invalid', 'DSTU2 sorts descending with _sort:desc, not a minus sign.');
    return { param, descending: name === '_sort:desc' };
  });
}

/** STU3 and later: `_sort=a,-b`. */
function prefixSort(name: string, value: string): SortKey[] | undefined {
  if (name.startsWith('_sort:')) throw new FhirRequestError(400, 'invalid', `${name} is DSTU2 syntax; this release sorts with _sort=-param.`);
  if (name !== '_sort') return undefined;
  return parts(value).map((p) => ({ param: p.replace(/^-/, ''), descending: p.startsWith('-') }));
}

const clinical = ['Patient', 'Practitioner', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'Coverage', 'Medication', 'List'];
const r4Types = [...clinical, 'MedicationRequest'];

export const versionSpecs: Record<SandboxVersion, VersionSpec> = {
  dstu2: {
    key: 'dstu2',
    fhirVersion: '1.0.2',
    capabilityType: 'Conformance',
    contentType: 'application/json+fhir',
    outcomeIn: 'resource',
    resourceTypes: [...clinical, 'MedicationOrder'],
    readSort: modifierSort,
    createEngine: () => createMemoryEngine(dstu2Params),
  },
  stu3: {
    key: 'stu3',
    fhirVersion: '3.0.2',
    capabilityType: 'CapabilityStatement',
    contentType: 'application/fhir+json',
    outcomeIn: 'response.outcome',
    resourceTypes: [...clinical, 'MedicationRequest'],
    readSort: prefixSort,
    createEngine: () => createMemoryEngine(stu3Params),
  },
  r4: {
    key: 'r4',
    fhirVersion: '4.0.1',
    capabilityType: 'CapabilityStatement',
    contentType: 'application/fhir+json',
    outcomeIn: 'resource',
    resourceTypes: r4Types,
    readSort: prefixSort,
    createEngine: () => createMedplumEngine(r4Types),
  },
};

export const sandboxVersions = Object.keys(versionSpecs) as SandboxVersion[];
