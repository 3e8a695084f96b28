import type { CommandModule } from 'yargs';
import { compareCommand } from './compare';
import { dataCommand } from './data';
import type { CommandIO } from './io';
import { listCommand } from './list';
import { mergeCommand } from './merge';
import { newCommand } from './new';
import { reportCommand } from './report';
import { runCommand } from './run';
import { signalCommand } from './signal';
import { studyCommand } from './study';
import { workerCommand } from './worker';

/** Every command of the CLI, in the order `--help` lists them. */
export function commands(io: CommandIO): CommandModule<object, never>[] {
  return [
    runCommand(io),
    compareCommand(io),
    mergeCommand(io),
    listCommand(io),
    dataCommand(io),
    reportCommand(io),
    signalCommand(io),
    studyCommand(io),
    newCommand(io),
    workerCommand(io),
  ] as unknown as CommandModule<object, never>[];
}
