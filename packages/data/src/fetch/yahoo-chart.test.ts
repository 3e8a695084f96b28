import { yahooChart } from './__fixtures__/sources-server';
import { ChartFormatError, yahooChartError, yahooChartToCsv } from './yahoo-chart';

const bar = (t: number, close: number | null) => ({ t, open: close, high: close, low: close, close, adjclose: close, volume: 0 });
const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume\n';

describe('yahooChartToCsv', () => {
  it("dates bars in the exchange's time zone (gmtoffset): Tokyo's 09:00 open is 00:00 UTC", () => {
    const t = Date.parse('2024-04-01T00:00:00Z') / 1000;
    expect(yahooChartToCsv(yahooChart('^N225', [bar(t, 39803.09)], 32400))).toBe(`${HEADER}2024-04-01,39803.09,39803.09,39803.09,39803.09,39803.09,0\n`);
    // Sydney's 10:00 open in summer time is 23:00 UTC the day before.
    const sydney = Date.parse('2024-01-01T23:00:00Z') / 1000;
    expect(yahooChartToCsv(yahooChart('^AXJO', [bar(sydney, 7500)], 39600))).toBe(`${HEADER}2024-01-02,7500,7500,7500,7500,7500,0\n`);
  });

  it("keeps the later of two bars on one day (the live session's repeat)", () => {
    const t = Date.parse('2024-04-01T13:30:00Z') / 1000;
    const csv = yahooChartToCsv(yahooChart('^GSPC', [bar(t - 86400, 1), bar(t, 2), bar(t + 3600, 3)]));
    expect(csv).toBe(`${HEADER}2024-03-31,1,1,1,1,1,0\n2024-04-01,3,3,3,3,3,0\n`);
  });

  it('without gmtoffset the dates are UTC days', () => {
    const doc = JSON.parse(yahooChart('X', [bar(Date.parse('2024-04-01T23:30:00Z') / 1000, 5)]));
    delete doc.chart.result[0].meta.gmtoffset;
    expect(yahooChartToCsv(JSON.stringify(doc))).toBe(`${HEADER}2024-04-01,5,5,5,5,5,0\n`);
  });

  it.each([
    ['not JSON', '<html>', 'the answer is not JSON'],
    ['no chart', '{}', 'the answer has no "chart" object'],
    ['an error', '{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found"}}}', 'the chart is an error: Not Found: No data found'],
    ['no result', '{"chart":{"result":[],"error":null}}', 'the answer has no chart.result[0]'],
    ['no rows', '{"chart":{"result":[{"meta":{},"indicators":{"quote":[{}]}}],"error":null}}', 'the chart has no rows (no chart.result[0].timestamp)'],
    ['no quote', '{"chart":{"result":[{"timestamp":[1],"indicators":{}}],"error":null}}', 'the chart has no indicators.quote[0]'],
    [
      'no adjusted close',
      '{"chart":{"result":[{"timestamp":[1],"indicators":{"quote":[{"open":[1],"high":[1],"low":[1],"close":[1],"volume":[1]}]}}],"error":null}}',
      'the chart has no indicators.adjclose[0] (the adjusted close)',
    ],
    [
      'a short column',
      '{"chart":{"result":[{"timestamp":[1,2],"indicators":{"quote":[{"open":[1],"high":[1,1],"low":[1,1],"close":[1,1],"volume":[1,1]}],"adjclose":[{"adjclose":[1,1]}]}}]}}',
      'indicators.quote[0].open is not a list of 2 values, one per timestamp',
    ],
    [
      'a string price',
      '{"chart":{"result":[{"timestamp":[1],"indicators":{"quote":[{"open":[1],"high":[1],"low":[1],"close":["1"],"volume":[1]}],"adjclose":[{"adjclose":[1]}]}}]}}',
      'indicators.quote[0].close[0] is "1", not a number or null',
    ],
  ])('%s', (_what, body, message) => {
    expect(() => yahooChartToCsv(body)).toThrow(new ChartFormatError(message));
  });
});

describe('yahooChartError', () => {
  it('reads chart.error, and nothing from other bodies', () => {
    expect(yahooChartError('{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}')).toBe(
      'Not Found: No data found, symbol may be delisted',
    );
    expect(yahooChartError('Too Many Requests')).toBeUndefined();
    expect(yahooChartError('{"chart":{"error":null}}')).toBeUndefined();
  });
});
