import type { NextFunction, Request, Response } from 'express';
import {
  AUDIT_MAX_LIMIT,
  AUDIT_VIEW_LIMIT,
  auditExportBody,
  auditQuery,
  type AuditEvent,
  type AuditExportBody,
  type AuditQuery,
} from '../../../contract/audit.js';
import { caller, requestContext, type Caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { attributeRefusal } from '../shared/ticket-holder.js';
import { createAuditLinks } from './audit-links.js';
import { toProblem } from '../../platform/error-handler.js';
import { CLIENT_CLOSED_REQUEST, recordCutOff } from '../shared/audit-trail.js';
import {
  auditCsv,
  auditCsvClose,
  auditJson,
  deliberateRawQuery,
  nameAttemptedTrail,
  readAuditTrail,
  readOperation,
  requireAuditReader,
} from './audit-service.js';

/** Records written at a time: big enough for few writes, small enough to keep memory flat. */
const CHUNK = 500;

/**
 * The audit trail of the caller's tenant, for holders of the audit reader app role: read with a
 * Bearer token (`GET /audit`, JSON or CSV), or downloaded as CSV through a single-use link the
 * tab asks for (`POST /audit/export`) and the host opens without a token (`GET /audit/export/:ticket`).
 */
export function auditRoutes(ep: Endpoints, deps: ApiDeps, exportCeiling = AUDIT_MAX_LIMIT): void {
  const links = createAuditLinks({ store: deps.heldItems });
  ep.get('/audit', { audit: (req) => [readOperation(req.query.format)], access: 'caller' }, async (req, res) => {
    const who = caller();
    // A refused deliberate read of a patient's trail names the patient, as its success does (nameAttemptedTrail);
    // a refused screenful names no one (it read nothing), a given one names the patient when it gives their records.
    if (deliberateRawQuery(req.query)) nameAttemptedTrail(req.query);
    // The role first: a caller without it learns nothing from the query's checks.
    requireAuditReader(who.roles);
    await answerTrail(deps, res, who, auditQuery.parse(req.query), exportCeiling);
  });

  // Issuing a link reads nothing of the trail: the download is what is recorded as a success; a
  // refused request for a link (no audit role, bad filters) is recorded, as a refused read is.
  ep.post('/audit/export', { audit: 'AuditExport', records: 'refusals', access: 'caller' }, async (req, res) => {
    const who = caller();
    // A link to an export is a deliberate read asked for: refused, it names the patient the body names (nameAttemptedTrail).
    if (typeof req.body === 'object' && req.body !== null) nameAttemptedTrail(req.body as Record<string, unknown>);
    requireAuditReader(who.roles);
    const filters = auditExportBody.parse(req.body);
    const { ticket, expiresAt } = await links.issue({ caller: who, filters });
    res.status(201).json({ url: `/api/audit/export/${ticket}`, expiresAt: expiresAt.toISOString() });
  });

  // The ticket stands in for the Bearer token: it restores who asked, with the roles their token
  // had when they asked (the download brings no token to read them afresh), and the filters.
  const redeem = async (req: Request, res: Response, next: NextFunction) => {
    // An expired ticket is recorded in its holder's trail; an unknown one names nobody verified.
    const grant = await links.redeem(String(req.params.ticket)).catch((error: unknown) => {
      attributeRefusal(error);
      throw error;
    });
    requestContext().caller = grant.caller;
    res.locals.auditFilters = grant.filters;
    next();
  };
  ep.get('/audit/export/:ticket', { audit: 'AuditExport', access: 'caller', authenticate: redeem }, async (_req, res) => {
    const who = caller();
    // The filters the link was issued for: a refused download names their patient, as any refused export does.
    nameAttemptedTrail(res.locals.auditFilters as AuditExportBody);
    requireAuditReader(who.roles);
    await answerTrail(deps, res, who, { ...(res.locals.auditFilters as AuditExportBody), format: 'csv' }, exportCeiling);
  });
}

/** The trail as asked, JSON or CSV, streamed as it is read. */
async function answerTrail(deps: ApiDeps, res: Response, who: Caller, query: AuditQuery, exportCeiling: number): Promise<void> {
  const csv = query.format === 'csv';
  const limit = query.limit ?? (csv ? exportCeiling : AUDIT_VIEW_LIMIT);
  // One record past the limit tells whether the limit left any out.
  const read = await readAuditTrail(deps, who, query, limit + 1);
  const records = limited(read.records[Symbol.asyncIterator](), limit);
  // The first page is read before the status goes out: a store that cannot be read gives a problem answer, not a cut-off file.
  const firstChunk = await take(records);
  if (csv) {
    res.type('text/csv; charset=utf-8').attachment('audit.csv');
    // An export asked for all that is cut at the most one read gives ends without its end: never a file that looks whole.
    const cutOff = query.limit === undefined;
    await stream(deps, res, records, firstChunk, { open: '', records: (events, first) => auditCsv(events, first), close: auditCsvClose }, cutOff);
  } else {
    res.type('application/json; charset=utf-8');
    // A JSON answer the limit cut short ends with the token that continues after its last record.
    const close = (more: boolean) => auditJson.close(more, more && records.last ? read.nextAfter(records.last) : undefined);
    await stream(deps, res, records, firstChunk, { ...auditJson, close }, false);
  }
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

/** The first `limit` records; `left` tells, once they are taken, whether the store had more, `last` the last one given. */
function limited(records: AsyncIterator<AuditEvent>, limit: number): AsyncIterator<AuditEvent> & { left: boolean; last?: AuditEvent } {
  let given = 0;
  const iterator = {
    left: false,
    last: undefined as AuditEvent | undefined,
    async next(): Promise<IteratorResult<AuditEvent>> {
      const next = await records.next();
      if (next.done) return next;
      if (given === limit) {
        iterator.left = true;
        await records.return?.();
        return { done: true, value: undefined };
      }
      given++;
      iterator.last = next.value;
      return next;
    },
    return: async () => (await records.return?.()) ?? { done: true as const, value: undefined },
  };
  return iterator;
}

interface Form {
  open: string;
  records(events: AuditEvent[], first: boolean): string;
  close(more: boolean): string;
}

/**
 * Writes the answer chunk by chunk, waiting when the client reads slower than the store; a failure
 * midway cuts the answer off, and so does a limit that left records out when `cutOffWhenMore`.
 * The read's success was recorded before the first chunk: a cut-off answer gets its failure
 * records too (best effort: its status already went out), with the status its problem has.
 */
async function stream(
  { store }: ApiDeps,
  res: Response,
  records: AsyncIterator<AuditEvent> & { left: boolean },
  firstChunk: AuditEvent[],
  form: Form,
  cutOffWhenMore: boolean,
): Promise<void> {
  let chunk = firstChunk;
  let first = true;
  try {
    res.write(form.open + form.records(chunk, true));
    while (chunk.length === CHUNK) {
      first = false;
      chunk = await take(records);
      if (chunk.length && !res.write(form.records(chunk, first))) await drained(res);
      if (res.destroyed) {
        // The caller went away before the end: what it asked for was not given whole.
        await records.return?.();
        await recordCutOff(store.audit, CLIENT_CLOSED_REQUEST);
        return;
      }
    }
    if (records.left && cutOffWhenMore) throw new Error('the export has more records than one read gives');
    res.end(form.close(records.left));
  } catch (error) {
    // The status already went out: an answer without its end is the client's sign that it is incomplete.
    res.destroy(error as Error);
    await records.return?.();
    await recordCutOff(store.audit, toProblem(error).status);
  }
}

/** Until the client took what was written, or went away. */
function drained(res: Response): Promise<void> {
  // A caller gone before the write: its close has fired already, and no drain will come.
  if (res.destroyed || res.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
