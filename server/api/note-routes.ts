import { Router } from 'express';
import { z } from 'zod';
import { teamKey } from '../auth/middleware.js';
import { caller } from '../http/request-context.js';
import type { TeamStore } from '../lists/store.js';
import { fhirId } from './validation.js';

const noteBody = z
  .object({ text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4,000 characters') })
  .strict();

/** Team-visible notes on a patient, at /api/teams/{teamId}/patients/{patientId}/notes. */
export function noteRoutes(store: TeamStore): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const patientId = fhirId.parse((req.params as Record<string, string>).patientId);
    res.json({ notes: await store.listNotes(teamKey(req), patientId) });
  });

  router.post('/', async (req, res) => {
    const patientId = fhirId.parse((req.params as Record<string, string>).patientId);
    const { text } = noteBody.parse(req.body);
    const { userId, name } = caller();
    res.status(201).json(await store.addNote(teamKey(req), patientId, { id: userId, name: name ?? userId }, text));
  });

  return router;
}
