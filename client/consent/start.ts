import { authentication } from '@microsoft/teams-js';
import type { ConsentConfig } from '../../contract/teams';
import { authorizeUrl, CONSENT_END_PATH, isTenantId, pkceChallenge, randomText, STATE_KEY } from './authorize';
import { startPopupPage } from './popup-page';

/** consent-start.html: fetches the app's public Entra settings from the server and goes on to Azure AD. */
async function start() {
  const page = await startPopupPage('consent.redirecting');
  if (!page.connected) return;
  const query = new URLSearchParams(window.location.search);
  const tenantId = query.get('tenant');
  try {
    if (!isTenantId(tenantId)) throw new Error('no tenant');
    const res = await fetch('/api/consent-config');
    if (!res.ok) throw new Error(`consent settings: HTTP ${res.status}`);
    const config = (await res.json()) as ConsentConfig;
    const state = randomText();
    sessionStorage.setItem(STATE_KEY, state);
    window.location.assign(
      authorizeUrl(config, {
        tenantId,
        redirectUri: new URL(CONSENT_END_PATH, window.location.origin).href,
        state,
        codeChallenge: await pkceChallenge(randomText()),
        loginHint: query.get('loginHint'),
      }),
    );
  } catch {
    page.show('consent.failed');
    authentication.notifyFailure('consent_unavailable');
  }
}

void start();
