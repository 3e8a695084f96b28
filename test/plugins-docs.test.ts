/**
 * docs/plugins.md shows the code `backtest new` writes; the end-to-end tests build, test and run
 * that code. This keeps the two the same.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { forecastSource, forecastTestSource, modelSource, modelTestSource, ruleSource, ruleTestSource } from '@backtest/cli';
import { root } from './helpers';

const guide = readFileSync(path.join(root, 'docs/plugins.md'), 'utf8');
const blocks = [...guide.matchAll(/<!-- template: (rule|forecast|model) ([a-z-]+) (\S+) -->\n```ts\n([\s\S]*?)```/g)];

const templates: Record<string, (id: string) => string> = {
  'rule src/index.ts': ruleSource,
  'rule src/index.test.ts': ruleTestSource,
  'forecast src/index.ts': forecastSource,
  'forecast src/index.test.ts': forecastTestSource,
  'model src/index.ts': modelSource,
  'model src/index.test.ts': modelTestSource,
};

it('shows every template file', () => {
  expect(blocks.map((b) => `${b[1]} ${b[3]}`).sort()).toEqual(Object.keys(templates).sort());
});

it.each(blocks.map((b) => [`${b[1]} ${b[3]}`, b[2]!, b[4]!] as const))('shows %s exactly as scaffolded', (key, id, code) => {
  expect(code).toBe(templates[key]!(id));
});
