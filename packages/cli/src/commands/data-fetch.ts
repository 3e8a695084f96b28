import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { groupDigits } from '@backtest/core/internal';
import { FETCH_SOURCE_NAMES, type FetchSourceName, fetchDataset, findProjectRoot } from '@backtest/data';
import { settingsFromFlags } from '../flags-to-settings';
import type { CommandIO } from './io';

interface FetchFlags {
  symbol: string;
  source: FetchSourceName;
  name?: string;
  values?: 'price' | 'rate';
  'data-dir'?: string[];
  config?: string;
  json?: boolean;
}

/** `backtest data fetch SYMBOL --source stooq|fred|yahoo`: download a series into the first data directory. */
export function dataFetchCommand(io: CommandIO): CommandModule<object, FetchFlags> {
  return {
    command: 'fetch <symbol>',
    describe: 'Download a series (Stooq, FRED or Yahoo) into the first data directory, with its provenance',
    builder: (y: Argv) =>
      y
        .positional('symbol', { type: 'string', demandOption: true, describe: "the source's symbol: ^spx (Stooq), TB3MS (FRED), ^GSPC (Yahoo)" })
        .option('source', { choices: FETCH_SOURCE_NAMES, demandOption: true, describe: 'where to download from' })
        .option('name', { type: 'string', describe: 'dataset name (default: the symbol, e.g. ^spx -> spx); a registered one writes its file' })
        .option('values', {
          choices: ['price', 'rate'] as const,
          describe: 'check the closes as prices, positive (default; FRED: rate), or as rates and yields (0, negatives)',
        })
        .option('data-dir', { type: 'string', array: true, describe: 'write into this directory (the first data directory)' })
        .option('config', { type: 'string', describe: 'JSON file of settings (its dataDirs)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the provenance and path as JSON' })
        .example('$0 data fetch ^spx --source stooq --name sp500-daily', 'daily S&P 500 from Stooq as gspc-daily.csv')
        .example('$0 data fetch TB3MS --source fred', '3-month Treasury bill rate as tb3ms.csv') as Argv<FetchFlags>,
    handler: async (argv: ArgumentsCamelCase<FetchFlags>) => {
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags({ 'data-dir': argv['data-dir'], config: argv.config }, root);
      const fetched = await fetchDataset({
        source: argv.source,
        symbol: argv.symbol,
        ...(argv.name !== undefined ? { name: argv.name } : {}),
        ...(argv.values !== undefined ? { values: argv.values } : {}),
        dataDirs: settings.dataDirs,
        projectRoot: root,
        env: process.env,
      });
      const p = fetched.provenance;
      if (argv.json) {
        io.out(JSON.stringify({ ...p, path: fetched.path, warnings: fetched.warnings }, null, 2));
        return;
      }
      io.out(
        [
          `fetched ${fetched.name} from ${p.source}: ${groupDigits(p.rows)} ${fetched.fileFrequency} rows ${p.first} .. ${p.last} -> ${fetched.path}`,
          ...fetched.warnings.map((w) => `  warning  ${w}`),
        ].join('\n'),
      );
    },
  };
}
