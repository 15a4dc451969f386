/** The FHIR releases the app reads. */
export const fhirVersions = ['DSTU2', 'STU3', 'R4', 'R4B'] as const;
export type FhirVersion = (typeof fhirVersions)[number];

/** How a team is set up: not yet, Manual mode, or linked to its EHR (what the connection check found). */
export type Connection =
  | { mode: 'unset' }
  | { mode: 'manual' }
  | {
      mode: 'ehr';
      url: string;
      name: string;
      fhirVersion: FhirVersion;
      auth: 'none' | 'client_credentials';
      resources: string[];
    };
