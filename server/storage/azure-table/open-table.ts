import { odata, RestError, type TableClient } from '@azure/data-tables';

/**
 * Creates the client's table if it is missing. An identity that may only read and add entities
 * (the audit trail's role in infra/azure.bicep, where the template creates the table) is refused
 * Create Table with 403: then the table is read once instead, so a table that is absent or
 * unreadable still fails at start, and one the identity may use opens.
 */
export async function openTable(client: TableClient): Promise<void> {
  try {
    await client.createTable();
  } catch (error) {
    if (!(error instanceof RestError && error.statusCode === 403)) throw error;
    await readOneKey(client);
  }
}

/** A query of one key that matches nothing: proves the table answers this identity, writes nothing. */
export async function readOneKey(client: TableClient): Promise<void> {
  for await (const _page of client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'-'}` } }).byPage({ maxPageSize: 1 })) break;
}
