import {
  column,
  columnFacets,
  columnResource,
  etagOf,
  fieldsResource,
  itemResource,
  listResource,
  type EmulatedItem,
  type EmulatedList,
  type EmulatedSite,
  type GraphState,
} from './model.js';
import { page, pageSize, parseEqFilter, sharePointEq } from './odata.js';

/** A parsed request to the emulator, after the Bearer token was checked. */
export interface EmulatorRequest {
  method: string;
  /** Path segments after `/v1.0`, decoded. */
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  tenantId: string;
  /** The signed-in user of a delegated token; app-only tokens have none. */
  userId?: string;
  /** Builds an absolute `@odata.nextLink` for the current path with other query parameters. */
  linkWith(params: Record<string, string>): string;
}

export interface EmulatorResponse {
  status: number;
  body?: unknown;
}

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (what: string) => new GraphHttpError(404, 'itemNotFound', `The requested ${what} was not found.`);
const invalid = (message: string) => new GraphHttpError(400, 'invalidRequest', message);
const ok = (body: unknown, status = 200): EmulatorResponse => ({ status, body });

/** What a deployment of the emulator does where Graph's documents leave it open. */
export interface RouteSettings {
  /** Largest page served. */
  pageMax: number;
  /**
   * Whether `indexed: true` in a list-create's columns indexes them. list-create does not say
   * it does; the store must read the columns and index them itself (columndefinition-update).
   */
  honourIndexedOnCreate: boolean;
}

/** SharePoint's list view threshold. */
const LIST_VIEW_THRESHOLD = 5000;

const templates = new Set(['genericList', 'documentLibrary', 'announcements', 'contacts', 'events', 'links', 'tasks']);

/** The routes the store uses, answered as Graph v1.0 documents them (site-get, list-*, columndefinition-*, listitem-*). */
export function route(state: GraphState, req: EmulatorRequest, settings: RouteSettings): EmulatorResponse {
  const { pageMax } = settings;
  const [first, id, sub, listId, leaf, itemId, tail, ...rest] = req.segments;
  const m = req.method;
  if (first === 'me') return meRoute(state, req, pageMax);
  // group-get: the group exists in the token's tenant (whether or not its site is there yet).
  if (first === 'groups' && id !== undefined && sub === undefined && m === 'GET') {
    if (!state.hasGroup(req.tenantId, id)) throw new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist.`);
    return ok({ id, displayName: state.groupRecord(req.tenantId, id)?.displayName ?? null });
  }
  if (first === 'groups' && sub === 'sites' && listId === 'root' && leaf === undefined && m === 'GET') {
    // A group whose site is still being provisioned answers 404 as an unknown one does.
    const site = state.siteOfGroup(req.tenantId, id);
    if (!site) throw notFound('group');
    return ok({ id: site.id, displayName: site.displayName, name: site.groupId, webUrl: site.webUrl, root: {} });
  }
  // group-list-owners, group-list-members: directory objects with their ids and display names.
  if (first === 'groups' && (sub === 'owners' || sub === 'members') && listId === undefined && m === 'GET') {
    const people = state.hasGroup(req.tenantId, id) && state.people.get(`${req.tenantId}/${id.toLowerCase()}`);
    if (!people) throw notFound('group');
    return ok({
      value: people[sub].map((userId) => ({ '@odata.type': '#microsoft.graph.user', id: userId, displayName: state.userNames.get(userId) ?? null })),
    });
  }
  if (first !== 'sites' || id === undefined || rest.length) throw new GraphHttpError(400, 'BadRequest', 'Resource not found for the segment.');
  const site = state.sites.get(id);
  if (!site || site.tenantId !== req.tenantId) throw notFound('site');
  if (sub === undefined && m === 'GET') return ok({ id: site.id, displayName: site.displayName, webUrl: site.webUrl });
  if (sub !== 'lists') throw new GraphHttpError(400, 'BadRequest', 'Resource not found for the segment.');
  if (listId === undefined) return m === 'GET' ? getLists(site, req, pageMax) : m === 'POST' ? createList(state, site, req, settings) : notAllowed();
  const list = site.lists.get(listId) ?? [...site.lists.values()].find((l) => l.displayName === listId);
  if (!list) throw notFound('list');
  if (leaf === undefined) return listRoute(site, list, req);
  if (leaf === 'columns' && itemId === undefined) return columnsRoute(list, req);
  if (leaf === 'columns' && tail === undefined) return columnRoute(list, itemId, req);
  if (leaf !== 'items') throw new GraphHttpError(400, 'BadRequest', 'Resource not found for the segment.');
  if (itemId === undefined)
    return m === 'GET' ? getItems(site, list, req, pageMax) : m === 'POST' ? createItem(state, site, list, req) : notAllowed();
  const item = list.items.get(Number(itemId));
  if (!item || !/^\d+$/.test(itemId)) throw notFound('item');
  if (tail === 'fields') {
    if (m === 'GET') return ok(fieldsResource(item));
    if (m !== 'PATCH') return notAllowed();
    checkIfMatch(req, item);
    state.updateItem(item, checkedFields(list, req.body, false));
    return ok(fieldsResource(item));
  }
  if (tail !== undefined) throw new GraphHttpError(400, 'BadRequest', 'Resource not found for the segment.');
  if (m === 'GET') return ok(itemResource(item, list, site, expandsFields(req)));
  if (m === 'PATCH') {
    checkIfMatch(req, item);
    state.updateItem(item, checkedFields(list, (req.body as { fields?: unknown })?.fields ?? {}, false));
    return ok(itemResource(item, list, site, true));
  }
  if (m === 'DELETE') {
    checkIfMatch(req, item);
    list.items.delete(item.id);
    return { status: 204 };
  }
  return notAllowed();
}

/**
 * `GET /me/joinedTeams` (user-list-joinedteams): the teams the token's user is a direct member of,
 * in the token's tenant, as `team` resources of which only id, displayName, description,
 * isArchived and tenantId are filled. No OData query options; long answers page with
 * `@odata.nextLink`. Graph refuses `/me` without a signed-in user (an app-only token).
 */
function meRoute(state: GraphState, req: EmulatorRequest, pageMax: number): EmulatorResponse {
  const [, collection, ...rest] = req.segments;
  if (!req.userId) throw new GraphHttpError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  if (collection !== 'joinedTeams' || rest.length) throw new GraphHttpError(400, 'BadRequest', 'Resource not found for the segment.');
  if (req.method !== 'GET') return notAllowed();
  const teams = [...state.people.entries()]
    .filter(([key, people]) => key.startsWith(`${req.tenantId}/`) && people.members.includes(req.userId!))
    .map(([key]) => state.groupRecord(req.tenantId, key.slice(req.tenantId.length + 1))!)
    .sort((a, b) => a.groupId.localeCompare(b.groupId));
  const { rows, nextToken } = page(teams, (site) => site.groupId, pageMax, req.query.get('$skiptoken'));
  return ok({
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#teams',
    value: rows.map((site) => ({
      id: site.groupId,
      createdDateTime: null,
      displayName: site.displayName,
      description: null,
      internalId: null,
      classification: null,
      specialization: null,
      visibility: null,
      webUrl: null,
      isArchived: false,
      tenantId: site.tenantId,
      isMembershipLimitedToOwners: null,
      memberSettings: null,
      guestSettings: null,
      messagingSettings: null,
      funSettings: null,
      discoverySettings: null,
      summary: null,
    })),
    ...(nextToken ? { '@odata.nextLink': req.linkWith({ $skiptoken: nextToken }) } : {}),
  });
}

function notAllowed(): never {
  throw new GraphHttpError(405, 'methodNotAllowed', 'The HTTP method is not allowed on this resource.');
}

function getLists(site: EmulatedSite, req: EmulatorRequest, pageMax: number): EmulatorResponse {
  const filter = parseEqFilter(req.query.get('$filter'));
  if (filter && filter.property !== 'displayName') throw invalid(`Filtering on '${filter.property}' is not supported.`);
  const lists = [...site.lists.values()].filter((l) => !filter || filter.values.some((v) => sharePointEq(l.displayName, v)));
  const top = pageSize(req.query.get('$top'), pageMax);
  const { rows, nextToken } = page(lists, (l) => l.id, top, req.query.get('$skiptoken'));
  return ok({
    value: rows.map((l) => listResource(l, site)),
    ...(nextToken ? { '@odata.nextLink': req.linkWith({ $skiptoken: nextToken }) } : {}),
  });
}

function createList(state: GraphState, site: EmulatedSite, req: EmulatorRequest, settings: RouteSettings): EmulatorResponse {
  const body = (req.body ?? {}) as { displayName?: unknown; name?: unknown; columns?: unknown; list?: { template?: unknown } };
  if (body.name !== undefined) throw invalid("Cannot define a 'name' for a list as it is assigned by the server. Instead, provide 'displayName'");
  if (typeof body.displayName !== 'string' || !body.displayName.trim()) throw invalid('A list needs a displayName.');
  const template = body.list?.template ?? 'genericList';
  if (typeof template !== 'string' || !templates.has(template)) throw invalid('One of the provided arguments is not acceptable.');
  if ([...site.lists.values()].some((l) => l.displayName.toLowerCase() === (body.displayName as string).toLowerCase())) {
    throw new GraphHttpError(
      409,
      'nameAlreadyExists',
      'A list, survey, discussion board, or document library with the specified title already exists in this Web site.',
    );
  }
  const definitions = Array.isArray(body.columns) ? (body.columns as Record<string, unknown>[]) : [];
  const columns = definitions.map((d) => checkedColumn(d, settings.honourIndexedOnCreate));
  const names = new Set(['Title', 'Created', 'Modified']);
  for (const c of columns) {
    if (names.has(c.name)) throw new GraphHttpError(409, 'nameAlreadyExists', `A column named '${c.name}' already exists.`);
    names.add(c.name);
  }
  const list = state.createList(site, body.displayName, template, columns);
  return ok(listResource(list, site), 201);
}

function listRoute(site: EmulatedSite, list: EmulatedList, req: EmulatorRequest): EmulatorResponse {
  if (req.method === 'GET') return ok(listResource(list, site));
  if (req.method === 'DELETE') {
    site.lists.delete(list.id);
    return { status: 204 };
  }
  if (req.method !== 'PATCH') return notAllowed();
  const displayName = (req.body as { displayName?: unknown })?.displayName;
  if (displayName !== undefined) {
    if (typeof displayName !== 'string' || !displayName.trim()) throw invalid('displayName must be a non-empty string.');
    const taken = [...site.lists.values()].some((l) => l !== list && l.displayName.toLowerCase() === displayName.toLowerCase());
    if (taken) throw new GraphHttpError(409, 'nameAlreadyExists', 'A list with the specified title already exists in this Web site.');
    list.displayName = displayName;
    list.lastModifiedDateTime = new Date().toISOString();
  }
  return ok(listResource(list, site));
}

function columnsRoute(list: EmulatedList, req: EmulatorRequest): EmulatorResponse {
  if (req.method === 'GET') return ok({ value: list.columns.map(columnResource) });
  if (req.method !== 'POST') return notAllowed();
  const c = checkedColumn((req.body ?? {}) as Record<string, unknown>);
  if (list.columns.some((existing) => existing.name === c.name))
    throw new GraphHttpError(409, 'nameAlreadyExists', `A column named '${c.name}' already exists.`);
  list.columns.push(c);
  return ok(columnResource(c), 201);
}

/**
 * columndefinition-update (`PATCH …/lists/{list-id}/columns/{column-id}`): any property but id;
 * the store uses it to index a column. The answer is the updated columnDefinition.
 */
function columnRoute(list: EmulatedList, columnId: string, req: EmulatorRequest): EmulatorResponse {
  const c = list.columns.find((col) => col.id === columnId);
  if (!c) throw notFound('column');
  if (req.method === 'GET') return ok(columnResource(c));
  if (req.method !== 'PATCH') return notAllowed();
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body.id !== undefined && body.id !== c.id) throw invalid("The column's id cannot be changed.");
  if (body.indexed !== undefined) {
    if (typeof body.indexed !== 'boolean') throw invalid('indexed must be a boolean.');
    c.indexed = body.indexed;
  }
  if (typeof body.displayName === 'string') c.displayName = body.displayName;
  return ok(columnResource(c));
}

function checkedColumn(definition: Record<string, unknown>, honourIndexed = true) {
  if (typeof definition.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(definition.name)) {
    throw invalid('A column needs a name of letters, digits and underscores.');
  }
  if (columnFacets.filter((f) => definition[f] !== undefined).length !== 1) throw invalid('A column needs exactly one type facet.');
  return column(definition, honourIndexed);
}

function expandsFields(req: EmulatorRequest): boolean {
  const expand = req.query.get('expand') ?? req.query.get('$expand');
  return expand !== null && /^fields(\(.*\))?$/.test(expand);
}

function getItems(site: EmulatedSite, list: EmulatedList, req: EmulatorRequest, pageMax: number): EmulatorResponse {
  const filter = parseEqFilter(req.query.get('$filter'));
  let items = [...list.items.values()].sort((a, b) => a.id - b.id);
  if (filter) {
    const match = /^fields\/(.+)$/.exec(filter.property);
    if (!match) throw invalid(`Filtering on '${filter.property}' is not supported.`);
    const c = list.columns.find((col) => col.name === match[1]);
    if (!c) throw invalid(`Field '${match[1]}' is not recognized`);
    const prefer = String(req.headers.prefer ?? '');
    if (!c.indexed && !prefer.includes('HonorNonIndexedQueriesWarningMayFailRandomly')) {
      throw invalid(
        `Field '${c.name}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.`,
      );
    }
    // The fallback reads the whole list: past the 5,000-item list view threshold SharePoint refuses
    // it (SPQueryThrottledException, as public reports of Graph and SharePoint REST show).
    if (!c.indexed && items.length > LIST_VIEW_THRESHOLD) {
      throw new GraphHttpError(500, 'generalException', 'The attempted operation is prohibited because it exceeds the list view threshold.');
    }
    items = items.filter((i) => filter.values.some((v) => sharePointEq(i.fields[c.name], v)));
  }
  const top = pageSize(req.query.get('$top'), pageMax);
  const { rows, nextToken } = page(items, (i) => String(i.id), top, req.query.get('$skiptoken'));
  return ok({
    value: rows.map((i) => itemResource(i, list, site, expandsFields(req))),
    ...(nextToken ? { '@odata.nextLink': req.linkWith({ $skiptoken: nextToken }) } : {}),
  });
}

function createItem(state: GraphState, site: EmulatedSite, list: EmulatedList, req: EmulatorRequest): EmulatorResponse {
  const fields = (req.body as { fields?: unknown })?.fields;
  const item = state.addItem(list, checkedFields(list, fields ?? {}, true));
  return ok(itemResource(item, list, site, true), 201);
}

function checkedFields(list: EmulatedList, fields: unknown, creating: boolean): Record<string, unknown> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw invalid('fields must be an object.');
  for (const [name, value] of Object.entries(fields)) {
    const c = list.columns.find((col) => col.name === name);
    if (!c) throw invalid(`Field '${name}' is not recognized`);
    if (c.readOnly) throw invalid(`Field '${name}' is read-only`);
    if (value !== null && c.facet === 'number' && typeof value !== 'number') throw invalid(`Field '${name}' expects a number.`);
    if (value !== null && (c.facet === 'text' || c.facet === 'dateTime') && typeof value !== 'string')
      throw invalid(`Field '${name}' expects a string.`);
  }
  if (creating && list.template === 'genericList' && (fields as Record<string, unknown>).Title === undefined) {
    return { Title: '', ...fields };
  }
  return fields as Record<string, unknown>;
}

/**
 * `If-Match` on an item's update or delete: an eTag that does not match the item's current one is
 * answered 412 Precondition Failed and the item is left as it was
 * (learn.microsoft.com/graph/api/listitem-update, learn.microsoft.com/graph/api/listitem-delete).
 * Every update gives the item a new eTag (model.ts updateItem), a rewrite of a field to the value
 * it had too: the store takes a row over that way (patient-rows.ts `claim`).
 */
function checkIfMatch(req: EmulatorRequest, item: EmulatedItem): void {
  const ifMatch = req.headers['if-match'];
  if (ifMatch === undefined || ifMatch === '*') return;
  if (String(ifMatch).trim() !== etagOf(item)) {
    throw new GraphHttpError(412, 'preconditionFailed', "The request ETag value does not match the object's ETag value.");
  }
}
