import type { Response } from 'express';
import { auditQuery, type AuditEvent } from '../../../contract/audit.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { auditCsv, auditJson, readAuditTrail, readOperation, requireAuditReader } from './audit-service.js';

/** Records written at a time: big enough for few writes, small enough to keep memory flat. */
const CHUNK = 500;

/** The audit trail of the caller's tenant, for holders of the audit reader app role. */
export function auditRoutes(ep: Endpoints, deps: ApiDeps): void {
  ep.get('/audit', { audit: (req) => [readOperation(req.query.format)], access: 'caller' }, async (req, res) => {
    const who = caller();
    // The role first: a caller without it learns nothing from the query's checks.
    requireAuditReader(who.roles);
    const query = auditQuery.parse(req.query);
    const records = (await readAuditTrail(deps, who, query))[Symbol.asyncIterator]();
    // The first page is read before the status goes out: a store that cannot be read gives a problem answer, not a cut-off file.
    const firstChunk = await take(records);
    if (query.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment('audit.csv');
      await stream(res, records, firstChunk, { open: '', records: (events, first) => auditCsv(events, first), close: '' });
    } else {
      res.type('application/json; charset=utf-8');
      await stream(res, records, firstChunk, auditJson);
    }
  });
}

async function take(records: AsyncIterator<AuditEvent>): Promise<AuditEvent[]> {
  const chunk: AuditEvent[] = [];
  while (chunk.length < CHUNK) {
    const next = await records.next();
    if (next.done) break;
    chunk.push(next.value);
  }
  return chunk;
}

interface Form {
  open: string;
  records(events: AuditEvent[], first: boolean): string;
  close: string;
}

/** Writes the answer chunk by chunk, waiting when the client reads slower than the store; a failure midway cuts the answer off. */
async function stream(res: Response, records: AsyncIterator<AuditEvent>, firstChunk: AuditEvent[], form: Form): Promise<void> {
  let chunk = firstChunk;
  let first = true;
  try {
    res.write(form.open + form.records(chunk, true));
    while (chunk.length === CHUNK) {
      first = false;
      chunk = await take(records);
      if (chunk.length && !res.write(form.records(chunk, first))) await drained(res);
      if (res.destroyed) {
        await records.return?.();
        return;
      }
    }
    res.end(form.close);
  } catch (error) {
    // The status already went out: an answer without its end is the client's sign that it is incomplete.
    res.destroy(error as Error);
    await records.return?.();
  }
}

/** Until the client took what was written, or went away. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
