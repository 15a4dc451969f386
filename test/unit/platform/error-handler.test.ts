import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, loggableError, toProblem } from '../../../server/platform/error-handler';
import { withRequestContext } from '../../../server/platform/request-context';
import { Problem } from '../../../server/platform/problem';
import { captureLogs } from '../../helpers/log-capture';

// The real logger's output.
const lines = captureLogs();

let server: Server;
let base: string;
beforeAll(async () => {
  const app = express();
  app.use(withRequestContext);
  app.get('/patients/:patientId', (req, res) => void res.json({ id: req.params.patientId }));
  app.get('/crash', () => {
    throw new Error('patient Jane Doe MRN 123');
  });
  app.get('/ehr-down', () => {
    throw new Problem('ehr_unreachable', 'The EHR could not be reached.');
  });
  app.get('/crash-multiline', () => {
    throw new TypeError('lookup failed for\n    at Jane Doe (MRN 123)');
  });
  app.post('/body', express.json({ limit: '1kb' }), (_req, res) => void res.json({ ok: true }));
  app.use(errorHandler);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

const call = async (path: string, init?: RequestInit) => {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, body: await res.json() };
};

describe('malformed percent-encoding in a path', () => {
  it.each(['%ff', '%E0%A4%A', '%', 'abc%zz'])('answers 400 malformed_path for /patients/%s, and logs nothing', async (id) => {
    const answer = await call(`/patients/${id}`);
    expect(answer).toEqual({
      status: 400,
      body: { code: 'malformed_path', message: 'The address contains malformed percent-encoding.', requestId: expect.any(String) },
    });
    expect(lines).toEqual([]);
  });

  it('still decodes well-formed ids', async () => {
    expect(await call('/patients/a%20b')).toEqual({ status: 200, body: { id: 'a b' } });
  });
});

describe('client errors of Express and body-parser', () => {
  it('keeps their 4xx status and answers in our words, never theirs', () => {
    const httpError = (status: number, message: string, more: object = {}) =>
      Object.assign(new Error(message), { status, statusCode: status, expose: true, ...more });
    expect(toProblem(httpError(400, 'request aborted by Jane Doe', { type: 'request.aborted' }))).toMatchObject({
      status: 400,
      code: 'bad_request',
      message: 'The request could not be understood.',
    });
    expect(toProblem(httpError(405, 'secret detail'))).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(toProblem(httpError(413, 'too many parameters', { type: 'parameters.too.many' }))).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
    // One status per code (the contract): a 4xx without a code of its own is a plain bad request.
    expect(toProblem(Object.assign(new Error('x'), { statusCode: 418, expose: true }))).toMatchObject({ status: 400, code: 'bad_request' });
    for (const status of [400, 405, 413, 418]) expect(toProblem(httpError(status, 'secret detail')).message).not.toContain('secret');
  });

  it('treats errors not marked as safe, or with a server status, as internal', () => {
    expect(toProblem(Object.assign(new Error('x'), { status: 400 }))).toMatchObject({ status: 500, code: 'internal_error' });
    expect(toProblem(Object.assign(new Error('x'), { status: 503, expose: true }))).toMatchObject({ status: 500, code: 'internal_error' });
    expect(toProblem(Object.assign(new Error('x'), { status: '400', expose: true }))).toMatchObject({ status: 500 });
    expect(toProblem(new URIError('URI malformed'))).toMatchObject({ status: 500, code: 'internal_error' });
    expect(toProblem(null)).toMatchObject({ status: 500 });
    expect(toProblem('text')).toMatchObject({ status: 500 });
  });

  it('answers a body that is too large or not JSON as before', async () => {
    const post = (body: string) => call('/body', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await post('{"a":')).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
    expect(await post(JSON.stringify({ a: 'x'.repeat(2000) }))).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
  });
});

describe('the log line of an unexpected error', () => {
  it('names the error class and its stack frames, never the message', async () => {
    const answer = await call('/crash');
    expect(answer).toMatchObject({ status: 500, body: { code: 'internal_error' } });
    expect(answer.body.message).not.toContain('Jane');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('Jane Doe');
    expect(lines[0]).not.toContain('MRN 123');
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 50, msg: 'unhandled error', requestId: answer.body.requestId, err: { name: 'Error' } });
    expect(line.err.frames).toMatch(/^at /);
    expect(line.err.frames).toContain('error-handler.test.ts');
  });

  it('is not written for an answer the app chose (the EHR unreachable): that is a warning with its code, no frames', async () => {
    const answer = await call('/ehr-down');
    expect(answer).toMatchObject({ status: 502, body: { code: 'ehr_unreachable' } });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 40, msg: 'request failed', code: 'ehr_unreachable', status: 502 }),
    ]);
    expect(lines[0]).not.toContain('frames');
  });

  it('drops a message that spans lines and looks like a frame', async () => {
    await call('/crash-multiline');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('Jane Doe');
    expect(JSON.parse(lines[0]).err.name).toBe('TypeError');
  });

  it('keeps an error code, and nothing of values that are not errors', () => {
    const sqlite = Object.assign(new Error('UNIQUE constraint failed: patients.mrn = 123'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const logged = loggableError(sqlite);
    expect(logged).toMatchObject({ name: 'Error', code: 'SQLITE_CONSTRAINT_UNIQUE' });
    // The frames carry file positions (digits); what must never appear is the failed statement's data.
    expect(JSON.stringify(logged)).not.toContain('patients.mrn = 123');
    expect(JSON.stringify(logged)).not.toContain('UNIQUE constraint');
    expect(loggableError(Object.assign(new Error('x'), { code: 'Jane Doe 123' }))).not.toHaveProperty('code');
    expect(loggableError('patient Jane Doe')).toEqual({ name: 'string' });
    expect(loggableError(null)).toEqual({ name: 'null' });
    const renamed = new Error('Jane Doe');
    renamed.name = 'Jane Doe';
    expect(JSON.stringify(loggableError(renamed))).not.toContain('Jane');
  });
});
