import { UserError } from '@backtest/core';
import { initBackend } from './backend';
import { featureRows, linearTarget } from './__fixtures__/test-data';
import { NO_TF_BACKEND, NnModel } from './nn/nn-model';

/** Whether the optional native binding can load here (it cannot where its install failed). */
function tfjsNodeLoads(): boolean {
  try {
    require('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  const native = tfjsNodeLoads();

  (native ? test.skip : test)('asking for tfjs-node where it is missing is a UserError saying how to get it', async () => {
    const err = await initBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/@tensorflow\/tfjs-node.*npm install @tensorflow\/tfjs-node/s);
  });

  test('an unknown backend name is a UserError', async () => {
    await expect(initBackend('gpu' as never)).rejects.toThrow(/unknown backend "gpu"/);
  });

  test('cpu and wasm load on request, and auto takes the fastest available', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(await initBackend('auto')).toBe(native ? 'tensorflow' : 'wasm');
  });

  test('on wasm, one seed still gives bit-identical fits with tfjs kernels', async () => {
    expect(await initBackend('wasm')).toBe('wasm');
    const x = featureRows(100, 8);
    const run = (): { w: number[][]; loss: readonly number[]; backend: string } => {
      const m = new NnModel({ network: { inputSize: 2, layers: [{ units: 8, activation: 'relu' }, { units: 1 }] }, optimizer: 'adam' });
      const fit = m.fit(x, x.map(linearTarget), { epochs: 3, seed: 5, trainer: 'tfjs' });
      const w = m.weights().map((a) => Array.from(a));
      m.dispose();
      return { w, loss: fit.history.loss, backend: fit.backend };
    };
    const a = run();
    expect(a.backend).toBe('wasm');
    expect(run()).toEqual(a);
  });

  test('the SIMD kernels take no part of the backend: the same bits on cpu and wasm, and the backend reported as none', async () => {
    const x = featureRows(100, 8);
    const run = () => {
      const m = new NnModel({ network: { inputSize: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1 }] }, optimizer: 'adam' });
      const fit = m.fit(x, x.map(linearTarget), { epochs: 3, seed: 5 });
      const out = { w: m.weights().map((a) => Array.from(a)), loss: fit.history.loss, predictions: Array.from(m.predict(x)), backend: fit.backend };
      m.dispose();
      return out;
    };
    expect(await initBackend('cpu')).toBe('cpu');
    const onCpu = run();
    expect(await initBackend('wasm')).toBe('wasm');
    expect(run()).toEqual(onCpu);
    expect(onCpu.backend).toBe(NO_TF_BACKEND);
  });
});
