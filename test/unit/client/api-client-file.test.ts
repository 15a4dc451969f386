import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../client/shared/api/api-client';

afterEach(() => vi.unstubAllGlobals());

describe('the API client sending a file (an import)', () => {
  it('sends the bytes as they are, as application/octet-stream, with the name percent-encoded', async () => {
    const sent: RequestInit[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(init);
        return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    const data = new Blob(['Name;MRN\nZoé;1\n']);
    await createApi(async () => 'token')('/api/x', { method: 'POST', file: { data, name: 'Patients – 4B.csv' } });
    expect(sent[0].body).toBe(data);
    expect(sent[0].headers).toEqual({
      authorization: 'Bearer token',
      'content-type': 'application/octet-stream',
      'x-file-name': 'Patients%20%E2%80%93%204B.csv',
    });
  });
});
