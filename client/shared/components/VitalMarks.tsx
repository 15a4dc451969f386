import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownRegular, ArrowUpRegular, ClockRegular, QuestionCircleRegular, WarningFilled } from '@fluentui/react-icons';
import type { CellDisplay } from '../cells';
import { t } from '../i18n/t';

const useStyles = makeStyles({
  marks: {
    display: 'inline-flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    marginInlineStart: tokens.spacingHorizontalXS,
    maxWidth: '100%',
    // A mark's words wrap in a place narrower than it (a phone, a narrow column, 400% zoom), so it never runs over its neighbours.
    '& .fui-Badge': { whiteSpace: 'normal', height: 'auto', textAlign: 'start', maxWidth: '100%' },
  },
});

/**
 * A vital sign's flag (high, low, critical), the EHR's own interpretation when it says more ("Critical
 * high (EHR)"), the supplemental oxygen a saturation was taken on ("On O₂ 2 L/min"), and staleness, "dated after death" on a
 * reading dated after the patient's death, and "check in EHR" on a value the EHR qualifies, each as an icon and words, never colour alone; the words are what a screen reader
 * reads, the hint says why on hover.
 */
export function VitalMarks({
  shown,
}: {
  shown: Pick<CellDisplay, 'flag' | 'news2' | 'ehrFlag' | 'stale' | 'qualified' | 'afterDeath' | 'future' | 'oxygen'>;
}) {
  const styles = useStyles();
  if (!shown.flag && !shown.ehrFlag && !shown.stale && !shown.qualified && !shown.afterDeath && !shown.future && !shown.oxygen) return null;
  const critical = shown.flag === 'criticalLow' || shown.flag === 'criticalHigh';
  const low = shown.flag === 'low' || shown.flag === 'criticalLow';
  const ehr = shown.ehrFlag;
  const ehrCritical = ehr === 'criticalLow' || ehr === 'criticalHigh' || ehr === 'criticalAbnormal';
  return (
    <span className={styles.marks}>
      {shown.flag && (
        <Badge
          size="small"
          appearance={critical ? 'filled' : 'tint'}
          color={critical ? 'danger' : 'warning'}
          icon={critical ? <WarningFilled /> : low ? <ArrowDownRegular /> : <ArrowUpRegular />}
          title={t('vital.flagHint', { score: shown.news2 ?? '' })}
          data-vital-flag={shown.flag}
        >
          {t(`vital.flag.${shown.flag}`)}
        </Badge>
      )}
      {ehr && (
        <Badge
          size="small"
          appearance={ehrCritical ? 'filled' : 'tint'}
          color={ehrCritical ? 'danger' : 'warning'}
          icon={ehrCritical || ehr === 'abnormal' ? <WarningFilled /> : ehr === 'low' ? <ArrowDownRegular /> : <ArrowUpRegular />}
          title={t('vital.ehrFlagHint')}
          data-ehr-flag={ehr}
        >
          {t(`vital.ehrFlag.${ehr}`)}
        </Badge>
      )}
      {shown.oxygen && (
        <Badge size="small" appearance="tint" color="warning" icon={<WarningFilled />}>
          {t('vital.onOxygen', { amount: shown.oxygen })}
        </Badge>
      )}
      {shown.stale && (
        <Badge size="small" appearance="outline" color="informative" icon={<ClockRegular />} title={t('vital.staleHint')} data-vital-stale="">
          {t('vital.stale')}
        </Badge>
      )}
      {shown.afterDeath && (
        <Badge
          size="small"
          appearance="outline"
          color="warning"
          icon={<QuestionCircleRegular />}
          title={t('vital.afterDeathHint')}
          data-after-death=""
        >
          {t('vital.afterDeath')}
        </Badge>
      )}
      {shown.future && (
        <Badge size="small" appearance="outline" color="warning" icon={<QuestionCircleRegular />} title={t('vital.futureHint')} data-future="">
          {t('vital.future')}
        </Badge>
      )}
      {shown.qualified && (
        <Badge size="small" appearance="outline" color="warning" icon={<QuestionCircleRegular />} title={t('value.qualifiedHint')} data-qualified="">
          {t('value.qualified')}
        </Badge>
      )}
    </span>
  );
}
