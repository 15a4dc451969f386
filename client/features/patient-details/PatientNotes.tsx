import { Spinner } from '@fluentui/react-components';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { useNotes } from './api/get-notes';
import { NotesSection } from './NotesSection';

/** The team's notes on a patient, read on their own: the same section, corrections and withdrawal as in the EHR details. */
export function PatientNotes({ patientId, onNoteAdded }: { patientId: string; onNoteAdded?: () => void }) {
  const notes = useNotes(patientId);
  if (notes.isPending) return <Spinner size="tiny" label={t('app.loading')} />;
  if (notes.isError) return <ErrorNotice error={notes.error} />;
  return <NotesSection patientId={patientId} notes={notes.data.notes} onNoteAdded={onNoteAdded} />;
}
