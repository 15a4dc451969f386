import { showCell } from '../../../client/shared/cells';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/** The list's medications cell as the tab shows it and the CSV writes it. */
export function shown(resources: JsonObject[]): { tab: string; csv: string } {
  const cells = assemblePart('medications', { ok: true, set: { resources, included: [] } }, indexMedications([]), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor(['medications'], clinical, undefined).medications;
  const display = showCell('medications', cell);
  const row = { patientId: 'p', displayName: 'A', available: true, cells: { medications: cell } } as unknown as ListRow;
  return { tab: display.full ?? display.text, csv: cellText('medications', row) };
}
