import { z } from 'zod';

/** `GET /api/me`: what the tab may offer the caller. */
export const meAnswer = z.object({ canReadAudit: z.boolean() });
export type MeAnswer = z.infer<typeof meAnswer>;

export const teamRoles = ['owner', 'member'] as const;

/** One of the caller's teams, with how it is set up and the caller's role in it. */
export const myTeam = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.enum(['ehr', 'manual', 'unset']),
  role: z.enum(teamRoles),
});
export type MyTeam = z.infer<typeof myTeam>;

/** `GET /api/me/teams`: the caller's teams in their tenant, by name. */
export const myTeamsAnswer = z.object({ teams: z.array(myTeam) });
export type MyTeamsAnswer = z.infer<typeof myTeamsAnswer>;

/** `GET /api/health`. */
export const healthAnswer = z.object({ status: z.literal('ok') });

/** `GET /api/ready`: 200 when every check is ok, 503 (same shape) naming the failed ones. */
export const readyAnswer = z.object({ status: z.enum(['ready', 'not_ready']), checks: z.record(z.string(), z.enum(['ok', 'failed'])) });
export type ReadyAnswer = z.infer<typeof readyAnswer>;

/** `GET /api/consent-config` (production): the public settings of the Graph consent popup. */
export const consentConfigAnswer = z.object({ clientId: z.string(), authority: z.string(), scopes: z.array(z.string()) });
export type ConsentConfig = z.infer<typeof consentConfigAnswer>;
