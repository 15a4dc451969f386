import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, retryAfterSeconds, shouldRetryQuery } from '../../../client/shared/api/api-client';
import { createQueryClient } from '../../../client/shared/api/query-client';
import { rateLimitWaits } from '../../../client/shared/api/rate-limit';
import { errorText } from '../../../client/shared/error-text';
import { setLanguage } from '../../../client/shared/i18n/t';

const tooMany = (seconds: string | null = '3') =>
  new Response(JSON.stringify({ code: 'rate_limited', message: `Too many requests. Try again in ${seconds} seconds.`, requestId: 'req-429' }), {
    status: 429,
    headers: { 'content-type': 'application/json', ...(seconds === null ? {} : { 'retry-after': seconds }) },
  });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** `fetch` at the HTTP boundary: answers in turn, then the last one again; records each request. */
function fakeFetch(...answers: (() => Response)[]) {
  const calls: { url: string; method: string; at: number }[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, method: init?.method ?? 'GET', at: Date.now() });
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return answers[Math.min(calls.length - 1, answers.length - 1)]();
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

const api = createApi(async () => 'token');

describe('the API client after too many requests (429)', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-01T09:00:00Z') }));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    setLanguage('en');
  });

  it('waits the seconds of Retry-After, says so, and asks once more for a read', async () => {
    const calls = fakeFetch(
      () => tooMany('3'),
      () => json(200, { lists: 1 }),
    );
    const result = api<{ lists: number }>('/api/teams/t1/lists');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    // While it waits, the notice knows until when.
    expect(rateLimitWaits.until()).toBe(Date.parse('2026-12-01T09:00:03Z'));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual({ lists: 1 });
    expect(calls.map((c) => c.at - calls[0].at)).toEqual([0, 3_000]);
    expect(rateLimitWaits.until()).toBeNull();
  });

  it('asks only once more: a second 429 is an error that says how long to wait', async () => {
    const calls = fakeFetch(() => tooMany('2'));
    const result = api('/api/teams/t1/lists/l1').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await result;
    expect(calls).toHaveLength(2);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 2, requestId: 'req-429' });
    expect(errorText(error)).toBe('Too many requests right now. Try again in 2 seconds.');
    setLanguage('ru');
    expect(errorText(error)).toBe('Сейчас слишком много запросов. Повторите попытку через 2 секунды.');
    expect(rateLimitWaits.until()).toBeNull();
  });

  it('never sends a change again by itself: the user is told and tries again', async () => {
    const calls = fakeFetch(
      () => tooMany('4'),
      () => json(201, { id: 'n1' }),
    );
    const result = api('/api/teams/t1/patients/p1/notes', { method: 'POST', body: { text: 'Seen at 9' } }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await result;
    expect(calls.map((c) => c.method)).toEqual(['POST']);
    expect(errorText(error)).toBe('Too many requests right now. Try again in 4 seconds.');
    expect(rateLimitWaits.until()).toBeNull();
  });

  it('does not wait by itself when asked to wait long, and waits a few seconds when not told how long', async () => {
    let calls = fakeFetch(() => tooMany('120'));
    const long = api('/api/teams/t1/lists').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(errorText(await long)).toBe('Too many requests right now. Try again in 120 seconds.');
    expect(calls).toHaveLength(1);

    calls = fakeFetch(
      () => tooMany(null),
      () => json(200, []),
    );
    const untold = api('/api/teams/t1/lists');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(untold).resolves.toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it('stops waiting when the read is cancelled, and sends nothing more', async () => {
    const calls = fakeFetch(
      () => tooMany('5'),
      () => json(200, {}),
    );
    const controller = new AbortController();
    const result = api('/api/teams/t1/lists', { signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    expect(await result).toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(1);
    expect(rateLimitWaits.until()).toBeNull();
  });

  it('reads Retry-After as seconds or as a date', () => {
    const at = (value: string) =>
      retryAfterSeconds(new Response(null, { status: 429, headers: { 'retry-after': value } }), Date.parse('2026-12-01T09:00:00Z'));
    expect(at('7')).toBe(7);
    expect(at('0')).toBe(1);
    expect(at('Tue, 01 Dec 2026 09:00:10 GMT')).toBe(10);
    expect(at('soon')).toBeNull();
  });
});

describe("React Query's retry", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('does not repeat a read the server answered (4xx or its own 5xx), nor one that was rate limited', () => {
    expect(shouldRetryQuery(0, new ApiError(404, 'list_not_found', 'gone'))).toBe(false);
    expect(shouldRetryQuery(0, new ApiError(429, 'rate_limited', 'slow down'))).toBe(false);
    // The server has retried the EHR and Graph itself: asked again at once, a failing EHR is read twice.
    expect(shouldRetryQuery(0, new ApiError(502, 'ehr_error', 'the EHR failed'))).toBe(false);
    expect(shouldRetryQuery(0, new ApiError(504, 'ehr_timeout', 'the EHR took too long'))).toBe(false);
    expect(shouldRetryQuery(0, new ApiError(500, 'internal_error', 'oops'))).toBe(false);
  });

  it('repeats a read once when no answer came, it came cut off, or a gateway failed it', () => {
    expect(shouldRetryQuery(0, new ApiError(0, 'network_error', 'offline'))).toBe(true);
    expect(shouldRetryQuery(1, new ApiError(0, 'network_error', 'offline'))).toBe(false);
    expect(shouldRetryQuery(0, new ApiError(200, 'bad_answer', 'cut off'))).toBe(true);
    expect(shouldRetryQuery(0, new ApiError(502, 'http_error', 'Bad Gateway'))).toBe(true);
    expect(shouldRetryQuery(0, new ApiError(404, 'http_error', 'Not Found'))).toBe(false);
  });

  it("sends a refused read once, a rate-limited one twice (the client's own wait), one the server failed once, one a gateway failed twice", async () => {
    vi.useFakeTimers();
    const run = async (...answers: (() => Response)[]) => {
      const calls = fakeFetch(...answers);
      const client = createQueryClient();
      const result = client.fetchQuery({ queryKey: ['x'], queryFn: () => api('/api/teams/t1/lists') }).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(120_000);
      await result;
      client.clear();
      return calls.length;
    };
    expect(await run(() => json(404, { code: 'list_not_found', message: 'There is no such list in this team.', requestId: 'r' }))).toBe(1);
    expect(await run(() => json(400, { code: 'validation_failed', message: 'bad', requestId: 'r' }))).toBe(1);
    expect(await run(() => tooMany('1'))).toBe(2);
    expect(await run(() => json(502, { code: 'ehr_error', message: 'The EHR failed.', requestId: 'r' }))).toBe(1);
    expect(await run(() => new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }))).toBe(2);
  });
});

describe('an answer that cannot be read', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is an error in plain words, never missing data', async () => {
    fakeFetch(() => new Response('{"id":"l1","rows":[{"patientId":"p1"', { status: 200, headers: { 'content-type': 'application/json' } }));
    const error = await api('/api/teams/t1/lists/l1').catch((e: unknown) => e);
    expect(errorText(error)).toBe("The server's answer could not be read. Try again in a moment.");
  });
});
