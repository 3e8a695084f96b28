import type { Rank, Tensor } from '@tensorflow/tfjs-core';
import { testUniforms } from '../__fixtures__/test-data';
import { loadTf } from '../tf';
import { DenseNetwork, weightShapes } from './dense-network';
import { type Activation, resolveNetwork } from './spec';

const act: Record<Activation, (z: number) => number> = {
  relu: (z) => Math.max(0, z),
  linear: (z) => z,
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
};

/** MSE of the network in float64 plain JS: an implementation independent of the one under test. */
function mse(layers: { activation: Activation }[], shapes: number[][], w: Float64Array[], x: number[][], y: number[]): number {
  let total = 0;
  x.forEach((row, r) => {
    let a = row;
    layers.forEach((layer, l) => {
      const [fanIn, units] = shapes[2 * l] as [number, number];
      const kernel = w[2 * l]!;
      const bias = w[2 * l + 1]!;
      a = Array.from({ length: units }, (_, j) => {
        let z = bias[j]!;
        for (let i = 0; i < fanIn; i++) z += a[i]! * kernel[i * units + j]!;
        return act[layer.activation](z);
      });
    });
    total += (a[0]! - y[r]!) ** 2;
  });
  return total / x.length;
}

describe('DenseNetwork backward pass', () => {
  test.each([false, true])('hand-written gradients equal float64 central differences for every activation (explicit transposes: %s)', (explicitTranspose) => {
    const tf = loadTf();
    const layers: { units: number; activation: Activation }[] = [
      { units: 5, activation: 'relu' },
      { units: 4, activation: 'tanh' },
      { units: 3, activation: 'sigmoid' },
      { units: 2, activation: 'linear' },
      { units: 1, activation: 'relu' },
    ];
    const spec = resolveNetwork({ inputSize: 3, layers });
    const shapes = weightShapes(spec);
    const u = testUniforms(21);
    // The last ReLU gets bias 1 so it is not dead (a dead unit would zero every gradient).
    const weights = shapes.map((shape, i) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (i === 9 ? 1 : 2 * u() - 1)));
    const x = Array.from({ length: 7 }, () => [2 * u() - 1, 2 * u() - 1, 2 * u() - 1]);
    const y = Array.from({ length: 7 }, () => u());
    const net = new DenseNetwork(tf, spec, weights);
    const [xt, yt, two] = [tf.tensor2d(x), tf.tensor2d(y, [7, 1]), tf.scalar(2 / 7)];
    const ours = net.gradients(xt, yt, { outputScale: two, onesRow: tf.ones([1, 7]) }, explicitTranspose);
    const w64 = weights.map((w) => Float64Array.from(w));
    expect(ours.sse.dataSync()[0]! / 7).toBeCloseTo(mse(layers, shapes, w64, x, y), 6);
    const h = 1e-6;
    let nonZero = 0;
    shapes.forEach((_, i) => {
      const name = (i % 2 === 0 ? net.kernelNames : net.biasNames)[Math.floor(i / 2)]!;
      const grad = ours.grads[name]!.dataSync();
      for (let k = 0; k < grad.length; k++) {
        const saved = w64[i]![k]!;
        w64[i]![k] = saved + h;
        const up = mse(layers, shapes, w64, x, y);
        w64[i]![k] = saved - h;
        const down = mse(layers, shapes, w64, x, y);
        w64[i]![k] = saved;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(grad[k]! - numeric)).toBeLessThan(1e-5 + 1e-4 * Math.abs(numeric));
        if (Math.abs(numeric) > 1e-4) nonZero++;
      }
    });
    // Most gradients are clearly non-zero, so the comparison is not vacuous.
    expect(nonZero).toBeGreaterThan(40);
    tf.dispose([xt, yt, two, ours.sse, ...(Object.values(ours.grads) as Tensor[])]);
    net.dispose();
  });
  test('binary cross-entropy gradients through a sigmoid output equal float64 central differences', () => {
    const tf = loadTf();
    const layers: { units: number; activation: Activation }[] = [
      { units: 5, activation: 'tanh' },
      { units: 4, activation: 'relu' },
      { units: 1, activation: 'sigmoid' },
    ];
    const spec = resolveNetwork({ inputSize: 3, layers });
    const shapes = weightShapes(spec);
    const u = testUniforms(23);
    const weights = shapes.map((shape, i) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (i % 2 === 1 ? 0.3 : 2 * u() - 1)));
    const x = Array.from({ length: 8 }, () => [2 * u() - 1, 2 * u() - 1, 2 * u() - 1]);
    const y = Array.from({ length: 8 }, () => (u() > 0.5 ? 1 : 0));
    // The mean cross-entropy in float64, by this test's own forward pass.
    const bce = (w: Float64Array[]): number => {
      let total = 0;
      x.forEach((row, r) => {
        let a = row;
        layers.forEach((layer, l) => {
          const [fanIn, units] = shapes[2 * l] as [number, number];
          a = Array.from({ length: units }, (_, j) => {
            let z = w[2 * l + 1]![j]!;
            for (let i = 0; i < fanIn; i++) z += a[i]! * w[2 * l]![i * units + j]!;
            return act[layer.activation](z);
          });
        });
        total += -(y[r]! * Math.log(a[0]!) + (1 - y[r]!) * Math.log(1 - a[0]!));
      });
      return total / x.length;
    };
    const net = new DenseNetwork(tf, spec, weights);
    const [xt, yt, scale] = [tf.tensor2d(x), tf.tensor2d(y, [8, 1]), tf.scalar(1 / 8)];
    const ones = tf.ones<Rank.R2>([1, 8]);
    const ours = net.gradients(xt, yt, { outputScale: scale, onesRow: ones }, false, 'binaryCrossentropy');
    const w64 = weights.map((w) => Float64Array.from(w));
    expect(ours.sse.dataSync()[0]! / 8).toBeCloseTo(bce(w64), 6);
    const h = 1e-6;
    let nonZero = 0;
    shapes.forEach((_, i) => {
      const name = (i % 2 === 0 ? net.kernelNames : net.biasNames)[Math.floor(i / 2)]!;
      const grad = ours.grads[name]!.dataSync();
      for (let k = 0; k < grad.length; k++) {
        const saved = w64[i]![k]!;
        w64[i]![k] = saved + h;
        const up = bce(w64);
        w64[i]![k] = saved - h;
        const down = bce(w64);
        w64[i]![k] = saved;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(grad[k]! - numeric)).toBeLessThan(1e-5 + 1e-4 * Math.abs(numeric));
        if (Math.abs(numeric) > 1e-4) nonZero++;
      }
    });
    expect(nonZero).toBeGreaterThan(20);
    tf.dispose([xt, yt, scale, ones, ours.sse, ...(Object.values(ours.grads) as Tensor[])]);
    net.dispose();
  });
});
