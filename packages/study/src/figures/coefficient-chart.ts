import { charts } from '@backtest/report';

/** A coefficient's value after each epoch, and the value it should approach. */
export interface CoefficientPath {
  readonly name: string;
  readonly values: readonly number[];
  readonly target: number;
  readonly color: string;
}

/**
 * Each coefficient by epoch (solid) with its regression value (dashed) in the same colour, so
 * the eye pairs a path with its target. The report's epoch chart colours reference lines apart
 * from the curves, which suits a baseline but not three paired targets, hence this builder.
 */
export function coefficientChart(o: { title: string; subtitle: string; paths: readonly CoefficientPath[]; targetLabel: string }): unknown {
  const names = o.paths.map((p) => p.name);
  const colors = o.paths.map((p) => p.color);
  const curves = o.paths.flatMap((p) => p.values.map((v, i) => ({ epoch: i + 1, coefficient: p.name, value: v })));
  const targets = o.paths.map((p) => ({ coefficient: p.name, value: p.target }));
  const epochs = Math.max(1, ...o.paths.map((p) => p.values.length));
  const color = { field: 'coefficient', type: 'nominal', title: null, scale: { domain: names, range: colors }, legend: { symbolType: 'stroke', symbolStrokeWidth: 3 } };
  const y = { field: 'value', type: 'quantitative', title: 'Coefficient', axis: { format: '.2f' } };
  return {
    title: { text: o.title, subtitle: o.subtitle },
    width: 'container',
    height: 260,
    config: charts.CHART_CONFIG,
    layer: [
      {
        data: { values: curves },
        mark: { type: 'line', point: { size: 18 } },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'Epoch', scale: { domain: [1, epochs] }, axis: { tickMinStep: 1, format: 'd' } },
          y,
          color,
          tooltip: [
            { field: 'coefficient', title: 'Coefficient' },
            { field: 'epoch', title: 'Epoch' },
            { field: 'value', title: 'Value', format: '.4f' },
          ],
        },
      },
      {
        data: { values: targets },
        mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.5 },
        encoding: {
          y,
          color,
          tooltip: [
            { field: 'coefficient', title: o.targetLabel },
            { field: 'value', title: 'Value', format: '.4f' },
          ],
        },
      },
    ],
  };
}
