import type { Conv2DBackpropFilterAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../tf';

/** The parts of tfjs-backend-wasm's BackendWasm a JavaScript kernel uses (its own kernels use the same). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so any convolution weight's
 * gradient (Conv1D runs as a Conv2D) throws "Kernel 'Conv2DBackpropFilter' not registered for
 * backend 'wasm'" on the backend this project trains on. This registers a plain JavaScript one
 * for 'wasm' when it is missing (a later tfjs that ships its own keeps it): the same loops as
 * tfjs-backend-cpu's kernel, over the wasm heap, summing in float64 in a fixed order, so its
 * result is deterministic. Conv2DBackpropInput, the other half of the gradient, is in tfjs-wasm.
 * Idempotent; registering is global to the tfjs-core instance, as every backend's kernels are.
 */
export function ensureWasmConvGradient(tf: Tf): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter(tf) as unknown as KernelFunc });
}

function conv2DBackpropFilter(tf: Tf) {
  return ({ inputs, backend, attrs }: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Conv2DBackpropFilterAttrs }): TensorInfo => {
    const { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
    const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, format);
    const { strideHeight, strideWidth, filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth, inChannels, outChannels, batchSize } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const last = info.dataFormat === 'channelsLast';
    // Element strides of (batch, row, column, channel) in x and dy, for either layout.
    const xs = last ? [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels, 1] : [inChannels * inHeight * inWidth, inWidth, 1, inHeight * inWidth];
    const ys = last ? [outHeight * outWidth * outChannels, outWidth * outChannels, outChannels, 1] : [outChannels * outHeight * outWidth, outWidth, 1, outHeight * outWidth];
    // Output first: allocating may grow the wasm heap, which detaches views taken before.
    const out = backend.makeOutput(info.filterShape, 'float32');
    const xv = backend.typedArrayFromHeap(x);
    const dyv = backend.typedArrayFromHeap(dy);
    const dw = backend.typedArrayFromHeap(out);
    for (let wr = 0; wr < filterHeight; wr++) {
      const yrMin = Math.max(0, Math.ceil((top - wr) / strideHeight));
      const yrMax = Math.min(outHeight, (inHeight + top - wr) / strideHeight);
      for (let wc = 0; wc < filterWidth; wc++) {
        const ycMin = Math.max(0, Math.ceil((left - wc) / strideWidth));
        const ycMax = Math.min(outWidth, (inWidth + left - wc) / strideWidth);
        for (let d1 = 0; d1 < inChannels; d1++) {
          for (let d2 = 0; d2 < outChannels; d2++) {
            let sum = 0;
            for (let b = 0; b < batchSize; b++) {
              for (let yr = yrMin; yr < yrMax; yr++) {
                const xr = wr + yr * strideHeight - top;
                for (let yc = ycMin; yc < ycMax; yc++) {
                  const xc = wc + yc * strideWidth - left;
                  const xi = b * xs[0]! + xr * xs[1]! + xc * xs[2]! + d1 * xs[3]!;
                  const yi = b * ys[0]! + yr * ys[1]! + yc * ys[2]! + d2 * ys[3]!;
                  sum += (xv[xi] as number) * (dyv[yi] as number);
                }
              }
            }
            // Filter layout [height, width, inChannels, outChannels].
            dw[((wr * filterWidth + wc) * inChannels + d1) * outChannels + d2] = sum;
          }
        }
      }
    }
    return out;
  };
}
