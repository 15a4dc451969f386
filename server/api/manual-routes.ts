import { Router } from 'express';
import { requireOwner, teamKey } from '../auth/middleware.js';
import { Problem, notFound } from '../http/problem.js';
import { caller } from '../http/request-context.js';
import type { TeamKey, TeamStore } from '../lists/store.js';
import type { ManualPatientData } from '../manual/types.js';
import { patientBody, schemaBody, schemaConflicts, valuesProblems } from '../manual/validation.js';
import { uuid } from './validation.js';

async function requireManualMode(store: TeamStore, team: TeamKey): Promise<void> {
  if ((await store.getConnection(team)).mode !== 'manual') {
    throw new Problem(409, 'not_manual_mode', 'This team is not in Manual mode. A team owner can switch it in the settings.');
  }
}

const conflict = () => new Problem(412, 'version_conflict', 'Someone else changed this in the meantime. Reload it and try again.');

/** Manual mode: the team's patient schema (owners) and hand-entered patients (members). */
export function manualRoutes(store: TeamStore): Router {
  const router = Router({ mergeParams: true });

  router.get('/schema', async (req, res) => {
    res.json((await store.getSchema(teamKey(req))) ?? { fields: [], version: 0 });
  });

  router.put('/schema', requireOwner, async (req, res) => {
    const team = teamKey(req);
    const body = schemaBody.parse(req.body);
    await requireManualMode(store, team);
    const existed = (await store.getSchema(team)) !== null;
    res.locals.schemaCreated = !existed;
    const conflicts = schemaConflicts(body.fields, await store.getManualPatients(team));
    if (conflicts.length) throw new Problem(409, 'schema_conflict', `The change conflicts with values patients already have: ${conflicts.join('; ')}.`);
    const result = await store.setSchema(team, body.fields, body.version);
    if (!result.ok) throw conflict();
    res.json(result.value);
  });

  /** The patient after the change; on PATCH, fields left out keep their value and values merge ("" clears one). */
  async function checked(team: TeamKey, body: ReturnType<typeof patientBody.parse>, before?: ManualPatientData): Promise<ManualPatientData> {
    const schema = await store.getSchema(team);
    const merged = { ...before?.values, ...body.values };
    const values = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ''));
    const problems = valuesProblems(schema?.fields ?? [], values);
    if (problems.length) throw new Problem(400, 'validation_failed', problems.join('; '));
    const keep = <K extends 'mrn' | 'birthDate' | 'gender' | 'room'>(key: K) => (body[key] === undefined ? (before?.[key] ?? null) : body[key]) as ManualPatientData[K];
    return { name: body.name, mrn: keep('mrn'), birthDate: keep('birthDate'), gender: keep('gender'), room: keep('room'), values };
  }

  router.get('/manual-patients', async (req, res) => {
    res.json({ patients: await store.getManualPatients(teamKey(req)) });
  });

  router.post('/manual-patients', async (req, res) => {
    const team = teamKey(req);
    const body = patientBody.parse(req.body);
    await requireManualMode(store, team);
    const patient = await store.createManualPatient(team, await checked(team, body), caller().userId);
    res.locals.createdPatientId = patient.id;
    res.status(201).json(patient);
  });

  router.get('/manual-patients/:patientId', async (req, res) => {
    const id = String(req.params.patientId);
    const [patient] = uuid.safeParse(id).success ? await store.getManualPatients(teamKey(req), [id]) : [];
    if (!patient) throw notFound('patient_not_found', 'This team has no such patient.');
    res.json(patient);
  });

  router.patch('/manual-patients/:patientId', async (req, res) => {
    const team = teamKey(req);
    const id = String(req.params.patientId);
    const body = patientBody.parse(req.body);
    await requireManualMode(store, team);
    const [before] = uuid.safeParse(id).success ? await store.getManualPatients(team, [id]) : [];
    if (!before) throw notFound('patient_not_found', 'This team has no such patient.');
    const result = await store.updateManualPatient(team, id, await checked(team, body, before), body.version);
    if (!result.ok && result.reason === 'conflict') throw conflict();
    if (!result.ok) throw notFound('patient_not_found', 'This team has no such patient.');
    res.json(result.value);
  });

  return router;
}
