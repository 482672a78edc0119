import { execFile } from 'node:child_process';
import * as path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'loaded-by-run.js');

interface Loaded {
  readonly status: string;
  readonly output: unknown;
  readonly jsonata: boolean;
  readonly jsonataStates: boolean;
  readonly jsonPathPlus: boolean;
  readonly re2: boolean;
  readonly taskStates: boolean;
  readonly mapStates: boolean;
  readonly zlib: boolean;
}

/** Runs one definition in a fresh process and reports which heavy dependencies it loaded. */
function runFresh(definition: object): Promise<Loaded> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [FIXTURE, JSON.stringify(definition)], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Loaded);
    });
  });
}

// Importing the interpreter and running a JSONPath machine is the cold start users pay on every
// jest file; the JSONata engine and jsonpath-plus are loaded only by what needs them.
describe('interpreter: lazy loading', () => {
  it('runs a JSONPath machine with definite paths without loading JSONata or jsonpath-plus', async () => {
    const loaded = await runFresh({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'first.$': '$.items[0].n' }, End: true } } });
    expect(loaded).toMatchObject({ status: 'SUCCEEDED', output: { first: 1 }, jsonata: false, jsonataStates: false, jsonPathPlus: false, re2: false });
  }, 40_000);

  it('runs a Pass machine without loading the Task or Map states, or node:zlib', async () => {
    const loaded = await runFresh({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'first.$': '$.items[0].n' }, End: true } } });
    expect(loaded).toMatchObject({ status: 'SUCCEEDED', output: { first: 1 }, taskStates: false, mapStates: false, zlib: false });
  }, 40_000);

  it('loads the Map states for a machine with a Map, and runs it', async () => {
    const loaded = await runFresh({
      StartAt: 'M',
      States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'N', States: { N: { Type: 'Pass', InputPath: '$.n', End: true } } }, End: true } },
    });
    expect(loaded).toMatchObject({ status: 'SUCCEEDED', output: [1, 2], mapStates: true });
  }, 40_000);

  it('loads jsonpath-plus for a path with a filter, and evaluates it', async () => {
    const loaded = await runFresh({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'big.$': '$.items[?(@.n > 1)]' }, End: true } } });
    expect(loaded).toMatchObject({ status: 'SUCCEEDED', output: { big: [{ n: 2 }] }, jsonPathPlus: true, jsonata: false, re2: false });
  }, 40_000);

  it('loads the RE2 engine for a filter with a regular expression only', async () => {
    const loaded = await runFresh({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'm.$': '$.items[?(@.s =~ /a.*/)]' }, End: true } } });
    expect(loaded).toMatchObject({ status: 'SUCCEEDED', output: { m: [] }, re2: true, jsonata: false });
  }, 40_000);

  it('loads the JSONata layer for a JSONata machine, and evaluates it', async () => {
    const loaded = await runFresh({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $count($states.input.items) %}', End: true } } });
    expect(loaded).toMatchObject({ status: 'SUCCEEDED', output: 2, jsonata: true, jsonataStates: true });
  }, 40_000);

  it('hashes with States.Hash, which loads node:crypto itself', async () => {
    const loaded = await runFresh({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'h.$': "States.Hash('abc', 'SHA-1')" }, End: true } } });
    expect(loaded).toMatchObject({ status: 'SUCCEEDED', output: { h: 'a9993e364706816aba3e25717850c26c9cd0d89d' } });
  }, 40_000);
});
