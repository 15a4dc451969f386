import { ClinicalRows, type EhrGateway } from '../../server/ehr/index';

/** An EHR that knows no one, keeping the ids each clinical read asked for. */
export function countingEhr(asked: string[][]): EhrGateway {
  return {
    async readClinical(_base: string, _tenant: string, ids: string[]) {
      asked.push([...ids]);
      return new ClinicalRows();
    },
  } as unknown as EhrGateway;
}
