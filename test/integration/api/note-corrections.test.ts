import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';
import type { Json } from '../../helpers/json';

// A note's author corrects or withdraws it; the earlier texts stay readable, colleagues cannot
// change it, a stale version is refused, and each change or refusal is in the audit trail. Both
// stores: SQLite in dev mode, the team's SharePoint site through Graph in production mode.
describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let author: string;
  let colleague: string;
  let base: string;
  let patientId: string;

  const notesNow = async () => (await server.call(author, 'GET', `${base}/patients/${patientId}/notes`)).body.notes as Json[];

  beforeAll(async () => {
    server = await start();
    const team = server.info.tenants[0].teams[0];
    author = team.members.find((m) => !team.owners.includes(m))!;
    colleague = team.owners[0];
    base = `/api/teams/${team.id}`;
    expect((await server.call(colleague, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'EHR' })).status).toBe(
      200,
    );
    patientId = (await server.call(author, 'GET', `${base}/patients?gender=female&count=1`)).body.patients[0].id;
  });
  afterAll(() => server?.stop());

  it('refuses a note over 4,000 characters with a clear 400, and never cuts it', async () => {
    const long = 'x'.repeat(4001);
    const res = await server.call(author, 'POST', `${base}/patients/${patientId}/notes`, { text: long });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('4,000');
    expect(JSON.stringify(res.body)).not.toContain('xxxx');
    expect(await notesNow()).toEqual([]);
    // Exactly at the limit is kept whole.
    const atLimit = await server.call(author, 'POST', `${base}/patients/${patientId}/notes`, { text: 'y'.repeat(4000) });
    expect(atLimit.status).toBe(201);
    expect((atLimit.body.text as string).length).toBe(4000);
  });

  it('lets only the author correct and withdraw, against the version read, keeping and auditing every text', async () => {
    const added = await server.call(author, 'POST', `${base}/patients/${patientId}/notes`, { text: 'Potassium 5.9, repeat at 14:00' });
    expect(added).toMatchObject({ status: 201, body: { version: 1, editedAt: null, withdrawnAt: null, revisions: [] } });
    const note = `${base}/patients/${patientId}/notes/${added.body.id}`;

    // A colleague may read it, not change it.
    const hijack = await server.call(colleague, 'PATCH', note, { text: 'Potassium normal', version: 1 });
    expect(hijack).toMatchObject({ status: 403, body: { code: 'forbidden', message: 'Only the author of a note can correct or withdraw it.' } });
    expect((await server.call(colleague, 'POST', `${note}/withdraw`, { version: 1 })).status).toBe(403);
    // Too long a correction is refused as a new note is.
    expect((await server.call(author, 'PATCH', note, { text: 'z'.repeat(4001), version: 1 })).status).toBe(400);

    const corrected = await server.call(author, 'PATCH', note, { text: 'Potassium 5.4, repeat at 14:00', version: 1 });
    expect(corrected).toMatchObject({ status: 200, body: { text: 'Potassium 5.4, repeat at 14:00', version: 2, withdrawnAt: null } });
    expect(corrected.body.editedAt).toEqual(expect.any(String));
    expect(corrected.body.revisions).toEqual([{ text: 'Potassium 5.9, repeat at 14:00', writtenAt: added.body.createdAt }]);

    // Someone who read version 1 does not overwrite the correction.
    const stale = await server.call(author, 'PATCH', note, { text: 'Potassium 6.1', version: 1 });
    expect(stale).toMatchObject({ status: 412, body: { code: 'version_conflict' } });
    expect(stale.body.message).not.toContain('Potassium');

    const withdrawn = await server.call(author, 'POST', `${note}/withdraw`, { version: 2 });
    expect(withdrawn).toMatchObject({ status: 200, body: { text: '', version: 3 } });
    expect(withdrawn.body.withdrawnAt).toEqual(expect.any(String));
    // The team still sees that there was a note, and what it said.
    const seen = (await server.call(colleague, 'GET', `${base}/patients/${patientId}/notes`)).body.notes as Json[];
    expect(seen.find((n) => n.id === added.body.id)).toMatchObject({
      withdrawnAt: withdrawn.body.withdrawnAt,
      revisions: [{ text: 'Potassium 5.9, repeat at 14:00' }, { text: 'Potassium 5.4, repeat at 14:00' }],
    });
    expect((await server.call(author, 'PATCH', note, { text: 'again', version: 3 })).body).toMatchObject({
      code: 'not_found',
      message: 'This patient has no such note, or it was withdrawn and cannot be changed any more.',
    });
    expect((await server.call(author, 'PATCH', `${base}/patients/${patientId}/notes/not-a-note`, { text: 'x', version: 1 })).body.code).toBe(
      'not_found',
    );

    const trail = (await server.trail()).filter((e) => e.operation === 'PatientNoteCorrect' || e.operation === 'PatientNoteWithdraw');
    expect(trail.map((e) => [e.operation, e.outcome, e.status, e.userId === author ? 'author' : 'colleague', e.patientId])).toEqual(
      expect.arrayContaining([
        ['PatientNoteCorrect', 'failure', 403, 'colleague', patientId],
        ['PatientNoteWithdraw', 'failure', 403, 'colleague', patientId],
        ['PatientNoteCorrect', 'success', 200, 'author', patientId],
        ['PatientNoteCorrect', 'failure', 412, 'author', patientId],
        ['PatientNoteWithdraw', 'success', 200, 'author', patientId],
      ]),
    );
    expect(trail.filter((e) => e.outcome === 'success')).toHaveLength(2);
  });

  it('keeps a new note only on a patient the team has: one its EHR has, or one of its hand-entered patients', async () => {
    const stranger = 'no-such-patient-4711';
    const refused = await server.call(author, 'POST', `${base}/patients/${stranger}/notes`, { text: 'Call the family' });
    expect(refused).toMatchObject({ status: 404, body: { code: 'patient_not_found', message: 'The team has no patient with this id.' } });
    // Nor are its notes read (recorded as a read of it): 404 too.
    expect(await server.call(author, 'GET', `${base}/patients/${stranger}/notes`)).toMatchObject({
      status: 404,
      body: { code: 'patient_not_found' },
    });

    // A team in Manual mode: its own patients, admitted or discharged, and no one else (not an EHR id either).
    const manualTeam = server.info.tenants[0].teams[1];
    const owner = manualTeam.owners[0];
    const manual = `/api/teams/${manualTeam.id}`;
    expect((await server.call(owner, 'PUT', `${manual}/connection`, { mode: 'manual' })).status).toBe(200);
    const admitted = await server.call(owner, 'POST', `${manual}/manual-patients`, { name: 'Ada Lovelace', values: {} });
    expect(admitted.status).toBe(201);
    const noteOn = (id: string) => server.call(owner, 'POST', `${manual}/patients/${id}/notes`, { text: 'Mobilise today' });
    expect((await noteOn(admitted.body.id as string)).status).toBe(201);
    expect(await noteOn(patientId)).toMatchObject({ status: 404, body: { code: 'patient_not_found' } });
    expect(
      (await server.call(owner, 'POST', `${manual}/manual-patients/${admitted.body.id}/discharge`, { version: admitted.body.version })).status,
    ).toBe(200);
    expect((await noteOn(admitted.body.id as string)).status).toBe(201);

    const trail = (await server.trail()).filter((e) => e.operation === 'PatientNoteAdd' && e.outcome === 'failure');
    expect(trail.map((e) => [e.status, e.patientId])).toEqual(
      expect.arrayContaining([
        [404, stranger],
        [404, patientId],
      ]),
    );
  });
});
