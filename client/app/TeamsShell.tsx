import { MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { createApi } from '../shared/api/api-client';
import { OnDemandSlot, onDemand } from '../shared/components/OnDemand';
import { t } from '../shared/i18n/t';
import { SessionProvider } from '../shared/session';
import { ConsentProvider, type ConsentRetry } from '../shared/teams/consent-context';
import { createConsentGate } from '../shared/teams/consent-gate';
import { tabConfig, teamOfEntityId, type TeamsHost } from '../shared/teams/teams-host';
import { SetupPanel } from './on-demand-screens';
import { currentRoute } from './route';
import { teamsSession } from './teams-session';
import { TeamTab } from './TeamTab';

// The personal and group chat tabs (a team to pick first) are fetched in those places only: a
// channel's tab, where most visits are, does not download them.
const PersonalTab = onDemand(() => import('./PersonalTab').then((m) => m.PersonalTab));
const ChatTab = onDemand(() => import('./ChatTab').then((m) => m.ChatTab));
const ChatConfigPage = onDemand(() => import('./ChatTab').then((m) => m.ChatConfigPage));

/**
 * Inside Teams: the user comes from the host, every API call carries the SSO token. The team is
 * the channel's; in a group chat the one the tab was saved with; in the personal tab the user's choice.
 */
export function TeamsShell({ host }: { host: TeamsHost }) {
  const { context } = host;
  const channelTeamId = context.team?.groupId;
  const queryClient = useQueryClient();
  const gate = useMemo(() => createConsentGate(host.askConsent), [host]);
  const consentState = useSyncExternalStore(gate.subscribe, gate.state);
  const consent = useMemo<ConsentRetry>(
    () => ({
      asking: consentState === 'asking',
      tenantId: context.user?.tenant?.id,
      // Consent given: what failed for the lack of it loads again. Not given: the notices stay.
      retry: () =>
        void gate.askAgain().then(
          () => queryClient.invalidateQueries(),
          () => undefined,
        ),
    }),
    [consentState, gate, queryClient, context],
  );
  const api = useMemo(() => createApi(host.getToken, { onConsentRequired: gate.whenRequired }), [host, gate]);
  const channelSession = useMemo(
    () =>
      channelTeamId
        ? teamsSession(context, api, { id: channelTeamId, name: context.team?.displayName ?? '', isOwner: context.team?.userRole === 0 })
        : null,
    [context, api, channelTeamId],
  );
  const configuring = context.page.frameContext === 'settings' || currentRoute() === 'config';
  const chatTeamId = teamOfEntityId(context.page.id);

  let content: ReactNode;
  if (channelSession) {
    content = <SessionProvider session={channelSession}>{configuring ? <ConfigPage teamId={channelSession.teamId} /> : <TeamTab />}</SessionProvider>;
  } else if (configuring) {
    content = <ChatConfigPage api={api} />;
  } else if (chatTeamId) {
    content = <ChatTab context={context} api={api} teamId={chatTeamId} />;
  } else if (context.chat?.id) {
    content = (
      <main style={{ padding: 24 }}>
        <MessageBar intent="info">
          <MessageBarBody>{t('teams.chatWithoutTeam')}</MessageBarBody>
        </MessageBar>
      </main>
    );
  } else {
    content = <PersonalTab context={context} api={api} />;
  }
  return (
    <ConsentProvider value={consent}>
      <OnDemandSlot>{content}</OnDemandSlot>
    </ConsentProvider>
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
      <Text block style={{ marginBottom: '16px' }}>
        {t('teams.configIntro')}
      </Text>
      <OnDemandSlot>
        <SetupPanel current={{ mode: 'unset' }} onSaved={() => tabConfig.setValid(true)} />
      </OnDemandSlot>
    </main>
  );
}
