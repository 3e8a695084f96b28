/** The folder and HTML report of `backtest compare`. */
export { BEATS, compareEquityChart, NOT_SIGNIFICANT, sharpeDiffChart } from './compare-charts';
export { compareFolderFiles, compareReturnsCsv, compareSummaryJson, parseCompareSummaryJson, writeCompareFolder } from './compare-folder';
export { type CompareParts, type CompareRecord, compareRecordFrom, type CompareResultDoc, type CompareSignificance, type CompareSummaryDoc } from './compare-record';
export { buildCompareReport, compareCharts, compareReportBytes } from './compare-report';
export { type CompareRow, compareRows, compareTable, pValue, valueAt } from './compare-table';
