import { Button } from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { useSession } from '../../shared/session';
import { exportListCsv } from './api/export-list';
import type { ListView } from './api/read-list-answers';

/** Downloads the list as CSV through the API (the token rides in a header, so no plain link). */
export function ExportButton({ list }: { list: ListView }) {
  const { api, teamId } = useSession();
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setError(null);
    try {
      const url = URL.createObjectURL(await exportListCsv(api, teamId, list.id));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${list.name}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <Button appearance="subtle" icon={<ArrowDownloadRegular />} onClick={download}>
        {t('lists.export')}
      </Button>
      {error !== null && <ErrorNotice error={error} />}
    </>
  );
}
