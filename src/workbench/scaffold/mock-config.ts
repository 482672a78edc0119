import { scenarioTitles, thrownError } from './names';
import type { JsonObject, JsonValue, StateDefinition, StateMachineDefinition } from '../../asl';
import { allStates } from '../../asl/state-tree';
import { taskResource } from '../../asl/task-resource';
import type { ExploreReport, ExploreScenario } from '../../explore';
import { MockConfigError, type MockConfig, type MockConfigResponse } from '../mocks';
import { lambdaShapeOf } from '../mocks';
import { DELAY_FIELD, HEARTBEATS_FIELD } from '../mocks/mock-config';
import { mockConfigMachine } from '../workflow';

/** Options of {@link scaffoldMockConfig}. */
export interface ScaffoldMockConfigOptions {
  /**
   * The explored state machine's definition (`workflow.definition`): which
   * Tasks call Lambda (their answers become Invoke responses) and how often a
   * Task may be called (its Retry rules).
   */
  readonly definition: StateMachineDefinition;
  /**
   * The state machine's name under `StateMachines`: the name Step Functions
   * Local or `stepwright serve` knows it by.
   * @default - the report's machine name
   */
  readonly machineName?: string;
  /**
   * The MockConfigFile test case explore answered Tasks from (its `mockConfig`): every test
   * case written maps those Tasks to its responses, copied under their names, so each runs as
   * its scenario did.
   * @default - none: the scenarios' mocks answer every Task
   */
  readonly given?: { readonly config: MockConfig; readonly testCase: string; readonly stateMachine?: string };
}

/** Test case names are kept to this many characters (before a number that tells two apart). */
const CASE_NAME_LENGTH = 80;

/** Words of `text` joined in PascalCase, letters and digits only, at most `max` characters (cut between words). */
function pascal(text: string, max: number): string {
  let out = '';
  for (const word of text.match(/[A-Za-z0-9]+/g) ?? []) {
    const next = word[0].toUpperCase() + word.slice(1);
    if (out.length > 0 && out.length + next.length > max) break;
    out += next;
  }
  return out.slice(0, max);
}

/** Sets a field a user named (a state, a test case) as a field, never through the prototype. */
function define<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * How many times `state` can be called in this scenario at most: every entry
 * on its path, times the first attempt and every retry its Retry rules allow.
 * A single answer in the `--mocks` format answers every call; a MockConfigFile
 * names the calls, so its range must reach this far.
 */
function callBound(scenario: ExploreScenario, state: string, def: StateDefinition | undefined): number {
  const entries = scenario.pathLength !== undefined ? scenario.pathLength : scenario.path.filter((s) => s === state).length;
  const retries = (def?.Retry ?? []).reduce((sum, r) => sum + (r.MaxAttempts ?? 3), 0);
  return Math.max(1, entries) * (1 + retries);
}

/**
 * One `--mocks` entry as a MockConfigFile response: Lambda Invoke answers carry the Invoke response
 * around the value. A late answer (`{"Delay": s, "Return": …}` or with `Throw`) keeps its `Delay`,
 * which the MockConfigFile takes as stepwright's own field (`MockConfigResponse.Delay`); one whose
 * worker sends heartbeats (`"Heartbeats"`) is refused, naming `at`: AWS's format has no field for
 * them (an entry holds "a single field named `Return` or `Throw`", Configuration file for mocked
 * service integrations) and stepwright adds none there, so only the `--mocks` format carries it.
 */
function responseOf(entry: JsonValue, invokesLambda: boolean, at: string): MockConfigResponse {
  if (isLate(entry)) {
    const late = entry as JsonObject;
    if (Object.hasOwn(late, HEARTBEATS_FIELD)) {
      throw new MockConfigError('INVALID_CONFIG', at,
        `the answer ${JSON.stringify(entry)} sends heartbeats (${HEARTBEATS_FIELD}), which only the --mocks format carries: `
        + 'a MockConfigFile entry has no field for them (Step Functions Local\'s format holds Return or Throw); '
        + 'run this scenario from its --mocks or a test --write-tests writes');
    }
    const { [DELAY_FIELD]: delay, ...answer } = late;
    return { Delay: delay as number, ...responseOf(answer, invokesLambda, at) };
  }
  const error = thrownError(entry);
  if (error !== undefined) {
    const cause = (entry as { Throw: { Cause?: unknown } }).Throw.Cause;
    // A mock that gave no cause fails without one, as the MockConfigFile's Throw allows.
    return { Throw: typeof cause === 'string' ? { Error: error, Cause: cause } : { Error: error } };
  }
  const isReturn = entry !== null && typeof entry === 'object' && !Array.isArray(entry)
    && Object.keys(entry).length === 1 && Object.hasOwn(entry, 'Return');
  const value = isReturn ? (entry as { Return: JsonValue }).Return : entry;
  // Step Functions Local mocks the service call: lambda:invoke answers with the Invoke API's response.
  return { Return: invokesLambda ? { StatusCode: 200, Payload: value } : value };
}

/** A late `--mocks` entry, as mocksFromJson reads one: a `Delay` (maybe `Heartbeats`) beside exactly one of `Return` and `Throw`. */
function isLate(entry: JsonValue): boolean {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || !Object.hasOwn(entry, DELAY_FIELD)) return false;
  const keys = Object.keys(entry).filter((k) => k !== DELAY_FIELD && k !== HEARTBEATS_FIELD);
  return keys.length === 1 && (keys[0] === 'Return' || keys[0] === 'Throw');
}

/** Consecutive equal responses folded into ranges: `{"0": …, "1-2": …}`. */
function rangesOf(responses: readonly MockConfigResponse[], lastCall: number): Record<string, MockConfigResponse> {
  const out: Record<string, MockConfigResponse> = {};
  let from = 0;
  for (let i = 1; i <= responses.length; i++) {
    if (i < responses.length && JSON.stringify(responses[i]) === JSON.stringify(responses[from])) continue;
    const to = i === responses.length ? Math.max(i - 1, lastCall) : i - 1;
    out[from === to ? `${from}` : `${from}-${to}`] = responses[from];
    from = i;
  }
  return out;
}

/** A short name for what a response does: `Returns`, `ThrowsPaymentDeclined`, `ThrowsBusyThenReturns`. */
function outcomeName(responses: readonly MockConfigResponse[]): string {
  const words: string[] = [];
  for (const r of responses) {
    const word = r.Throw ? `Throws${pascal(r.Throw.Error, 40)}` : 'Returns';
    if (words[words.length - 1] !== word) words.push(word);
  }
  return words.join('Then');
}

/** The given test case's states and response names (none without one). */
function givenCase(options: ScaffoldMockConfigOptions, machine: string): Readonly<Record<string, string>> {
  const g = options.given;
  if (g === undefined) return {};
  const name = g.stateMachine ?? mockConfigMachine(machine, g.config, g.testCase);
  const cases = Object.hasOwn(g.config.StateMachines, name) ? g.config.StateMachines[name].TestCases : {};
  const testCase = Object.hasOwn(cases, g.testCase) ? cases[g.testCase] : undefined;
  if (testCase === undefined) throw new MockConfigError('UNKNOWN_TEST_CASE', `StateMachines.${name}.TestCases`, `there is no test case '${g.testCase}'`);
  return testCase;
}

/**
 * A MockConfigFile (the format Step Functions Local, LocalStack and
 * `stepwright serve --mock-config` read) with one test case per scenario of
 * an explore report: each test case maps the scenario's Task states to
 * mocked responses that answer its calls as its mocks do. Start an execution
 * of `<state machine ARN>#<TestCase>` to run one, with the scenario's input.
 *
 * A `lambda:invoke` Task's response is the Invoke API's (`StatusCode` and
 * `Payload`, the function's return value), as Step Functions Local expects;
 * a Throw without a cause is written without one, as the format allows.
 * Test cases are named for the scenarios' paths in PascalCase; equal
 * responses are shared. The same report gives the same file.
 * @example
 * fs.writeFileSync('MockConfigFile.json', JSON.stringify(scaffoldMockConfig(report, { definition: wf.definition }), null, 2));
 */
export function scaffoldMockConfig(report: ExploreReport, options: ScaffoldMockConfigOptions): MockConfig {
  const states = allStates(options.definition);
  const titles = scenarioTitles(report.scenarios, options.definition);
  const testCases: Record<string, Record<string, string>> = {};
  const mockedResponses: Record<string, Record<string, MockConfigResponse>> = {};
  const responseNames = new Map<string, string>();
  const caseNames = new Set<string>();
  const given = givenCase(options, report.machine);
  // The given responses keep their names: the generated ones are named around them.
  for (const name of Object.values(given)) define(mockedResponses, name, options.given!.config.MockedResponses[name]);
  report.scenarios.forEach((scenario, i) => {
    const base = pascal(titles[i], CASE_NAME_LENGTH) || 'Scenario';
    let caseName = base;
    for (let n = 2; caseNames.has(caseName); n++) caseName = `${base}${n}`;
    caseNames.add(caseName);
    const testCase: Record<string, string> = {};
    // The scenario's own answers win over the given ones, as `mocks` win over `mockConfig` in a run.
    for (const [state, name] of Object.entries(given)) if (!Object.hasOwn(scenario.mocks, state)) define(testCase, state, name);
    for (const [state, mock] of Object.entries(scenario.mocks as JsonObject)) {
      const def = states.get(state);
      const resource = def?.Type === 'Task' && typeof def.Resource === 'string' ? def.Resource : '';
      const invokesLambda = lambdaShapeOf(resource) === 'invoke' && taskResource(resource).pattern !== 'waitForTaskToken';
      const list = Array.isArray(mock) ? mock : [mock];
      const responses = list.map((e, n) => responseOf(e, invokesLambda, `scenario ${i + 1} (${caseName}), ${state}${Array.isArray(mock) ? `[${n}]` : ''}`));
      // A list answers one call each; a single answer answers every call the scenario can make.
      const lastCall = Array.isArray(mock) ? list.length - 1 : callBound(scenario, state, def) - 1;
      const entries = rangesOf(responses, lastCall);
      const key = JSON.stringify([state, entries]);
      let name = responseNames.get(key);
      if (name === undefined) {
        const stem = `${pascal(state, 40) || 'Task'}${outcomeName(responses)}`;
        name = stem;
        for (let n = 2; Object.hasOwn(mockedResponses, name); n++) name = `${stem}${n}`;
        responseNames.set(key, name);
        define(mockedResponses, name, entries);
      }
      define(testCase, state, name);
    }
    define(testCases, caseName, testCase);
  });
  const machines: Record<string, { TestCases: Record<string, Record<string, string>> }> = {};
  define(machines, options.machineName ?? report.machine, { TestCases: testCases });
  return { StateMachines: machines, MockedResponses: mockedResponses };
}
