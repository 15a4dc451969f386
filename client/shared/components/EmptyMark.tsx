import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { Tooltip } from './fluent-on-demand';
import { CloudOffRegular, SubtractCircleRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  mark: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground3,
    borderRadius: tokens.borderRadiusSmall,
    // Its words wrap in a place narrower than them (a phone's list column), never running over the next cell.
    maxWidth: '100%',
    whiteSpace: 'normal',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
  },
  // "Not available" is a gap in what the EHR gave, so it reads a shade stronger and in italics than "none recorded".
  unavailable: { fontStyle: 'italic', color: tokens.colorNeutralForeground2 },
  icon: { flexShrink: 0, fontSize: '14px' },
});

/**
 * A cell without data, told apart by icon and words, never colour alone: "None recorded" (the EHR
 * has no such record) with a minus sign, "Not available" (the EHR could not give it) with a cloud
 * struck through. `hint` says why, on hover and on keyboard focus; screen readers hear it from
 * `hintId`, one hidden element per kind of hint that a table holds once for all its cells (a
 * hidden tooltip per cell would put hundreds of elements on the page).
 */
export function EmptyMark({ status, text, hint, hintId }: { status: 'none' | 'unavailable'; text: string; hint: string; hintId: string }) {
  const styles = useStyles();
  const Icon = status === 'none' ? SubtractCircleRegular : CloudOffRegular;
  return (
    <Tooltip content={hint} relationship="inaccessible" withArrow>
      {/* Focusable so the explanation opens from the keyboard too (content on hover or focus, WCAG 1.4.13). */}
      <span
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a tooltip's trigger, not a control
        tabIndex={0}
        className={mergeClasses(styles.mark, status === 'unavailable' && styles.unavailable)}
        data-cell-status={status}
        aria-describedby={hintId}
      >
        <Icon aria-hidden className={styles.icon} />
        {text}
      </span>
    </Tooltip>
  );
}
