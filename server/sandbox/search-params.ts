import type { SandboxVersion } from './versions.js';

/** A resource as JSON; the sandbox reads it loosely, as a real server's index would. */
export type Resource = Record<string, any> & { resourceType: string; id: string };

export type ParamKind = 'string' | 'token' | 'reference' | 'date';
export interface SearchParam {
  kind: ParamKind;
  /** Values of the indexed field(s): strings for string/date, codings for token, references for reference. */
  values: (r: Resource) => unknown[];
}

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const names = (r: Resource) => arr(r.name);
const nameParts = (r: Resource) =>
  names(r).flatMap((n) => [...arr(n.family), ...arr(n.given), ...arr(n.prefix), ...arr(n.text)]).filter((s) => typeof s === 'string');
const codings = (cc: unknown) => arr(cc).flatMap((c) => arr(c?.coding).map((k) => ({ system: k?.system, code: k?.code })));
const ref = (v: unknown) => arr(v).map((x) => x?.reference).filter((x) => typeof x === 'string');
const when = (r: Resource, ...paths: string[]) =>
  paths.map((p) => p.split('.').reduce<any>((o, k) => o?.[k], r)).filter((x) => typeof x === 'string');

const patientRef: SearchParam = { kind: 'reference', values: (r) => [...ref(r.patient), ...ref(r.subject), ...ref(r.beneficiary), ...ref(r.subscriber)] };

/** Search parameters per resource type; the same table serves every release (fields differ, names do not). */
const table: Record<string, Record<string, SearchParam>> = {
  Patient: {
    name: { kind: 'string', values: nameParts },
    family: { kind: 'string', values: (r) => names(r).flatMap((n) => arr(n.family)) },
    given: { kind: 'string', values: (r) => names(r).flatMap((n) => arr(n.given)) },
    gender: { kind: 'token', values: (r) => [{ code: r.gender }] },
    birthdate: { kind: 'date', values: (r) => when(r, 'birthDate') },
    identifier: { kind: 'token', values: (r) => arr(r.identifier).map((i) => ({ system: i?.system, code: i?.value })) },
  },
  Observation: {
    patient: patientRef,
    subject: patientRef,
    category: { kind: 'token', values: (r) => codings(r.category) },
    code: { kind: 'token', values: (r) => codings(r.code) },
    date: { kind: 'date', values: (r) => when(r, 'effectiveDateTime', 'effectivePeriod.start', 'issued') },
  },
  Condition: { patient: patientRef, subject: patientRef },
  Encounter: { patient: patientRef, subject: patientRef, date: { kind: 'date', values: (r) => when(r, 'period.start') } },
  AllergyIntolerance: { patient: patientRef },
  MedicationOrder: { patient: patientRef },
  MedicationRequest: { patient: patientRef, subject: patientRef },
  Coverage: { patient: patientRef, beneficiary: patientRef },
  Medication: {},
  Practitioner: { name: { kind: 'string', values: nameParts } },
};

/** Fields that `_sort` orders by. */
export const sortKeys: Record<string, Record<string, (r: Resource) => string>> = {
  Patient: {
    family: (r) => String(arr(names(r)[0]?.family)[0] ?? ''),
    given: (r) => String(arr(names(r)[0]?.given)[0] ?? ''),
    birthdate: (r) => String(r.birthDate ?? ''),
  },
  Observation: { date: (r) => when(r, 'effectiveDateTime', 'effectivePeriod.start', 'issued')[0] ?? '' },
  Encounter: { date: (r) => when(r, 'period.start')[0] ?? '' },
};

export function paramsOf(type: string, _version: SandboxVersion): Record<string, SearchParam> | undefined {
  return table[type];
}
