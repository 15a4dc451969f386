import { onCommit, recordRead, redeclare } from '../shared/audit-trail.js';
import { teamKey } from '../../identity/middleware.js';
import { Problem, problem } from '../../platform/problem.js';
import { caller } from '../../platform/request-context.js';
import type { TeamKey, TeamStore } from '../../storage/ports.js';
import type { ManualPatientData } from '../../../contract/manual.js';
import { mergeValues, patientBody, schemaBody, schemaConflicts, valuesProblems } from './validation.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { uuid } from '../shared/validation.js';

async function requireManualMode(store: TeamStore, team: TeamKey): Promise<void> {
  if ((await store.getConnection(team)).mode !== 'manual') {
    throw new Problem('not_manual_mode', 'This team is not in Manual mode. A team owner can switch it in the settings.');
  }
}

const conflict = () => new Problem('version_conflict', 'Someone else changed this in the meantime. Reload it and try again.');
const noPatient = () => problem('patient_not_found', 'This team has no such patient.');

/** Manual mode: the team's patient schema (owners) and hand-entered patients (members). */
export function manualRoutes(ep: Endpoints, { store }: ApiDeps): void {
  const schema = '/teams/:teamId/schema';
  const patients = '/teams/:teamId/manual-patients';

  ep.get(schema, { audit: null, access: 'member' }, async (req, res) => {
    res.json((await store.getSchema(teamKey(req))) ?? { fields: [], version: 0 });
  });

  ep.put(schema, { audit: 'PatientSchemaCreate', access: 'owner' }, async (req, res) => {
    const team = teamKey(req);
    const body = schemaBody.parse(req.body);
    await requireManualMode(store, team);
    const existed = (await store.getSchema(team)) !== null;
    redeclare(existed ? 'PatientSchemaUpdate' : 'PatientSchemaCreate');
    const conflicts = schemaConflicts(body.fields, await store.getManualPatients(team));
    if (conflicts.length) throw new Problem('schema_conflict', `The change conflicts with values patients already have: ${conflicts.join('; ')}.`);
    const result = await store.setSchema(team, body.fields, body.version, onCommit(existed ? 'PatientSchemaUpdate' : 'PatientSchemaCreate'));
    if (!result.ok) throw conflict();
    res.json(result.value);
  });

  /** The patient after the change; on PATCH, fields left out keep their value and values merge ("" clears one). */
  async function checked(team: TeamKey, body: ReturnType<typeof patientBody.parse>, before?: ManualPatientData): Promise<ManualPatientData> {
    const current = await store.getSchema(team);
    const values = mergeValues(before?.values, body.values);
    const problems = valuesProblems(current?.fields ?? [], values);
    if (problems.length) throw new Problem('validation_failed', problems.join('; '));
    const keep = <K extends 'mrn' | 'birthDate' | 'gender' | 'room'>(key: K) =>
      (body[key] === undefined ? (before?.[key] ?? null) : body[key]) as ManualPatientData[K];
    return { name: body.name, mrn: keep('mrn'), birthDate: keep('birthDate'), gender: keep('gender'), room: keep('room'), values };
  }

  // The whole roster is a search without criteria: audited with every patient it returns.
  ep.get(patients, { audit: 'PatientSearch', access: 'member' }, async (req, res) => {
    const found = await store.getManualPatients(teamKey(req));
    recordRead(store.audit, 'PatientSearch', { patientIds: found.map((p) => p.id) });
    res.json({ patients: found });
  });

  ep.post(patients, { audit: 'PatientDetailsEdit', access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    const body = patientBody.parse(req.body);
    await requireManualMode(store, team);
    const patient = await store.createManualPatient(
      team,
      await checked(team, body),
      caller().userId,
      onCommit('PatientDetailsEdit', (p) => ({ patientIds: [p.id], status: 201 })),
    );
    res.status(201).json(patient);
  });

  ep.get(`${patients}/:patientId`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    const id = String(req.params.patientId);
    const [patient] = uuid.safeParse(id).success ? await store.getManualPatients(teamKey(req), [id]) : [];
    if (!patient) throw noPatient();
    recordRead(store.audit, 'PatientView', { patientIds: [id] });
    res.json(patient);
  });

  ep.patch(`${patients}/:patientId`, { audit: 'PatientDetailsEdit', access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    const id = String(req.params.patientId);
    const body = patientBody.parse(req.body);
    await requireManualMode(store, team);
    const [before] = uuid.safeParse(id).success ? await store.getManualPatients(team, [id]) : [];
    if (!before) throw noPatient();
    const result = await store.updateManualPatient(
      team,
      id,
      await checked(team, body, before),
      body.version,
      onCommit('PatientDetailsEdit', () => ({ patientIds: [id] })),
    );
    if (!result.ok && result.reason === 'conflict') throw conflict();
    if (!result.ok) throw noPatient();
    res.json(result.value);
  });
}
