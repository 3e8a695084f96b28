export { type DirectionForecastMetrics, isDirectionForecast, type RunSummary, type StrategyResult } from './summary';
export { best, type Better, formatRunTable, METRIC_ROWS, type MetricRow, renderTable } from './terminal-table';
export { type RunParts, type RunRecord, runRecordFrom, type Values } from './run-record';
export {
  asClaim,
  claimFolder,
  type ClaimOptions,
  type FolderClaim,
  type FolderFiles,
  PARTIAL_MARKER,
  releaseClaimedFolders,
  writeFolderAtomically,
  type WrittenFolder,
} from './atomic-write';
export { defaultRunDir, PARTIAL_SUFFIX, readRunFolder, rebuildReport, writeRunFolder, type WrittenRunFolder } from './run-folder';
export { POSITIONS_FILE, PREDICTIONS_FILE, REPORT_FILE, RETURNS_FILE, SUMMARY_FILE, TRAINING_FILE } from './run-files';
export { buildReport } from './html/report';
export { type Html, html, type HtmlValue, joinHtml, scriptJsonHtml, trusted } from './html/html';
export { chartFigure, type ChartPage, chartPageBytes, chartPageHtml, type PageChart } from './html/chart-page';
export * as charts from './charts';
export * from './compare';
export { parseSummaryJson } from './run-files';
