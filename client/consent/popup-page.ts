import { app } from '@microsoft/teams-js';
import type { MessageKey } from '../shared/i18n/en';
import { loadLocale, t } from '../shared/i18n/t';

/**
 * What both popup pages do first: speak the tab's language (`?lang=`, kept in session storage
 * across the trip to Azure AD), say what is happening, and connect to the Teams window that
 * opened the popup (TeamsJS answers it with the `authentication` frame context).
 */
export async function startPopupPage(status: MessageKey): Promise<{ show(key: MessageKey): void; connected: boolean }> {
  const lang = new URLSearchParams(window.location.search).get('lang') ?? sessionStorage.getItem(LANG_KEY);
  if (lang) sessionStorage.setItem(LANG_KEY, lang);
  await loadLocale(lang ?? navigator.language);
  const element = document.getElementById('status')!;
  const show = (key: MessageKey) => {
    element.textContent = t(key);
  };
  show(status);
  try {
    await app.initialize();
    return { show, connected: true };
  } catch {
    show('consent.failed');
    return { show, connected: false };
  }
}

const LANG_KEY = 'patients.consent.lang';
