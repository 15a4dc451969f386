import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/shared/api/api-client';
import { readListStream, type ListView } from '../../../client/features/lists/api/read-list-answers';

const head = { id: 'l1', name: 'Ward 3 — Café', columns: ['name', 'heartRate'], version: 4 };
const row = (id: string, name: string) => ({
  patientId: id,
  displayName: name,
  mrn: `M-${id}`,
  birthDate: '1970-01-01',
  gender: 'female',
  deceased: null,
  recordNotice: null,
  available: true,
  cells: { heartRate: { status: 'ok', value: { value: { value: 61, unit: '/min' } } } },
});
/** The answer as the server writes it with `Accept: application/x-ndjson`. */
const lines = (...items: unknown[]) => items.map((item) => `${JSON.stringify(item)}\n`).join('');
const whole = lines(
  { list: head },
  { row: row('p1', 'Zoë Ångström') },
  { row: row('p2', '王秀英') },
  { row: row('p3', 'Ольга Петрова') },
  { end: {} },
);

/** A body that hands out `bytes` in the given pieces, one per read, then ends (or fails, with `failWith`). */
function body(bytes: Uint8Array, cuts: number[], failWith?: Error): ReadableStream<Uint8Array> {
  const bounds = [0, ...cuts, bytes.length];
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < bounds.length - 1) controller.enqueue(bytes.slice(bounds[i], bounds[++i]));
      else if (failWith) controller.error(failWith);
      else controller.close();
    },
  });
}
const utf8 = (text: string) => new TextEncoder().encode(text);

async function read(text: string, cuts: number[], failWith?: Error) {
  const seen: ListView[] = [];
  const result = readListStream(body(utf8(text), cuts, failWith), (partial) => seen.push(partial));
  return { result, seen };
}

describe('reading a list as it streams in', () => {
  it('reads the same list wherever the answer is cut into pieces, multi-byte characters and rows split included', async () => {
    const bytes = utf8(whole);
    // Every single cut, and cuts two bytes apart: inside a name's UTF-8 bytes, a row's JSON, a line end.
    const cutSets = [
      ...Array.from({ length: bytes.length - 1 }, (_, k) => [k + 1]),
      Array.from({ length: bytes.length / 2 - 1 }, (_, k) => 2 * (k + 1)),
    ];
    for (const cuts of cutSets) {
      const { result, seen } = await read(whole, cuts);
      const view = await result;
      expect(view, `cut at ${cuts.join(',')}`).toEqual({
        ...head,
        rows: [row('p1', 'Zoë Ångström'), row('p2', '王秀英'), row('p3', 'Ольга Петрова')],
      });
      // Each piece that completed rows showed the list so far, growing one way only.
      const counts = seen.map((v) => v.rows.length);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(seen.every((v) => v.name === head.name)).toBe(true);
    }
  });

  it('shows the first rows as soon as their line is in, before the rest of the answer arrives', async () => {
    const text = whole;
    const afterFirstRow = utf8(text.slice(0, text.indexOf('\n', text.indexOf('"row"')) + 1)).length;
    const seen: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const bytes = utf8(text);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 0) {
          controller.enqueue(bytes.slice(0, afterFirstRow));
          sent = afterFirstRow;
          return;
        }
        await held;
        controller.enqueue(bytes.slice(sent));
        controller.close();
      },
    });
    const done = readListStream(stream, (partial) => {
      seen.push(partial.rows.length);
      release();
    });
    expect((await done).rows).toHaveLength(3);
    expect(seen).toEqual([1, 3]);
  });

  it('keeps the robustness of the whole answer: unreadable rows left out, a repeated patient once, the EHR failure at the end', async () => {
    const text = lines(
      { list: { ...head, columns: ['name', '', 7, 'name'] } },
      { row: row('p1', 'One') },
      { row: 'not a row' },
      { row: { displayName: 'no id' } },
      { row: row('p1', 'One again') },
      { row: row('p2', 'Two') },
      { end: { ehrError: { code: 'ehr_unreachable', message: 'The EHR could not be reached.' } } },
    );
    const view = await (await read(text, [40, 41, 200])).result;
    expect(view.columns).toEqual(['name']);
    expect(view.rows.map((r) => [r.patientId, r.displayName])).toEqual([
      ['p1', 'One'],
      ['p2', 'Two'],
    ]);
    expect(view.ehrError).toEqual({ code: 'ehr_unreachable', message: 'The EHR could not be reached.' });
  });

  it('fails an answer cut off before its end, or broken midway, after showing the rows that came', async () => {
    const cutOff = whole.slice(0, whole.indexOf('{"end"'));
    const { result, seen } = await read(cutOff, [10, 150]);
    await expect(result).rejects.toMatchObject({ name: 'ApiError', code: 'bad_answer' });
    expect(seen.at(-1)?.rows.map((r) => r.patientId)).toEqual(['p1', 'p2', 'p3']);

    const broken = await read(whole, [utf8(whole).length - 20], new TypeError('network error'));
    await expect(broken.result).rejects.toBeInstanceOf(ApiError);

    const halfRow = await read(whole.slice(0, whole.indexOf('王')), []);
    await expect(halfRow.result).rejects.toMatchObject({ code: 'bad_answer' });
    expect(halfRow.seen.at(-1)?.rows.map((r) => r.patientId)).toEqual(['p1']);
  });

  it('refuses what is not a list: JSON of another shape, rows before the head, lines after the end, plain text', async () => {
    for (const text of [
      lines({ rows: [] }),
      lines({ row: row('p1', 'One') }, { list: head }, { end: {} }),
      lines({ list: head }, { end: {} }, { row: row('p1', 'One') }),
      lines({ list: head }, { something: 1 }),
      '<html>Gateway timeout</html>\n',
      '',
    ]) {
      await expect((await read(text, [])).result, text).rejects.toMatchObject({ code: 'bad_answer' });
    }
  });

  it('passes a cancelled read on as cancelled, not as a broken answer', async () => {
    const abort = new DOMException('The request was cancelled.', 'AbortError');
    const { result } = await read(whole, [30], abort);
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
  });
});
