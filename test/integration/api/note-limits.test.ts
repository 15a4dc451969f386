import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NOTE_CORRECTIONS, MAX_NOTES_PER_PATIENT } from '../../../contract/notes';
import { limitStores, noteRow, type LimitHarness } from '../../helpers/limit-stores';
import type { Json } from '../../helpers/json';

// A note's history and a patient's notes cannot grow without end: past MAX_NOTE_CORRECTIONS a
// correction is refused (write a new note; no earlier text is dropped), past MAX_NOTES_PER_PATIENT
// a note is refused; either refusal changes nothing and is recorded as a failure. Both stores.
describe.each(limitStores)('%s', (_name, start) => {
  let server: LimitHarness;
  let author: string;
  let colleague: string;
  let base: string;
  let tenantId: string;
  let teamId: string;
  let patients: string[];

  const notesOf = async (patientId: string) => (await server.call(author, 'GET', `${base}/patients/${patientId}/notes`)).body.notes as Json[];

  beforeAll(async () => {
    server = await start();
    const team = server.info.tenants[0].teams[0];
    author = team.members.find((m) => !team.owners.includes(m))!;
    colleague = team.owners[0];
    base = `/api/teams/${team.id}`;
    tenantId = server.info.tenants[0].id;
    teamId = team.id;
    expect((await server.call(colleague, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'EHR' })).status).toBe(
      200,
    );
    patients = (await server.call(author, 'GET', `${base}/patients?gender=female&count=2`)).body.patients.map((p: { id: string }) => p.id);
  });
  afterAll(() => server?.stop());

  it(`refuses a correction past ${MAX_NOTE_CORRECTIONS} with 409 note_revisions_full, keeping every text, and still lets the author withdraw`, async () => {
    const [patientId] = patients;
    const added = await server.call(author, 'POST', `${base}/patients/${patientId}/notes`, { text: 'Draft 0' });
    expect(added.status).toBe(201);
    const note = `${base}/patients/${patientId}/notes/${added.body.id}`;
    let version = added.body.version as number;
    for (let n = 1; n <= MAX_NOTE_CORRECTIONS; n++) {
      const corrected = await server.call(author, 'PATCH', note, { text: `Draft ${n}`, version });
      expect(corrected.status).toBe(200);
      version = corrected.body.version as number;
    }
    const before = await notesOf(patientId);

    const refused = await server.call(author, 'PATCH', note, { text: 'One correction too many', version });
    expect(refused).toMatchObject({ status: 409, body: { code: 'note_revisions_full' } });
    expect(refused.body.message).toContain(String(MAX_NOTE_CORRECTIONS));
    expect(refused.body.message).toContain('Write a new note');
    expect(await notesOf(patientId)).toEqual(before);
    expect((before[0].revisions as Json[]).map((r) => r.text)).toEqual(Array.from({ length: MAX_NOTE_CORRECTIONS }, (_, n) => `Draft ${n}`));

    const withdrawn = await server.call(author, 'POST', `${note}/withdraw`, { version });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.revisions).toHaveLength(MAX_NOTE_CORRECTIONS + 1);

    const trail = (await server.trail()).filter((e) => e.operation === 'PatientNoteCorrect' && e.patientId === patientId);
    expect(trail.filter((e) => e.outcome === 'success')).toHaveLength(MAX_NOTE_CORRECTIONS);
    expect(trail.filter((e) => e.outcome === 'failure').map((e) => [e.status, e.userId === author])).toEqual([[409, true]]);
  });

  it(`refuses a note past ${MAX_NOTES_PER_PATIENT} on one patient with 409 too_many_notes, adding nothing`, async () => {
    const [, patientId] = patients;
    expect((await server.call(colleague, 'POST', `${base}/patients/${patientId}/notes`, { text: 'Round 0' })).status).toBe(201);
    // The rest but one: written into the team's site directly on Graph, added through the API on SQLite.
    const rest = Array.from({ length: MAX_NOTES_PER_PATIENT - 2 }, (_, n) => `Round ${n + 1}`);
    if (
      !server.seed(
        tenantId,
        teamId,
        'notes',
        rest.map((text) => noteRow(patientId, text)),
      )
    ) {
      for (const text of rest) expect((await server.call(colleague, 'POST', `${base}/patients/${patientId}/notes`, { text })).status).toBe(201);
    }
    const last = await server.call(colleague, 'POST', `${base}/patients/${patientId}/notes`, { text: 'Last round' });
    expect(last.status).toBe(201);
    const refused = await server.call(author, 'POST', `${base}/patients/${patientId}/notes`, { text: 'One note too many' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'too_many_notes' } });
    expect(refused.body.message).toContain(String(MAX_NOTES_PER_PATIENT));
    const kept = await notesOf(patientId);
    expect(kept).toHaveLength(MAX_NOTES_PER_PATIENT);
    expect(kept.map((n) => n.text)).not.toContain('One note too many');

    const trail = (await server.trail()).filter((e) => e.operation === 'PatientNoteAdd' && e.patientId === patientId);
    expect(trail.filter((e) => e.outcome === 'failure').map((e) => [e.status, e.userId === author])).toEqual([[409, true]]);
  });
});
