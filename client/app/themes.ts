import { teamsLightTheme, type Theme } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { TeamsTheme } from '../shared/teams/teams-host';

// Light is the theme most users see and the one every other falls back to; dark and high
// contrast (about 7 kB gzip) are fetched when Teams asks for them, not with the tab.
const loaded: Partial<Record<TeamsTheme, Theme>> = { default: teamsLightTheme };

/** The theme's tokens, fetched once; light if they cannot be fetched (the network dropped). */
export async function loadTheme(name: TeamsTheme): Promise<Theme> {
  const known = loaded[name];
  if (known) return known;
  try {
    const others = await import('./dark-themes');
    loaded.dark = others.teamsDarkTheme;
    loaded.contrast = others.teamsHighContrastTheme;
  } catch {
    return teamsLightTheme;
  }
  return loaded[name] ?? teamsLightTheme;
}

/**
 * The tokens of the theme named, once they are here; until then the theme shown before (none at
 * the very start: the tab waits for its theme rather than flash light in a dark Teams).
 */
export function useTheme(name: TeamsTheme): Theme | undefined {
  const [shown, setShown] = useState<Theme | undefined>(() => loaded[name]);
  useEffect(() => {
    let current = true;
    void loadTheme(name).then((theme) => {
      if (!current) return;
      setShown(theme);
      // Chromium paints native parts (a date field's calendar icon and picker, scrollbars) by the
      // page's colour scheme, not by the tokens: left light, the icon is black on a black high-contrast field.
      document.documentElement.style.colorScheme = theme === teamsLightTheme ? 'light' : 'dark';
    });
    return () => {
      current = false;
    };
  }, [name]);
  return loaded[name] ?? shown;
}
