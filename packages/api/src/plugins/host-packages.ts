import Module from 'node:module';
import * as path from 'node:path';

/**
 * Make the host project's packages (@backtest/core, @backtest/engine, ... and their
 * dependencies) resolvable for plugins that live outside it. They are not on the npm registry,
 * so a plugin declares them as peerDependencies and the host provides them, as ESLint provides
 * `eslint` to its plugins. The project's node_modules becomes a global fallback path: a
 * plugin's own node_modules still wins, and nothing is looked up there until a plugin asks.
 */
export function provideHostPackages(projectRoot: string): void {
  const dir = path.join(projectRoot, 'node_modules');
  const current = (process.env.NODE_PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  if (current.includes(dir)) return;
  process.env.NODE_PATH = [...current, dir].join(path.delimiter);
  // Node reads NODE_PATH once at start-up; _initPaths re-reads it (stable since Node 0.x, and
  // what tools that host plugins do).
  (Module as unknown as { _initPaths(): void })._initPaths();
}
