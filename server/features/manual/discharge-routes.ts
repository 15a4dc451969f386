import { dischargeBody } from '../../../contract/manual-discharge.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { versionRead } from '../shared/version-read.js';
import * as discharge from './discharge-service.js';

/** Discharge and re-admission of hand-entered patients, and the discharged roster (members). */
export function dischargeRoutes(ep: Endpoints, deps: ApiDeps): void {
  const discharged = '/teams/:teamId/discharged-patients';

  ep.post('/teams/:teamId/manual-patients/:patientId/discharge', { audit: 'PatientDischarge', access: 'member' }, async (req, res) => {
    const body = { version: versionRead(req, dischargeBody.parse(req.body).version, 'patient') };
    const { userId, name } = caller();
    res.json(await discharge.dischargePatient(deps, teamKey(req), String(req.params.patientId), body, { id: userId, name: name ?? userId }));
  });

  ep.get(discharged, { audit: 'PatientSearch', access: 'member' }, async (req, res) => {
    res.json(await discharge.listDischarged(deps, teamKey(req)));
  });

  ep.get(`${discharged}/:patientId`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    res.json(await discharge.readDischarged(deps, teamKey(req), String(req.params.patientId)));
  });

  ep.post(`${discharged}/:patientId/readmit`, { audit: 'PatientReadmit', access: 'member' }, async (req, res) => {
    const body = { version: versionRead(req, dischargeBody.parse(req.body).version, 'patient') };
    res.json(await discharge.readmitPatient(deps, teamKey(req), String(req.params.patientId), body));
  });
}
