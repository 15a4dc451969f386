// Fluent components the tab needs moments after it first shows, as a chunk of their own (see fluent-on-demand.tsx).
export { Checkbox, Tooltip } from '@fluentui/react-components';
