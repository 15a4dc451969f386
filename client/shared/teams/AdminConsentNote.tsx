import { Link, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { consentConfigAnswer } from '../../../contract/teams';
import { adminConsentUrl } from './admin-consent';
import { t } from '../i18n/t';

/**
 * Under a missing-consent notice: an ordinary user cannot give the app GroupMember.Read.All (an
 * administrator's consent is required), so the notice says so and shows the admin consent link
 * of the user's tenant, to open as an administrator or to send to one. The app's client id comes
 * from the public `GET /api/consent-config`; without it (dev mode) only the words are shown.
 */
export function AdminConsentNote({ tenantId }: { tenantId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/api/consent-config')
      .then(async (res) => (res.ok ? consentConfigAnswer.parse(await res.json()) : null))
      .then((config) => live && config && setUrl(adminConsentUrl(config, tenantId)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [tenantId]);
  return (
    <Text block style={{ marginTop: 8 }}>
      {t('consent.adminNeeded')}{' '}
      {url && (
        <Link href={url} target="_blank" rel="noreferrer">
          {t('consent.adminLink')}
        </Link>
      )}
    </Text>
  );
}
