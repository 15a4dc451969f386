import { describe, expect, it } from 'vitest';
import { addToList } from '../../../client/shared/add-to-list';
import { ApiError } from '../../../client/shared/api/api-client';

// The search's and the roster's Add: "Added N" is said and the choice cleared only once the
// server has the patients on the list; a failure keeps the choice and names how many and the list.

describe('adding the chosen patients to a list', () => {
  it('says added only after the add settled well', async () => {
    const events: string[] = [];
    let finish!: () => void;
    const onAdd = (ids: string[]) => {
      events.push(`asked ${ids.join(',')}`);
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const outcome = addToList(onAdd, ['p1', 'p2'], 'Rounds').then((o) => {
      events.push('settled');
      return o;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events).toEqual(['asked p1,p2']);
    finish();
    expect(await outcome).toEqual({ ok: true, count: 2, list: 'Rounds' });
    expect(events).toEqual(['asked p1,p2', 'settled']);
  });

  it('reports a failed add with how many patients, the list and the error, never as added', async () => {
    const error = new ApiError(503, 'ehr_unavailable', 'The EHR is not answering.');
    const outcome = await addToList(() => Promise.reject(error), ['p1', 'p2', 'p3'], 'Rounds');
    expect(outcome).toEqual({ ok: false, count: 3, list: 'Rounds', error });
  });
});
