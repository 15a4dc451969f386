import { isObject, objects, str, type JsonObject } from '../json.js';
import type { AllergyReaction, AllergyView, ConditionView, When } from './types.js';
import { annotationText, conceptText, newestFirst, statusCode, when } from './values.js';

/** Conditions newest first by their date. */
export function readConditions(resources: JsonObject[]): ConditionView[] {
  return resources
    .filter((r) => r.resourceType === 'Condition')
    .map((r): ConditionView => {
      const onset = onsetOf(r);
      // DSTU2 dateRecorded, STU3 assertedDate, R4 recordedDate; the onset when none was recorded.
      const recorded = when(r.dateRecorded) ?? when(r.assertedDate) ?? when(r.recordedDate);
      return {
        display: conceptText(r.code),
        severity: conceptText(r.severity),
        date: recorded ?? onset,
        onset,
        clinicalStatus: statusCode(r.clinicalStatus),
        verificationStatus: statusCode(r.verificationStatus),
      };
    })
    .sort((a, b) => newestFirst(a.date, b.date));
}

function onsetOf(resource: JsonObject): When | null {
  const period = isObject(resource.onsetPeriod) ? resource.onsetPeriod : {};
  return when(resource.onsetDateTime) ?? when(period.start) ?? (typeof resource.onset === 'string' ? when(resource.onset) : null);
}

/** DSTU2's one `status` holds both clinical and verification codes. */
const DSTU2_CLINICAL = new Set(['active', 'inactive', 'resolved']);

/** Allergies newest first by their date. */
export function readAllergies(resources: JsonObject[]): AllergyView[] {
  return resources
    .filter((r) => r.resourceType === 'AllergyIntolerance')
    .map((r): AllergyView => {
      const legacy = statusCode(r.status);
      const clinical = statusCode(r.clinicalStatus) ?? (legacy && DSTU2_CLINICAL.has(legacy) ? legacy : null);
      const verification = statusCode(r.verificationStatus) ?? (legacy && !DSTU2_CLINICAL.has(legacy) ? legacy : null);
      return {
        // DSTU2 `substance`, later `code`.
        substance: conceptText(r.substance) ?? conceptText(r.code),
        clinicalStatus: clinical,
        verificationStatus: verification,
        criticality: str(r.criticality) ?? null,
        date: when(r.recordedDate) ?? when(r.assertedDate) ?? onsetOf(r) ?? when(r.onset),
        note: annotationText(r.note),
        reactions: objects(r.reaction).map(readReaction),
      };
    })
    .sort((a, b) => newestFirst(a.date, b.date));
}

function readReaction(reaction: JsonObject): AllergyReaction {
  return {
    substance: conceptText(reaction.substance),
    manifestations: objects(reaction.manifestation)
      .map(conceptText)
      .filter((m): m is string => m !== null),
    severity: str(reaction.severity) ?? null,
    date: when(reaction.onset),
    note: annotationText(reaction.note) ?? str(reaction.description) ?? null,
  };
}
