/** The three FHIR releases the sandbox speaks, as data: what differs between them lives here. */
export type SandboxVersion = 'dstu2' | 'stu3' | 'r4';

export interface VersionSpec {
  key: SandboxVersion;
  fhirVersion: string;
  capabilityType: 'Conformance' | 'CapabilityStatement';
  contentType: string;
  /** Medication orders: MedicationOrder in DSTU2, MedicationRequest later. */
  medicationType: 'MedicationOrder' | 'MedicationRequest';
  /** Failed batch entries carry their OperationOutcome here. */
  outcomeIn: 'resource' | 'response.outcome';
  /** Identifier type and observation category code systems. */
  v2_0203: string;
  observationCategory: string;
  resourceTypes: string[];
  /** String parameters that match anywhere without a modifier (the Patients STU3 contract's `family`). */
  containsByDefault: string[];
}

const common = ['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'Coverage', 'Practitioner'];

export const versionSpecs: Record<SandboxVersion, VersionSpec> = {
  dstu2: {
    key: 'dstu2',
    fhirVersion: '1.0.2',
    capabilityType: 'Conformance',
    contentType: 'application/json+fhir',
    medicationType: 'MedicationOrder',
    outcomeIn: 'resource',
    v2_0203: 'http://hl7.org/fhir/v2/0203',
    observationCategory: 'http://hl7.org/fhir/observation-category',
    resourceTypes: [...common, 'MedicationOrder', 'Medication'],
    containsByDefault: [],
  },
  stu3: {
    key: 'stu3',
    fhirVersion: '3.0.2',
    capabilityType: 'CapabilityStatement',
    contentType: 'application/fhir+json',
    medicationType: 'MedicationRequest',
    outcomeIn: 'response.outcome',
    v2_0203: 'http://hl7.org/fhir/v2/0203',
    observationCategory: 'http://hl7.org/fhir/observation-category',
    resourceTypes: [...common, 'MedicationRequest', 'Medication'],
    containsByDefault: ['Patient.family'],
  },
  r4: {
    key: 'r4',
    fhirVersion: '4.0.1',
    capabilityType: 'CapabilityStatement',
    contentType: 'application/fhir+json',
    medicationType: 'MedicationRequest',
    outcomeIn: 'resource',
    v2_0203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
    observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
    resourceTypes: [...common, 'MedicationRequest', 'Medication'],
    containsByDefault: ['Patient.family'],
  },
};

export const sandboxVersions = Object.keys(versionSpecs) as SandboxVersion[];
