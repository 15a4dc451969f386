// Everything of the lists that opens in a dialog: fetched with one request as the lists first
// show (see dialogs-on-demand.tsx), not with the tab. With it, what comes after a change of the
// list: the notice with Undo, where focus goes, what is announced.
export { ColumnsDialog } from './ColumnsDialog';
export { ListActions } from './ListActions';
export { ListAnnouncer } from './ListAnnouncer';
export { ListChangeNotice, ListGoneWatch } from './ListChangeNotice';
export { ListLimitNotice } from './ListLimitNotice';
export { NewListDialog } from './NewListDialog';
export { RemoveUnavailable } from './RemoveUnavailable';
export { rowButton } from './focus-after';
export { notifyMoved, showUndoNotice } from './undo-notice';
