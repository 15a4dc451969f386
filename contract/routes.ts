import { z } from 'zod';
import { auditAnswer, auditExportBody, auditQuery } from './audit.js';
import { connectionAnswer, connectionBody, setConnectionAnswer } from './connection.js';
import { exportBody, exportLinkAnswer, exportQuery } from './exports.js';
import {
  addPatientsBody,
  createListBody,
  defaultListAnswer,
  defaultListBody,
  listsAnswer,
  listSummary,
  listView,
  moveAnswer,
  movePatientBody,
  patchListBody,
} from './lists.js';
import { manualPatient, manualPatientsAnswer, manualSchema, patientBody, schemaBody, teamMembersAnswer } from './manual.js';
import { dischargeBody, dischargedPatient, dischargedPatientsAnswer } from './manual-discharge.js';
import { importConfirmAnswer, importConfirmBody, importFileAnswer, importPreviewAnswer, importPreviewBody } from './manual-import.js';
import { correctNoteBody, note, noteBody, notesAnswer, withdrawNoteBody } from './notes.js';
import { pageQuery, patientDetailsAnswer, patientSearchAnswer, patientSearchQuery, patientSummary } from './patients.js';
import { consentConfigAnswer, healthAnswer, meAnswer, myTeamsAnswer, readyAnswer } from './teams.js';

export interface RouteContract {
  /** The JSON body the route accepts. */
  body?: z.ZodType;
  /** The query string the route accepts (each a schema of its own when the route has alternatives). */
  query?: z.ZodType | z.ZodType[];
  /** The JSON answer on success; null when the answer is empty (204) or not JSON (CSV). */
  answer: z.ZodType | null;
}

/**
 * Every API route, as `METHOD path` with `{param}` for path parameters (under `/api`): what it
 * accepts and what it answers on success. Failures answer `problemBody` (contract/errors.ts).
 * The server parses input with these schemas; the API suites check every answer against them.
 */
export const apiRoutes = {
  'GET /api/health': { answer: healthAnswer },
  'GET /api/ready': { answer: readyAnswer },
  'GET /api/consent-config': { answer: consentConfigAnswer },
  'GET /api/me': { answer: meAnswer },
  'GET /api/me/teams': { answer: myTeamsAnswer },
  'GET /api/teams/{teamId}/connection': { answer: connectionAnswer },
  'PUT /api/teams/{teamId}/connection': { body: connectionBody, answer: setConnectionAnswer },
  'GET /api/teams/{teamId}/patients': { query: [patientSearchQuery, pageQuery], answer: patientSearchAnswer },
  'GET /api/teams/{teamId}/patients/{patientId}': { answer: patientSummary },
  'GET /api/teams/{teamId}/patients/{patientId}/details': { answer: patientDetailsAnswer },
  'GET /api/teams/{teamId}/patients/{patientId}/notes': { answer: notesAnswer },
  'POST /api/teams/{teamId}/patients/{patientId}/notes': { body: noteBody, answer: note },
  'PATCH /api/teams/{teamId}/patients/{patientId}/notes/{noteId}': { body: correctNoteBody, answer: note },
  'POST /api/teams/{teamId}/patients/{patientId}/notes/{noteId}/withdraw': { body: withdrawNoteBody, answer: note },
  'GET /api/teams/{teamId}/lists': { answer: listsAnswer },
  'POST /api/teams/{teamId}/lists': { body: createListBody, answer: listSummary },
  'GET /api/teams/{teamId}/lists/{listId}': { answer: listView },
  'PATCH /api/teams/{teamId}/lists/{listId}': { body: patchListBody, answer: listView },
  'DELETE /api/teams/{teamId}/lists/{listId}': { answer: null },
  'GET /api/teams/{teamId}/lists/{listId}/export.csv': { query: exportQuery, answer: null },
  'POST /api/teams/{teamId}/lists/{listId}/export': { body: exportBody, answer: exportLinkAnswer },
  'GET /api/teams/{teamId}/lists/{listId}/export/{ticket}': { answer: null },
  'POST /api/teams/{teamId}/lists/{listId}/patients': { body: addPatientsBody, answer: listView },
  'DELETE /api/teams/{teamId}/lists/{listId}/patients/{patientId}': { answer: null },
  'POST /api/teams/{teamId}/lists/{listId}/patients/{patientId}/move': { body: movePatientBody, answer: moveAnswer },
  'PUT /api/teams/{teamId}/me/default-list': { body: defaultListBody, answer: defaultListAnswer },
  'GET /api/teams/{teamId}/members': { answer: teamMembersAnswer },
  'GET /api/teams/{teamId}/schema': { answer: manualSchema },
  'PUT /api/teams/{teamId}/schema': { body: schemaBody, answer: manualSchema },
  'GET /api/teams/{teamId}/manual-patients': { answer: manualPatientsAnswer },
  'POST /api/teams/{teamId}/manual-patients': { body: patientBody, answer: manualPatient },
  'GET /api/teams/{teamId}/manual-patients/{patientId}': { answer: manualPatient },
  'PATCH /api/teams/{teamId}/manual-patients/{patientId}': { body: patientBody, answer: manualPatient },
  'POST /api/teams/{teamId}/manual-import/file': { answer: importFileAnswer },
  'POST /api/teams/{teamId}/manual-import/preview': { body: importPreviewBody, answer: importPreviewAnswer },
  'POST /api/teams/{teamId}/manual-import/confirm': { body: importConfirmBody, answer: importConfirmAnswer },
  'POST /api/teams/{teamId}/manual-patients/{patientId}/discharge': { body: dischargeBody, answer: dischargedPatient },
  'GET /api/teams/{teamId}/discharged-patients': { answer: dischargedPatientsAnswer },
  'GET /api/teams/{teamId}/discharged-patients/{patientId}': { answer: dischargedPatient },
  'POST /api/teams/{teamId}/discharged-patients/{patientId}/readmit': { body: dischargeBody, answer: manualPatient },
  'GET /api/audit': { query: auditQuery, answer: auditAnswer },
  'POST /api/audit/export': { body: auditExportBody, answer: exportLinkAnswer },
  'GET /api/audit/export/{ticket}': { answer: null },
} as const satisfies Record<string, RouteContract>;

export type ApiRoute = keyof typeof apiRoutes;

/** The success answer of a route, typed. */
export type AnswerOf<R extends ApiRoute> = (typeof apiRoutes)[R]['answer'] extends z.ZodType ? z.infer<(typeof apiRoutes)[R]['answer']> : void;

const templates = Object.keys(apiRoutes).map((key) => {
  const [method, template] = key.split(' ');
  const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return { key: key as ApiRoute, method, pattern };
});

/** The route a request goes to (`GET`, `/api/teams/t1/lists?x=1`), or undefined for a path the API does not have. */
export function routeOf(method: string, path: string): ApiRoute | undefined {
  const pathname = path.split(/[?#]/)[0];
  return templates.find((t) => t.method === method.toUpperCase() && t.pattern.test(pathname))?.key;
}
