import type { app } from '@microsoft/teams-js';
import type { Api } from '../shared/api/api-client';
import type { Session } from '../shared/session';

/** The team a Teams tab works with: from the channel's context, or the one the user chose. */
export interface TabTeam {
  id: string;
  name: string;
  /** A hint for the UI only: the server checks ownership on every settings change. */
  isOwner: boolean;
}

/** A session in Teams: the user from the host's context, the team as given, calls with the SSO token. */
export function teamsSession(context: app.Context, api: Api, team: TabTeam): Session {
  return {
    userId: context.user?.id ?? '',
    userName: context.user?.displayName ?? context.user?.userPrincipalName ?? '',
    tenantName: '',
    teamId: team.id,
    teamName: team.name,
    isOwner: team.isOwner,
    api,
  };
}
