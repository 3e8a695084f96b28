import type { Argv, CommandModule } from 'yargs';
import { findProjectRoot } from '@backtest/data';
import { scaffoldPlugin } from '../plugins/scaffold';
import { loadStrategyRegistry } from '@backtest/api';
import type { CommandIO } from './io';

interface NewFlags {
  name: string;
  dir?: string;
  kind: 'rule' | 'forecast';
  json?: boolean;
}

/** `backtest new <name>`: scaffold a strategy plugin package that builds, tests and runs. */
export function newCommand(io: CommandIO): CommandModule<object, NewFlags> {
  return {
    command: 'new <name>',
    describe: 'Scaffold a strategy plugin package (in strategies/<name>, or in --dir)',
    builder: (y: Argv) =>
      y
        .positional('name', { type: 'string', demandOption: true, describe: 'the strategy id: lower-case words joined by dashes' })
        .option('dir', { type: 'string', describe: 'create the package in this directory instead of strategies/<name>' })
        .option('kind', { choices: ['rule', 'forecast'] as const, default: 'rule' as const, describe: 'a rule on prices, or a model forecast' })
        .option('json', { type: 'boolean', default: false, describe: 'print what was created as JSON' })
        .example('$0 new my-rule', 'a rule plugin in strategies/my-rule')
        .example('$0 new my-forecast --kind forecast --dir ../my-forecast', 'a forecast plugin outside the project') as Argv<NewFlags>,
    handler: (argv) => {
      const projectRoot = findProjectRoot(__dirname);
      const takenIds = loadStrategyRegistry({ projectRoot }).all.map((p) => p.id);
      const result = scaffoldPlugin({ name: argv.name, kind: argv.kind, ...(argv.dir ? { dir: argv.dir } : {}), projectRoot, takenIds });
      if (argv.json) {
        io.out(JSON.stringify(result, null, 2));
        return;
      }
      const run = result.placement === 'workspace' ? `backtest --strategy ${argv.name}` : `backtest --strategy ${argv.name} --plugin ${result.dir}`;
      io.out(
        [
          `Created the ${argv.kind} plugin "${argv.name}" in ${result.dir}:`,
          ...result.files.map((f) => `  ${f}`),
          '',
          'Next:',
          `  cd ${result.dir}`,
          '  npm run build && npm test',
          `  ${run}`,
        ].join('\n'),
      );
    },
  };
}
