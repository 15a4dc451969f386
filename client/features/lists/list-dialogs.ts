// Everything of the lists that opens in a dialog: fetched with one request as the lists first
// show (see dialogs-on-demand.tsx), not with the tab.
export { ColumnsDialog } from './ColumnsDialog';
export { ListActions } from './ListActions';
export { ListChangeNotice, ListGoneWatch } from './ListChangeNotice';
export { NewListDialog } from './NewListDialog';
export { RemoveUnavailable } from './RemoveUnavailable';
