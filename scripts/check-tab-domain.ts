/**
 * `atk provision` runs this (a `script` step of m365agents.yml and m365agents.local.yml) before the
 * Entra app and the Teams app are built from TAB_DOMAIN: the toolkit zips its own app package, so
 * without it a web address (`https://….devtunnels.ms/`) would be registered as the tab's domain.
 * The toolkit gives its scripts env/.env.<env> and the outputs of earlier steps as the environment.
 */
import { tabDomainProblem } from './app-package/tab-domain.js';

const source = `env/.env.${process.env.TEAMSFX_ENV ?? '<env>'}`;
const value = process.env.TAB_DOMAIN?.trim();
const problem = value ? tabDomainProblem(value, source) : `TAB_DOMAIN is not set (${source}): set it to the host name the tab is served from`;
if (problem) {
  console.error(problem);
  process.exitCode = 1;
}
