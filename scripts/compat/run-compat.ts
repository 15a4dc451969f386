import express from 'express';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { devDirectory } from '../../server/identity/dev-directory.js';
import { createEhrGateway, type EhrGateway } from '../../server/ehr/index.js';
import { summariseForComparison, type ComparablePatient } from './compare.js';
import { createLinkGuard } from '../../server/ehr/link-guard.js';
import { createSandbox } from '../../server/sandbox/index.js';

export const versions = ['dstu2', 'stu3', 'r4'] as const;
export type VersionKey = (typeof versions)[number];

export interface PatientReport {
  mrn: string;
  /** Per version the patient appears in: found by MRN search, details built, or the error met. */
  versions: Partial<Record<VersionKey, { found: boolean; complete: boolean; error?: string }>>;
  /** Fields whose normalised values differ between versions (empty when consistent). */
  differences: string[];
}

export interface CompatReport {
  patients: PatientReport[];
  /** Patients without an MRN cannot be matched across versions (they are read and reported, by id); counted per version. */
  withoutMrn: Partial<Record<VersionKey, number>>;
  /**
   * The patient record states (in use, replaced, inactive; deceased), the condition, allergy and medication statuses met, counted per version ("condition clinicalStatus
   * active": 12), so a reviewer sees what the list's rules met; refuted and entered-in-error records are
   * left out of the details and counted from the read's warnings.
   */
  statuses: Partial<Record<VersionKey, Record<string, number>>>;
  ok: boolean;
}

type Details = NonNullable<Awaited<ReturnType<EhrGateway['readPatientDetails']>>>;

/** A record with a modifier extension (or implicitRules) the app cannot read: shown, marked "check in EHR" (server/ehr/modifiers.ts). */
const QUALIFIED = (kind: string) => `${kind} qualified by the EHR (marked check in EHR)`;

/** Adds one patient's statuses to a version's counts. */
function countStatuses(counts: Record<string, number>, details: Details): void {
  const add = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const code = (value: string | null) => value ?? '(none)';
  // Patient.link replaced-by and Patient.active false: a record not to be used is marked wherever it shows.
  add(`patient record ${details.patient.recordNotice?.kind ?? 'in use'}`);
  if (details.patient.deceased) add('patient deceased');
  if (details.conditions.status === 'ok')
    for (const c of details.conditions.value) {
      add(`condition clinicalStatus ${code(c.clinicalStatus)}`);
      add(`condition verificationStatus ${code(c.verificationStatus)}`);
      add(`condition ${c.current ? 'current (in the cell)' : 'history (details only)'}`);
      if (c.qualified) add(QUALIFIED('condition'));
    }
  if (details.allergies.status === 'ok')
    for (const a of details.allergies.value) {
      add(`allergy clinicalStatus ${code(a.clinicalStatus)}`);
      add(`allergy verificationStatus ${code(a.verificationStatus)}`);
      if (a.noneKnown) add('allergy no-known-allergy');
      add(`allergy ${a.current ? 'current (in the cell)' : 'history (details only)'}`);
      if (a.qualified) add(QUALIFIED('allergy'));
    }
  if (details.medications.status === 'ok')
    for (const m of details.medications.value) {
      add(`medication ${m.kind} status ${code(m.status)}`);
      add(`medication ${m.current ? 'current (in the cell)' : 'not current (details only)'}`);
      if (m.doNotPerform) add('medication do-not-perform');
      if (m.intent) add(`medication intent ${m.intent}`);
      if (m.qualified) add(QUALIFIED('medication'));
    }
  if (details.coverage.status === 'ok')
    for (const c of details.coverage.value) {
      add(`coverage status ${code(c.status)}`);
      add(`coverage ${c.current ? 'in force (in the cell)' : 'not in force (details only)'}`);
      if (c.qualified) add(QUALIFIED('coverage'));
    }
  if (details.vitalHistory.status === 'ok')
    for (const readings of Object.values(details.vitalHistory.value))
      for (const r of readings ?? []) {
        const values = 'value' in r ? [r.value] : [r.systolic, r.diastolic];
        for (const v of values) if (v?.comparator) add(`vital value with comparator ${v.comparator}`);
        if (r.qualified) add(QUALIFIED('vital sign'));
      }
  if (details.encounters.status === 'ok') for (const e of details.encounters.value) if (e.qualified) add(QUALIFIED('encounter'));
  for (const w of details.warnings) {
    if (w.code === 'condition_not_valid')
      counts['condition refuted or entered-in-error (shown nowhere)'] =
        (counts['condition refuted or entered-in-error (shown nowhere)'] ?? 0) + w.count;
    if (w.code === 'allergy_not_valid')
      counts['allergy refuted or entered-in-error (shown nowhere)'] = (counts['allergy refuted or entered-in-error (shown nowhere)'] ?? 0) + w.count;
    if (w.code === 'allergy_no_information')
      counts['allergy record stating no information (shown nowhere)'] =
        (counts['allergy record stating no information (shown nowhere)'] ?? 0) + w.count;
  }
}

/**
 * Loads a folder of bundles (or generated data) into a sandbox on a loopback port, then, through
 * the app's own FHIR layer, reads every patient of every version: found by MRN, details built,
 * and the same person (same MRN) normalised alike in each version.
 */
export async function runCompat(options: { dataDir?: string; patientsPerTenant?: number }): Promise<CompatReport> {
  const tenant = devDirectory.tenants[0];
  const sandbox = await createSandbox({
    tenants: devDirectory.tenants.map(({ id, name }) => ({ id, name })),
    dataDir: options.dataDir,
    patientsPerTenant: options.patientsPerTenant,
  });
  const app = express().use('/sandbox', sandbox.router);
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox`;
    const { clientId, clientSecret } = sandbox.registerClient('compat');
    const guard = createLinkGuard({ allowHttp: true, allowLoopback: true });
    const partner = { tokenEndpoint: `${base}/token`, clientId, clientSecrets: [clientSecret], fhirOrigins: [new URL(base).origin] };
    const ehr = createEhrGateway({ partners: [partner], checkUrl: guard.checkUrl, dispatcher: guard.dispatcher });
    const byMrn = new Map<string, PatientReport>();
    const summaries = new Map<string, Partial<Record<VersionKey, ComparablePatient>>>();
    const withoutMrn: CompatReport['withoutMrn'] = {};
    const statuses: CompatReport['statuses'] = {};
    for (const version of versions) {
      const url = `${base}/${version}`;
      for (const patient of await allPatients(ehr, url, tenant.id)) {
        if (!patient.mrn) {
          // Not matched across versions, but read all the same: its statuses count, and a failure shows.
          withoutMrn[version] = (withoutMrn[version] ?? 0) + 1;
          const report: PatientReport = { mrn: `(no MRN) ${version} ${patient.id}`, versions: {}, differences: [] };
          byMrn.set(report.mrn, report);
          const entry: { found: boolean; complete: boolean; error?: string } = { found: true, complete: false };
          report.versions[version] = entry;
          try {
            const details = await ehr.readPatientDetails(url, tenant.id, patient.id);
            entry.complete = details !== null;
            if (details) countStatuses((statuses[version] ??= {}), details);
          } catch (err) {
            entry.error = (err as Error).message;
          }
          continue;
        }
        const report = byMrn.get(patient.mrn) ?? { mrn: patient.mrn, versions: {}, differences: [] };
        byMrn.set(patient.mrn, report);
        const entry: { found: boolean; complete: boolean; error?: string } = { found: false, complete: false };
        report.versions[version] = entry;
        try {
          const hits = await ehr.searchPatients(url, tenant.id, { identifier: patient.mrn });
          entry.found = hits.patients.some((p) => p.id === patient.id);
          const details = await ehr.readPatientDetails(url, tenant.id, patient.id);
          entry.complete = details !== null;
          if (details) countStatuses((statuses[version] ??= {}), details);
          if (details) summaries.set(patient.mrn, { ...summaries.get(patient.mrn), [version]: summariseForComparison(details) });
        } catch (err) {
          entry.error = (err as Error).message;
        }
      }
    }
    for (const report of byMrn.values()) report.differences = differences(summaries.get(report.mrn) ?? {});
    const patients = [...byMrn.values()].sort((a, b) => a.mrn.localeCompare(b.mrn));
    const ok =
      patients.length > 0 &&
      patients.every((p) => p.differences.length === 0 && Object.values(p.versions).every((v) => v.found && v.complete && !v.error));
    return { patients, withoutMrn, statuses, ok };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function allPatients(ehr: EhrGateway, url: string, tenantId: string) {
  const found = [];
  let page = await ehr.searchPatients(url, tenantId, { count: 100 });
  found.push(...page.patients);
  for (let pages = 1; page.next && pages < 1000; pages++) {
    page = await ehr.searchPatients(url, tenantId, {}, page.next);
    found.push(...page.patients);
  }
  return found;
}

function differences(byVersion: Partial<Record<VersionKey, ComparablePatient>>): string[] {
  const present = versions.filter((v) => byVersion[v]);
  const out: string[] = [];
  for (const field of ['name', 'gender', 'mrn', 'conditions', 'allergies', 'medications', 'vitals'] as const) {
    const first = byVersion[present[0]]?.[field];
    for (const v of present.slice(1)) {
      if (!isDeepStrictEqual(byVersion[v]?.[field], first)) {
        out.push(`${field} (${present[0]} vs ${v})`);
        break;
      }
    }
  }
  return out;
}
