import { guidPattern } from '../../../contract/id-syntax.js';
import { fhirId } from '../../../contract/ids.js';
import { correctNoteBody, noteBody, withdrawNoteBody } from '../../../contract/notes.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { problems } from '../shared/outcomes.js';
import { versionRead } from '../shared/version-read.js';
import * as notes from './note-service.js';

/** Team-visible notes on a patient, at /api/teams/{teamId}/patients/{patientId}/notes. */
export function noteRoutes(ep: Endpoints, deps: ApiDeps): void {
  const path = '/teams/:teamId/patients/:patientId/notes';
  /** Note ids are the UUIDs the stores make; anything else is no note of this patient. */
  const noteIdOf = (value: unknown): string => {
    if (typeof value !== 'string' || !guidPattern.test(value)) throw problems.noteNotFound();
    return value.toLowerCase();
  };

  ep.get(path, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    res.json(await notes.listNotes(deps, teamKey(req), fhirId.parse(req.params.patientId)));
  });

  ep.post(path, { audit: 'PatientNoteAdd', access: 'member' }, async (req, res) => {
    const patientId = fhirId.parse(req.params.patientId);
    const { text } = noteBody.parse(req.body);
    const { userId, name } = caller();
    res.status(201).json(await notes.addNote(deps, teamKey(req), patientId, { id: userId, name: name ?? userId }, text));
  });

  ep.patch(`${path}/:noteId`, { audit: 'PatientNoteCorrect', access: 'member' }, async (req, res) => {
    const patientId = fhirId.parse(req.params.patientId);
    const noteId = noteIdOf(req.params.noteId);
    const { text, version } = correctNoteBody.parse(req.body);
    const read = versionRead(req, version, 'note');
    res.json(await notes.reviseNote(deps, teamKey(req), patientId, noteId, caller().userId, { text, version: read }));
  });

  ep.post(`${path}/:noteId/withdraw`, { audit: 'PatientNoteWithdraw', access: 'member' }, async (req, res) => {
    const patientId = fhirId.parse(req.params.patientId);
    const noteId = noteIdOf(req.params.noteId);
    const { version } = withdrawNoteBody.parse(req.body);
    const read = versionRead(req, version, 'note');
    res.json(await notes.reviseNote(deps, teamKey(req), patientId, noteId, caller().userId, { text: null, version: read }));
  });
}
