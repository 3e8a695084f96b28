import { existsSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '@backtest/core';
import { claimFolder } from '@backtest/report';
import { type Placement, type PluginKind, packageFiles } from '@backtest/api';
import { forecastSource, forecastTestSource } from './template-forecast';
import { modelSource, modelTestSource } from './template-model';
import { ruleSource, ruleTestSource } from './template-rule';

/** A strategy id: lower-case words joined by single dashes (it is also a package name part). */
const PLUGIN_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface ScaffoldRequest {
  readonly name: string;
  readonly kind: PluginKind;
  /** The package directory to create; default `<projectRoot>/strategies/<name>`. */
  readonly dir?: string;
  readonly projectRoot: string;
  /** Ids already taken (built-in strategies, or models for a model plugin), refused with a message naming the clash. */
  readonly takenIds: readonly string[];
}

export interface ScaffoldResult {
  readonly dir: string;
  readonly placement: Placement['kind'];
  readonly files: readonly string[];
}

function readme(id: string, kind: PluginKind, dir: string, placement: Placement): string {
  const strategy = kind === 'model' ? `forecast --param model=${id}` : id;
  const run = placement.kind === 'workspace' ? `backtest --strategy ${strategy}` : `backtest --strategy ${strategy} --plugin ${dir}`;
  const what =
    kind === 'rule'
      ? 'A rule strategy: long while the close beats the close `lookback` periods earlier by more than `threshold`, else cash.'
      : kind === 'model'
        ? `A model for the forecast strategies: a TensorFlow.js network (an LSTM, edit \`build\` in src/index.ts) over the last \`lookback\` months of the features, trained walk-forward by the framework with the run's seed. Any forecast strategy can use it: \`backtest --strategy forecast --param model=${id} --param features=sma,rsi\`.`
        : `A forecast strategy: least squares on the scaled close, its SMA and the close's position in its high-low range (the feature \`${id}-range\`, which this package also registers for the composed strategy: \`backtest --strategy forecast --param features=sma,${id}-range\`).`;
  return `# ${id}

${what}

\`\`\`sh
npm run build   # compile src/ to dist/
npm test        # run src/index.test.ts through the walk-forward engine
${run} --param ${kind === 'rule' ? 'lookback=12' : kind === 'model' ? 'epochs=20' : 'refit=12'}
\`\`\`

${
  placement.kind === 'workspace'
    ? "It lives in the project's strategies/ directory, so `backtest` loads it once built."
    : `@backtest/* are not on the npm registry: this package uses the ones of the project at ${placement.projectRoot} (see package.json scripts, tsconfig.json and jest.config.js), and \`backtest --plugin\` provides them when it loads the plugin. They are peerDependencies.`
}

The plugin API, the hook contract and how to publish a plugin: docs/plugins.md in the backtest project.
`;
}

/**
 * `backtest new`: write a strategy package that builds, passes its own test and runs with
 * `backtest --strategy <name>`. Files are written into a sibling directory that is renamed
 * into place at the end, so a failure leaves nothing half-written.
 */
export function scaffoldPlugin(req: ScaffoldRequest): ScaffoldResult {
  const { name, kind, projectRoot } = req;
  if (!PLUGIN_NAME.test(name)) {
    throw new UserError(`plugin name "${name}" must be lower-case letters and digits in words joined by single dashes, starting with a letter (e.g. "my-rule")`);
  }
  if (req.takenIds.includes(name)) throw new UserError(`plugin name "${name}" is the id of a built-in ${kind === 'model' ? 'model' : 'strategy'}; choose another`);
  const strategiesDir = path.join(projectRoot, 'strategies');
  const dir = path.resolve(req.dir ?? path.join(strategiesDir, name));
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserError(`cannot create the plugin in ${dir}: it is a file`);
    if (readdirSync(dir).length > 0) throw new UserError(`cannot create the plugin in ${dir}: the directory exists and is not empty`);
  }
  const placement: Placement = path.dirname(dir) === strategiesDir ? { kind: 'workspace', projectRoot } : { kind: 'standalone', projectRoot };
  const files: Record<string, string> = {
    ...packageFiles(name, kind, placement),
    'README.md': readme(name, kind, dir, placement),
    'src/index.ts': kind === 'rule' ? ruleSource(name) : kind === 'model' ? modelSource(name) : forecastSource(name),
    'src/index.test.ts': kind === 'rule' ? ruleTestSource(name) : kind === 'model' ? modelTestSource(name) : forecastTestSource(name),
  };
  // An empty directory the user made for it is taken over; the files are published at once by
  // the project's folder writer (claimed exclusively, never through a planted link).
  if (existsSync(dir)) rmdirSync(dir);
  try {
    claimFolder(dir, { what: 'plugin folder', hint: 'choose another name or --dir' }).publish(Object.entries(files));
  } catch (e) {
    if ((e as Partial<UserError>).exitCode === 2) throw e;
    throw new UserError(`cannot create the plugin in ${dir}: ${(e as Error).message}`);
  }
  return { dir, placement: placement.kind, files: Object.keys(files).sort() };
}
