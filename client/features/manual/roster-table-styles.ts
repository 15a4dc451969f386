import { makeStyles, tokens } from '@fluentui/react-components';

/**
 * The tables of the team's own patients (admitted and discharged): they scroll sideways in their
 * own box, never the page, each column as wide as its words (Fluent's fixed layout squeezes a
 * dozen columns into a 500-pixel panel until the headers overlap), the name frozen at the left.
 */
export const useRosterTableStyles = makeStyles({
  scroller: { overflowX: 'auto', maxWidth: '100%', minWidth: 0 },
  table: { tableLayout: 'auto', width: 'max-content', minWidth: '100%' },
  cell: { whiteSpace: 'nowrap', maxWidth: '280px', overflow: 'hidden', textOverflow: 'ellipsis' },
  frozen: {
    position: 'sticky',
    left: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: `1px 0 0 ${tokens.colorNeutralStroke2}`,
  },
});
