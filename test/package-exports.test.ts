import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** `lib/x/index.js` is compiled from `src/x/index.ts`. */
const sourceOf = (libPath: string) => join(root, libPath.replace(/^\.\/lib\//, 'src/').replace(/^lib\//, 'src/').replace(/\.(d\.ts|js)$/, '.ts'));

describe('package entry points', () => {
  const entries = Object.entries(pkg.exports as Record<string, { types: string; default?: string } | string>)
    .filter(([, target]) => typeof target !== 'string');
  const subpaths = entries.filter(([, target]) => typeof target !== 'string' && target.default !== undefined);
  const typesOnly = entries.filter(([, target]) => typeof target !== 'string' && target.default === undefined);

  it('exports stepwright, stepwright/interpreter, stepwright/server, stepwright/testing and its setup file and reporters', () => {
    expect(subpaths.map(([name]) => name).sort()).toEqual(['.', './interpreter', './server', './testing', './testing/reporter', './testing/setup', './testing/vitest-reporter']);
  });

  // Hand-written declarations (types/): the matchers' augmentation of vitest 5's and vitest 4's types.
  it('exports the vitest matcher declarations as types-only entries, also under typesVersions', () => {
    expect(typesOnly.map(([name]) => name).sort()).toEqual(['./testing/vitest', './testing/vitest4']);
    for (const [name, target] of typesOnly) {
      const file = (target as { types: string }).types;
      expect(readFileSync(join(root, file), 'utf8')).toContain("declare module 'vitest'");
      expect(pkg.typesVersions['*'][name.slice(2)]).toEqual([file.slice(2)]);
    }
  });

  // Each export's code is lib/entry/<name>.js (scripts/bundle-entries.mjs), standing for the
  // module its declarations describe: src/x/index.ts for ./lib/x/index.d.ts.
  it.each(subpaths)('loads the module behind the %s export, and its code is the bundle\'s entry of the same name', async (_name, target) => {
    const { types, default: code } = target as { types: string; default: string };
    const source = sourceOf(types);
    expect(existsSync(source)).toBe(true);
    const mod: unknown = await import(source);
    expect(typeof mod).toBe('object');
    const name = types.replace(/^\.\/lib\//, '').replace(/\.d\.ts$/, '').replace(/\/index$/, '').replace(/\//g, '-');
    expect(code).toBe(`./lib/entry/${name}.js`);
  });

  it('declares a stepwright bin compiled from src/cli/main.ts with a node shebang', () => {
    const main = sourceOf(pkg.bin.stepwright);
    expect(readFileSync(main, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('requires Node 20 or later', () => {
    expect(pkg.engines.node).toBe('>=20');
  });
});
