import { Spinner } from '@fluentui/react-components';
import { Suspense, lazy } from 'react';
import { ErrorBoundary } from '../../shared/components/ErrorBoundary';
import { t } from '../../shared/i18n/t';

// The charts, their span tabs and the chart library are fetched when the details first show vital
// signs: they are not part of the tab's first download (budget: 250 KB gzip).
const VitalTrendCharts = lazy(() => import('./VitalTrendCharts'));

/**
 * The trend of each vital kind of the details' history (`{kind: readings}`), with a spinner while
 * the charts load; flags by adult ranges only for readings taken from `adultFrom` (contract adultFrom). If they cannot be fetched (the network dropped), only the charts say so; Try
 * again reloads the tab, because the browser keeps a failed module fetch for the page's lifetime.
 */
export function VitalTrends({ histories, adultFrom }: { histories: Record<string, unknown>; adultFrom: number }) {
  return (
    <ErrorBoundary scope="panel" onReset={() => window.location.reload()}>
      <Suspense fallback={<Spinner size="tiny" label={t('trend.loading')} />}>
        <VitalTrendCharts histories={histories} adultFrom={adultFrom} />
      </Suspense>
    </ErrorBoundary>
  );
}
