import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

/**
 * The jest commands of `npx projen test`'s steps, each as its words: a step of jest itself, or
 * scripts/typecheck-and-lint.sh's, which runs the command it is given beside tsc and eslint.
 */
function jestCommands(steps: ReadonlyArray<{ exec?: string; execArgs?: string[] }>): string[][] {
  return steps.flatMap((s) => {
    if (s.execArgs?.[0] === 'jest') return [s.execArgs];
    const beside = /^bash scripts\/typecheck-and-lint\.sh (.*)$/.exec(s.exec ?? '');
    const words = beside ? beside[1].split(/\s+/) : [];
    return words[0] === 'jest' ? [words] : [];
  });
}

describe('coverage of the repository', () => {
  it('is not collected by `npx jest <file>`: one file is not followed by the table of every file it never loaded', () => {
    expect(readJson('jest.config.json').collectCoverage).toBe(false);
  });

  it('is not collected by `npx projen test` either (CI\'s time), and `npx projen test:coverage` runs the whole suite with it', () => {
    const tasks = readJson('.projen/tasks.json').tasks;
    const jest = jestCommands(tasks.test.steps);
    expect(jest).toHaveLength(1);
    expect(jest[0]).not.toContain('--coverage');
    expect((tasks['test:coverage'].steps as Array<{ exec?: string }>).map((s) => s.exec)).toEqual(['jest --coverage --ci']);
  });
});

describe('the slow tier', () => {
  const tasks = readJson('.projen/tasks.json').tasks;
  const quick = tasks['test:quick'].steps as Array<{ say?: string; exec?: string }>;
  const ignored = [...quick.find((s) => s.exec !== undefined)!.exec!.matchAll(/--testPathIgnorePatterns='([^']+)'/g)].map((m) => m[1]);
  const slow = ignored.filter((p) => !(readJson('jest.config.json').testPathIgnorePatterns as string[]).includes(p));
  const testFiles = (dir: string): string[] => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? testFiles(rel) : e.name.endsWith('.test.ts') ? [rel] : [];
  });

  it('is left out by `npx projen test:quick` file by file, each pattern naming one test file that exists', () => {
    const files = testFiles('test');
    expect(slow.length).toBeGreaterThanOrEqual(5);
    for (const pattern of slow) expect({ pattern, matches: files.filter((f) => new RegExp(pattern).test(`/${f}`)).length }).toEqual({ pattern, matches: 1 });
  });

  it('is named by `npx projen test:quick` before it runs, so what it leaves out is seen', () => {
    const said = quick.find((s) => s.say !== undefined)!.say!;
    for (const pattern of slow) {
      const file = testFiles('test').find((f) => new RegExp(pattern).test(`/${f}`))!;
      expect(said).toContain(`  ${file}: `);
    }
    expect(quick.findIndex((s) => s.say !== undefined)).toBeLessThan(quick.findIndex((s) => s.exec !== undefined));
  });

  it('is run by `npx projen test`, which CI runs: its jest step leaves nothing out', () => {
    const jest = jestCommands(tasks.test.steps);
    expect(jest).toHaveLength(1);
    expect(jest[0].some((a) => a.includes('testPathIgnorePatterns'))).toBe(false);
  });
});

describe('the order jest runs the files in', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sequencer = require(path.join(ROOT, 'test/jest/sequencer.js')) as new () => { sort(tests: Array<{ path: string; context: unknown }>): Array<{ path: string }> };
  const first = readJson('test/jest/run-first.json').files as string[];
  const context = { config: { rootDir: ROOT, cacheDirectory: path.join(ROOT, 'node_modules/.cache/no-such-jest-cache') }, hasteFS: { getSize: (file: string) => fs.statSync(file).size } };
  const test = (file: string) => ({ path: path.join(ROOT, file), context, duration: undefined });

  it('is set by jest.config.json to the sequencer that starts the longest files first', () => {
    expect(readJson('jest.config.json').testSequencer).toBe('<rootDir>/test/jest/sequencer.js');
  });

  it('lists, first, test files that exist, each once, the slow tier among them', () => {
    expect(first.length).toBeGreaterThanOrEqual(10);
    expect(new Set(first).size).toBe(first.length);
    for (const file of first) expect({ file, exists: fs.existsSync(path.join(ROOT, file)) && file.endsWith('.test.ts') }).toEqual({ file, exists: true });
    for (const file of ['test/declarations.test.ts', 'test/workbench/scaffold/e2e.test.ts', 'test/fuzz/fuzz.test.ts', 'test/docs/docs.test.ts']) expect(first).toContain(file);
  });

  it('starts the listed files first, in the list\'s order, then every other file, each once, with no times kept (a fresh machine)', () => {
    const others = ['test/jest-config.test.ts', 'test/layers.test.ts', 'test/interpreter/map.test.ts'];
    // Given in an order of their own: the listed files last, reversed.
    const given = [...others, ...[...first].reverse()].map(test);
    const sorted = new Sequencer().sort(given).map((t) => path.relative(ROOT, t.path).split(path.sep).join('/'));
    expect(sorted.slice(0, first.length)).toEqual(first);
    expect([...sorted.slice(first.length)].sort()).toEqual([...others].sort());
    expect(sorted).toHaveLength(given.length);
  });
});
