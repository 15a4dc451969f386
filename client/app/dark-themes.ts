// The themes fetched on demand (see themes.ts): a chunk of their own.
export { teamsDarkTheme, teamsHighContrastTheme } from '@fluentui/react-components';
