import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import { testSealKeys } from '../../helpers/production-settings';
import { createOboTokenSource, graphScopes, graphTokenForCaller, type OboTokenSource } from '../../../server/platform/graph/obo-token';
import { startFakeEntra, type FakeEntra } from '../../helpers/fake-entra';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';
import { valueOf } from '../../../server/features/shared/outcomes';

const tenant = '5c4b3a29-1807-4f6e-9d5c-4b3a29180711';
const team = { tenantId: tenant, teamId: 'dd44ee55-ff66-4a77-8b88-99aabbccdd00' };
const app = { clientId: '11112222-3333-4444-8555-666677778888', clientSecret: 'test-secret' };

let graph: GraphEmulator;
let entra: FakeEntra;
let obo: OboTokenSource;

beforeEach(async () => {
  graph = await startGraphEmulator();
  graph.addGroup(tenant, team.teamId);
  entra = await startFakeEntra({ ...app, mint: (t) => graph.tokenFor(t) });
  obo = createOboTokenSource({ ...app, authorityHost: entra.authorityHost, networkClient: entra.networkClient });
});

afterEach(async () => {
  await entra.close();
  await graph.close();
});

describe('on-behalf-of Graph tokens (msal-node against a fake Azure AD)', () => {
  it('exchanges the SSO token once per user and scopes, then serves from the cache', async () => {
    const avery = entra.ssoToken(tenant, 'avery');
    const blake = entra.ssoToken(tenant, 'blake');
    const first = await obo.tokenFor({ ssoToken: avery, tenantId: tenant });
    expect(await obo.tokenFor({ ssoToken: avery, tenantId: tenant })).toBe(first);
    expect(entra.tokenRequests).toHaveLength(1);
    expect(entra.tokenRequests[0]).toMatchObject({ tenantId: tenant, userId: 'avery' });
    expect(entra.tokenRequests[0].scope.split(' ')).toEqual(expect.arrayContaining(graphScopes));

    expect(await obo.tokenFor({ ssoToken: blake, tenantId: tenant })).not.toBe(first);
    const readOnly = ['https://graph.microsoft.com/Sites.Read.All'];
    await obo.tokenFor({ ssoToken: avery, tenantId: tenant, scopes: readOnly });
    await obo.tokenFor({ ssoToken: avery, tenantId: tenant, scopes: readOnly });
    expect(entra.tokenRequests.map((r) => r.userId)).toEqual(['avery', 'blake', 'avery']);
  });

  it('drives the Graph store with the caller’s token', async () => {
    const caller = { ssoToken: entra.ssoToken(tenant, 'avery'), tenantId: tenant };
    const store = openGraphStore({ baseUrl: graph.url, sealKeys: testSealKeys, getAccessToken: graphTokenForCaller(obo, () => caller) });
    const list = valueOf(await store.createList(team, 'Rounds', 'avery'));
    await store.addPatients(team, list.id, ['p1', 'p2'], 'avery');
    expect((await store.getList(team, list.id))!.patientIds).toEqual(['p1', 'p2']);
    expect(entra.tokenRequests).toHaveLength(1);
    // The caller's token is never used for another tenant's team.
    const foreign = { tenantId: '6d5c4b3a-2918-4f7e-8d6c-5b4a3a291822', teamId: team.teamId };
    await expect(store.listLists(foreign)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('surfaces missing consent (AADSTS65001) and required MFA as consent_required', async () => {
    entra.withoutConsent('casey');
    entra.requireMfa('drew');
    for (const user of ['casey', 'drew']) {
      const caller = { ssoToken: entra.ssoToken(tenant, user), tenantId: tenant };
      const store = openGraphStore({ baseUrl: graph.url, sealKeys: testSealKeys, getAccessToken: graphTokenForCaller(obo, () => caller) });
      await expect(store.listLists(team)).rejects.toMatchObject({ name: 'GraphAccessError', code: 'consent_required' });
    }
    expect(graph.requests).toHaveLength(0);
  });

  it('says unauthenticated for an SSO token Azure AD rejects, and refuses a malformed tenant', async () => {
    await expect(obo.tokenFor({ ssoToken: 'forged', tenantId: tenant })).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(obo.tokenFor({ ssoToken: 'x', tenantId: '../common' })).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('says graph_failed, without the secret, when the app credentials are wrong', async () => {
    const misconfigured = createOboTokenSource({
      ...app,
      clientSecret: 'wrong',
      authorityHost: entra.authorityHost,
      networkClient: entra.networkClient,
    });
    const error = await misconfigured.tokenFor({ ssoToken: entra.ssoToken(tenant, 'avery'), tenantId: tenant }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'graph_failed' });
    expect((error as Error).message).not.toContain('wrong');
  });
});
