/**
 * Synthetic people, independent of any FHIR release: the same person is then written in DSTU2,
 * STU3 and R4 shapes. Deterministic from the seed and the tenant (seeded PRNG, fixed "today"),
 * so every start gives the same data, and each tenant its own people.
 */
export type VitalKind = 'heartRate' | 'respiratoryRate' | 'temperature' | 'spo2' | 'weight' | 'height' | 'bmi' | 'bloodPressure';

export interface VitalSample {
  kind: VitalKind;
  time: string;
  value: number;
  /** Diastolic, for blood pressure. */
  second?: number;
  /** A more specific LOINC code than the vital signs profile's, as real EHRs send (oral temperature, measured weight). */
  code?: string;
}

export interface Encounter {
  id: string;
  inpatient: boolean;
  status: 'in-progress' | 'finished';
  type: string;
  start: string;
  end?: string;
  location: string;
}

export interface Person {
  id: string;
  mrn: string;
  prefix: string;
  given: string[];
  family: string;
  gender: 'male' | 'female';
  birthDate: string;
  practitioner: { id: string; prefix: string; given: string; family: string };
  vitals: VitalSample[];
  conditions: { code: string; display: string; severity: 'mild' | 'moderate' | 'severe'; onset: string; recorded: string }[];
  allergies: { code: string; substance: string; manifestation: string; severity: 'mild' | 'moderate' | 'severe'; criticality: 'high' | 'low'; recorded: string; note: string }[];
  medications: { code: string; name: string; dosage: string; authored: string }[];
  /** Open-ended, as most insurance is: the data's fixed "today" ages, and a coverage that ended would read as none. */
  coverage: { payer: string; plan: string; group: string; subscriberId: string; start: string };
  /** Oldest first; the last one is the current inpatient stay. */
  encounters: Encounter[];
  /** Date and time of death (Patient.deceasedDateTime), for one patient in DECEASED_EVERY: died during the stay. */
  deceased?: string;
  /** A duplicate registration (one in DUPLICATE_EVERY): the id of the record it was merged into (Patient.link, `active: false`). */
  replacedBy?: string;
  /** The id of a duplicate merged into this record. */
  replaces?: string;
  /**
   * A problem the EHR records with a local modifier extension (one patient in QUALIFIED_EVERY):
   * "ruled out", which a FHIR client that does not know it must not read as the problem.
   */
  ruledOut?: { code: string; display: string; recorded: string };
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

/** FNV-1a over code points. */
function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

const femaleGiven = ['Olivia', 'Amara', 'Sofia', 'Mei', 'Hana', 'Grace', 'Leila', 'Noor', 'Ingrid', 'Lucía', 'Priya', 'Zoë', 'Chloé', 'Fatima'];
const maleGiven = ['Hugh', 'Mateo', 'Kenji', 'Omar', 'Liam', 'Tariq', 'Diego', 'Arjun', 'Felix', 'Samuel', 'Jonas', 'Ravi', 'José', 'Björn'];
const families = ['Chau', 'Okafor', 'Lindqvist', 'Haddad', 'Moreau', 'Kowalski', 'Nakamura', 'Silva', 'Brennan', 'Adeyemi', 'Fischer', 'Rossi', 'Novak', 'Schmidt', 'Gallagher', 'Mendes', 'Müller', 'Núñez', 'Chaudhry', 'Van der Berg'];
/** Names in other scripts, as a hospital in any country has them. */
const otherScripts = [
  { given: ['伟'], family: '张', gender: 'male' as const },
  { given: ['Анна'], family: 'Смирнова', gender: 'female' as const },
  { given: ['秀英'], family: '王', gender: 'female' as const },
  { given: ['Пётр'], family: 'Иванов', gender: 'male' as const },
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
const practitioners = [['Dr.', 'Alice', 'Moreno'], ['Dr.', 'Ben', 'Carter'], ['Dr.', 'Chloe', 'Park'], ['Dr.', 'David', 'Osei'], ['Dr.', 'Elena', 'Popescu']] as const;
const admissionTypes = ['Inpatient admission', 'Emergency admission', 'Elective surgery admission'];
const visitTypes = ['Outpatient visit', 'Follow-up visit', 'Annual check-up'];
const clinics = ['Outpatient Clinic 1', 'Outpatient Clinic 2', 'Cardiology Clinic'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** Fixed "today", so the data is the same on every run. */
const SANDBOX_TODAY = Date.parse('2026-11-20T08:00:00Z');
/** Every n-th patient (from the 4th) has a name in another script. */
const OTHER_SCRIPT_EVERY = 25;
/** One patient in this many has died during the current stay, so the list shows how a death reads (draws nothing from the generator). */
const DECEASED_EVERY = 40;
/**
 * One patient in this many is a duplicate registration of the patient before, merged into that one:
 * the same person (name, gender, birth date) under another MRN, no longer to be used. Drawing
 * nothing more from the generator, so every other patient stays the same.
 */
const DUPLICATE_EVERY = 40;
const DUPLICATE_AT = 17;
/** One patient in this many has a problem recorded as ruled out by a modifier extension (drawing nothing from the generator). */
const QUALIFIED_EVERY = 40;
const QUALIFIED_AT = 11;

/**
 * Patients (by index) whose temperatures are oral (LOINC 8331-1) and whose weights are measured
 * (3141-9) rather than the profile's 8310-5 and 29463-7, as many EHRs record them; drawing nothing
 * from the generator, so every other value stays the same.
 */
const ORAL_TEMPERATURE = (i: number) => i % 3 === 1;
const MEASURED_WEIGHT = (i: number) => i % 4 === 2;

export function generatePeople(tenantId: string, count: number, seed: number): Person[] {
  const tag = hash(tenantId).toString(36).slice(0, 4);
  const r = prng(hash(`${seed}:${tenantId}`));
  const mrns = new Set<string>();
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const other = i % OTHER_SCRIPT_EVERY === 3 ? otherScripts[Math.floor(i / OTHER_SCRIPT_EVERY) % otherScripts.length] : undefined;
    const gender = other?.gender ?? (r.next() < 0.5 ? 'female' : 'male');
    const givenNames = gender === 'female' ? femaleGiven : maleGiven;
    const given = other?.given ?? [r.pick(givenNames), ...(r.next() < 0.3 ? [r.pick(givenNames)] : [])];
    const family = other?.family ?? r.pick(families);
    const age = r.int(18, 95);
    let mrn = 1_000_000 + (hash(`${seed}:${tenantId}:${i}`) % 9_000_000);
    while (mrns.has(String(mrn))) mrn += 1;
    mrns.add(String(mrn));
    const [pPrefix, pGiven, pFamily] = r.pick(practitioners);
    const admitted = SANDBOX_TODAY - r.int(1, 10) * DAY - r.int(0, 23) * HOUR;
    const heightCm = r.int(150, 195);
    const vitals: VitalSample[] = [];
    // Four rounds of observations, eight hours apart, from admission.
    for (let k = 0; k < 4; k++) {
      const time = iso(admitted + k * 8 * HOUR);
      vitals.push(
        { kind: 'heartRate', time, value: r.int(55, 115) },
        { kind: 'bloodPressure', time, value: r.int(100, 170), second: r.int(60, 100) },
        { kind: 'respiratoryRate', time, value: r.int(12, 24) },
        { kind: 'temperature', time, value: r.round(36 + r.next() * 2.5, 1) },
        { kind: 'spo2', time, value: r.int(89, 100) },
      );
    }
    let weightKg = r.round(r.int(48, 120) + r.next(), 1);
    vitals.push({ kind: 'height', time: iso(admitted), value: heightCm });
    for (const at of [admitted, admitted + DAY]) {
      vitals.push({ kind: 'weight', time: iso(at), value: weightKg }, { kind: 'bmi', time: iso(at), value: r.round(weightKg / (heightCm / 100) ** 2, 1) });
      weightKg = r.round(weightKg + (r.next() - 0.5) * 2, 1);
    }
    for (const v of vitals) {
      if (v.kind === 'temperature' && ORAL_TEMPERATURE(i)) v.code = '8331-1';
      if (v.kind === 'weight' && MEASURED_WEIGHT(i)) v.code = '3141-9';
    }
    const some = <T>(items: readonly T[], max: number) => [...new Set(Array.from({ length: r.int(0, max) }, () => r.pick(items)))];
    const severity = () => r.pick(['mild', 'moderate', 'severe'] as const);
    const payer = r.pick(payers);
    const encounterId = (n: number) => `${tag}-enc-${String(i + 1).padStart(4, '0')}-${n}`;
    const visits = Array.from({ length: r.int(0, 2) }, (_, n) => SANDBOX_TODAY - r.int(60 + n * 200, 250 + n * 200) * DAY).sort((a, b) => a - b);
    people.push({
      id: `${tag}-pt-${String(i + 1).padStart(4, '0')}`,
      mrn: String(mrn),
      prefix: gender === 'female' ? r.pick(['Ms.', 'Mrs.', 'Dr.']) : r.pick(['Mr.', 'Dr.']),
      given,
      family,
      gender,
      birthDate: `${2026 - age}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
      practitioner: { id: `${tag}-pr-${practitioners.findIndex((p) => p[2] === pFamily) + 1}`, prefix: pPrefix, given: pGiven, family: pFamily },
      vitals,
      conditions: some(conditions, 3).map(([code, display]) => ({
        code, display, severity: severity(),
        onset: iso(SANDBOX_TODAY - r.int(30, 3000) * DAY).slice(0, 10), recorded: iso(SANDBOX_TODAY - r.int(1, 29) * DAY).slice(0, 10),
      })),
      allergies: some(allergies, 2).map(([code, substance, manifestation]) => ({
        code, substance, manifestation, severity: severity(),
        criticality: r.next() < 0.3 ? 'high' : 'low', recorded: iso(SANDBOX_TODAY - r.int(100, 4000) * DAY).slice(0, 10),
        note: r.pick(['Reported by patient', 'Confirmed on challenge', 'Documented by previous provider']),
      })),
      medications: some(medications, 4).map(([code, name, dosage]) => ({ code, name, dosage, authored: iso(admitted + r.int(1, 20) * HOUR) })),
      coverage: { payer: payer[0], plan: payer[1], group: `GRP-${r.int(1000, 9999)}`, subscriberId: `SUB${r.int(100000, 999999)}`, start: '2026-01-01' },
      encounters: [
        ...visits.map((start, n): Encounter => ({
          id: encounterId(n + 1), inpatient: false, status: 'finished', type: r.pick(visitTypes), start: iso(start), end: iso(start + HOUR), location: r.pick(clinics),
        })),
        {
          id: encounterId(0), inpatient: true, status: 'in-progress', type: r.pick(admissionTypes), start: iso(admitted),
          location: `Room ${r.int(1, 6)}${String(r.int(1, 30)).padStart(2, '0')}, Bed ${r.pick(['A', 'B', 'C', 'D'])}`,
        },
      ],
      ...(i % DECEASED_EVERY === 5 ? { deceased: iso(Math.min(admitted + DAY, SANDBOX_TODAY - HOUR)) } : {}),
      ...(i % QUALIFIED_EVERY === QUALIFIED_AT ? { ruledOut: { code: '233604007', display: 'Pneumonia', recorded: iso(admitted).slice(0, 10) } } : {}),
    });
    if (i % DUPLICATE_EVERY === DUPLICATE_AT) {
      const kept = people[i - 1];
      const { prefix, given, family, gender, birthDate } = kept;
      Object.assign(people[i], { prefix, given, family, gender, birthDate, replacedBy: kept.id });
      kept.replaces = people[i].id;
    }
  }
  return people;
}

export const practitionersOf = (people: Person[]) => [...new Map(people.map((p) => [p.practitioner.id, p.practitioner])).values()];
