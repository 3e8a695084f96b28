// Downloading a series from a public source into a data directory, with its provenance.
export { type FetchedData, fetchDataset, type FetchOptions, type Provenance, provenanceFile } from './fetch-dataset';
export { FetchError, type FetchFailure } from './fetch-error';
export { DEFAULT_FETCH_TIMEOUT_MS, FETCH_TIMEOUT_ENV } from './http';
export { checkDatasetName, nameFromSymbol } from './names';
export { FETCH_SOURCE_NAMES, FETCH_SOURCES, type FetchSource, type FetchSourceName } from './sources';
export { yahooChartToCsv } from './yahoo-chart';
