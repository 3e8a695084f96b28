/**
 * Reproducibility of `backtest study seed`: two runs with the same seed, in separate processes,
 * give the same curves and coefficients to the last bit; another seed gives other curves (so the
 * comparison can fail).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest } from './helpers';

const out = mkdtempSync(path.join(tmpdir(), 'study-repro-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: the study's JSON, read by path
function run(name: string, extra: string[]): any {
  const r = backtest(['study', 'seed', '--json', '--out', path.join(out, name), ...extra]);
  if (r.code !== 0) throw new Error(`study seed ${extra.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Everything a seed decides: every curve, stopping epoch and fitted coefficient. */
// biome-ignore lint/suspicious/noExplicitAny: the study's JSON, read by path
const seeded = (doc: any) => ({ rmse: doc.rmse, neuron: doc.coefficients.neuron, neuronByEpoch: doc.coefficients.neuronByEpoch, backend: doc.backend });

describe('backtest study seed is reproducible', () => {
  test('the same seed gives the same curves twice, on the automatic backend and on the CPU backend', () => {
    for (const backend of ['auto', 'cpu']) {
      const a = run(`${backend}-a`, ['--seed', '42', '--backend', backend]);
      const b = run(`${backend}-b`, ['--seed', '42', '--backend', backend]);
      expect(seeded(b)).toEqual(seeded(a));
      expect(a.rmse.network.train).toHaveLength(20);
    }
  });

  test('another seed gives other curves', () => {
    const a = run('seed-42', ['--seed', '42']);
    const b = run('seed-7', ['--seed', '7']);
    expect(b.seed).toBe(7);
    expect(b.rmse.experiment1.train).not.toEqual(a.rmse.experiment1.train);
    expect(b.rmse.deep.train).not.toEqual(a.rmse.deep.train);
    // The regression has no seed.
    expect(b.coefficients.regression).toEqual(a.coefficients.regression);
  });
});
