/** One patient as the tab shows it in search results and list rows, whatever the FHIR version. */
export interface PatientSummary {
  id: string;
  /** Prefix, given names, family name: "Mr. Hugh Chau". */
  displayName: string;
  mrn: string | null;
  /** As the EHR gives it: may be partial ("1951", "1951-08"). */
  birthDate: string | null;
  gender: string | null;
  /** Display of the first general practitioner (DSTU2 `careProvider`), when the EHR gives one. */
  generalPractitioner?: string | null;
}
