import type { Request, Response, NextFunction } from 'express';
import { exportBody, exportQuery } from '../../../contract/exports.js';
import { teamKey } from '../../identity/middleware.js';
import { caller, requestContext } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { attributeRefusal, createExportTickets } from './export-tickets.js';
import { exportList, exportZone } from './list-export.js';
import { findList } from './list-service.js';

/**
 * A list's CSV download. `POST …/export` (a member, with the tab's time zone) answers a link with
 * a single-use ticket; `GET` of the link needs no Bearer token (Teams opens it in a browser or
 * its own viewer) and answers the file. `GET …/export.csv` with a Bearer token stays for programs.
 * Tickets are held in `heldItems` when given (app.ts passes the store all instances share), so
 * the link works through any instance.
 */
export function exportRoutes(ep: Endpoints, deps: ApiDeps): void {
  const list = '/teams/:teamId/lists/:listId';
  const tickets = createExportTickets({ store: deps.heldItems });
  const csvAnswer = (res: Response, file: { filename: string; csv: string }) =>
    res.type('text/csv; charset=utf-8').attachment(file.filename).send(file.csv);

  ep.get(`${list}/export.csv`, { audit: 'ExportInitiation', access: 'member' }, async (req, res) => {
    const { timeZone } = exportQuery.parse(req.query);
    csvAnswer(res, await exportList(deps, teamKey(req), String(req.params.listId), exportZone(timeZone)));
  });

  // Issuing a link reads no patient data (the list's existence only): the download is what is
  // recorded as a success; a refused request for a link (not a member, no such list) is recorded.
  ep.post(`${list}/export`, { audit: 'ExportInitiation', records: 'refusals', access: 'member' }, async (req, res) => {
    const { timeZone } = exportBody.parse(req.body);
    const zone = exportZone(timeZone);
    const team = teamKey(req);
    const found = await findList(deps, team, String(req.params.listId));
    const { ticket, expiresAt } = await tickets.issue({
      caller: caller(),
      ssoToken: requestContext().ssoToken,
      teamId: team.teamId,
      listId: found.id,
      timeZone: zone,
    });
    res.status(201).json({ url: `/api/teams/${team.teamId}/lists/${found.id}/export/${ticket}`, expiresAt: expiresAt.toISOString() });
  });

  // The ticket stands in for the Bearer token: it restores who asked, and membership is checked again.
  const redeem = async (req: Request, res: Response, next: NextFunction) => {
    // A known ticket refused (expired, another list's address) is recorded in its holder's trail.
    const grant = await tickets.redeem(String(req.params.ticket), String(req.params.teamId), String(req.params.listId)).catch((error: unknown) => {
      attributeRefusal(error);
      throw error;
    });
    const context = requestContext();
    context.caller = grant.caller;
    context.ssoToken = grant.ssoToken;
    res.locals.exportTimeZone = grant.timeZone;
    next();
  };
  ep.get(`${list}/export/:ticket`, { audit: 'ExportInitiation', access: 'member', authenticate: redeem }, async (req, res) => {
    csvAnswer(res, await exportList(deps, teamKey(req), String(req.params.listId), String(res.locals.exportTimeZone)));
  });
}
