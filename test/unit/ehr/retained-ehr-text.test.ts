import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { epochMsOf, when } from '../../../server/ehr/clinical/values.js';

// What an EHR's answer leaves behind in this process once its read is over: nothing the EHR can
// make large. A hostile server's "dates" of a megabyte each must not stay in a cache for good.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('times read from an EHR', () => {
  it('keeps no huge text an EHR sent as a time once the read is over', () => {
    const before = heapUsed();
    for (let i = 0; i < 200; i++) {
      // 200 different 200 kB "dates": 40 MB if they were remembered.
      const text = `2026-12-05T08:00:00Z${String(i).padStart(6, '0')}${'x'.repeat(200_000)}`;
      expect(epochMsOf(text)).toBeNull();
      expect(when(text)?.epochMs).toBeNull();
    }
    expect(heapUsed() - before).toBeLessThan(8_000_000);
  });

  it('still reads every real time the same way, however often it is met', () => {
    for (let i = 0; i < 3; i++) {
      expect(epochMsOf('2026-12-05T08:00:00.123456789+14:00')).toBe(Date.parse('2026-12-04T18:00:00.123Z'));
      expect(epochMsOf('2026-12-05')).toBe(Date.UTC(2026, 11, 5));
    }
  });
});
