import { expect, it } from 'vitest';
import { GraphAccessError } from '../../../server/platform/graph/graph-errors';
import { valueOf } from '../../../server/features/shared/outcomes';
import { useGraphStore } from '../../helpers/graph-store-hook';

/**
 * A SharePoint admin deletes one of the app's lists in a team's site while the app runs (the
 * store keeps the site's and lists' ids between calls). The next call says clearly to try again,
 * and the one after finds the list gone: it is not failed as an error of the app until the ids expire.
 */
const tenant = '3f6d1c2a-8b4e-4f7a-9c1d-2e5b7a9c0d11';
const team = { tenantId: tenant, teamId: 'aa11bb22-cc33-4d44-8e55-ff6677889900' };
const author = { id: 'u1', name: 'Dr One' };

const { graph, store } = useGraphStore(team, 'Ward 7', { pageSize: 20 });

/** Deletes the app's list of that name from the team's site, as a site admin in SharePoint does. */
const deleteInSharePoint = (displayName: string) => {
  const site = graph.state.siteOfGroup(tenant, team.teamId)!;
  const list = [...site.lists.values()].find((l) => l.displayName === displayName);
  if (!list) throw new Error(`no list ${displayName}`);
  site.lists.delete(list.id);
};

it('the notes list deleted: the next call fails to be tried again, and the one after finds no notes and can add one', async () => {
  valueOf(await store.addNote(team, 'p1', author, 'Seen at 8'));
  deleteInSharePoint('Patients app – notes');

  const error = await store.listNotes(team, 'p1').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GraphAccessError);
  expect(error).toMatchObject({ code: 'graph_failed' });
  expect(String((error as Error).message)).toMatch(/try again/);

  expect(await store.listNotes(team, 'p1')).toEqual([]);
  valueOf(await store.addNote(team, 'p1', author, 'Seen at 9'));
  expect((await store.listNotes(team, 'p1')).map((n) => n.text)).toEqual(['Seen at 9']);
});

it('the catalog of patient lists deleted: a new list fails to be tried again, then is made, and the catalog holds only it', async () => {
  valueOf(await store.createList(team, 'Ward', 'u1'));
  deleteInSharePoint('Patients app – lists');

  await expect(store.createList(team, 'Night', 'u1')).rejects.toMatchObject({ code: 'graph_failed' });
  const night = valueOf(await store.createList(team, 'Night', 'u1'));
  expect((await store.listLists(team)).map((l) => l.id)).toEqual([night.id]);
});
