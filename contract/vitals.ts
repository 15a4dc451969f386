/** The vital signs a list and the details show, each the latest reading of its kind. */
export const vitalKinds = ['heartRate', 'bloodPressure', 'respiratoryRate', 'temperature', 'spo2', 'weight', 'height', 'bmi'] as const;
export type VitalKind = (typeof vitalKinds)[number];
