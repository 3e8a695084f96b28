#!/usr/bin/env node
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`backtest: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
