import { TAB_DOMAIN_NAME, TAB_DOMAIN_RULE } from '../../server/platform/tab-domain.js';

/** Why a TAB_DOMAIN cannot make an app package (named with where it was set), or undefined when it can. */
export function tabDomainProblem(value: string, source: string): string | undefined {
  if (TAB_DOMAIN_NAME.test(value)) return undefined;
  return `TAB_DOMAIN "${value}" (${source}) ${TAB_DOMAIN_RULE}: the tab's URLs, validDomains and webApplicationInfo.resource are built from it`;
}
