export type { RunSummary, StrategyResult } from './summary';
export { formatRunTable, METRIC_ROWS, renderTable } from './terminal-table';
