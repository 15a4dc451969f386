/** The columns a list can show: the contract's list, in its order. */
export { listColumns as allColumns } from '../../contract/columns';
