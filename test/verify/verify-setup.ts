import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StateMachineDefinition } from '../../src/asl';
import type { PropertyVerdict } from '../../src/explore/verify';
import type { GraphFacts } from '../../src/explore/verify-graph';
import type { Workflow, WorkflowRun } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { cli } from '../cli/run-cli';

/*
 * The set-up verify's tests share: the graph with nothing proved, a Lambda Task, the guide's order
 * machine, a counterexample run again through the harness and `stepwright run`, the built CLI in a
 * process of its own, and a folder of files a test writes. Each test still asserts on its own runs.
 */

/** What explore proved, when nothing was: the whole graph of the definition. */
export const NO_FACTS: GraphFacts = {
  unreachableStates: new Set<string>(), unreachableTransitions: new Set<string>(), failedAt: new Map(), express: false,
};

/**
 * `def` with Map `map`'s items run as child executions (DISTRIBUTED): each has a history of its
 * own, so no number of items takes the run to the history limit, as an INLINE Map's can.
 */
export function distributed(def: StateMachineDefinition, map: string): StateMachineDefinition {
  const copy = structuredClone(def) as unknown as { States: Record<string, { ItemProcessor: { ProcessorConfig?: Record<string, unknown> } }> };
  copy.States[map].ItemProcessor.ProcessorConfig = { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' };
  return copy as unknown as StateMachineDefinition;
}

export const LAMBDA = 'arn:aws:states:::lambda:invoke';

/**
 * A call retried on every error `max` times a second apart, caught when the retries run out; with
 * `loop`, caught back to the call once. With a `max` past the history limit, the limit ends the run.
 */
export const retried = (max: number, loop = false): StateMachineDefinition => ({
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task',
      Resource: LAMBDA,
      Parameters: { FunctionName: 'f' },
      ResultPath: null,
      Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: max, IntervalSeconds: 1, BackoffRate: 1 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: loop ? 'Count' : 'Handled' }],
      Next: 'Done',
    },
    ...(loop ? {
      Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Again' },
      Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 2, Next: 'Call' }], Default: 'Done' },
    } : {}),
    Done: { Type: 'Succeed' },
    ...(loop ? {} : { Handled: { Type: 'Pass', End: true } }),
  },
} as unknown as StateMachineDefinition);

/** A Lambda invoke Task given its input, going to `next` (or ending its machine), with `fields` beside. */
export const lambdaTask = (next?: string, fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName': 'f', 'Payload.$': '$' }, ...fields, ...(next ? { Next: next } : { End: true }),
});

/** A Lambda Task as the nested-Parallel machines use it: its result dropped, timed out at 20 s. */
export const nestedTask = (next?: string): Record<string, unknown> => lambdaTask(next, { ResultPath: null, TimeoutSeconds: 20 });

/**
 * A Parallel in a Parallel's branch with a Catch of its own (to Recover), the outer one caught to
 * Handler: A in the inner Parallel, D in the outer one's other branch, B2 a 5 s Wait beside A.
 */
export const INNER_CAUGHT = {
  StartAt: 'Outer',
  States: {
    Outer: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Inner',
          States: {
            Inner: {
              Type: 'Parallel',
              Branches: [
                { StartAt: 'A', States: { A: nestedTask('A2'), A2: { Type: 'Pass', End: true } } },
                { StartAt: 'B', States: { B: { Type: 'Pass', Next: 'B2' }, B2: { Type: 'Wait', Seconds: 5, End: true } } },
              ],
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Recover' }],
              Next: 'After',
            },
            Recover: { Type: 'Pass', Next: 'After' },
            After: { Type: 'Pass', End: true },
          },
        },
        { StartAt: 'C', States: { C: { Type: 'Pass', Next: 'D' }, D: nestedTask() } },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Handler' }],
      Next: 'Done',
    },
    Handler: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** The order machine of the explore guide. */
export const ORDER = path.resolve(__dirname, '../docs/guides/explore/order.asl.json');

/** What `stepwright run --json` prints, as far as these tests read it. */
export interface CliRun {
  readonly path: string[];
  readonly startDate: string;
  readonly stopDate: string;
}

/**
 * Runs the machine (a definition, written to a file, or a definition file's path) with the input
 * and the mocks (written to a file) through `stepwright run --json`, `args` beside: what it prints.
 */
export async function runThroughCli<T = CliRun>(def: StateMachineDefinition | string, input: unknown, mocks: unknown, ...args: string[]): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cli-run-'));
  try {
    const machine = typeof def === 'string' ? def : path.join(dir, 'm.asl.json');
    const mocksFile = path.join(dir, 'mocks.json');
    if (typeof def !== 'string') fs.writeFileSync(machine, JSON.stringify(def));
    fs.writeFileSync(mocksFile, JSON.stringify(mocks));
    const ran = await cli('run', machine, '--input', JSON.stringify(input), '--mocks', mocksFile, '--json', ...args);
    return JSON.parse(ran.out) as T;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A VIOLATED verdict's counterexample run again from its input and mocks through the harness and
 * through `stepwright run` (with `args` beside), each taking the counterexample's path: both runs.
 */
export async function reproduced(
  wf: Workflow, def: StateMachineDefinition, verdict: PropertyVerdict, name: string, ...args: string[]
): Promise<{ run: WorkflowRun; cli: CliRun }> {
  expect(verdict.verdict).toBe('VIOLATED');
  const { input, mocks, path: seen } = verdict.counterexample!;
  const run = await wf.run(input, { mocks: mocksFromJson(mocks, name) });
  expect(run.path).toEqual(seen);
  const out = await runThroughCli(def, input, mocks, ...args);
  expect(out.path).toEqual(seen);
  return { run, cli: out };
}

/** The seconds a run lasted on its virtual clock. */
export const secondsOf = (run: { readonly startDate: Date | string; readonly stopDate: Date | string }): number =>
  (new Date(run.stopDate).getTime() - new Date(run.startDate).getTime()) / 1000;

/** The built CLI's entry point. */
export const BUILT_MAIN = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

/** The built CLI in a process of its own, run as a user's shell runs it: Node's own loader reads ES modules (jest's does not). */
export function builtCli(...args: string[]): { code: number; out: string; err: string } {
  // The search ends when it is complete; the budget only keeps a loaded machine from cutting it.
  const r = spawnSync(process.execPath, [BUILT_MAIN, ...args, '--budget-seconds', '600'], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A folder the tests of a file write into, made before them and removed after: `write` puts a file in it and gives its path. */
export function scratchFolder(prefix: string): { readonly dir: () => string; readonly write: (name: string, text: string) => string } {
  let dir = '';
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    write: (name, text) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
  };
}
