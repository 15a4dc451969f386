import { randomUUID } from 'node:crypto';

/**
 * The state behind the Graph emulator: tenants, their Microsoft 365 groups, each group's team
 * site, and the site's SharePoint lists, columns and items. Shapes follow the Graph v1.0
 * resources `site`, `list`, `columnDefinition` and `listItem`
 * (learn.microsoft.com/graph/api/resources/{site,list,columndefinition,listitem}).
 */
export interface EmulatedColumn {
  id: string;
  name: string;
  displayName: string;
  indexed: boolean;
  readOnly: boolean;
  /** The one facet given (text, number, dateTime, boolean, ...) with its options. */
  facet: string;
  facetOptions: Record<string, unknown>;
}

export interface EmulatedItem {
  id: number;
  /** Stable per item; the eTag is `"{guid},{version}"` and the version goes up on every change. */
  guid: string;
  version: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  fields: Record<string, unknown>;
}

export interface EmulatedList {
  id: string;
  displayName: string;
  name: string;
  template: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  columns: EmulatedColumn[];
  items: Map<number, EmulatedItem>;
  nextItemId: number;
}

export interface EmulatedSite {
  id: string;
  tenantId: string;
  groupId: string;
  webUrl: string;
  displayName: string;
  lists: Map<string, EmulatedList>;
}

/** Columns every genericList has besides the ones asked for (Title is the one users fill in). */
const builtInColumns = (): EmulatedColumn[] => [
  column({ name: 'Title', displayName: 'Title', text: {} }),
  { ...column({ name: 'Created', displayName: 'Created', dateTime: {} }), readOnly: true },
  { ...column({ name: 'Modified', displayName: 'Modified', dateTime: {} }), readOnly: true },
];

export const columnFacets = ['text', 'number', 'dateTime', 'boolean', 'choice', 'currency', 'personOrGroup', 'hyperlinkOrPicture'];

/** A column as defined; `honourIndexed: false` leaves it unindexed whatever the definition asks. */
export function column(definition: Record<string, unknown>, honourIndexed = true): EmulatedColumn {
  const facet = columnFacets.find((f) => definition[f] !== undefined) ?? 'text';
  return {
    id: randomUUID(),
    name: String(definition.name),
    displayName: typeof definition.displayName === 'string' ? definition.displayName : String(definition.name),
    indexed: honourIndexed && definition.indexed === true,
    readOnly: false,
    facet,
    facetOptions: (definition[facet] as Record<string, unknown>) ?? {},
  };
}

export function etagOf(item: EmulatedItem): string {
  return `"${item.guid},${item.version}"`;
}

export class GraphState {
  readonly sites = new Map<string, EmulatedSite>();
  private readonly siteByGroup = new Map<string, string>();
  /** Owners and members of each group (a team), by `tenant/group`. */
  readonly people = new Map<string, { owners: string[]; members: string[] }>();
  /** Users' display names by object id (a user not named here has none). */
  readonly userNames = new Map<string, string>();
  /**
   * Groups (`tenant/group`) whose team site is still being provisioned: the group exists, its
   * root site answers 404 until `finishSite` (a new team's site can take minutes to appear).
   */
  readonly sitesInProvisioning = new Set<string>();

  /** Sets who owns and who belongs to a group; owners count as members too, as in a team. */
  setPeople(tenantId: string, groupId: string, owners: string[], members: string[]): void {
    this.addGroup(tenantId, groupId);
    this.people.set(`${tenantId}/${groupId.toLowerCase()}`, { owners, members: [...new Set([...owners, ...members])] });
  }

  /** Gives a group (the Teams team id) in a tenant its own team site. */
  addGroup(tenantId: string, groupId: string, displayName = 'Team'): EmulatedSite {
    const key = `${tenantId}/${groupId.toLowerCase()}`;
    const existing = this.siteByGroup.get(key);
    if (existing) return this.sites.get(existing)!;
    const host = `tenant-${tenantId.slice(0, 8)}.sharepoint.com`;
    const site: EmulatedSite = {
      id: `${host},${randomUUID()},${randomUUID()}`,
      tenantId,
      groupId,
      webUrl: `https://${host}/sites/${groupId.slice(0, 8)}`,
      displayName,
      lists: new Map(),
    };
    this.sites.set(site.id, site);
    this.siteByGroup.set(key, site.id);
    return site;
  }

  /** The group's team site once provisioned. */
  siteOfGroup(tenantId: string, groupId: string): EmulatedSite | undefined {
    const key = `${tenantId}/${groupId.toLowerCase()}`;
    const id = this.siteByGroup.get(key);
    return id && !this.sitesInProvisioning.has(key) ? this.sites.get(id) : undefined;
  }

  /** The group's record (its id, name and tenant) whether or not its site is provisioned yet. */
  groupRecord(tenantId: string, groupId: string): EmulatedSite | undefined {
    const id = this.siteByGroup.get(`${tenantId}/${groupId.toLowerCase()}`);
    return id ? this.sites.get(id) : undefined;
  }

  /** Whether the group exists in the tenant, with or without its site yet. */
  hasGroup(tenantId: string, groupId: string): boolean {
    return this.siteByGroup.has(`${tenantId}/${groupId.toLowerCase()}`);
  }

  /** Adds a group whose site is not there yet (a team created moments ago). */
  addGroupBeingSetUp(tenantId: string, groupId: string, displayName = 'Team'): void {
    this.addGroup(tenantId, groupId, displayName);
    this.sitesInProvisioning.add(`${tenantId}/${groupId.toLowerCase()}`);
  }

  /** The group's site is provisioned now. */
  finishSite(tenantId: string, groupId: string): void {
    this.sitesInProvisioning.delete(`${tenantId}/${groupId.toLowerCase()}`);
  }

  createList(site: EmulatedSite, displayName: string, template: string, columns: EmulatedColumn[]): EmulatedList {
    const now = new Date().toISOString();
    const list: EmulatedList = {
      id: randomUUID(),
      displayName,
      name: displayName.replace(/[^A-Za-z0-9]/g, '') || 'List',
      template,
      createdDateTime: now,
      lastModifiedDateTime: now,
      columns: [...builtInColumns(), ...columns],
      items: new Map(),
      nextItemId: 1,
    };
    site.lists.set(list.id, list);
    return list;
  }

  addItem(list: EmulatedList, fields: Record<string, unknown>): EmulatedItem {
    const now = new Date().toISOString();
    const item: EmulatedItem = {
      id: list.nextItemId++,
      guid: randomUUID(),
      version: 1,
      createdDateTime: now,
      lastModifiedDateTime: now,
      fields: { ...fields },
    };
    list.items.set(item.id, item);
    return item;
  }

  updateItem(item: EmulatedItem, fields: Record<string, unknown>): void {
    Object.assign(item.fields, fields);
    item.version += 1;
    item.lastModifiedDateTime = new Date().toISOString();
  }
}

export function listResource(list: EmulatedList, site: EmulatedSite) {
  return {
    id: list.id,
    name: list.name,
    displayName: list.displayName,
    createdDateTime: list.createdDateTime,
    lastModifiedDateTime: list.lastModifiedDateTime,
    webUrl: `${site.webUrl}/Lists/${list.name}`,
    list: { template: list.template, hidden: false, contentTypesEnabled: false },
  };
}

export function columnResource(c: EmulatedColumn) {
  return {
    id: c.id,
    name: c.name,
    displayName: c.displayName,
    indexed: c.indexed,
    readOnly: c.readOnly,
    hidden: false,
    required: false,
    enforceUniqueValues: false,
    [c.facet]: c.facetOptions,
  };
}

export function itemResource(item: EmulatedItem, list: EmulatedList, site: EmulatedSite, withFields: boolean) {
  const etag = etagOf(item);
  return {
    '@odata.etag': etag,
    id: String(item.id),
    eTag: etag,
    createdDateTime: item.createdDateTime,
    lastModifiedDateTime: item.lastModifiedDateTime,
    webUrl: `${site.webUrl}/Lists/${list.name}/DispForm.aspx?ID=${item.id}`,
    ...(withFields ? { fields: fieldsResource(item) } : {}),
  };
}

export function fieldsResource(item: EmulatedItem) {
  return {
    '@odata.etag': etagOf(item),
    id: String(item.id),
    ...item.fields,
    Created: item.createdDateTime,
    Modified: item.lastModifiedDateTime,
  };
}
