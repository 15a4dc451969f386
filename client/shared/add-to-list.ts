/** What became of adding chosen patients to a list: how many, to which list, and the error when it failed. */
export type AddOutcome = { ok: true; count: number; list: string } | { ok: false; count: number; list: string; error: unknown };

/**
 * Adds the chosen patients to the open list and waits for the server's answer: "Added N" is said,
 * and the choice cleared, only once the patients are on the list; a failure keeps the choice and
 * says how many patients were not added to which list.
 */
export async function addToList(onAdd: (patientIds: string[]) => Promise<unknown>, patientIds: string[], list: string): Promise<AddOutcome> {
  try {
    await onAdd(patientIds);
    return { ok: true, count: patientIds.length, list };
  } catch (error) {
    return { ok: false, count: patientIds.length, list, error };
  }
}
