/**
 * Synthetic people, independent of any FHIR release: the same person is then written in DSTU2,
 * STU3 and R4 shapes. Deterministic from the seed and the tenant, so every start gives the same data.
 */
export interface VitalSample {
  kind: 'heartRate' | 'respiratoryRate' | 'temperature' | 'spo2' | 'weight' | 'height' | 'bmi' | 'bloodPressure';
  time: string;
  value: number;
  /** Diastolic, for blood pressure. */
  second?: number;
}

export interface Person {
  id: string;
  mrn: string;
  prefix: string;
  given: string[];
  family: string;
  gender: 'male' | 'female';
  birthDate: string;
  practitioner: { id: string; name: string };
  vitals: VitalSample[];
  conditions: { code: string; display: string; severity: string; onset: string; recorded: string }[];
  allergies: { code: string; substance: string; manifestation: string; severity: string; criticality: 'high' | 'low'; recorded: string; note: string }[];
  medications: { code: string; name: string; dosage: string; authored: string }[];
  coverage: { payer: string; plan: string; group: string; subscriberId: string; start: string; end: string };
  encounter: { id: string; type: string; start: string; location: string };
}

/** mulberry32: small, fast, good enough for demo data. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    round: (value: number, digits: number) => Number(value.toFixed(digits)),
  };
}

export function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

const femaleGiven = ['Olivia', 'Amara', 'Sofia', 'Mei', 'Hana', 'Grace', 'Leila', 'Noor', 'Ingrid', 'Lucia', 'Priya', 'Zoe'];
const maleGiven = ['Hugh', 'Mateo', 'Kenji', 'Omar', 'Liam', 'Tariq', 'Diego', 'Arjun', 'Felix', 'Samuel', 'Jonas', 'Ravi'];
const families = ['Chau', 'Okafor', 'Lindqvist', 'Haddad', 'Moreau', 'Kowalski', 'Nakamura', 'Silva', 'Brennan', 'Adeyemi', 'Fischer', 'Rossi', 'Novak', 'Schmidt', 'Gallagher', 'Mendes'];
/** A few names in other scripts, as a hospital in any country has them. */
const nonLatin = [
  { given: ['伟'], family: '张', gender: 'male' as const },
  { given: ['秀英'], family: '王', gender: 'female' as const },
  { given: ['Пётр'], family: 'Иванов', gender: 'male' as const },
  { given: ['Анна'], family: 'Смирнова', gender: 'female' as const },
];
const conditions = [
  ['44054006', 'Diabetes mellitus type 2'], ['38341003', 'Hypertensive disorder'], ['195967001', 'Asthma'],
  ['233604007', 'Pneumonia'], ['49436004', 'Atrial fibrillation'], ['84114007', 'Heart failure'],
  ['13645005', 'Chronic obstructive lung disease'], ['68566005', 'Urinary tract infection'], ['22298006', 'Myocardial infarction'],
] as const;
const allergies = [
  ['7980', 'Penicillin G', 'Hives'], ['1191', 'Aspirin', 'Wheezing'], ['227493005', 'Cashew nuts', 'Anaphylaxis'],
  ['2670', 'Codeine', 'Nausea'], ['10831', 'Sulfamethoxazole', 'Rash'], ['111088007', 'Latex', 'Itching'],
] as const;
const medications = [
  ['860975', 'Metformin 500 mg oral tablet', '500 mg by mouth twice daily with meals'],
  ['314076', 'Lisinopril 10 mg oral tablet', '10 mg by mouth once daily'],
  ['855332', 'Warfarin 5 mg oral tablet', '5 mg by mouth once daily in the evening'],
  ['308136', 'Amlodipine 5 mg oral tablet', '5 mg by mouth once daily'],
  ['197361', 'Amoxicillin 500 mg oral capsule', '500 mg by mouth three times daily for 7 days'],
  ['745679', 'Albuterol 90 mcg inhaler', '2 puffs every 4 to 6 hours as needed for wheezing'],
  ['310965', 'Ibuprofen 200 mg oral tablet', '400 mg by mouth every 6 hours as needed for pain'],
] as const;
const payers = [['Contoso Health Plan', 'Gold PPO'], ['Northwind Mutual', 'Silver HMO'], ['Medicare', 'Part A'], ['Fabrikam Insurance', 'Bronze EPO']] as const;
const practitioners = ['Dr. Alice Moreno', 'Dr. Ben Carter', 'Dr. Chloe Park', 'Dr. David Osei'];
const encounterTypes = ['Inpatient admission', 'Emergency admission', 'Elective surgery admission'];
const wards = ['Ward 4B', 'Cardiac Unit', 'ICU', 'Ward 2A'];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const day = 86_400_000;
/** Fixed "today" so the data is the same on every run. */
const now = Date.parse('2026-11-20T08:00:00Z');

export function generatePeople(tenantId: string, count: number, seed: number): Person[] {
  const tag = tenantId.slice(0, 4);
  const r = prng(hash(`${seed}:${tenantId}`));
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const special = i % 50 === 7 ? nonLatin[((i / 50) | 0) % nonLatin.length] : undefined;
    const gender = special?.gender ?? (r.next() < 0.5 ? 'female' : 'male');
    const given = special?.given ?? [r.pick(gender === 'female' ? femaleGiven : maleGiven), ...(r.next() < 0.3 ? [r.pick(gender === 'female' ? femaleGiven : maleGiven)] : [])];
    const family = special?.family ?? r.pick(families);
    const age = r.int(18, 95);
    const id = `${tag}-pt-${String(i + 1).padStart(4, '0')}`;
    const practitionerIndex = r.int(0, practitioners.length - 1);
    const admitted = now - r.int(1, 10) * day - r.int(0, 23) * 3_600_000;
    const heightCm = r.int(150, 195);
    const weightKg = r.round(r.int(48, 120) + r.next(), 1);
    const vitals: VitalSample[] = [];
    for (let k = 0; k < 3; k++) {
      const time = iso(admitted + k * 8 * 3_600_000);
      vitals.push(
        { kind: 'heartRate', time, value: r.int(55, 115) },
        { kind: 'bloodPressure', time, value: r.int(100, 170), second: r.int(60, 100) },
        { kind: 'respiratoryRate', time, value: r.int(12, 24) },
        { kind: 'temperature', time, value: r.round(36 + r.next() * 2.5, 1) },
        { kind: 'spo2', time, value: r.int(89, 100) },
      );
    }
    const measured = iso(admitted);
    vitals.push(
      { kind: 'weight', time: measured, value: weightKg },
      { kind: 'height', time: measured, value: heightCm },
      { kind: 'bmi', time: measured, value: r.round(weightKg / (heightCm / 100) ** 2, 1) },
    );
    const pickSome = <T>(items: readonly T[], max: number) => [...new Set(Array.from({ length: r.int(0, max) }, () => r.pick(items)))];
    const payer = r.pick(payers);
    people.push({
      id,
      mrn: `MRN${hash(`${tenantId}:${i}`) % 9_000_000 + 1_000_000}`,
      prefix: gender === 'female' ? r.pick(['Ms.', 'Mrs.', 'Dr.']) : r.pick(['Mr.', 'Dr.']),
      given,
      family,
      gender,
      birthDate: `${2026 - age}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
      practitioner: { id: `${tag}-pr-${practitionerIndex + 1}`, name: practitioners[practitionerIndex] },
      vitals,
      conditions: pickSome(conditions, 3).map(([code, display]) => ({
        code, display, severity: r.pick(['mild', 'moderate', 'severe']),
        onset: iso(now - r.int(30, 3000) * day).slice(0, 10), recorded: iso(now - r.int(1, 29) * day).slice(0, 10),
      })),
      allergies: pickSome(allergies, 2).map(([code, substance, manifestation]) => ({
        code, substance, manifestation, severity: r.pick(['mild', 'moderate', 'severe']),
        criticality: r.next() < 0.3 ? 'high' : 'low', recorded: iso(now - r.int(100, 4000) * day).slice(0, 10),
        note: r.pick(['Reported by patient', 'Confirmed on challenge', 'Documented by previous provider']),
      })),
      medications: pickSome(medications, 4).map(([code, name, dosage]) => ({ code, name, dosage, authored: iso(admitted + r.int(1, 20) * 3_600_000) })),
      coverage: { payer: payer[0], plan: payer[1], group: `GRP-${r.int(1000, 9999)}`, subscriberId: `SUB${r.int(100000, 999999)}`, start: '2026-01-01', end: '2026-12-31' },
      encounter: {
        id: `${tag}-enc-${String(i + 1).padStart(4, '0')}`,
        type: r.pick(encounterTypes),
        start: iso(admitted),
        location: `${r.pick(wards)}, Room ${r.int(100, 499)}, Bed ${r.pick(['A', 'B', 'C', 'D'])}`,
      },
    });
  }
  return people;
}
