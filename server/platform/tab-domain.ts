/**
 * TAB_DOMAIN: the host name Teams loads the tab from (a port may follow, as a local tunnel's
 * does), never a web address. The server's SSO audience (`api://{TAB_DOMAIN}/{client id}`) and the
 * Teams manifest's tab URLs, validDomains and webApplicationInfo.resource are all built from it, so
 * the server's start and `npm run package` refuse the same values with the same words.
 */
export const TAB_DOMAIN_NAME =
  /^(?=[^:]{1,253}(?::|$))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/i;

export const TAB_DOMAIN_RULE = 'must be the host name the tab is served from, such as patients.contoso.org (no https:// and no path)';
