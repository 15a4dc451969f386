import { CodedError } from '../platform/problem.js';

/**
 * The trail could not be written or read: the call fails with `audit_unavailable` (503), whose
 * words say so; patient data is shown or changed only with its record. What went wrong below is
 * in `detail`, for the log (which call, the service's status or the database's error code),
 * never a record. Every audit store adapter fails this way.
 */
export class AuditStoreError extends CodedError<'audit_unavailable'> {
  override name = 'AuditStoreError';
  constructor(readonly detail: string) {
    super(
      'audit_unavailable',
      'The audit trail could not be written or read, so the answer was withheld. A change you made may have been saved: reload before you try it again.',
    );
  }
}
