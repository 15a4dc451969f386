import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { devDirectory } from '../../../server/identity/dev-directory';
import { startServer, type RunningServer } from '../../../server/start';
import { startAzureAdTokens, type AzureAdTokens } from '../../helpers/azure-ad-tokens';
import { captureLogs } from '../../helpers/log-capture';
import { cast, suiteRateLimits, type DevInfo } from '../../helpers/test-server';

/**
 * A refused token is recorded in the tenant it claims, so an auditor sees attempts on their
 * tenant's data; but without a signature anyone can claim any tenant. With AAD_ALLOWED_TENANTS
 * set, a token claiming a tenant the app does not serve is refused and recorded in no trail:
 * nobody can write into the trail of a tenant outside the setting (a line without ids is logged).
 */
const logs = captureLogs();
let aad: AzureAdTokens;
let server: RunningServer | undefined;
let info: DevInfo;
let who: ReturnType<typeof cast>;
const dataDir = mkdtempSync(join(tmpdir(), 'patients-audit-gaps-tenant-'));
const user = (id: string) => info.users.find((u) => u.id === id)!;
/** The tenant's holder of the audit reader role in the dev directory. */
const readerOf = (tenantId: string) => devDirectory.auditReaders!.find((id) => user(id).tenantId === tenantId)!;

async function start(allowedTenants: string) {
  server = await startServer({
    ...suiteRateLimits,
    PORT: '0',
    DATA_DIR: dataDir,
    STATIC_DIR: join(dataDir, 'no-tab'),
    SANDBOX_PATIENTS: '3',
    ...aad.settings,
    AAD_ALLOWED_TENANTS: allowedTenants,
  });
  info = (await (await fetch(`${server.url}/dev/info`)).json()) as DevInfo;
  who = cast(info);
}

beforeAll(async () => {
  aad = await startAzureAdTokens();
  // Only Contoso is served; Fabrikam (a tenant of the dev directory) is not.
  await start(devDirectory.tenants[0].id);
});
afterAll(async () => {
  await server?.close();
  await aad?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A token claiming the user's tenant and id whose signature is not the key's: anyone can make one. */
async function forgedFor(userId: string): Promise<string> {
  const [header, payload] = (await aad.tokenFor(user(userId), 'v2')).split('.');
  return `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
}

async function attempt(token: string, path: string) {
  const res = await fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, requestId: res.headers.get('x-request-id')!, body: (await res.json()) as { code: string } };
}

async function trailAs(readerId: string): Promise<{ requestId: string; userId: string; tenantId: string; patientId: string | null }[]> {
  const token = await aad.tokenFor(user(readerId), 'v2', { roles: ['Patients.AuditReader'] });
  const res = await fetch(`${server!.url}/api/audit?limit=50000`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: { requestId: string; userId: string; tenantId: string; patientId: string | null }[] }).events;
}

it('records no refusal in a tenant outside AAD_ALLOWED_TENANTS, and still records one in a served tenant', async () => {
  const patient = 'pat-4711';
  // Fabrikam, not served: a forged token and a properly signed one, both naming a patient in the path.
  const fabrikamPath = `/api/teams/${who.otherTenantTeam.id}/patients/${patient}/details`;
  const forged = await attempt(await forgedFor(who.otherTenantOwner), fabrikamPath);
  const signed = await attempt(await aad.tokenFor(user(who.otherTenantOwner), 'v1'), fabrikamPath);
  expect(forged).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
  expect(signed).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });

  // Contoso, served: the forged token's refusal is recorded there, as a claim naming no patient (the path is anyone's to write).
  const contosoPath = `/api/teams/${who.team.id}/patients/${patient}/details`;
  const served = await attempt(await forgedFor(who.member), contosoPath);
  expect(served.status).toBe(401);
  expect((await trailAs(readerOf(who.contoso.id))).filter((e) => e.requestId === served.requestId)).toMatchObject([
    { operation: 'PatientView', outcome: 'failure', status: 401, tenantId: who.contoso.id, userId: `unverified:${who.member}`, patientId: null },
  ]);

  // Fabrikam's own auditor, once the app serves Fabrikam too, finds nothing of those attempts in its trail.
  await server!.close();
  server = undefined;
  await start(`${who.contoso.id},${who.fabrikam.id}`);
  const fabrikamTrail = await trailAs(readerOf(who.fabrikam.id));
  expect(fabrikamTrail.filter((e) => [forged.requestId, signed.requestId].includes(e.requestId))).toEqual([]);
  expect(fabrikamTrail.filter((e) => e.userId.startsWith('unverified:') || e.patientId === patient)).toEqual([]);

  // Instead, a line without ids was logged for each: not the claimed tenant, user, or the path's patient.
  const notRecorded = logs.filter((l) => l.includes('does not serve'));
  expect(notRecorded).toHaveLength(2);
  for (const line of notRecorded) {
    expect(line).not.toContain(who.fabrikam.id);
    expect(line).not.toContain(who.otherTenantOwner);
    expect(line).not.toContain(patient);
  }
});
