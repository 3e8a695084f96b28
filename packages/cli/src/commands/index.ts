import type { CommandModule } from 'yargs';
import type { CommandIO } from './io';
import { listCommand } from './list';
import { runCommand } from './run';

/** Every command of the CLI, in the order `--help` lists them. */
export function commands(io: CommandIO): CommandModule<object, never>[] {
  return [runCommand(io), listCommand(io)] as unknown as CommandModule<object, never>[];
}
