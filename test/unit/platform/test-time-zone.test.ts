import { expect, it } from 'vitest';

// vite.config.ts runs every test project in UTC, so a machine in Sydney or Tokyo gets the results a machine in London does.
it('runs the tests in UTC, whatever the machine’s time zone', () => {
  expect(process.env.TZ).toBe('UTC');
  expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toMatch(/^(UTC|Etc\/UTC)$/);
  expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(0);
  expect(new Date(2026, 6, 1).getTimezoneOffset()).toBe(0);
  expect(new Date(Date.UTC(2026, 11, 3, 23, 30)).toLocaleDateString('en-GB')).toBe('03/12/2026');
});
