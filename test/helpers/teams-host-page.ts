/**
 * A small stand-in for the Teams client: a page that frames the tab and answers the TeamsJS
 * messages the tab uses. The message format is TeamsJS v2's window.postMessage protocol, read
 * from @microsoft/teams-js 2.58.0 (dist/esm/.../internal/communication.js and appHelpers.js):
 * - the tab sends `{ id, uuidAsString, func, args, timestamp, apiVersionTag, … }`;
 * - the host answers a request with `{ id, uuidAsString, args }` (args as the callback takes them);
 * - the host starts events itself with `{ func, args }` (e.g. `themeChange`, `settings.save`).
 * `initialize` is answered with [frameContext, hostClientType, runtime config JSON, SDK version];
 * `getContext` with the legacy context object that app.getContext() turns into app.Context;
 * `authentication.getAuthToken` with [success, token] (or [false, reason] when it refuses);
 * `settings.setSettings` with [success].
 * `authentication.authenticate` (public/authentication.js) arrives as [url, width, height,
 * isExternal]; like the web client, the host opens `url` in a popup window of that size. TeamsJS in
 * the popup talks to its opener (internal/communication.js: parent = window.opener when not
 * framed): the host answers its `initialize` with frame context `authentication`, and the popup's
 * `notifySuccess(result)` / `notifyFailure(reason)` arrive as `authentication.authenticate.success`
 * [result] / `authentication.authenticate.failure` [reason]; the host then answers the tab's request
 * with [true, result] or [false, reason], or with [false, 'CancelledByUser'] when the window is
 * closed first (the reason TeamsJS 1.x's own popup monitor gave, which hosts kept).
 * The page is served from the tab's own origin: TeamsJS trusts messages from its own origin, and
 * the tab's CSP frame-ancestors allows 'self'.
 */
export interface HostPageOptions {
  tabPath: string;
  frameContext: 'content' | 'settings';
  context: Record<string, unknown>;
  /** Dev user whose token the host hands out for getAuthToken. */
  userId: string;
  /** The SSO token to hand out instead of a dev token (production mode: an Azure AD shaped one). */
  token?: string;
  /** When false, the host never answers initialize (a broken host). */
  answers?: boolean;
  /** When given, the host refuses every getAuthToken with this reason (SSO not possible: no consent, no account). */
  tokenRefusal?: string;
}

/** What the host page keeps on `window`, for tests to read and drive with `page.evaluate`. */
export interface HostPageWindow {
  host: {
    /** The TeamsJS messages the tab sent, by `func`. */
    calls: string[];
    valid: boolean | null;
    settings: Record<string, string> | null;
    saved: boolean | null;
    authenticate: { url: string; width: number; height: number }[];
    authResults: unknown[][];
    /** The links the tab asked the host to open (app.openLink). */
    links: string[];
  };
  hostTheme(theme: string): void;
  hostSave(): void;
}

export function hostPageHtml(options: HostPageOptions): string {
  const runtime = {
    apiVersion: 4,
    isLegacyTeams: false,
    supports: {
      app: {},
      appEntity: {},
      authentication: {},
      pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
      teamsCore: {},
      dialog: { card: {}, url: {} },
    },
  };
  return `<!doctype html><html lang="en"><head><title>Teams host</title></head><body>
<iframe id="tab" title="Patients tab" src="${options.tabPath}" style="width:1200px;height:800px;border:0"></iframe>
<script>
const options = ${JSON.stringify({ ...options, runtime })};
const frame = document.getElementById('tab');
window.host = { calls: [], valid: null, settings: null, saved: null, authenticate: [], authResults: [], links: [] };
const post = (message) => frame.contentWindow.postMessage(message, location.origin);
let auth = null;
const finishAuth = (args) => {
  if (!auth) return;
  clearInterval(auth.monitor);
  auth.reply(args);
  window.host.authResults.push(args);
  auth = null;
};
const fromPopup = (event, m) => {
  const reply = (args) => event.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, event.origin);
  switch (m.func) {
    case 'initialize':
      reply(['authentication', 'web', JSON.stringify(options.runtime), '2.58.0']);
      break;
    case 'authentication.authenticate.success':
      finishAuth([true, m.args[0]]);
      break;
    case 'authentication.authenticate.failure':
      finishAuth([false, m.args[0]]);
      break;
    default:
      if (typeof m.id === 'number') reply([]);
  }
};
window.addEventListener('message', async (event) => {
  const m = event.data;
  if (!m || typeof m.func !== 'string') return;
  if (auth && event.source === auth.popup) return fromPopup(event, m);
  if (event.source !== frame.contentWindow) return;
  window.host.calls.push(m.func);
  const reply = (args) => post({ id: m.id, uuidAsString: m.uuidAsString, args });
  switch (m.func) {
    case 'initialize':
      if (options.answers !== false) reply([options.frameContext, 'web', JSON.stringify(options.runtime), '2.58.0']);
      break;
    case 'getContext':
      reply([{ ...options.context, frameContext: options.frameContext, hostClientType: 'web' }]);
      break;
    case 'authentication.getAuthToken': {
      if (options.tokenRefusal) {
        reply([false, options.tokenRefusal]);
        break;
      }
      if (options.token) {
        reply([true, options.token]);
        break;
      }
      const res = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: options.userId }) });
      reply([true, (await res.json()).access_token]);
      break;
    }
    case 'authentication.authenticate': {
      const [url, width, height] = m.args;
      window.host.authenticate.push({ url, width, height });
      if (auth) {
        reply([false, 'An authentication window is already open']);
        break;
      }
      const popup = window.open(url, 'teams-authentication', 'width=' + width + ',height=' + height);
      auth = { popup, reply, monitor: setInterval(() => { if (!popup || popup.closed) finishAuth([false, 'CancelledByUser']); }, 100) };
      break;
    }
    case 'executeDeepLink':
      // app.openLink: the host opens the link (a browser tab or its own viewer) and answers [status].
      window.host.links.push(m.args[0]);
      reply([true]);
      break;
    case 'settings.setValidityState':
      window.host.valid = m.args[0];
      break;
    case 'settings.setSettings':
      window.host.settings = m.args[0];
      reply([true]);
      break;
    case 'settings.save.success':
      window.host.saved = true;
      break;
    case 'settings.save.failure':
      window.host.saved = false;
      break;
    default:
      if (typeof m.id === 'number') reply([]);
  }
});
window.hostTheme = (theme) => post({ func: 'themeChange', args: [theme] });
window.hostSave = () => post({ func: 'settings.save', args: [{ webhookUrl: '' }] });
</script></body></html>`;
}
