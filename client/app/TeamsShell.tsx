import { MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useSyncExternalStore } from 'react';
import { SetupPanel } from '../features/setup/SetupPanel';
import { createApi } from '../shared/api/api-client';
import { t } from '../shared/i18n/t';
import { SessionProvider, type Session } from '../shared/session';
import { ConsentProvider, type ConsentRetry } from '../shared/teams/consent-context';
import { createConsentGate } from '../shared/teams/consent-gate';
import { tabConfig, type TeamsHost } from '../shared/teams/teams-host';
import { currentRoute } from './route';
import { TeamTab } from './TeamTab';

/** Inside Teams: the team and user come from the host, every API call carries the SSO token. */
export function TeamsShell({ host }: { host: TeamsHost }) {
  const { context } = host;
  const teamId = context.team?.groupId;
  const queryClient = useQueryClient();
  const gate = useMemo(() => createConsentGate(host.askConsent), [host]);
  const consentState = useSyncExternalStore(gate.subscribe, gate.state);
  const consent = useMemo<ConsentRetry>(
    () => ({
      asking: consentState === 'asking',
      // Consent given: what failed for the lack of it loads again. Not given: the notices stay.
      retry: () => void gate.askAgain().then(() => queryClient.invalidateQueries(), () => undefined),
    }),
    [consentState, gate, queryClient],
  );
  const session = useMemo<Session | null>(
    () =>
      teamId
        ? {
            userId: context.user?.id ?? '',
            userName: context.user?.displayName ?? context.user?.userPrincipalName ?? '',
            tenantName: '',
            teamId,
            teamName: context.team?.displayName ?? '',
            // A hint for the UI only: the server checks ownership on every settings change.
            isOwner: context.team?.userRole === 0,
            api: createApi(host.getToken, { onConsentRequired: gate.whenRequired }),
          }
        : null,
    [context, host, teamId, gate],
  );
  if (!session) {
    return (
      <main style={{ padding: 24 }}>
        <MessageBar intent="info"><MessageBarBody>{t('teams.noTeam')}</MessageBarBody></MessageBar>
      </main>
    );
  }
  const configuring = context.page.frameContext === 'settings' || currentRoute() === 'config';
  return (
    <SessionProvider session={session}>
      <ConsentProvider value={consent}>
        {configuring ? <ConfigPage teamId={session.teamId} /> : <TeamTab />}
      </ConsentProvider>
    </SessionProvider>
  );
}

/** The Teams configuration page: Save stays disabled until the connection is stored. */
function ConfigPage({ teamId }: { teamId: string }) {
  useMemo(() => {
    tabConfig.setValid(false);
    tabConfig.onSave(teamId);
  }, [teamId]);
  return (
    <main style={{ padding: '16px 24px' }}>
      <Text block style={{ marginBottom: '16px' }}>{t('teams.configIntro')}</Text>
      <SetupPanel current={{ mode: 'unset' }} onSaved={() => tabConfig.setValid(true)} />
    </main>
  );
}
