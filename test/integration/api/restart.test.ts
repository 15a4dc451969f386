import { expect, it } from 'vitest';
import { cast, startTestServer } from '../../helpers/test-server';

it('finds the connection and the list unchanged after a restart', async () => {
  const first = await startTestServer();
  const who = cast(first.info);
  const base = `/api/teams/${who.team.id}`;
  await first.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: first.info.sandbox.fhir.stu3, name: 'Sandbox STU3' });
  const patients = (await first.api(who.owner, 'GET', `${base}/patients?gender=male&count=3`)).body.patients;
  const list = (await first.api(who.owner, 'POST', `${base}/lists`, { name: 'Night shift' })).body;
  await first.api(who.owner, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: patients.map((p: { id: string }) => p.id) });
  const before = (await first.api(who.owner, 'GET', `${base}/lists/${list.id}`)).body;
  expect(before.rows).toHaveLength(3);
  await first.stop({ keepData: true });

  // Same port: the stored EHR link names the sandbox on this server, as it would with `npm start`.
  const second = await startTestServer({ PORT: new URL(first.url).port }, first.dataDir);
  try {
    const connection = (await second.api(who.owner, 'GET', `${base}/connection`)).body;
    expect(connection).toMatchObject({ mode: 'ehr', fhirVersion: 'STU3', name: 'Sandbox STU3' });
    expect((await second.api(who.member, 'GET', `${base}/lists/${list.id}`)).body).toEqual(before);
  } finally {
    await second.stop();
  }
});
