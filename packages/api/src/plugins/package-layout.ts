import * as path from 'node:path';
import { PLUGIN_KEYWORD } from './plugin-source';

/** A rule strategy, a forecast strategy, or a model for the forecast strategies (`--param model=ID`). */
export type PluginKind = 'rule' | 'forecast' | 'model';

/** Where a scaffold goes: a workspace package of the project, or a package anywhere else. */
export type Placement = { readonly kind: 'workspace'; readonly projectRoot: string } | { readonly kind: 'standalone'; readonly projectRoot: string };

/** The @backtest packages the plugin's source imports (peers) and its test imports (dev). */
function backtestPackages(kind: PluginKind): { peers: string[]; dev: string[] } {
  return { peers: kind === 'rule' ? ['core'] : ['core', 'forecast', 'models'], dev: ['engine'] };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const versions = (names: readonly string[]): Record<string, string> => Object.fromEntries(names.map((n) => [`@backtest/${n}`, '0.1.0']));

/**
 * package.json, tsconfig.json, tsconfig.build.json and jest.config.js of a scaffolded plugin.
 *
 * In the project's strategies/ directory it is one more workspace package: the shared base
 * tsconfig and jest preset, and workspace links to @backtest/*.
 *
 * Anywhere else, @backtest/* are not installable (they are not on the npm registry), so the
 * package is set up to use the host project's: TypeScript, jest and ts-jest run from the
 * project's node_modules by absolute path, and type checking and tests resolve @backtest/*
 * there. The package declares them as peerDependencies, which `backtest --plugin` provides.
 */
export function packageFiles(id: string, kind: PluginKind, placement: Placement): Record<string, string> {
  const { peers, dev } = backtestPackages(kind);
  const root = placement.projectRoot;
  const modules = path.join(root, 'node_modules');
  const description =
    kind === 'rule'
      ? `Backtest strategy plugin: the ${id} rule`
      : kind === 'forecast'
        ? `Backtest strategy plugin: the ${id} forecast strategy`
        : `Backtest model plugin: the ${id} network`;
  const manifest = {
    name: placement.kind === 'workspace' ? `@backtest/strategy-${id}` : `backtest-strategy-${id}`,
    version: '0.1.0',
    private: true,
    description,
    keywords: [PLUGIN_KEYWORD],
    license: 'MIT',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
    files: ['dist'],
    scripts:
      placement.kind === 'workspace'
        ? { build: 'tsc -p tsconfig.build.json', typecheck: 'tsc -p tsconfig.json --noEmit', test: 'jest' }
        : {
            build: `node ${JSON.stringify(path.join(modules, 'typescript/bin/tsc'))} -p tsconfig.build.json`,
            typecheck: `node ${JSON.stringify(path.join(modules, 'typescript/bin/tsc'))} -p tsconfig.json --noEmit`,
            test: `node ${JSON.stringify(path.join(modules, 'jest/bin/jest.js'))}`,
          },
    peerDependencies: versions(peers),
    // Optional, so that npm (7+) installing the plugin does not try to fetch @backtest/* from
    // the registry, where they are not: the host that loads the plugin provides them.
    peerDependenciesMeta: Object.fromEntries(peers.map((n) => [`@backtest/${n}`, { optional: true }])),
    ...(placement.kind === 'workspace' ? { devDependencies: versions([...peers, ...dev]) } : {}),
  };
  const build = json({ extends: './tsconfig.json', exclude: ['src/**/*.test.ts'] });
  if (placement.kind === 'workspace') {
    return {
      'package.json': json(manifest),
      'tsconfig.json': json({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }),
      'tsconfig.build.json': build,
      'jest.config.js': "module.exports = { ...require('../../jest.preset.js') };\n",
    };
  }
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'Node16',
      moduleResolution: 'Node16',
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      esModuleInterop: true,
      isolatedModules: true,
      declaration: true,
      sourceMap: true,
      skipLibCheck: true,
      rootDir: 'src',
      outDir: 'dist',
      // The host project provides @backtest/* and the type definitions (see package.json).
      paths: { '@backtest/*': [path.join(modules, '@backtest/*')] },
      typeRoots: [path.join(modules, '@types')],
      types: ['node', 'jest'],
    },
    include: ['src'],
  };
  const jest = `// Runs with the jest, ts-jest and @backtest/* packages of the project that scaffolded this
// plugin (${root}): @backtest/* are not on the npm registry.
const path = require('node:path');
const host = ${JSON.stringify(modules)};
module.exports = {
  rootDir: __dirname,
  testEnvironment: path.join(host, 'jest-environment-node'),
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  transform: { '^.+\\\\.ts$': [path.join(host, 'ts-jest'), { tsconfig: path.join(__dirname, 'tsconfig.json'), diagnostics: false }] },
  modulePaths: [host],
};
`;
  return {
    'package.json': json(manifest),
    'tsconfig.json': json(tsconfig),
    'tsconfig.build.json': build,
    'jest.config.js': jest,
    '.gitignore': 'dist/\nnode_modules/\n',
  };
}
