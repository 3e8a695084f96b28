// The public surface: loading files and datasets, the data directories, and the pieces the CLI
// and reports need. `@public`: what README.md documents and no code here calls (see knip.jsonc).
export { dataDirectories, findProjectRoot } from './data-directories';
export {
  EMBEDDED_INDEX,
  embeddedDir,
  makeExtract,
} from './embedded';
export { listDatasets, loadDataset } from './datasets';
export {
  FETCH_SOURCE_NAMES,
  /** @public */ FetchError,
  type FetchSourceName,
  fetchDataset,
} from './fetch';
export { parseColumnMapping } from './layout';
export { type LoadedData, loadCsvFile } from './load';
export { datasetRegistry } from './registry';
