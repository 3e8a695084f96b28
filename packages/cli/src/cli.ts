import yargs, { type MiddlewareFunction } from 'yargs';
import { UserError } from '@backtest/core';
import { MESSAGE_CHARACTERS, terminalSafe } from '@backtest/core/internal';
import { commands } from './commands';
import { type CommandIO, processIO } from './commands/io';

/**
 * A flag that takes one value given twice (`--strategy sma --strategy ols-sma`) would reach the
 * handlers as an array; refuse it before any command runs, naming the flag and its values.
 */
function rejectRepeatedFlags(argv: Record<string, unknown>, arrayOptions: readonly string[]): void {
  const arrays = new Set(arrayOptions);
  const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const repeated = Object.entries(argv).filter(([key, value]) => key !== '_' && Array.isArray(value) && !arrays.has(key) && !arrays.has(kebab(key))) as [string, unknown[]][];
  // yargs also sets an option's aliases (-s, dataDir): name it by its long, kebab-case form.
  const named = repeated.find(([key]) => key.length > 1 && key === kebab(key)) ?? repeated[0];
  if (!named) return;
  const [key, values] = named;
  throw new UserError(`${key.length === 1 ? '-' : '--'}${key} was given ${values.length} times (${values.map((v) => JSON.stringify(v)).join(', ')}); give it once`);
}

// yargs calls a middleware with the command's own instance too; its typings only name argv.
const repeatedFlagsCheck = ((argv: Record<string, unknown>, y: { getOptions(): { array: string[] } }) =>
  rejectRepeatedFlags(argv, y.getOptions().array)) as unknown as MiddlewareFunction;

/**
 * What every command prints, made safe for a terminal as the last line of defence: messages
 * quote file content through `printable` where they are made, but a plugin's error, a library's
 * message or a warning that quotes a file name may still carry control characters. They are
 * escaped (`\x1b`, `\u202e`) here, except the line feeds that separate a message's lines, and an
 * error message or warning longer than MESSAGE_CHARACTERS is cut. Standard output is escaped the
 * same way (JSON keeps its meaning: JSON.stringify already escapes C0, and `\u009b` is a JSON
 * escape), but never cut.
 */
function terminalSafeIO(io: CommandIO): CommandIO {
  return {
    out: (text) => io.out(terminalSafe(text)),
    err: (text) => io.err(terminalSafe(text, MESSAGE_CHARACTERS)),
  };
}

/**
 * Parse and run one command line. Returns the exit code instead of exiting, so the one place
 * that turns errors into messages and codes is here: 2 for bad usage or bad input, 1 otherwise.
 */
export async function main(args: readonly string[], rawIO: CommandIO = processIO): Promise<number> {
  const io = terminalSafeIO(rawIO);
  let usageError: string | undefined;
  const parser = yargs([...args])
    .scriptName('backtest')
    .usage('$0 [command] [options]\n\nWalk-forward backtests of forecast-driven strategies against buy-and-hold.')
    .command(commands(io))
    .middleware(repeatedFlagsCheck, true)
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
    const err = e as Error | null | undefined;
    io.err(`backtest: ${err?.message ?? String(e)}`);
    if (process.env.BACKTEST_DEBUG) io.err(err?.stack ?? '');
    return 1;
  }
}
