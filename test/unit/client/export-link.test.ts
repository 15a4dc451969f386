import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportLink } from '../../../client/features/lists/api/export-list';
import type { Api } from '../../../client/shared/api/api-client';

/** An API client that answers every call with `answer` and keeps what it was asked. */
function fakeApi(answer: unknown) {
  const calls: { path: string; init: unknown }[] = [];
  const api = Object.assign(
    async (path: string, init: unknown) => {
      calls.push({ path, init });
      return answer;
    },
    { token: async () => 't', stream: async () => new Response() },
  ) as unknown as Api;
  return { api, calls };
}

afterEach(() => vi.unstubAllGlobals());

describe('asking for a download link', () => {
  it("sends the user's time zone and opens the app's own link, made absolute for Teams", async () => {
    vi.stubGlobal('window', { location: { origin: 'https://tab.example' } });
    const { api, calls } = fakeApi({ url: '/api/teams/t/lists/l/export/abc', expiresAt: '2026-12-03T14:06:00.000Z' });
    expect(await exportLink(api, 't', 'l', 'Europe/London')).toBe('https://tab.example/api/teams/t/lists/l/export/abc');
    expect(calls).toEqual([{ path: '/api/teams/t/lists/l/export', init: { method: 'POST', body: { timeZone: 'Europe/London' } } }]);
  });

  it('never opens a link that is not the app’s own API', async () => {
    vi.stubGlobal('window', { location: { origin: 'https://tab.example' } });
    for (const url of ['https://evil.example/file.csv', '//evil.example/api/x', 'javascript:alert(1)', '/download']) {
      const { api } = fakeApi({ url, expiresAt: '2026-12-03T14:06:00.000Z' });
      await expect(exportLink(api, 't', 'l', 'UTC'), url).rejects.toMatchObject({ code: 'bad_answer' });
    }
  });
});
