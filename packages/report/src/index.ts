export type { RunSummary, StrategyResult } from './summary';
export { best, type Better, formatRunTable, METRIC_ROWS, type MetricRow, renderTable } from './terminal-table';
export { type RunParts, type RunRecord, runRecordFrom, type Values } from './run-record';
export { defaultRunDir, PARTIAL_SUFFIX, readRunFolder, rebuildReport, writeRunFolder, type WrittenRunFolder } from './run-folder';
export { POSITIONS_FILE, PREDICTIONS_FILE, REPORT_FILE, RETURNS_FILE, SUMMARY_FILE, TRAINING_FILE } from './run-files';
export { buildReport } from './html/report';
export { chartFigure, type ChartPage, chartPageBytes, chartPageHtml, type PageChart } from './html/chart-page';
export * as charts from './charts';
export * from './compare';
