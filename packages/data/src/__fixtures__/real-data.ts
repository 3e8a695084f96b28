/**
 * The gate of this package's tests that need the files of ../shared/data (the real-data defect
 * checks, and the comparisons of the embedded extracts with the daily files they were made
 * from). A clone with nothing beside it skips them, saying why in their names; with
 * BACKTEST_REQUIRE_REAL_DATA=1 (set by .ci/run) they fail instead, so that CI can never skip them
 * silently (realDataGate).
 */
import { dataDirectories, findProjectRoot } from '../data-directories';
import { listDatasets } from '../datasets';
import { realDataGate } from './real-data-gate';

const projectRoot = findProjectRoot(__dirname);
/** The default data directories (data/, then ../shared/data), where these tests read the files. */
const dataDirs = dataDirectories({ projectRoot });
const listing = listDatasets(dataDirs, projectRoot);
const files = [...new Set(listing.map((d) => d.file))];
const missing = files.filter((f) => listing.find((d) => d.file === f)!.path === undefined);

/** Whether every file the dataset registry names is in the data directories, and the gate of the tests that need them. */
const realData = realDataGate(files, missing, dataDirs);
export const describeWithRealData = realData.describe;
