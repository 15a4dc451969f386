import { describe, expect, it } from 'vitest';
import { currentRoute } from '../../../client/app/route';

describe('hash routes', () => {
  it('opens the tab by default and the configuration page on #/config', () => {
    expect(currentRoute('')).toBe('tab');
    expect(currentRoute('#/tab')).toBe('tab');
    expect(currentRoute('#/anything')).toBe('tab');
    expect(currentRoute('#/config')).toBe('config');
    expect(currentRoute('#/config?x=1')).toBe('config');
  });
});
