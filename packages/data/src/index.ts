// The public surface: loading files and datasets, the data directories, and the pieces the CLI
// and reports need (layouts, month-end resampling, total return).
export { type DataDirectorySources, dataDirectories, findProjectRoot } from './data-directories';
export {
  EMBEDDED_INDEX,
  type EmbeddedExtract,
  type EmbeddedIndex,
  embeddedDir,
  makeExtract,
  readEmbeddedIndex,
} from './embedded';
export { type DatasetListing, type DatasetLocation, listDatasets, loadDataset } from './datasets';
export {
  checkDatasetName,
  DEFAULT_FETCH_TIMEOUT_MS,
  FETCH_SOURCE_NAMES,
  FETCH_SOURCES,
  FETCH_TIMEOUT_ENV,
  type FetchedData,
  FetchError,
  type FetchFailure,
  type FetchOptions,
  type FetchSource,
  type FetchSourceName,
  fetchDataset,
  nameFromSymbol,
  type Provenance,
  provenanceFile,
  yahooChartToCsv,
} from './fetch';
export { type ColumnMapping, LAYOUT_NAMES, type LayoutName, parseColumnMapping } from './layout';
export { type LoadedData, loadCsvFile } from './load';
export { toMonthEnd } from './month-end';
export { type CloseValues, type LoadOptions, type ParsedData, parseCsvText } from './parse-csv';
export type { MissingPolicy } from './price-rows';
export { type DatasetEntry, type DatasetRegistry, datasetRegistry } from './registry';
export { withTotalReturn } from './total-return';
