// Downloading a series from a public source into a data directory, with its provenance.
export { fetchDataset } from './fetch-dataset';
export { FetchError } from './fetch-error';
export { FETCH_SOURCE_NAMES, type FetchSourceName } from './sources';
