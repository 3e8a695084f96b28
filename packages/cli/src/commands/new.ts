import type { Argv, CommandModule } from 'yargs';
import { findProjectRoot } from '@backtest/data';
import { scaffoldPlugin } from '../plugins/scaffold';
import { loadStrategyRegistry } from '@backtest/api';
import type { CommandIO } from './io';

interface NewFlags {
  name: string;
  dir?: string;
  kind: 'rule' | 'forecast' | 'model';
  json?: boolean;
}

/** `backtest new <name>`: scaffold a strategy plugin package that builds, tests and runs. */
export function newCommand(io: CommandIO): CommandModule<object, NewFlags> {
  return {
    command: 'new <name>',
    describe: 'Scaffold a strategy or model plugin package (in strategies/<name>, or in --dir)',
    builder: (y: Argv) =>
      y
        .positional('name', { type: 'string', demandOption: true, describe: 'the strategy id: lower-case words joined by dashes' })
        .option('dir', { type: 'string', describe: 'create the package in this directory instead of strategies/<name>' })
        .option('kind', {
          choices: ['rule', 'forecast', 'model'] as const,
          default: 'rule' as const,
          describe: 'a rule on prices, a model forecast strategy, or a model (a TensorFlow.js network) for the forecast strategies',
        })
        .option('json', { type: 'boolean', default: false, describe: 'print what was created as JSON' })
        .example('$0 new my-rule', 'a rule plugin in strategies/my-rule')
        .example('$0 new my-forecast --kind forecast --dir ../my-forecast', 'a forecast plugin outside the project')
        .example('$0 new my-net --kind model --dir ../my-net', 'a network for --strategy forecast --param model=my-net') as Argv<NewFlags>,
    handler: (argv) => {
      const projectRoot = findProjectRoot(__dirname);
      const registry = loadStrategyRegistry({ projectRoot });
      const takenIds = argv.kind === 'model' ? registry.models.map((m) => m.id) : registry.all.map((p) => p.id);
      const result = scaffoldPlugin({ name: argv.name, kind: argv.kind, ...(argv.dir ? { dir: argv.dir } : {}), projectRoot, takenIds });
      if (argv.json) {
        io.out(JSON.stringify(result, null, 2));
        return;
      }
      const strategy = argv.kind === 'model' ? `forecast --param model=${argv.name}` : argv.name;
      const run = result.placement === 'workspace' ? `backtest --strategy ${strategy}` : `backtest --strategy ${strategy} --plugin ${result.dir}`;
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
