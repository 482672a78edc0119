import { countedStates, distinctScenarios, isTimeoutAnswer, scenarioChecks, timeoutDelay, topStates, type ScenarioCheck } from './checks';
import { commentText, inlineValue, LINE_WIDTH, printValue, propertyKeys, stringLiteral } from './literal';
import { fileFolder, isTypeScript, moduleImports, type TestFileFormat } from './module-format';
import { scenarioTitles, thrownError } from './names';
import type { JsonValue, StateDefinition, StateMachineDefinition } from '../../asl';
import type { MachineType } from '../../asl/aws-defaults';
import { DEFAULT_SEED } from '../../asl/random';
import { allStates } from '../../asl/state-tree';
import { GOAL_CATEGORIES, type GoalCategory } from '../../explore/goals';
import { ITEM_NAMES, type CategoryReport, type ExploreReport, type ExploreScenario } from '../../explore/report-types';
import { checkOptionsOf, type RunCheckOptions } from '../mocks';
import type { CheckSettings } from '../workflow';

/**
 * Where the scaffolded test file takes its state machine from: the way the
 * explored source is loaded, so the tests run the machine explore ran. File
 * and directory paths are relative to the test file's directory (or absolute),
 * with '/' between their parts (a backslash is a character of a name on Linux);
 * the file resolves them against its own `__dirname`.
 * - `{ definition }`: an ASL file, `Workflow.fromDefinition`;
 * - `{ template }`: a CloudFormation template file, `Workflow.fromTemplate`,
 *   with the SAM configuration the exploration read its parameters from
 *   (`configFile`, relative to the test file's directory like the template,
 *   and `configEnv`: see `Workflow.fromTemplate`'s options);
 * - `{ cdkOut, stack }`: a cloud assembly directory, `Workflow.fromCdkOut`;
 *   both with the template `parameters` the exploration loaded it with (see
 *   {@link ScaffoldParameter}: a NoEcho value is read from the environment,
 *   never written);
 * - `{ stackModule, stackClass, stackId }`: a CDK stack the file builds itself
 *   (`new StackClass(new App(), stackId)`) for `Workflow.fromStack`, as the
 *   examples' hand-written tests do; `stackModule` is written as the import
 *   specifier, e.g. `'../lib/order-stack'`.
 */
export type ScaffoldSource =
  | { readonly definition: string; readonly name?: string }
  | {
    readonly template: string;
    readonly stateMachine?: string;
    readonly parameters?: ScaffoldParameters;
    readonly configFile?: string;
    readonly configEnv?: string;
  }
  | { readonly cdkOut: string; readonly stack: string; readonly stateMachine?: string; readonly parameters?: ScaffoldParameters }
  | { readonly stackModule: string; readonly stackClass: string; readonly stackId: string; readonly stateMachine?: string };

/**
 * A template parameter's value as a scaffolded file loads the template with it:
 * - a string: written in the file as it is;
 * - `{ fromEnv }`: read from that environment variable when the file loads the
 *   template, the file failing with a message naming the variable when it is
 *   unset. For a NoEcho parameter (a password): a test file is kept in git, and
 *   a value CloudFormation never shows must not be in it.
 */
export type ScaffoldParameter = string | { readonly fromEnv: string };

/** A template's parameter values, by name, as a scaffolded file loads the template with them. */
export type ScaffoldParameters = Readonly<Record<string, ScaffoldParameter>>;

/** The test runners the written test files are for. */
export type TestRunner = 'jest' | 'vitest';

/** The test runners `--runner` takes, in the order its help names them. @internal */
export const TEST_RUNNERS: readonly TestRunner[] = ['jest', 'vitest'];

/**
 * The imports a test file for `runner` needs beyond stepwright's: vitest's `describe`, `expect`
 * and `it` are no globals unless its config asks (the matchers still come from `setupFiles`).
 * @internal
 */
export function runnerImports(runner: TestRunner | undefined): string[] {
  return runner === 'vitest' ? ["import { describe, expect, it } from 'vitest';"] : [];
}

/** Options of {@link scaffoldTests}. */
export interface ScaffoldTestsOptions {
  /** How the file loads the state machine. */
  readonly source: ScaffoldSource;
  /**
   * The explored state machine's definition (`workflow.definition`): the test
   * names read the targets of its Choice rules and the errors its Retry and
   * Catch rules handle.
   */
  readonly definition: StateMachineDefinition;
  /**
   * The module the file imports `Workflow`, `succeed` and `fail` from.
   * @default 'stepwright/testing'
   */
  readonly importFrom?: string;
  /**
   * Import the matchers' setup module (`<importFrom>/setup`) at the top of
   * the file, for a project whose jest config does not list it in
   * `setupFilesAfterEnv`.
   * @default false
   */
  readonly importSetup?: boolean;
  /**
   * The test runner the file is for: `'vitest'` imports `describe`, `expect`
   * and `it` from 'vitest' (the matchers' setup stays in the vitest config's
   * `setupFiles`, or `importSetup`).
   * @default 'jest'
   */
  readonly runner?: TestRunner;
  /**
   * The kind of file to write, for the file's name and project: `'commonjs'` for a `.js` file
   * that jest runs as it is (a config that transforms only TypeScript), `'module'` for an ES
   * module (`.mjs`, a `.js` of a `"type": "module"` project, a vitest `.js`); both plain
   * JavaScript, with no type annotation. `'typescript-module'` for TypeScript that is an ES
   * module whatever its project says (`.mts`): its folder from `import.meta.url`.
   * @default 'typescript'
   */
  readonly format?: TestFileFormat;
  /**
   * The `seed` explore ran with; the tests run with the same one, so UUIDs,
   * random numbers and retry jitter come out as they did.
   * @default 0
   */
  readonly seed?: number;
  /**
   * Run the machine as this type (`Workflow` options' `type`), when explore did.
   * @default - the source's own type
   */
  readonly type?: MachineType;
  /**
   * How the file was made, for its first comment (a command line).
   * @default 'Workflow.explore and scaffoldTests'
   */
  readonly generatedBy?: string;
  /**
   * The folder of the local S3 explore read (its `s3Dir`), relative to the test file's
   * directory (or absolute), '/'-separated: each test runs with `s3: { dir }` on it, so a
   * Distributed Map's ItemReader reads the items the exploration read.
   * @default - none: the runs have no local S3, as the exploration had none
   */
  readonly s3?: string;
  /**
   * The MockConfigFile test case explore answered Tasks from (its `mockConfig`), the file
   * relative to the test file's directory (or absolute), '/'-separated: each test runs with
   * the same `mockConfig`, so those Tasks get the answers the exploration gave them.
   * @default - none: the scenarios' mocks answer every Task
   */
  readonly mockConfig?: { readonly file: string; readonly testCase: string; readonly stateMachine?: string };
  /**
   * The check settings explore ran with (how it checked mocks and requests):
   * each test runs with the same ones, so the answers explore was given end as they did there.
   * @default - none: each test runs with a run's defaults, as the exploration did
   */
  readonly checks?: CheckSettings;
}

/** Longest line of text in the header comment. */
const NOTE_WIDTH = 160;
/** Goals, findings or notes listed per header section. */
const NOTES_LISTED = 12;

const CATEGORY_LABELS: Record<GoalCategory, string> = {
  states: 'states', transitions: 'transitions', choiceRules: 'Choice rules', catches: 'catches', retries: 'retries', callbacks: 'callback outcomes',
};

/** The first `max` code points of `text`, with `…` when cut. */
function clip(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** How one test writes its mocks: the helpers it used, and the states' definitions (for their timeouts). @internal */
export interface MockWriting {
  readonly used: Set<string>;
  readonly states: ReadonlyMap<string, StateDefinition>;
}

/**
 * One mock entry in the `--mocks` JSON format of `state`, as a
 * `succeed(...)`, `fail(...)` or, for a timeout the Task's own limit gives,
 * `delay(...)` past that limit (the virtual clock runs it out, as in AWS),
 * laid out from `column` of a line indented by `indent` (on one line when
 * `indent` is undefined).
 */
function stepExpression(state: string, entry: JsonValue, w: MockWriting, indent?: number, column = 0): string {
  const late = lateEntry(entry);
  if (late !== undefined) {
    // `{"Delay": s, "Return": …}` or with `Throw`: delay(s, <the answer>), with `{ heartbeats: [...] }` when it has `"Heartbeats"`.
    w.used.add('delay');
    const open = `delay(${late.seconds}, `;
    const beats = late.heartbeats ? `, { heartbeats: [${late.heartbeats.join(', ')}] }` : '';
    return `${open}${stepExpression(state, late.answer, w, indent, column + open.length)}${beats})`;
  }
  const error = thrownError(entry);
  if (error !== undefined) {
    const wait = isTimeoutAnswer(entry) ? timeoutDelay(w.states.get(state), error) : undefined;
    if (wait !== undefined) {
      w.used.add('delay');
      return `delay(${wait})`;
    }
    w.used.add('fail');
    const t = (entry as { Throw: { Cause?: unknown } }).Throw;
    return `fail(${stringLiteral(error)}${typeof t.Cause === 'string' ? `, ${stringLiteral(t.Cause)}` : ''})`;
  }
  w.used.add('succeed');
  const isReturn = entry !== null && typeof entry === 'object' && !Array.isArray(entry)
    && Object.keys(entry).length === 1 && Object.hasOwn(entry, 'Return');
  const value = isReturn ? (entry as { Return: JsonValue }).Return : entry;
  return `succeed(${indent === undefined ? inlineValue(value) : printValue(value, indent, column + 'succeed('.length)})`;
}

/**
 * A late answer's seconds, the answer it delays and the heartbeats sent meanwhile, of a
 * `{"Delay": s, "Return": …}` (or `Throw`) entry, maybe with `"Heartbeats": [...]`.
 */
function lateEntry(entry: JsonValue): { seconds: number; answer: JsonValue; heartbeats?: number[] } | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || typeof entry.Delay !== 'number') return undefined;
  const heartbeats = Array.isArray(entry.Heartbeats) && entry.Heartbeats.every((h) => typeof h === 'number') ? entry.Heartbeats as number[] : undefined;
  if (Object.keys(entry).length !== (heartbeats ? 3 : 2)) return undefined;
  const { Delay: seconds, Heartbeats: _beats, ...answer } = entry;
  return Object.hasOwn(answer, 'Return') || Object.hasOwn(answer, 'Throw') ? { seconds: seconds as number, answer, ...(heartbeats ? { heartbeats } : {}) } : undefined;
}

/** A state's mock: one answer, or `[...]` with one answer per call. */
function mockExpression(state: string, mock: JsonValue, indent: number, column: number, w: MockWriting): string {
  if (!Array.isArray(mock)) return stepExpression(state, mock, w, indent, column);
  const flat = `[${mock.map((e) => stepExpression(state, e, w)).join(', ')}]`;
  if (column + flat.length <= LINE_WIDTH) return flat;
  const inner = ' '.repeat(indent + 2);
  return `[\n${mock.map((e) => `${inner}${stepExpression(state, e, w, indent + 2, indent + 2)},\n`).join('')}${' '.repeat(indent)}]`;
}

/** The `mocks` table of a scenario, keyed by state name, at `indent`. @internal */
export function mocksExpression(mocks: Readonly<Record<string, JsonValue>>, indent: number, w: MockWriting): string {
  const inner = ' '.repeat(indent + 2);
  const keyOf = propertyKeys(Object.keys(mocks));
  const fields = Object.entries(mocks).map(([state, mock]) => {
    const key = `${keyOf(state)}: `;
    return `${inner}${key}${mockExpression(state, mock, indent + 2, indent + 2 + key.length, w)},\n`;
  });
  return `{\n${fields.join('')}${' '.repeat(indent)}}`;
}

/** A list of states as matcher arguments: one state, or a spread list (printed one per line when long). */
function statesArguments(prefix: string, states: readonly string[], indent: number): string {
  return states.length === 1 ? `${prefix}${stringLiteral(states[0])});` : `${prefix}...${printValue([...states], indent, indent + prefix.length + 3)});`;
}

/** One check as the lines of code that assert it. */
function checkLines(c: ScenarioCheck, indent: number): string[] {
  switch (c.kind) {
    case 'succeeds': return ['expect(run).toSucceed();'];
    case 'status': return [`expect(run.status).toBe(${stringLiteral(c.status)});`];
    case 'fails':
      if (c.error === undefined) return ['expect(run).toFail();'];
      if (c.causeStart !== undefined) return [`expect(run).toFail(${stringLiteral(c.error)}, expect.stringContaining(${stringLiteral(c.causeStart)}));`];
      return [`expect(run).toFail(${stringLiteral(c.error)}${c.cause !== undefined ? `, ${stringLiteral(c.cause)}` : ''});`];
    case 'path': {
      const prefix = 'expect(run).toHavePath(';
      return [`${prefix}${printValue([...c.states], indent, indent + prefix.length)});`];
    }
    case 'visited': return [statesArguments('expect(run).toHaveVisited(', c.states, indent)];
    case 'not-visited': return [statesArguments('expect(run).not.toHaveVisited(', c.states, indent)];
    case 'path-length': return [`expect(run.path).toHaveLength(${c.length});`];
    case 'visits': return [`expect(run.path.filter((s) => s === ${stringLiteral(c.state)})).toHaveLength(${c.times});`];
    case 'retried': return [`expect(run).toHaveRetried(${stringLiteral(c.state)}, ${c.times});`];
    case 'output': {
      const prefix = 'expect(run).toHaveOutput(';
      return [`${prefix}${printValue(c.value, indent, indent + prefix.length)});`];
    }
    case 'output-fields': {
      const open = 'expect(run).toHaveOutput(expect.objectContaining(';
      const why = c.leftOut === 'envelope'
        ? '// The HTTP metadata the mocked answer is wrapped in is left out: the fields around it are checked.'
        : '// The whole output is long: its short top-level fields are checked.';
      return [why, `${open}${printValue(c.value, indent, indent + open.length)}));`];
    }
    case 'output-left-out': return [`// The output (${c.characters} characters printed) is left out: check the parts that matter.`];
  }
}

/** A scenario as the file tests it. */
interface PlannedTest {
  readonly scenario: ExploreScenario;
  readonly title: string;
  readonly checks: readonly ScenarioCheck[];
  readonly note?: string;
}

/** What every run of the file is given beside its mocks: the seed, the local S3's folder, the MockConfigFile test case. @internal */
export interface RunSetting {
  readonly seed: number;
  readonly checks?: RunCheckOptions;
  readonly s3?: string;
  readonly mockConfig?: ScaffoldTestsOptions['mockConfig'];
  /** The kind of file the run is written in (how it names its folder, whether it writes types). @default 'typescript' */
  readonly format?: TestFileFormat;
}

/** The `wf.run(...)` call and the checks after it, at `body` indentation; `mocks` is the mocks option's code. @internal */
export function runAndChecks(input: JsonValue, mocks: string | undefined, run: RunSetting, checks: readonly ScenarioCheck[], body: string): string[] {
  const options: string[] = [];
  if (mocks !== undefined) options.push(mocks.startsWith('{') ? `${body}  mocks: ${mocks},` : `${body}  ${mocks},`);
  if (run.seed !== 0) options.push(`${body}  seed: ${run.seed},`);
  for (const [option, value] of Object.entries(checkOptionsOf(run.checks ?? {}))) options.push(`${body}  ${option}: ${stringLiteral(String(value))},`);
  const folder = fileFolder(run.format);
  if (run.s3 !== undefined) options.push(`${body}  s3: { dir: path.resolve(${folder}, ${stringLiteral(run.s3)}) },`);
  if (run.mockConfig !== undefined) {
    const c = run.mockConfig;
    const machine = c.stateMachine !== undefined ? `, stateMachine: ${stringLiteral(c.stateMachine)}` : '';
    options.push(`${body}  mockConfig: { file: path.resolve(${folder}, ${stringLiteral(c.file)}), testCase: ${stringLiteral(c.testCase)}${machine} },`);
  }
  const call = `${body}const run = await wf.run(`;
  const printedInput = printValue(input, body.length, call.length);
  const lines: string[] = [];
  if (options.length === 0) lines.push(`${call}${printedInput});`);
  else if (options.length === 1 && mocks !== undefined && !mocks.startsWith('{')) lines.push(`${call}${printedInput}, { ${mocks} });`);
  else lines.push(`${call}${printedInput}, {`, ...options, `${body}});`);
  lines.push('');
  lines.push(...checks.flatMap((c) => checkLines(c, body.length)).map((l) => `${body}${l}`));
  return lines;
}

/** One `it` for one scenario. */
function testOf(t: PlannedTest, run: RunSetting, w: MockWriting): string {
  const body = '    ';
  const lines: string[] = [];
  if (t.note !== undefined) lines.push(`  // explore: ${commentText(clip(t.note, NOTE_WIDTH))}`);
  lines.push(`  it(${stringLiteral(t.title)}, async () => {`);
  const mocks = Object.keys(t.scenario.mocks).length > 0 ? mocksExpression(t.scenario.mocks, body.length + 2, w) : undefined;
  lines.push(...runAndChecks(t.scenario.input, mocks, run, t.checks, body));
  lines.push('  });');
  return lines.join('\n');
}

/**
 * One `it.each` for scenarios that run the same input and end the same way,
 * told apart only by their Task answers (which Task a retryable error hit,
 * or which error): a row per scenario, its name and its mocks.
 */
function tableOf(group: readonly PlannedTest[], run: RunSetting, w: MockWriting): string {
  const body = '    ';
  const lines: string[] = [];
  for (const t of group) if (t.note !== undefined) lines.push(`  // explore: ${commentText(clip(`${t.title}: ${t.note}`, NOTE_WIDTH))}`);
  const typed = isTypeScript(run.format);
  if (typed) w.used.add('Mock');
  lines.push(typed ? '  it.each<[string, Record<string, Mock>]>([' : '  it.each([');
  for (const t of group) {
    lines.push('    [', `      ${stringLiteral(t.title)},`, `      ${mocksExpression(t.scenario.mocks, 6, w)},`, '    ],');
  }
  lines.push("  ])('%s', async (_name, mocks) => {");
  lines.push(...runAndChecks(group[0].scenario.input, 'mocks', run, group[0].checks, body));
  lines.push('  });');
  return lines.join('\n');
}

/** A key two scenarios share when they run the same input and are checked alike. */
function shapeOf(t: PlannedTest): string {
  return JSON.stringify([t.scenario.input, t.checks, Object.keys(t.scenario.mocks).length > 0]);
}

/** `const wf = ...` and the imports it needs. @internal */
export function loaderOf(source: ScaffoldSource, type: MachineType | undefined, format?: TestFileFormat): { imports: string[]; setup: string[] } {
  // The source's paths are '/'-separated already: a backslash is part of a name on Linux.
  const at = (p: string) => `path.resolve(${fileFolder(format)}, ${stringLiteral(p)})`;
  // A field whose value is a file (the SAM configuration's) is resolved against the test file, as the machine's own path is.
  const options = (fields: Array<[string, string | undefined, 'file'?]>, parameters?: ScaffoldParameters): string => {
    const set = fields.filter((f) => f[1] !== undefined).map(([k, v, file]) => `${k}: ${file ? at(v!) : stringLiteral(v!)}`);
    if (parameters !== undefined && Object.keys(parameters).length > 0) set.push(`parameters: ${parametersLiteral(parameters)}`);
    if (type !== undefined) set.push(`type: ${stringLiteral(type)}`);
    return set.length === 0 ? '' : `, { ${set.join(', ')} }`;
  };
  const pathImport = "import * as path from 'path';";
  if ('definition' in source) {
    return { imports: [pathImport], setup: [`const wf = Workflow.fromDefinition(${at(source.definition)}${options([['name', source.name]])});`] };
  }
  if ('template' in source) {
    return {
      imports: [pathImport],
      setup: [
        ...environmentReader(source.parameters, format),
        `const wf = Workflow.fromTemplate(${at(source.template)}${options(
          [['stateMachine', source.stateMachine], ['configFile', source.configFile, 'file'], ['configEnv', source.configEnv]], source.parameters,
        )});`,
      ],
    };
  }
  if ('cdkOut' in source) {
    return {
      imports: [pathImport],
      setup: [
        ...environmentReader(source.parameters, format),
        `const wf = Workflow.fromCdkOut(${at(source.cdkOut)}, ${stringLiteral(source.stack)}${options([['stateMachine', source.stateMachine]], source.parameters)});`,
      ],
    };
  }
  if (!/^[A-Za-z_$][\w$]*$/.test(source.stackClass)) {
    throw new TypeError(`scaffoldTests: stackClass must be the name of the exported stack class, got ${JSON.stringify(source.stackClass)}`);
  }
  return {
    imports: ["import { App } from 'aws-cdk-lib';", `import { ${source.stackClass} } from ${stringLiteral(source.stackModule)};`],
    setup: [
      '// Bundling is skipped: the tests answer every Task with a mock.',
      "const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });",
      `const wf = Workflow.fromStack(new ${source.stackClass}(app, ${stringLiteral(source.stackId)})${options([['stateMachine', source.stateMachine]])});`,
    ],
  };
}

const ENVIRONMENT_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `{ Stage: 'prod', Token: fromEnv('STEPWRIGHT_PARAMETER_Token') }`: a NoEcho value is named, never written. */
function parametersLiteral(parameters: ScaffoldParameters): string {
  const names = Object.keys(parameters);
  const key = propertyKeys(names);
  return `{ ${names.map((name) => {
    const value = parameters[name];
    if (typeof value === 'string') return `${key(name)}: ${stringLiteral(value)}`;
    if (typeof value?.fromEnv !== 'string' || !ENVIRONMENT_VARIABLE.test(value.fromEnv)) {
      throw new TypeError(`scaffoldTests: parameter ${JSON.stringify(name)}: fromEnv must name an environment variable (letters, digits, _), got ${JSON.stringify(value?.fromEnv)}`);
    }
    return `${key(name)}: fromEnv(${stringLiteral(value.fromEnv)})`;
  }).join(', ')} }`;
}

/** The function that reads a parameter's value from the environment, when one is read so. */
function environmentReader(parameters: ScaffoldParameters | undefined, format: TestFileFormat | undefined): string[] {
  if (parameters === undefined || Object.values(parameters).every((v) => typeof v === 'string')) return [];
  return [
    '/** A template parameter\'s value this file does not hold (NoEcho: a secret), read from the environment. */',
    isTypeScript(format) ? 'function fromEnv(variable: string): string {' : 'function fromEnv(variable) {',
    '  const value = process.env[variable];',
    '  if (value === undefined) throw new Error(`set ${variable} to the template parameter\'s value: it is NoEcho, so this file does not hold it`);',
    '  return value;',
    '}',
    '',
  ];
}

/** The header's lines on one category: how much was reached, and what was not. */
function coverageNotes(report: ExploreReport): string[] {
  const reached = GOAL_CATEGORIES.map((c) => {
    const r = report[c] as CategoryReport<string>;
    return `${CATEGORY_LABELS[c]} ${r.reached}/${r.total}`;
  });
  const lines = [`explore reached ${reached.join(', ')}.`];
  const list = (title: string, notes: readonly string[]) => {
    if (notes.length === 0) return;
    lines.push('', title);
    for (const n of notes.slice(0, NOTES_LISTED)) lines.push(`- ${clip(n, NOTE_WIDTH)}`);
    if (notes.length > NOTES_LISTED) lines.push(`- and ${notes.length - NOTES_LISTED} more (stepwright explore --json lists them all)`);
  };
  // Every proof: a branch no input takes is worth a look.
  list('No input or Task answer can reach (proved):', GOAL_CATEGORIES.flatMap((c) =>
    (report[c] as CategoryReport<string>).unreachable.map((n) => `${CATEGORY_LABELS[c]}: ${n[ITEM_NAMES[c]]}: ${n.reason}`)));
  // Of the goals merely not reached, the states (whose reasons explain the transitions and
  // branches around them), or every goal when all states were reached.
  const notReached = GOAL_CATEGORIES.flatMap((c) => (report[c] as CategoryReport<string>).notReached.map((n) => ({ c, n })));
  const states = notReached.filter(({ c }) => c === 'states');
  list(`Not reached, and not proved unreachable (${notReached.length} goals${states.length > 0 ? '; the states' : ''}):`,
    (states.length > 0 ? states : notReached).map(({ c, n }) => (c === 'states' ? n.reason : `${CATEGORY_LABELS[c]}: ${n[ITEM_NAMES[c]]}: ${n.reason}`)));
  if (report.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of report.findings.slice(0, NOTES_LISTED)) lines.push(`- ${clip(f.message, NOTE_WIDTH)}`);
    if (report.findings.length > NOTES_LISTED) lines.push(`- and ${report.findings.length - NOTES_LISTED} more`);
  }
  return lines;
}

/**
 * A jest test file that runs the scenarios of an explore report: each test
 * runs a scenario's input with its Task answers (`succeed(...)` and
 * `fail(...)` mocks; a timeout the Task's TimeoutSeconds or HeartbeatSeconds
 * gives is a `delay(...)` past it, so the virtual clock runs it out), and
 * asserts what sets the run apart: how it ends (`toSucceed`, or `toFail` with
 * the error and cause), its path (`toHavePath` when it is short; else the
 * states that decide it with `toHaveVisited`, and the Choice branches it does
 * not take with `.not.toHaveVisited`) and its output (`toHaveOutput`).
 * Scenarios with the same input that end alike and differ only in their Task
 * answers (which Task a retryable error hit, or which error) are rows of one
 * `it.each` table; scenarios with the same input and answers are written
 * once. Tests are named for what their path shows: the Choice branches taken,
 * the Retries and Catches gone through, and the outcome.
 *
 * The file is a starting point to keep and edit. The same report and options
 * give the same text, byte for byte (no dates, stable order).
 * @example
 * const wf = Workflow.fromDefinition('statemachine/orders.asl.json');
 * const report = await wf.explore();
 * fs.writeFileSync('test/orders.explore.test.ts', scaffoldTests(report, {
 *   source: { definition: '../statemachine/orders.asl.json' },
 *   definition: wf.definition,
 * }));
 */
export function scaffoldTests(report: ExploreReport, options: ScaffoldTestsOptions): string {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new RangeError(`scaffoldTests: seed must be an integer, got ${JSON.stringify(seed)}`);
  const states = allStates(options.definition);
  const counted = countedStates(options.definition);
  const top = topStates(options.definition);
  // Two scenarios with the same input and answers are the same test: the first is kept.
  const scenarios = distinctScenarios(report.scenarios);
  const titles = scenarioTitles(scenarios, options.definition);
  const notConfirmed = new Map<string, string>();
  for (const f of report.findings) {
    if (f.kind === 'not-confirmed' && f.scenario !== undefined) notConfirmed.set(f.scenario, f.message);
  }
  const planned: PlannedTest[] = scenarios.map((s, i) => ({
    scenario: s,
    title: titles[i],
    checks: scenarioChecks(s, states, counted, top),
    ...(notConfirmed.has(s.name) ? { note: notConfirmed.get(s.name) } : {}),
  }));
  const groups = new Map<string, PlannedTest[]>();
  for (const t of planned) {
    const key = shapeOf(t);
    const group = groups.get(key);
    if (group) group.push(t);
    else groups.set(key, [t]);
  }
  const w: MockWriting = { used: new Set(), states };
  const run: RunSetting = {
    seed,
    ...(options.checks !== undefined ? { checks: options.checks } : {}),
    ...(options.s3 !== undefined ? { s3: options.s3 } : {}),
    ...(options.mockConfig !== undefined ? { mockConfig: options.mockConfig } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
  };
  const tests = [...groups.values()].map((g) => (g.length > 1 && Object.keys(g[0].scenario.mocks).length > 0 ? tableOf(g, run, w) : g.map((t) => testOf(t, run, w)).join('\n\n')));
  const used = w.used;
  const loaded = loaderOf(options.source, options.type, options.format);
  // The S3 folder and the MockConfigFile are resolved against the file as the machine's own path is.
  const pathImport = "import * as path from 'path';";
  const needsPath = options.s3 !== undefined || options.mockConfig !== undefined;
  const imports = needsPath && !loaded.imports.includes(pathImport) ? [pathImport, ...loaded.imports] : loaded.imports;
  const setup = loaded.setup;
  const names = ['Workflow', ...['delay', 'fail', 'succeed'].filter((n) => used.has(n))];
  const typeNames = used.has('Mock') ? ['Mock'] : [];
  const header = [
    `Scenarios \`stepwright explore\` found for ${report.machine}: each runs an input with the Task answers`,
    'that take its path, and checks what sets the run apart (how it ends, the states that decide it, its',
    'output). Scenarios that differ only in their Task answers share one it.each table. A starting point:',
    'keep the file, rename the tests, and trim or extend them.',
    `Written by: ${options.generatedBy ?? 'Workflow.explore and scaffoldTests'}`,
    '',
    ...coverageNotes(report),
  ];
  const from = options.importFrom ?? 'stepwright/testing';
  const out = [
    ...header.map((l) => (l === '' ? '//' : `// ${commentText(l)}`)),
    ...moduleImports([
      ...(options.importSetup ? [`import ${stringLiteral(`${from}/setup`)};`] : []),
      ...imports,
      ...runnerImports(options.runner),
      `import { ${names.join(', ')} } from ${stringLiteral(from)};`,
      ...(typeNames.length > 0 ? [`import type { ${typeNames.join(', ')} } from ${stringLiteral(from)};`] : []),
    ], options.format),
    '',
    ...setup,
    '',
    `describe(${stringLiteral(`${report.machine}: the scenarios explore found`)}, () => {`,
    tests.join('\n\n'),
    '});',
    '',
  ];
  if (tests.length === 0) {
    out.splice(out.length - 3, 1, [
      "  it('loads the state machine (explore found no scenario to run: write the first test by hand)', () => {",
      '    expect(Object.keys(wf.definition.States).length).toBeGreaterThan(0);',
      '  });',
    ].join('\n'));
  }
  return out.join('\n');
}
