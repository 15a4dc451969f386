import { afterAll, beforeAll, expect, it } from 'vitest';
import { devDirectory } from '../../../server/identity/dev-directory';
import { startProductionHarness, type ProductionHarness } from '../../helpers/production-server';
import { cast } from '../../helpers/test-server';

// Production mode against the Graph emulator: a team created moments ago whose SharePoint site
// is not provisioned yet (Graph answers 404 on its root site while the group exists).
let production: ProductionHarness;
let who: ReturnType<typeof cast>;

beforeAll(async () => {
  production = await startProductionHarness(devDirectory);
  who = cast(production.info);
});
afterAll(() => production?.stop());

it("answers that the team's site is being set up, and serves the team once it is there", async () => {
  const { tenantId } = devDirectory.users.find((u) => u.id === who.owner)!;
  production.graph.state.sitesInProvisioning.add(`${tenantId}/${who.team.id.toLowerCase()}`);

  const waiting = await production.api(who.owner, 'GET', `/api/teams/${who.team.id}/lists`);
  expect(waiting.status).toBe(503);
  expect(waiting.body).toMatchObject({
    code: 'team_site_provisioning',
    message: "The team's SharePoint site is being set up; try again shortly.",
  });
  // The personal tab still lists the team, as not set up yet, rather than failing.
  const mine = await production.api(who.owner, 'GET', '/api/me/teams');
  expect(mine.status).toBe(200);
  expect(mine.body).toMatchObject({ teams: expect.arrayContaining([expect.objectContaining({ id: who.team.id, mode: 'unset' })]) });

  production.graph.state.finishSite(tenantId, who.team.id);
  const ready = await production.api(who.owner, 'GET', `/api/teams/${who.team.id}/lists`);
  expect(ready).toMatchObject({ status: 200 });
});
