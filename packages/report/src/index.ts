// `@public`: functions README.md documents that no code here calls (see knip.jsonc).
export type { DirectionForecastMetrics, RunSignal, RunSummary, SeedRun, SeedsSummary, UniverseAssetDoc, UniverseSummaryDoc } from './summary';
export { formatRunTable, METRIC_ROWS, renderTable, seedsText } from './terminal-table';
export { type RunRecord, runRecordFrom } from './run-record';
export { nextPositionText, positionText } from './position-text';
export {
  asClaim,
  claimFolder,
  type ClaimOptions,
  type FolderClaim,
  type FolderFiles,
  releaseClaimedFolders,
  writeFolderAtomically,
} from './atomic-write';
export { defaultRunDir, readRunFolder, rebuildReport, writeRunFolder } from './run-folder';
export { REPORT_FILE } from './run-files';
export { buildReport } from './html/report';
export { type Html, html, joinHtml, scriptJsonHtml, trusted } from './html/html';
export { /** @public */ chartFigure, /** @public */ chartPageHtml } from './html/chart-page';
export * as charts from './charts';
export * from './compare';
