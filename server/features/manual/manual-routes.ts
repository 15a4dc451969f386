import { patientBody, schemaBody } from '../../../contract/manual.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { versionRead } from '../shared/version-read.js';
import { dischargeRoutes } from './discharge-routes.js';
import * as manual from './manual-service.js';

/** Manual mode: the team's patient schema (owners) and hand-entered patients (members). */
export function manualRoutes(ep: Endpoints, deps: ApiDeps): void {
  const schema = '/teams/:teamId/schema';
  const patients = '/teams/:teamId/manual-patients';

  ep.get(schema, { audit: null, access: 'member' }, async (req, res) => {
    res.json(await manual.getSchema(deps, teamKey(req)));
  });

  ep.put(
    schema,
    { audit: ['PatientSchemaCreate', 'PatientSchemaUpdate'], operationOf: (req) => manual.schemaOperation(deps, teamKey(req)), access: 'owner' },
    async (req, res) => {
      const team = teamKey(req);
      const body = schemaBody.parse(req.body);
      res.json(await manual.setSchema(deps, team, { ...body, version: versionRead(req, body.version, 'schema') }));
    },
  );

  ep.get(patients, { audit: 'PatientSearch', access: 'member' }, async (req, res) => {
    res.json(await manual.listPatients(deps, teamKey(req)));
  });

  ep.post(patients, { audit: 'PatientDetailsEdit', access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    const body = patientBody.parse(req.body);
    res.status(201).json(await manual.createPatient(deps, team, body, caller().userId));
  });

  ep.get(`${patients}/:patientId`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    res.json(await manual.readPatient(deps, teamKey(req), String(req.params.patientId)));
  });

  ep.patch(`${patients}/:patientId`, { audit: 'PatientDetailsEdit', access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    const body = patientBody.parse(req.body);
    res.json(await manual.updatePatient(deps, team, String(req.params.patientId), { ...body, version: versionRead(req, body.version, 'patient') }));
  });

  dischargeRoutes(ep, deps);
}
