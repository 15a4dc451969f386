import type { ConsentConfig } from '../../../contract/teams';

/**
 * The link a tenant administrator opens to grant the app's permissions for everyone in the
 * organization (learn.microsoft.com/entra/identity-platform/v2-admin-consent; the tenant-wide
 * endpoint grants what the app registration lists). GroupMember.Read.All, which the backend
 * needs to check who is in a team, is a permission only an administrator can consent to: an
 * ordinary user's consent popup cannot grant it.
 */
export function adminConsentUrl(config: Pick<ConsentConfig, 'clientId' | 'authority'>, tenantId: string): string {
  const url = new URL(`${config.authority.replace(/\/+$/, '')}/${tenantId}/adminconsent`);
  url.searchParams.set('client_id', config.clientId);
  return url.href;
}
