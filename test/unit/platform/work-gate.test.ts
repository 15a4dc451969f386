import { describe, expect, it } from 'vitest';
import { createWorkGate, GateBusy } from '../../../server/platform/work-gate';

/** A piece of work that runs until it is told to end, one way or the other. */
function held() {
  let end!: (outcome: 'done' | 'fail') => void;
  const ended = new Promise<'done' | 'fail'>((resolve) => (end = resolve));
  const work = async () => {
    if ((await ended) === 'fail') throw new Error('failed');
    return 'done';
  };
  return { work, end };
}

describe('a gate on heavy work', () => {
  const busy = () => new GateBusy('Busy; try again in a few seconds.', 5);

  it('runs as many at once as it has places, refuses one more at once without running it, and never queues', async () => {
    const gate = createWorkGate(2, busy);
    const [a, b] = [held(), held()];
    const first = gate.run(a.work);
    const second = gate.run(b.work);
    expect(gate.running).toBe(2);
    let ran = false;
    const refused = await gate
      .run(async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GateBusy);
    expect(refused).toMatchObject({ code: 'too_much_contention', status: 503, retryAfterSeconds: 5 });
    expect(ran).toBe(false);
    expect(gate.running).toBe(2);
    a.end('done');
    b.end('done');
    expect(await Promise.all([first, second])).toEqual(['done', 'done']);
    expect(gate.running).toBe(0);
  });

  it('gives the place back however the work ends: thrown, rejected or done', async () => {
    const gate = createWorkGate(1, busy);
    const failing = held();
    const running = gate.run(failing.work);
    await expect(gate.run(async () => 'x')).rejects.toBeInstanceOf(GateBusy);
    failing.end('fail');
    await expect(running).rejects.toThrow('failed');
    expect(gate.running).toBe(0);
    await expect(
      gate.run(() => {
        throw new Error('at once');
      }),
    ).rejects.toThrow('at once');
    expect(gate.running).toBe(0);
    expect(await gate.run(async () => 'next')).toBe('next');
    expect(gate.running).toBe(0);
  });

  it("gives each holder a share: one past it is refused with the holder's words, others still run, and the share comes back", async () => {
    const mine = () => new GateBusy('Your other work is still running.', 5);
    const gate = createWorkGate(3, busy, { places: 2, busy: mine });
    const [a, b, c] = [held(), held(), held()];
    const first = gate.run(a.work, 'ada');
    const second = gate.run(b.work, 'ada');
    await expect(gate.run(async () => 'x', 'ada')).rejects.toThrow('Your other work is still running.');
    // Another holder takes the last place; then the process is full for everyone.
    const third = gate.run(c.work, 'grace');
    await expect(gate.run(async () => 'x', 'alan')).rejects.toThrow('Busy; try again in a few seconds.');
    expect(gate.running).toBe(3);
    a.end('fail');
    await expect(first).rejects.toThrow('failed');
    expect(await gate.run(async () => 'again', 'ada')).toBe('again');
    b.end('done');
    c.end('done');
    expect(await Promise.all([second, third])).toEqual(['done', 'done']);
    expect(gate.running).toBe(0);
    expect(await Promise.all([gate.run(async () => 1, 'ada'), gate.run(async () => 2, 'ada')])).toEqual([1, 2]);
  });
});
