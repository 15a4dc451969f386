/** The columns a list can show (the server's list, same order). */
export const allColumns = [
  'name', 'mrn', 'birthDate', 'gender', 'location', 'admissionDate', 'heartRate', 'bloodPressure', 'respiratoryRate',
  'temperature', 'spo2', 'weight', 'height', 'bmi', 'conditions', 'allergies', 'medications', 'coverage', 'careProvider', 'latestNote',
] as const;
