import { describe, expect, it } from 'vitest';
import { adminConsentUrl } from '../../../client/shared/teams/admin-consent';

describe('the admin consent link', () => {
  it("is the tenant's admin consent endpoint for the app's client id", () => {
    const url = new URL(
      adminConsentUrl(
        { clientId: '11111111-2222-4333-8444-555555555555', authority: 'https://login.microsoftonline.com/' },
        '3f6d1c2a-8b4e-4f7a-9c1d-2e5b7a9c0d11',
      ),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://login.microsoftonline.com/3f6d1c2a-8b4e-4f7a-9c1d-2e5b7a9c0d11/adminconsent');
    expect([...url.searchParams]).toEqual([['client_id', '11111111-2222-4333-8444-555555555555']]);
  });

  it('follows another cloud or a local stand-in of Azure AD', () => {
    expect(adminConsentUrl({ clientId: 'app', authority: 'https://login.microsoftonline.us' }, 'tenant')).toBe(
      'https://login.microsoftonline.us/tenant/adminconsent?client_id=app',
    );
  });
});
