import { authentication } from '@microsoft/teams-js';
import { readAnswer, STATE_KEY } from './authorize';
import { startPopupPage } from './popup-page';

/** consent-end.html: Azure AD's redirect back; tells the tab through Teams whether consent was given. */
async function end() {
  const fragment = window.location.hash;
  // The authorization code has no use here; keep it out of the address and the history.
  history.replaceState(null, '', window.location.pathname);
  const answer = readAnswer(fragment, sessionStorage.getItem(STATE_KEY));
  sessionStorage.removeItem(STATE_KEY);
  const page = await startPopupPage('consent.finishing');
  if (!page.connected) return;
  if (answer.granted) {
    authentication.notifySuccess();
  } else {
    page.show('consent.failed');
    authentication.notifyFailure(answer.reason);
  }
}

void end();
