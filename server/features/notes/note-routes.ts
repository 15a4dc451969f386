import { z } from 'zod';
import { onCommit, recordRead } from '../shared/audit-trail.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { fhirId } from '../shared/validation.js';

const noteBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4,000 characters') }).strict();

/** Team-visible notes on a patient, at /api/teams/{teamId}/patients/{patientId}/notes. */
export function noteRoutes(ep: Endpoints, { store }: ApiDeps): void {
  const notes = '/teams/:teamId/patients/:patientId/notes';

  ep.get(notes, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    const patientId = fhirId.parse(req.params.patientId);
    const found = await store.listNotes(teamKey(req), patientId);
    recordRead(store.audit, 'PatientView', { patientIds: [patientId] });
    res.json({ notes: found });
  });

  ep.post(notes, { audit: 'PatientNoteAdd', access: 'member' }, async (req, res) => {
    const patientId = fhirId.parse(req.params.patientId);
    const { text } = noteBody.parse(req.body);
    const { userId, name } = caller();
    const note = await store.addNote(
      teamKey(req),
      patientId,
      { id: userId, name: name ?? userId },
      text,
      onCommit('PatientNoteAdd', () => ({ patientIds: [patientId], status: 201 })),
    );
    res.status(201).json(note);
  });
}
