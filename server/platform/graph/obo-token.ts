import { ConfidentialClientApplication, type INetworkModule } from '@azure/msal-node';
import { guidPattern } from '../../../contract/id-syntax.js';
import { GraphAccessError } from './graph-errors.js';

/**
 * Delegated Graph permission the store needs, on behalf of the signed-in user:
 * Sites.Manage.All, because the store creates SharePoint lists (and columns) in the team's
 * site, and list-create documents no lesser delegated permission ("Sites.ReadWrite.All" covers
 * items only). The user's own SharePoint rights still apply, as always with delegated access.
 * GroupMember.Read.All lets the backend check, as the user, who owns and who belongs to a team
 * (the group's owners and members). Team.ReadBasic.All lists the teams the user belongs to
 * (`/me/joinedTeams`, for the personal tab and group chats). All are asked for in one
 * on-behalf-of exchange.
 * Sites.Selected (delegated) would narrow it to sites an admin grants the app "manage" on, one
 * by one — possible for tenants that require it, but every new team would need a grant.
 */
export const graphScopes = [
  'https://graph.microsoft.com/Sites.Manage.All',
  'https://graph.microsoft.com/GroupMember.Read.All',
  'https://graph.microsoft.com/Team.ReadBasic.All',
];

export interface OboSettings {
  /** The app's Entra registration (the audience of the Teams SSO token). */
  clientId: string;
  clientSecret: string;
  /** `https://login.microsoftonline.com` unless another cloud or a local fake is meant. */
  authorityHost?: string;
  /** msal-node's transport; tests route it to a local fake of Azure AD. */
  networkClient?: INetworkModule;
}

export interface OboTokenSource {
  /** A Graph token for the user of `ssoToken` in their tenant; cached by MSAL per user and scopes. */
  tokenFor(request: { ssoToken: string; tenantId: string; scopes?: string[] }): Promise<string>;
}

const DEFAULT_HOST = 'https://login.microsoftonline.com';

/**
 * On-behalf-of exchange with `@azure/msal-node`: one ConfidentialClientApplication per process,
 * the authority of the caller's own tenant on each request (multi-tenant), and MSAL's in-memory
 * cache, which keys OBO results by the assertion's hash and the scopes.
 */
export function createOboTokenSource(settings: OboSettings): OboTokenSource {
  const host = (settings.authorityHost ?? DEFAULT_HOST).replace(/\/+$/, '');
  const custom = host !== DEFAULT_HOST;
  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authority: `${host}/organizations`,
      // A host MSAL does not know is trusted as given instead of checked by instance discovery.
      ...(custom ? { knownAuthorities: [new URL(host).host] } : {}),
    },
    system: settings.networkClient ? { networkClient: settings.networkClient } : {},
  });

  return {
    async tokenFor({ ssoToken, tenantId, scopes = graphScopes }) {
      if (!guidPattern.test(tenantId)) throw new GraphAccessError('unauthenticated', 'The sign-in token has no valid tenant.');
      try {
        const result = await cca.acquireTokenOnBehalfOf({ oboAssertion: ssoToken, scopes, authority: `${host}/${tenantId}` });
        if (!result?.accessToken) throw new GraphAccessError('graph_failed', 'Azure AD returned no access token.');
        return result.accessToken;
      } catch (err) {
        throw oboError(err);
      }
    },
  };
}

/**
 * The store's `getAccessToken` for the current request: the caller's SSO token exchanged for
 * a Graph token, refused for any tenant but the caller's own.
 */
export function graphTokenForCaller(
  source: OboTokenSource,
  currentCaller: () => { ssoToken: string; tenantId: string },
): (tenantId: string) => Promise<string> {
  return async (tenantId) => {
    const caller = currentCaller();
    if (caller.tenantId !== tenantId) throw new GraphAccessError('forbidden', "A team of another tenant than the caller's was asked for.");
    return source.tokenFor({ ssoToken: caller.ssoToken, tenantId });
  };
}

/** MSAL errors compared by `errorCode` strings (msal-node 7 no longer re-exports msal-common's classes). */
function oboError(err: unknown): Error {
  if (err instanceof GraphAccessError) return err;
  const e = err as { errorCode?: string; subError?: string; errorMessage?: string; message?: string };
  const text = `${e.errorMessage ?? ''} ${e.message ?? ''}`;
  const code = e.errorCode ?? '';
  if (code === 'interaction_required' || code === 'consent_required' || e.subError === 'consent_required' || /AADSTS6500[14]/.test(text)) {
    return new GraphAccessError('consent_required', 'Consent is needed before the app can use Microsoft Graph for this user.');
  }
  if (code === 'invalid_grant') return new GraphAccessError('unauthenticated', 'Azure AD did not accept the sign-in token; sign in again.');
  return new GraphAccessError('graph_failed', 'Could not get a Microsoft Graph token from Azure AD.');
}
