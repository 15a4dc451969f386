import { afterEach, expect, it } from 'vitest';
import { unavailableName } from '../../../client/features/lists/unavailable-name';
import { setLanguage } from '../../../client/shared/i18n/t';

afterEach(() => setLanguage('en'));

it('says a row the EHR cannot give was entered by hand in Manual mode when the server marks it so, without its id', () => {
  expect(unavailableName({ patientId: 'a1b2', handEntered: true }, 'ehr')).toBe('Patient entered by hand in Manual mode, not in the EHR');
  expect(unavailableName({ patientId: 'a1b2' }, 'ehr')).toBe('Patient a1b2 (not available from the EHR)');
  expect(unavailableName({ patientId: 'a1b2' }, 'manual')).toBe('Patient from the EHR, not in Manual mode');
  setLanguage('ru');
  expect(unavailableName({ patientId: 'a1b2', handEntered: true }, 'ehr')).toBe('Пациент, введённый вручную в ручном режиме, нет в ЭМК');
});
