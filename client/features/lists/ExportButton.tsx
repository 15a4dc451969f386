import { Button } from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { useSession } from '../../shared/session';
import { openDownload } from '../../shared/teams/open-download';
import { exportLink } from './api/export-list';
import type { ListView } from './api/read-list-answers';

/**
 * Downloads the list as CSV: asks the server for a short-lived link (times in the user's zone) and
 * has Teams open it, since a blob link does not download in the new Teams client.
 */
export function ExportButton({ list }: { list: ListView }) {
  const { api, teamId } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setError(null);
    setBusy(true);
    try {
      await openDownload(await exportLink(api, teamId, list.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button appearance="subtle" icon={<ArrowDownloadRegular />} disabled={busy} onClick={download}>
        {t('lists.export')}
      </Button>
      {error !== null && <ErrorNotice error={error} />}
    </>
  );
}
