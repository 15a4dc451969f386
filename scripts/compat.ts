import { runCompat, versions } from './compat/run-compat.js';

// npm run compat -- <dir>: reads every patient of a folder laid out as dstu2/, stu3/, r4/ bundles
// (without a folder: the sandbox's generated patients) and reports per patient.
const dataDir = process.argv[2];
const report = await runCompat({ dataDir });
const mark = (v?: { found: boolean; complete: boolean; error?: string }) =>
  !v ? '-' : v.error ? 'error' : `${v.found ? 'found' : 'NOT FOUND'}${v.complete ? ', complete' : ', INCOMPLETE'}`;
for (const p of report.patients) {
  const cells = versions.map((v) => `${v}: ${mark(p.versions[v])}`).join('  ');
  const who = p.mrn.startsWith('(no MRN) ') ? `no MRN: ${p.mrn.slice(9)}` : `MRN ${p.mrn}`;
  console.log(`${who}  ${cells}  ${p.differences.length ? `differs in ${p.differences.join(', ')}` : 'consistent'}`);
  for (const v of versions) if (p.versions[v]?.error) console.log(`    ${v} error: ${p.versions[v]!.error}`);
}
for (const v of versions) {
  const counts = report.statuses[v];
  if (!counts) continue;
  console.log(`${v} statuses seen:`);
  for (const [status, n] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) console.log(`    ${status}: ${n}`);
}
for (const [v, n] of Object.entries(report.withoutMrn)) console.log(`${v}: ${n} patients without an MRN (read, not matched across versions)`);
const failed = report.patients.filter((p) => p.differences.length || Object.values(p.versions).some((v) => !v.found || !v.complete || v.error));
console.log(`${report.patients.length - failed.length} passed, ${failed.length} failed`);
process.exit(report.ok ? 0 : 1);
