import { makeStyles, tokens } from '@fluentui/react-components';
import { Tooltip } from './fluent-on-demand';
import { useLayoutEffect, useState } from 'react';

const useStyles = makeStyles({
  text: {
    display: 'block',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
    borderRadius: tokens.borderRadiusSmall,
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
    // On a phone the columns are narrow: two lines before the ellipsis, so a date with its age still reads whole.
    '@media (max-width: 480px)': {
      display: '-webkit-box',
      WebkitBoxOrient: 'vertical',
      WebkitLineClamp: '2',
      whiteSpace: 'normal',
      overflowWrap: 'anywhere',
    },
  },
  // A long note in a tooltip: wider than Fluent's default, its lines kept, and scrolled rather than taller than the window.
  tip: { maxWidth: '480px', maxHeight: '50vh', overflowY: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
});

/**
 * One line of text (two on a phone) at most `maxWidth` wide (its box's width when not given): longer text is cut with an ellipsis, and then
 * the whole of it (or `full`, when `text` is already a shortened form) opens in a tooltip on
 * hover and on keyboard focus, for which the text becomes focusable. A cut text keeps all its
 * words in the page, so screen readers read it whole; a shortened `text` has `full` as its description.
 */
export function ClippedText({ text, full, maxWidth }: { text: string; full?: string; maxWidth?: number | string }) {
  const styles = useStyles();
  // The element itself, not a ref: the tooltip wraps the text only once it is cut, which makes a new element to measure.
  const [element, setElement] = useState<HTMLSpanElement | null>(null);
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    if (!element) return;
    const measure = () => setCut(element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight);
    measure();
    // The column can narrow later (a wider pane, a font that loads): measure again when the text's box changes.
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, text]);
  const shortened = full !== undefined && full !== text;
  const span = (
    // Focusable only when cut, so the whole text opens from the keyboard too (content on hover or focus, WCAG 1.4.13).
    <span
      ref={setElement}
      className={styles.text}
      style={maxWidth === undefined ? undefined : { maxWidth }}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a tooltip's trigger, not a control
      tabIndex={cut || shortened ? 0 : undefined}
      data-clipped={cut || undefined}
    >
      {text}
    </span>
  );
  if (!cut && !shortened) return span;
  return (
    <Tooltip content={{ children: full ?? text, className: styles.tip }} relationship={shortened ? 'description' : 'inaccessible'} withArrow>
      {span}
    </Tooltip>
  );
}
