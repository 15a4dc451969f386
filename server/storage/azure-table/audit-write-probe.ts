import { RestError, type TableClient } from '@azure/data-tables';

/**
 * The probe's keys: a partition no audit record has (a record's is `<tenant>|<UTC day>`, the tenant
 * percent-encoded, so it always holds a `|`), so a tenant's query never reaches it.
 */
export const AUDIT_PROBE_KEYS = { partitionKey: 'readiness-probe', rowKey: 'add' } as const;

/**
 * Proves that this identity may add entities to the audit table, which reading it does not: the
 * app's role there may read and add, never update or delete (infra/azure.bicep, auditAppendRole),
 * so the probe is one create of the same fixed entity, which needs the same data action as an
 * audit record (`entities/add/action`). The first probe ever adds it; every later one is answered
 * 409 EntityAlreadyExists, which the service gives only to a caller allowed to add (a caller
 * without that action is refused 403 AuthorizationPermissionMismatch before the key is looked at).
 * So the table holds one probe entity in all, whatever the number of instances and checks, and no
 * audit record is ever written by it. Throws the service's error otherwise.
 */
export async function proveAuditAppend(client: TableClient): Promise<void> {
  try {
    await client.createEntity({ ...AUDIT_PROBE_KEYS, purpose: 'GET /api/ready: the app may add entities to this table' });
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 409 && /EntityAlreadyExists/i.test(error.code ?? error.message)) return;
    throw error;
  }
}
