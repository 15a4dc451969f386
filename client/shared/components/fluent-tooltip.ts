// Fluent's Tooltip alone, as a chunk of its own (see TooltipOnDemand).
export { Tooltip } from '@fluentui/react-components';
