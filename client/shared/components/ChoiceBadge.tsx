import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import type { ChoiceColour } from '../../../contract/manual';

// Each colour a pair of background and text from the theme's palette, readable in light, dark and high contrast.
const palette: Record<ChoiceColour, { backgroundColor: string; color: string }> = {
  grey: { backgroundColor: tokens.colorNeutralBackground5, color: tokens.colorNeutralForeground1 },
  red: { backgroundColor: tokens.colorPaletteRedBackground2, color: tokens.colorPaletteRedForeground2 },
  orange: { backgroundColor: tokens.colorPaletteDarkOrangeBackground2, color: tokens.colorPaletteDarkOrangeForeground2 },
  // Fluent's yellow text on its yellow background falls short of 4.5:1; the neutral text does not.
  yellow: { backgroundColor: tokens.colorPaletteYellowBackground2, color: tokens.colorNeutralForeground1 },
  green: { backgroundColor: tokens.colorPaletteGreenBackground2, color: tokens.colorPaletteGreenForeground2 },
  teal: { backgroundColor: tokens.colorPaletteTealBackground2, color: tokens.colorPaletteTealForeground2 },
  blue: { backgroundColor: tokens.colorPaletteBlueBackground2, color: tokens.colorPaletteBlueForeground2 },
  purple: { backgroundColor: tokens.colorPalettePurpleBackground2, color: tokens.colorPalettePurpleForeground2 },
};
const useStyles = makeStyles({ ...palette, text: { overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: '100%' } });

/** A team field's choice as a badge with its text, in its colour (none: a plain outline badge); the text is what it says. */
export function ChoiceBadge({ choice, colour }: { choice: string; colour: ChoiceColour | null }) {
  const styles = useStyles();
  return colour ? (
    <Badge appearance="filled" shape="rounded" className={styles[colour]} data-colour={colour}>
      <span className={styles.text}>{choice}</span>
    </Badge>
  ) : (
    <Badge appearance="outline" shape="rounded" color="informative">
      <span className={styles.text}>{choice}</span>
    </Badge>
  );
}
