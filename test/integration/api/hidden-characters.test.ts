import { afterAll, beforeAll, expect, it } from 'vitest';
import { startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

/**
 * Text a person types (notes and their corrections, list names, hand-entered patients, their
 * team fields and the fields' definitions) is refused with a control or invisible character,
 * in plain words, changing nothing; a note keeps its tabs and line breaks.
 */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
let patientUrl: string;
let noteUrl: string;

const refusal = 'contains a control character or an invisible character; remove it.';
/** One of each kind: C0 (NUL, ESC, BEL), DEL, C1, the invisible characters, an invisible operator, a tag character, a Hangul filler, half a surrogate pair. */
const HIDDEN = [
  '\u0000',
  '\u001b[2J',
  '\u0007',
  '\u007f',
  '\u0085',
  '\u200b',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u180e',
  '\u2063',
  '\u{E0041}',
  '\u3164',
  '\udc00',
];
/** Line breaks and tabs: allowed in a note, never in a name, which is one line. */
const BREAKS = ['\r\nX-Evil: 1', '\n', '\t'];
const schema = { fields: [{ id: 'plan', label: 'Plan', type: 'longText' }] };

beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
  expect((await server.api(who.owner, 'PUT', `${base}/schema`, schema)).status).toBe(200);
  const patient = await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Ada Hidden', values: { plan: 'rest' } });
  patientUrl = `${base}/manual-patients/${patient.body.id}`;
  const note = await server.api(who.member, 'POST', `${base}/patients/${patient.body.id}/notes`, { text: 'first' });
  expect(note.status).toBe(201);
  noteUrl = `${base}/patients/${patient.body.id}/notes`;
});
afterAll(() => server?.stop());

const state = async () => ({
  notes: (await server.api(who.member, 'GET', noteUrl)).body,
  lists: (await server.api(who.member, 'GET', `${base}/lists`)).body,
  patient: (await server.api(who.member, 'GET', patientUrl)).body,
  schema: (await server.api(who.member, 'GET', `${base}/schema`)).body,
});

const refused = (res: { status: number; body: Record<string, unknown> }, subject: string) =>
  expect([res.status, res.body.code, res.body.message]).toEqual([400, 'validation_failed', `${subject} ${refusal}`]);

it('refuses each kind of hidden character in a note, a correction, a list name, a patient, a team field and a field label, changing nothing', async () => {
  const before = await state();
  const noteId = (before.notes.notes as { id: string }[])[0].id;
  for (const c of HIDDEN) {
    refused(await server.api(who.member, 'POST', noteUrl, { text: `ok${c} line` }), 'The note');
    refused(await server.api(who.member, 'PATCH', `${noteUrl}/${noteId}`, { text: `ok${c} line`, version: 1 }), 'The note');
    refused(await server.api(who.member, 'POST', `${base}/lists`, { name: `Wa${c}rd` }), 'The list name');
    refused(await server.api(who.member, 'PATCH', patientUrl, { name: `Ada${c} Hidden`, version: 1 }), "The patient's name");
    // A team field's value is refused as its other issues are: with a code the tab words in the user's language.
    const plan = await server.api(who.member, 'PATCH', patientUrl, { name: 'Ada Hidden', values: { plan: `rest${c}` }, version: 1 });
    expect([plan.status, plan.body.message, plan.body.issues]).toEqual([
      400,
      'Plan: remove the control or invisible characters (they often come with pasted text).',
      [{ field: 'plan', code: 'hidden_characters' }],
    ]);
    refused(
      await server.api(who.owner, 'PUT', `${base}/schema`, { fields: [{ ...schema.fields[0], label: `Pl${c}an` }], version: 1 }),
      'The label of field 1',
    );
  }
  for (const c of BREAKS) {
    refused(await server.api(who.member, 'POST', `${base}/lists`, { name: `a${c}b` }), 'The list name');
    refused(
      await server.api(who.owner, 'PUT', `${base}/schema`, { fields: [{ ...schema.fields[0], label: `Pl${c}an` }], version: 1 }),
      'The label of field 1',
    );
  }
  expect(await state()).toEqual(before);
});

it('takes tabs and line breaks in a note and its correction, and joiners in any text', async () => {
  const text = 'BP 120/80\tHR 72\r\nplan:\nrepeat';
  const added = await server.api(who.member, 'POST', noteUrl, { text });
  expect([added.status, added.body.text]).toEqual([201, text]);
  const corrected = await server.api(who.member, 'PATCH', `${noteUrl}/${added.body.id}`, { text: `${text}\n\tdone`, version: 1 });
  expect([corrected.status, corrected.body.text]).toEqual([200, `${text}\n\tdone`]);
  // U+200C ZERO WIDTH NON-JOINER (Persian), U+200D ZERO WIDTH JOINER (an emoji sequence).
  expect((await server.api(who.member, 'POST', `${base}/lists`, { name: 'می‌خواهم 👩‍⚕️' })).status).toBe(201);
});
