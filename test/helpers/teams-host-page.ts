/**
 * A small stand-in for the Teams client: a page that frames the tab and answers the TeamsJS
 * messages the tab uses. The message format is TeamsJS v2's window.postMessage protocol, read
 * from @microsoft/teams-js 2.58.0 (dist/esm/.../internal/communication.js and appHelpers.js):
 * - the tab sends `{ id, uuidAsString, func, args, timestamp, apiVersionTag, … }`;
 * - the host answers a request with `{ id, uuidAsString, args }` (args as the callback takes them);
 * - the host starts events itself with `{ func, args }` (e.g. `themeChange`, `settings.save`).
 * `initialize` is answered with [frameContext, hostClientType, runtime config JSON, SDK version];
 * `getContext` with the legacy context object that app.getContext() turns into app.Context;
 * `authentication.getAuthToken` with [success, token]; `settings.setSettings` with [success].
 * The page is served from the tab's own origin: TeamsJS trusts messages from its own origin, and
 * the tab's CSP frame-ancestors allows 'self'.
 */
export interface HostPageOptions {
  tabPath: string;
  frameContext: 'content' | 'settings';
  context: Record<string, unknown>;
  /** Dev user whose token the host hands out for getAuthToken. */
  userId: string;
  /** When false, the host never answers initialize (a broken host). */
  answers?: boolean;
}

export function hostPageHtml(options: HostPageOptions): string {
  const runtime = {
    apiVersion: 4,
    isLegacyTeams: false,
    supports: { app: {}, appEntity: {}, authentication: {}, pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teamsCore: {}, dialog: { card: {}, url: {} } },
  };
  return `<!doctype html><html lang="en"><head><title>Teams host</title></head><body>
<iframe id="tab" title="Patients tab" src="${options.tabPath}" style="width:1200px;height:800px;border:0"></iframe>
<script>
const options = ${JSON.stringify({ ...options, runtime })};
const frame = document.getElementById('tab');
window.host = { calls: [], valid: null, settings: null, saved: null };
const post = (message) => frame.contentWindow.postMessage(message, location.origin);
window.addEventListener('message', async (event) => {
  const m = event.data;
  if (event.source !== frame.contentWindow || !m || typeof m.func !== 'string') return;
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
      const res = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: options.userId }) });
      reply([true, (await res.json()).access_token]);
      break;
    }
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
