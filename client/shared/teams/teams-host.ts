import { app, authentication, pages } from '@microsoft/teams-js';
import { guidPattern } from '../../../contract/id-syntax';
import { ApiError } from '../api/api-client';
import { currentLanguage, t } from '../i18n/t';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface TeamsHost {
  context: app.Context;
  getToken(): Promise<string>;
  onThemeChange(handler: (theme: TeamsTheme) => void): void;
  /** Opens the Graph consent popup through Teams; resolves when the popup reports success. */
  askConsent(): Promise<void>;
}

/** Teams' themes as the tab renders them: glass and anything unknown fall back to light. */
export function themeOf(name: string | undefined): TeamsTheme {
  return name === 'dark' || name === 'contrast' ? name : 'default';
}

/**
 * Connects to the Teams host once. Outside a frame there is no host to wait for; a frame that
 * never answers `initialize` is given a few seconds, then the tab runs standalone (TeamsJS's own
 * wait is a minute).
 */
export async function connectToTeams(timeoutMs = 3000): Promise<TeamsHost | null> {
  if (window.parent === window && !window.opener) return null;
  try {
    await Promise.race([app.initialize(), new Promise((_, reject) => setTimeout(() => reject(new Error('no Teams host answered')), timeoutMs))]);
    const context = await app.getContext();
    return {
      context,
      // Teams refusing a token rejects with its own reason ("resourceRequiresConsent", "FailedToOpenWindow"):
      // words for developers, in English, that the panels would show as they are. The user is told in theirs.
      getToken: () =>
        authentication.getAuthToken().catch(() => {
          throw new ApiError(0, 'teams_sign_in', t('error.teamsSignIn'));
        }),
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(themeOf(theme))),
      askConsent: async () => {
        await authentication.authenticate({ url: consentStartUrl(context), width: 600, height: 535 });
      },
    };
  } catch {
    return null;
  }
}

/**
 * The popup's first page (consent-start.html): the tenant whose authorize endpoint it opens, the
 * account to suggest, and the tab's language. The app's client id and scopes come from the server.
 */
export function consentStartUrl(context: app.Context, origin = window.location.origin): string {
  const url = new URL('/consent-start.html', origin);
  url.searchParams.set('tenant', context.user?.tenant?.id ?? '');
  const hint = context.user?.loginHint ?? context.user?.userPrincipalName;
  if (hint) url.searchParams.set('loginHint', hint);
  url.searchParams.set('lang', currentLanguage());
  return url.href;
}

/** The tab's entity id names its team, so that a tab outside a team (a group chat) knows it on load. */
export const entityIdFor = (teamId: string) => `patients-${teamId}`;

/** The team an entity id names, or null (the personal tab's, or a tab saved without a team). */
export function teamOfEntityId(entityId: string | undefined): string | null {
  const teamId = entityId?.startsWith('patients-') ? entityId.slice('patients-'.length) : '';
  return guidPattern.test(teamId) ? teamId : null;
}

/** The configuration page: Save is enabled once the tab is ready; saving adds the tab for the team. */
export const tabConfig = {
  setValid(valid: boolean): void {
    pages.config.setValidityState(valid);
  },
  onSave(teamId: string): void {
    pages.config.registerOnSaveHandler((event) => {
      const contentUrl = `${window.location.origin}/#/tab`;
      pages.config
        .setConfig({ contentUrl, websiteUrl: contentUrl, entityId: entityIdFor(teamId), suggestedDisplayName: 'Patients' })
        .then(() => event.notifySuccess())
        .catch((err: Error) => event.notifyFailure(err.message));
    });
  },
};
