import { makeStyles, tokens } from '@fluentui/react-components';
import type { ShownCell } from '../../shared/cells';
import { ChoiceBadge } from '../../shared/components/ChoiceBadge';
import type { FieldShownCell } from '../../shared/field-cells';
import { ClippedText } from '../../shared/components/ClippedText';
import { EmptyMark } from '../../shared/components/EmptyMark';
import { VitalMarks } from '../../shared/components/VitalMarks';
import { t } from '../../shared/i18n/t';
import { emptyHint, emptyKind, type EmptyKind } from './list-layout';
import { unavailableReasons } from '../../../contract/plain-constants';

const useStyles = makeStyles({
  // The cap comes from the column (`--cell-max`); on a phone every column is narrower, so the name and two more fit.
  body: {
    display: 'flex',
    flexDirection: 'column',
    maxWidth: 'var(--cell-max)',
    minWidth: 0,
    '@media (max-width: 480px)': { maxWidth: 'min(var(--cell-max), 104px)' },
  },
  // Flex, so the value and each vital mark stand as their own items (and wrap under the value in a narrow column).
  line: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalXS,
    minWidth: 0,
  },
  value: { flex: '0 1 auto', minWidth: 0, maxWidth: '100%' },
  detail: { fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200, color: tokens.colorNeutralForeground2 },
});

/**
 * One cell of the list, not the name: the value cut at the column's width (the whole of it in a
 * tooltip), its vital marks and second line; or, without data, "None recorded" or "Not
 * available" with what it means. `sent` is the cell as the server sent it, for the reason it carries.
 */
export function ListCell({ shown, sent, hintId }: { shown: ShownCell | FieldShownCell; sent: unknown; hintId: (kind: EmptyKind) => string }) {
  const styles = useStyles();
  const kind = emptyKind(shown.status, sent);
  if (kind)
    return (
      <div className={styles.body}>
        <EmptyMark status={kind === 'none' ? 'none' : 'unavailable'} text={shown.text} hint={t(emptyHint(kind))} hintId={hintId(kind)} />
      </div>
    );
  // A team field's choice: a badge with its text, in the choice's colour.
  if ('choice' in shown && shown.choice)
    return (
      <div className={styles.body}>
        <ChoiceBadge choice={shown.text} colour={shown.choice.colour} />
      </div>
    );
  return (
    <div className={styles.body}>
      <div className={styles.line}>
        <span className={styles.value}>
          <ClippedText text={shown.text} full={shown.full} />
        </span>
        <VitalMarks shown={shown} />
      </div>
      {shown.detail && (
        <span className={styles.detail}>
          <ClippedText text={shown.detail} />
        </span>
      )}
    </div>
  );
}

/** The hidden sentences a table's empty cells point screen readers at, one per kind, held once per table. */
export function EmptyHints({ hintId }: { hintId: (kind: EmptyKind) => string }) {
  const kinds: EmptyKind[] = ['none', ...unavailableReasons, 'unreadable'];
  return (
    <div hidden>
      {kinds.map((kind) => (
        <span key={kind} id={hintId(kind)}>
          {t(emptyHint(kind))}
        </span>
      ))}
    </div>
  );
}
