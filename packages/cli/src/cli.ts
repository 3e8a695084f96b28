import yargs from 'yargs';
import { UserError } from '@backtest/core';
import { commands } from './commands';
import { type CommandIO, processIO } from './commands/io';

/**
 * Parse and run one command line. Returns the exit code instead of exiting, so the one place
 * that turns errors into messages and codes is here: 2 for bad usage or bad input, 1 otherwise.
 */
export async function main(args: readonly string[], io: CommandIO = processIO): Promise<number> {
  let usageError: string | undefined;
  const parser = yargs([...args])
    .scriptName('backtest')
    .usage('$0 [command] [options]\n\nWalk-forward backtests of forecast-driven strategies against buy-and-hold.')
    .command(commands(io))
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      usageError = msg;
      throw new UserError(msg);
    });
  try {
    await parser.parseAsync();
    return 0;
  } catch (e) {
    // By exit code, not instanceof: a plugin's errors come from its own copy of @backtest/core.
    if (e instanceof Error && (e as Partial<UserError>).exitCode === 2) {
      io.err(`backtest: ${usageError ?? e.message}`);
      if (usageError) io.err('Run "backtest --help" for usage.');
      return 2;
    }
    const err = e as Error;
    io.err(`backtest: ${err.message ?? String(e)}`);
    if (process.env.BACKTEST_DEBUG) io.err(err.stack ?? '');
    return 1;
  }
}
