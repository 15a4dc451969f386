import { z } from 'zod';
import { manualPatient } from './manual.js';
import { unverifiedReasons } from './plain-constants.js';

/** Who discharged a hand-entered patient, and when (ISO time); `byUnverified` when the app cannot vouch for who (see unverifiedReasons). */
export const discharge = z.object({ at: z.string(), byId: z.string(), byName: z.string(), byUnverified: z.enum(unverifiedReasons).optional() });
export type Discharge = z.infer<typeof discharge>;

/** A hand-entered patient who left the ward: kept, read-only, off every list. */
export const dischargedPatient = manualPatient.extend({ discharged: discharge });
export type DischargedPatient = z.infer<typeof dischargedPatient>;

/** `GET /api/teams/{teamId}/discharged-patients`: the team's discharged patients, newest discharge first. */
export const dischargedPatientsAnswer = z.object({ patients: z.array(dischargedPatient) });
export type DischargedPatientsAnswer = z.infer<typeof dischargedPatientsAnswer>;

/**
 * `POST …/manual-patients/{id}/discharge` and `POST …/discharged-patients/{id}/readmit`: the
 * patient's version as read, so a change made meanwhile by a colleague is not overridden.
 */
export const dischargeBody = z.object({ version: z.number().int().min(1) }).strict();
export type DischargeBody = z.infer<typeof dischargeBody>;
