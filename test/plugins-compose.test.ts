/**
 * Composition by name: the `forecast` strategy built from a model and registered features.
 * nn-sma and ols-sma are presets of it: the same numbers, to the last bit.
 */
import { backtest } from './helpers';

interface Summary {
  results: Record<string, Record<string, unknown>>;
  params: Record<string, unknown>;
}

function run(args: string[]): Summary {
  const r = backtest([...args, '--json', '--no-save'], { timeout: 300_000 });
  if (r.code !== 0) throw new Error(`backtest ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Summary;
}

it.each([
  ['ols-sma', 'ols'],
  ['nn-sma', 'nn'],
])(
  '%s is --strategy forecast --param model=%s --param features=sma',
  (preset, model) => {
    const a = run(['--strategy', preset]);
    const b = run(['--strategy', 'forecast', '--param', `model=${model}`, '--param', 'features=sma']);
    expect(b.results.forecast).toEqual(a.results[preset]);
    expect(b.results['buy-and-hold']).toEqual(a.results['buy-and-hold']);
  },
  300_000,
);

it('composes a network on several features without a package of its own', () => {
  const s = run(['--strategy', 'forecast', '--param', 'model=nn', '--param', 'features=sma,rsi,momentum', '--param', 'epochs=5']);
  expect(s.params.features).toBe('sma,rsi,momentum');
  const result = s.results.forecast as { fits: number; forecast: { n: number } };
  expect(result.fits).toBeGreaterThan(10);
  expect(result.forecast.n).toBeGreaterThan(100);
}, 300_000);

it('names the registered features when one is misspelt', () => {
  const r = backtest(['--strategy', 'forecast', '--param', 'features=sma,momentm']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('backtest: strategy "forecast": unknown feature "momentm" (did you mean "momentum"?); registered features: sma, ema, rsi, momentum, macd, volatility\n');
});

it('refuses a feature named twice', () => {
  const r = backtest(['--strategy', 'forecast', '--param', 'features=rsi,rsi']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('backtest: strategy "forecast": feature list "rsi,rsi" names a feature twice\n');
});
