/** Audit operations, named after the original Patients app's audit operations. */
export const auditOperations = [
  'PatientListView',
  'PatientListCreate',
  'PatientListRename',
  'PatientListDelete',
  'PatientListAddPatient',
  'PatientListRemovePatient',
  'PatientListMovePatient',
  'PatientListEditColumns',
  'PatientListSetDefault',
  'PatientSearch',
  'PatientView',
  'PatientDetailsEdit',
  'PatientNoteAdd',
  'PatientNoteCorrect',
  'PatientNoteWithdraw',
  'PatientSchemaCreate',
  'PatientSchemaUpdate',
  'PatientDischarge',
  'PatientReadmit',
  'ExportInitiation',
  'EHRConnectionSet',
  'AuditView',
  'AuditExport',
] as const;

export type AuditOperation = (typeof auditOperations)[number];

/** The app role that may read the tenant's audit trail (in the SSO token's `roles`). */
export const AUDIT_READER_ROLE = 'Patients.AuditReader';
