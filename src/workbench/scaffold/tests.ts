import { commentText, inlineValue, LINE_WIDTH, printValue, propertyKeys, stringLiteral } from './literal';
import { scenarioTitles, thrownError } from './names';
import type { JsonValue, StateMachineDefinition } from '../../asl/definition-types';
import { GOAL_CATEGORIES, type GoalCategory } from '../../explore/goals';
import { ITEM_NAMES, type CategoryReport, type ExploreReport, type ExploreScenario } from '../../explore/report-types';

/**
 * Where the scaffolded test file takes its state machine from: the way the
 * explored source is loaded, so the tests run the machine explore ran. File
 * and directory paths are relative to the test file's directory (or absolute),
 * with '/' between their parts (a backslash is a character of a name on Linux);
 * the file resolves them against its own `__dirname`.
 * - `{ definition }`: an ASL file, `Workflow.fromDefinition`;
 * - `{ template }`: a CloudFormation template file, `Workflow.fromTemplate`;
 * - `{ cdkOut, stack }`: a cloud assembly directory, `Workflow.fromCdkOut`;
 * - `{ stackModule, stackClass, stackId }`: a CDK stack the file builds itself
 *   (`new StackClass(new App(), stackId)`) for `Workflow.fromStack`, as the
 *   examples' hand-written tests do; `stackModule` is written as the import
 *   specifier, e.g. `'../lib/order-stack'`.
 */
export type ScaffoldSource =
  | { readonly definition: string; readonly name?: string }
  | { readonly template: string; readonly stateMachine?: string }
  | { readonly cdkOut: string; readonly stack: string; readonly stateMachine?: string }
  | { readonly stackModule: string; readonly stackClass: string; readonly stackId: string; readonly stateMachine?: string };

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
   * The `seed` explore ran with; the tests run with the same one, so UUIDs,
   * random numbers and retry jitter come out as they did.
   * @default 0
   */
  readonly seed?: number;
  /**
   * Run the machine as this type (`Workflow` options' `type`), when explore did.
   * @default - the source's own type
   */
  readonly type?: 'STANDARD' | 'EXPRESS';
  /**
   * How the file was made, for its first comment (a command line).
   * @default 'Workflow.explore and scaffoldTests'
   */
  readonly generatedBy?: string;
}

/** A path whose printed form is longer is asserted by the states it enters and its length. */
const PATH_PRINTED = 40;
/** Outputs printed longer than this are asserted by their short top-level fields only. */
const OUTPUT_PRINTED = 2_000;
/** Longest top-level field kept in a shortened output assertion. */
const FIELD_PRINTED = 200;
/** Causes longer than this are asserted by their beginning. */
const CAUSE_PRINTED = 200;
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

/**
 * One mock entry in the `--mocks` JSON format, as a `succeed(...)` or
 * `fail(...)` call, laid out from `column` of a line indented by `indent`
 * (on one line when `indent` is undefined).
 */
function stepExpression(entry: JsonValue, used: Set<string>, indent?: number, column = 0): string {
  const error = thrownError(entry);
  if (error !== undefined) {
    used.add('fail');
    const t = (entry as { Throw: { Cause?: unknown } }).Throw;
    return `fail(${stringLiteral(error)}${typeof t.Cause === 'string' ? `, ${stringLiteral(t.Cause)}` : ''})`;
  }
  used.add('succeed');
  const isReturn = entry !== null && typeof entry === 'object' && !Array.isArray(entry)
    && Object.keys(entry).length === 1 && Object.hasOwn(entry, 'Return');
  const value = isReturn ? (entry as { Return: JsonValue }).Return : entry;
  return `succeed(${indent === undefined ? inlineValue(value) : printValue(value, indent, column + 'succeed('.length)})`;
}

/** A state's mock: one answer, or `[...]` with one answer per call. */
function mockExpression(mock: JsonValue, indent: number, column: number, used: Set<string>): string {
  if (!Array.isArray(mock)) return stepExpression(mock, used, indent, column);
  const flat = `[${mock.map((e) => stepExpression(e, used)).join(', ')}]`;
  if (column + flat.length <= LINE_WIDTH) return flat;
  const inner = ' '.repeat(indent + 2);
  return `[\n${mock.map((e) => `${inner}${stepExpression(e, used, indent + 2, indent + 2)},\n`).join('')}${' '.repeat(indent)}]`;
}

/** The `mocks` table of a scenario, keyed by state name, at `indent`. */
function mocksExpression(mocks: Readonly<Record<string, JsonValue>>, indent: number, used: Set<string>): string {
  const inner = ' '.repeat(indent + 2);
  const keyOf = propertyKeys(Object.keys(mocks));
  const fields = Object.entries(mocks).map(([state, mock]) => {
    const key = `${keyOf(state)}: `;
    return `${inner}${key}${mockExpression(mock, indent + 2, indent + 2 + key.length, used)},\n`;
  });
  return `{\n${fields.join('')}${' '.repeat(indent)}}`;
}

/** The failure assertion: the error, and the cause (its beginning when it is long). */
function failureAssertion(s: ExploreScenario): string[] {
  const lines: string[] = [];
  if (s.status !== 'FAILED') lines.push(`expect(run.status).toBe(${stringLiteral(s.status)});`);
  if (s.error === undefined) {
    lines.push('expect(run).toFail();');
    return lines;
  }
  if (s.cause === undefined) {
    lines.push(`expect(run).toFail(${stringLiteral(s.error)});`);
  } else if (Array.from(s.cause).length <= CAUSE_PRINTED) {
    lines.push(`expect(run).toFail(${stringLiteral(s.error)}, ${stringLiteral(s.cause)});`);
  } else {
    const start = Array.from(s.cause).slice(0, CAUSE_PRINTED / 2).join('');
    lines.push(`expect(run).toFail(${stringLiteral(s.error)}, expect.stringContaining(${stringLiteral(start)}));`);
  }
  return lines;
}

/** The path assertion: the whole path when it is short and complete, else the states it enters and its length. */
function pathAssertion(s: ExploreScenario, indent: number): string[] {
  const complete = s.pathLength === undefined;
  if (complete && s.path.length <= PATH_PRINTED) {
    const prefix = 'expect(run).toHavePath(';
    return [`${prefix}${printValue([...s.path], indent, indent + prefix.length)});`];
  }
  const entered = [...new Set(s.path)];
  const prefix = 'expect(run).toHaveVisited(';
  const args = printValue(entered, indent, indent + prefix.length);
  // Spread from a list, so a long list of states prints one per line as any array does.
  const visited = entered.length === 1 ? `${prefix}${stringLiteral(entered[0])});` : `${prefix}...${args});`;
  return [visited, `expect(run.path).toHaveLength(${s.pathLength ?? s.path.length});`];
}

/** The output assertion: the whole output, or its short top-level fields when it is long. */
function outputAssertion(s: ExploreScenario, indent: number): string[] {
  if (s.status !== 'SUCCEEDED') return [];
  const output = s.output ?? null;
  const prefix = 'expect(run).toHaveOutput(';
  if (inlineValue(output).length <= OUTPUT_PRINTED) return [`${prefix}${printValue(output, indent, indent + prefix.length)});`];
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) {
    const short: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(output)) {
      if (inlineValue(v).length <= FIELD_PRINTED) Object.defineProperty(short, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    if (Object.keys(short).length > 0) {
      const open = `${prefix}expect.objectContaining(`;
      return [
        '// The whole output is long: its short top-level fields are checked.',
        `${open}${printValue(short, indent, indent + open.length)}));`,
      ];
    }
  }
  return [`// The output (${inlineValue(output).length} characters printed) is left out: check the parts that matter.`];
}

/** One `it` for one scenario. */
function testOf(s: ExploreScenario, title: string, seed: number, notConfirmed: string | undefined, used: Set<string>): string {
  const body = '    ';
  const lines: string[] = [];
  if (notConfirmed !== undefined) lines.push(`  // explore: ${commentText(clip(notConfirmed, NOTE_WIDTH))}`);
  lines.push(`  it(${stringLiteral(title)}, async () => {`);
  const hasMocks = Object.keys(s.mocks).length > 0;
  const options: string[] = [];
  if (hasMocks) options.push(`${body}  mocks: ${mocksExpression(s.mocks, body.length + 2, used)},`);
  if (seed !== 0) options.push(`${body}  seed: ${seed},`);
  const call = `${body}const run = await wf.run(`;
  const input = printValue(s.input, body.length, call.length);
  if (options.length === 0) {
    lines.push(`${call}${input});`);
  } else {
    lines.push(`${call}${input}, {`, ...options, `${body}});`);
  }
  lines.push('');
  const checks = [
    ...(s.status === 'SUCCEEDED' ? ['expect(run).toSucceed();'] : failureAssertion(s)),
    ...pathAssertion(s, body.length),
    ...outputAssertion(s, body.length),
  ];
  lines.push(...checks.map((c) => `${body}${c}`));
  lines.push('  });');
  return lines.join('\n');
}

/** `const wf = ...` and the imports it needs. */
function loaderOf(source: ScaffoldSource, type: 'STANDARD' | 'EXPRESS' | undefined): { imports: string[]; setup: string[] } {
  // The source's paths are '/'-separated already: a backslash is part of a name on Linux.
  const at = (p: string) => `path.resolve(__dirname, ${stringLiteral(p)})`;
  const options = (fields: Array<[string, string | undefined]>): string => {
    const set = fields.filter((f): f is [string, string] => f[1] !== undefined);
    if (type !== undefined) set.push(['type', type]);
    return set.length === 0 ? '' : `, { ${set.map(([k, v]) => `${k}: ${stringLiteral(v)}`).join(', ')} }`;
  };
  const pathImport = "import * as path from 'path';";
  if ('definition' in source) {
    return { imports: [pathImport], setup: [`const wf = Workflow.fromDefinition(${at(source.definition)}${options([['name', source.name]])});`] };
  }
  if ('template' in source) {
    return { imports: [pathImport], setup: [`const wf = Workflow.fromTemplate(${at(source.template)}${options([['stateMachine', source.stateMachine]])});`] };
  }
  if ('cdkOut' in source) {
    return {
      imports: [pathImport],
      setup: [`const wf = Workflow.fromCdkOut(${at(source.cdkOut)}, ${stringLiteral(source.stack)}${options([['stateMachine', source.stateMachine]])});`],
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
 * A jest test file with one test per scenario of an explore report: each
 * runs the scenario's input with its Task answers (`succeed(...)` and
 * `fail(...)` mocks), and asserts how it ends (`toSucceed` or `toFail` with
 * the error and cause), its path (`toHavePath`) and its output
 * (`toHaveOutput`). Tests are named for what their path shows: the Choice
 * branches taken, the Retries and Catches gone through, and the outcome.
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
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new RangeError(`scaffoldTests: seed must be an integer, got ${JSON.stringify(seed)}`);
  const titles = scenarioTitles(report.scenarios, options.definition);
  const notConfirmed = new Map<string, string>();
  for (const f of report.findings) {
    if (f.kind === 'not-confirmed' && f.scenario !== undefined) notConfirmed.set(f.scenario, f.message);
  }
  const used = new Set<string>();
  const tests = report.scenarios.map((s, i) => testOf(s, titles[i], seed, notConfirmed.get(s.name), used));
  const { imports, setup } = loaderOf(options.source, options.type);
  const names = ['Workflow', ...['fail', 'succeed'].filter((n) => used.has(n))];
  const header = [
    `Scenarios \`stepwright explore\` found for ${report.machine}, one test each: the input and the`,
    'Task answers that take its path, and what the run does. A starting point: keep the file, rename',
    'the tests, and trim or extend them.',
    `Written by: ${options.generatedBy ?? 'Workflow.explore and scaffoldTests'}`,
    '',
    ...coverageNotes(report),
  ];
  const from = options.importFrom ?? 'stepwright/testing';
  const out = [
    ...header.map((l) => (l === '' ? '//' : `// ${commentText(l)}`)),
    ...(options.importSetup ? [`import ${stringLiteral(`${from}/setup`)};`] : []),
    ...imports,
    `import { ${names.join(', ')} } from ${stringLiteral(from)};`,
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
