import type { Argv, CommandModule } from 'yargs';
import { describeParams } from '@backtest/core';
import { printable } from '@backtest/core/internal';
import { findProjectRoot, listDatasets } from '@backtest/data';
import { settingsFromFlags } from '../flags-to-settings';
import type { RunFlags } from '../options';
import { loadStrategyRegistry } from '@backtest/api';
import type { CommandIO } from './io';

export function listCommand(io: CommandIO): CommandModule<object, RunFlags> {
  return {
    command: 'list',
    describe: 'List strategies and models (with their parameters) and datasets (with where each was found)',
    builder: (y: Argv) =>
      y
        .option('data-dir', { type: 'string', array: true, describe: 'extra directory to look for datasets in' })
        .option('config', { type: 'string', describe: 'JSON file of settings' })
        .option('plugin', { type: 'string', array: true, describe: 'also list the strategies and models of this plugin, loading it (repeatable)' })
        .option('json', { type: 'boolean', default: false }) as Argv<RunFlags>,
    handler: (argv) => {
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags(argv, root);
      // Listing runs no code that no flag or config named: the project's own strategy packages
      // are described from their package.json, not loaded (a run loads them; --plugin lists one).
      const registry = loadStrategyRegistry({ plugins: settings.plugins, projectRoot: root, projectPackages: 'describe' });
      const notLoaded = registry.notLoaded.map((p) => ({
        dir: p.label,
        ...(p.name !== undefined ? { package: p.name } : {}),
        ...(p.version !== undefined ? { version: p.version } : {}),
        ...(p.description !== undefined ? { description: p.description } : {}),
        built: p.entry !== undefined,
      }));
      const strategies = registry.all.map((p) => ({
        id: p.id,
        kind: p.kind,
        description: p.description,
        params: describeParams(p.params),
      }));
      const models = registry.models.map((m) => ({
        id: m.id,
        input: m.input,
        targets: m.targets ?? ['price'],
        description: m.description,
        params: describeParams(m.params),
      }));
      const datasets = listDatasets(settings.dataDirs, root);
      if (argv.json) {
        io.out(JSON.stringify({ strategies, models, notLoaded, datasets, dataDirs: settings.dataDirs }, null, 2));
        return;
      }
      const lines = ['Strategies:'];
      for (const s of strategies) {
        lines.push(`  ${s.id.padEnd(14)} ${s.description} [${s.kind}]`);
        for (const p of s.params) lines.push(`  ${''.padEnd(14)}   --param ${p}`);
      }
      lines.push('', 'Models (backtest --strategy forecast --param model=ID; their parameters are passed flat):');
      for (const m of models) {
        lines.push(`  ${m.id.padEnd(14)} ${m.description} [${m.input}; ${m.targets.join(', ')}]`);
        for (const p of m.params) lines.push(`  ${''.padEnd(14)}   --param ${p}`);
      }
      if (notLoaded.length) {
        lines.push('', 'Strategy packages in strategies/, not loaded (listing runs no plugin code; a run loads them, --plugin DIR lists one):');
        for (const p of notLoaded) {
          const what = [p.package && `${printable(p.package)}${p.version ? ` ${printable(p.version)}` : ''}`, p.description && printable(p.description, 200)]
            .filter(Boolean)
            .join(': ');
          lines.push(`  ${p.dir.padEnd(14)} ${what || '(no name or description)'}${p.built ? '' : ' [not built]'}`);
        }
      }
      lines.push('', 'Datasets:');
      const where = (d: (typeof datasets)[number]) =>
        d.path ?? (d.embedded ? `${d.embedded} (embedded in the data package: no data directory has ${d.file})` : `not found (${d.file})`);
      for (const d of datasets) lines.push(`  ${d.name.padEnd(14)} ${d.description}\n  ${''.padEnd(14)}   ${where(d)}`);
      lines.push('', `Data directories, searched in order: ${settings.dataDirs.join(', ')}`);
      io.out(lines.join('\n'));
    },
  };
}
