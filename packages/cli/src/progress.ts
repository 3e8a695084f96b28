import type { ProgressReporter } from '@backtest/core';
import { silentProgress } from '@backtest/core';

/**
 * A progress bar on stderr, only when both stdout and stderr are terminals and the output is
 * not JSON: piped or machine-read output never carries bar escape codes.
 */
export function createProgress(enabled: boolean): ProgressReporter {
  if (!enabled || !process.stdout.isTTY || !process.stderr.isTTY) return silentProgress;
  // Loaded only when a bar can be shown.
  const { SingleBar, Presets } = require('cli-progress') as typeof import('cli-progress');
  let bar: InstanceType<typeof SingleBar> | undefined;
  return {
    start(label, total) {
      bar?.stop();
      bar = new SingleBar(
        { format: `${label.padEnd(24)} [{bar}] {value}/{total} {eta_formatted} {status}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
        Presets.shades_classic,
      );
      bar.start(total, 0, { status: '' });
    },
    tick(n = 1) {
      bar?.increment(n);
    },
    status(text) {
      bar?.update({ status: text });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
