#!/usr/bin/env node
import { terminalSafe } from '@backtest/core/internal';
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`backtest: ${terminalSafe(String(e))}\n`);
    process.exitCode = 1;
  },
);
