import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorizeUrl, pkceChallenge, readAnswer } from '../../../client/consent/authorize';
import { ApiError, createApi } from '../../../client/shared/api/api-client';
import { catalogs } from '../../../client/shared/i18n/catalogs';
import { createConsentGate } from '../../../client/shared/teams/consent-gate';

// A stand-in for the backend's answers in production mode (server/graph/obo-token.ts, errors as
// in server/http/error-handler.ts): 403 {code:'consent_required'} until the user has consented,
// then the data. The same flow runs against the real backend in test/e2e/teams-consent.test.ts.
let server: Server;
let base: string;
let consented = false;
let requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/api/teams/t1/members-only')
      return json(403, { code: 'not_team_member', message: 'You are not a member of this team.', requestId: 'r0' });
    if (!consented)
      return json(403, {
        code: 'consent_required',
        message: 'Consent is needed before the app can use Microsoft Graph for this user.',
        requestId: 'r1',
      });
    return json(200, { path: req.url });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  consented = false;
  requests = [];
});

/** Teams' side of `authentication.authenticate`: the popup either grants consent or is closed. */
function fakePopup(outcome: 'grant' | 'close' | 'succeed-without-consent') {
  const popup = { opened: 0, outcome };
  const open = async () => {
    popup.opened += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (popup.outcome === 'close') throw new Error('CancelledByUser');
    if (popup.outcome === 'grant') consented = true;
    return '';
  };
  return { popup, open };
}

const token = async () => 'sso-token';
const declined = catalogs.en['consent.declined'];

describe('API client in Teams when Graph consent is missing', () => {
  it('opens one consent popup for calls that fail together, then retries each call once', async () => {
    const { popup, open } = fakePopup('grant');
    const api = createApi(token, { onConsentRequired: createConsentGate(open).whenRequired });
    const paths = ['/api/teams/t1/lists', '/api/teams/t1/connection', '/api/teams/t1/lists/l1'];
    const results = await Promise.all(paths.map((p) => api<{ path: string }>(`${base}${p}`)));
    expect(results.map((r) => r.path)).toEqual(paths);
    expect(popup.opened).toBe(1);
    for (const p of paths) expect(requests.filter((r) => r === p)).toHaveLength(2);
  });

  it('after the popup is closed, says so in plain words and reopens it only when the user asks', async () => {
    const { popup, open } = fakePopup('close');
    const gate = createConsentGate(open);
    const api = createApi(token, { onConsentRequired: gate.whenRequired });
    const failures = await Promise.allSettled([api(`${base}/api/teams/t1/lists`), api(`${base}/api/teams/t1/connection`)]);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      expect((failure as PromiseRejectedResult).reason).toMatchObject({ status: 403, code: 'consent_required', message: declined });
    }
    expect(popup.opened).toBe(1);
    expect(gate.state()).toBe('declined');

    // A retry by the tab itself (React Query) does not bring the popup back.
    await expect(api(`${base}/api/teams/t1/lists`)).rejects.toMatchObject({ code: 'consent_required', message: declined });
    expect(popup.opened).toBe(1);

    popup.outcome = 'grant';
    await gate.askAgain();
    expect(gate.state()).toBe('idle');
    expect(popup.opened).toBe(2);
    expect(await api(`${base}/api/teams/t1/lists`)).toEqual({ path: '/api/teams/t1/lists' });
  });

  it('retries only once: a second consent_required after the popup is shown as the server said it', async () => {
    const { popup, open } = fakePopup('succeed-without-consent');
    const api = createApi(token, { onConsentRequired: createConsentGate(open).whenRequired });
    const error = await api(`${base}/api/teams/t1/lists`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: 'consent_required', requestId: 'r1' });
    expect(popup.opened).toBe(1);
    expect(requests).toEqual(['/api/teams/t1/lists', '/api/teams/t1/lists']);
  });

  it('opens no popup outside Teams or for other refusals', async () => {
    const { popup, open } = fakePopup('grant');
    await expect(createApi(token)(`${base}/api/teams/t1/lists`)).rejects.toMatchObject({ code: 'consent_required' });
    const inTeams = createApi(token, { onConsentRequired: createConsentGate(open).whenRequired });
    await expect(inTeams(`${base}/api/teams/t1/members-only`)).rejects.toMatchObject({ code: 'not_team_member' });
    expect(popup.opened).toBe(0);
    expect(requests).toEqual(['/api/teams/t1/lists', '/api/teams/t1/members-only']);
  });
});

describe('consent popup request to Azure AD', () => {
  it('asks the tenant authorize endpoint for consent to the server-given scopes, answer in the fragment', () => {
    const url = new URL(
      authorizeUrl(
        {
          clientId: 'client-1',
          authority: 'https://login.microsoftonline.com/',
          scopes: ['https://graph.microsoft.com/Sites.Manage.All', 'https://graph.microsoft.com/GroupMember.Read.All'],
        },
        {
          tenantId: '11111111-aaaa-4aaa-8aaa-111111111111',
          redirectUri: 'https://tab.example/consent-end.html',
          state: 's1',
          codeChallenge: 'c1',
          loginHint: 'ada@contoso.example',
        },
      ),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://login.microsoftonline.com/11111111-aaaa-4aaa-8aaa-111111111111/oauth2/v2.0/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-1',
      response_type: 'code',
      response_mode: 'fragment',
      redirect_uri: 'https://tab.example/consent-end.html',
      scope: 'https://graph.microsoft.com/Sites.Manage.All https://graph.microsoft.com/GroupMember.Read.All',
      prompt: 'consent',
      state: 's1',
      code_challenge: 'c1',
      code_challenge_method: 'S256',
      login_hint: 'ada@contoso.example',
    });
  });

  it('accepts only an answer that carries the state it sent', () => {
    expect(readAnswer('#code=abc&state=s1&session_state=x', 's1')).toEqual({ granted: true });
    expect(readAnswer('#error=access_denied&error_subcode=cancel&state=s1', 's1')).toEqual({ granted: false, reason: 'access_denied' });
    expect(readAnswer('#code=abc&state=other', 's1')).toEqual({ granted: false, reason: 'state_mismatch' });
    expect(readAnswer('#code=abc&state=s1', null)).toEqual({ granted: false, reason: 'state_mismatch' });
    expect(readAnswer('#state=s1', 's1')).toEqual({ granted: false, reason: 'no_answer' });
  });

  it('derives the PKCE challenge as RFC 7636 S256 (appendix B vector)', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});
