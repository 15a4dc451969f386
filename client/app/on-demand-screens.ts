import { useState } from 'react';
import { onDemand } from '../shared/components/OnDemand';

// Screens most visits never open, fetched when first shown instead of with the tab (its first
// download stays within 200 kB gzip). test/unit/client/initial-bundle.test.ts checks that the
// tab reaches them only through these imports.
export const PatientDetails = onDemand(() => import('../features/patient-details/PatientDetails').then((m) => m.PatientDetails));
export const AuditPanel = onDemand(() => import('../features/audit/AuditPanel').then((m) => m.AuditPanel));
export const ManualPatients = onDemand(() => import('../features/manual/ManualPatients').then((m) => m.ManualPatients));
export const ManualPatientDetails = onDemand(() => import('../features/manual/ManualPatientDetails').then((m) => m.ManualPatientDetails));
export const PatientNotes = onDemand(() => import('../features/patient-details/PatientNotes').then((m) => m.PatientNotes));
export const SetupPanel = onDemand(() => import('../features/setup/SetupPanel').then((m) => m.SetupPanel));

/** True from the first time `shown` is: a screen fetched on its first opening stays mounted, so it can close with its animation. */
export function useOnceShown(shown: boolean): boolean {
  const [once, setOnce] = useState(shown);
  if (shown && !once) setOnce(true);
  return once || shown;
}
