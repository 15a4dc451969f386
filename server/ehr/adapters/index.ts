import type { FhirVersion } from '../types.js';
import { dstu2 } from './dstu2.js';
import { r4 } from './r4.js';
import { stu3 } from './stu3.js';
import type { VersionAdapter } from './types.js';

export type { PatientView, VersionAdapter } from './types.js';

export const adapters: Readonly<Record<FhirVersion, VersionAdapter>> = {
  DSTU2: dstu2,
  STU3: stu3,
  R4: r4,
  R4B: r4,
};

export function adapterFor(version: FhirVersion): VersionAdapter {
  return adapters[version];
}
