import { fhirId } from '../../../contract/ids.js';
import { noteBody } from '../../../contract/notes.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import * as notes from './note-service.js';

/** Team-visible notes on a patient, at /api/teams/{teamId}/patients/{patientId}/notes. */
export function noteRoutes(ep: Endpoints, deps: ApiDeps): void {
  const path = '/teams/:teamId/patients/:patientId/notes';

  ep.get(path, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    res.json(await notes.listNotes(deps, teamKey(req), fhirId.parse(req.params.patientId)));
  });

  ep.post(path, { audit: 'PatientNoteAdd', access: 'member' }, async (req, res) => {
    const patientId = fhirId.parse(req.params.patientId);
    const { text } = noteBody.parse(req.body);
    const { userId, name } = caller();
    res.status(201).json(await notes.addNote(deps, teamKey(req), patientId, { id: userId, name: name ?? userId }, text));
  });
}
