import { inlineValue } from './literal';
import { thrownError } from './names';
import type { JsonObject, JsonValue, StateDefinition, StateMachineDefinition } from '../../asl';
import type { HistoryEvent } from '../../asl/history-events';
import { sameJson } from '../../asl/json-value';
import { allStates } from '../../asl/state-tree';
import { StatesErrors } from '../../asl/states-errors';
import { taskResource } from '../../asl/task-resource';
import type { ExploreReport, ExploreScenario } from '../../explore';
import { retriesOfState } from '../../explore/trace';
import type { ChildExecutionUsage } from '../../interpreter';
import { delay, type Mock } from '../mocks';
import { mocksFromJson } from '../mocks/json';

/*
 * What a scaffolded test checks, as data: the file prints these checks, and
 * the explore benchmark runs the same checks on mutants of the machine (its
 * mutation score), so the score measures the tests the file holds.
 */

/** A path this long or shorter is asserted whole; a longer one by its decisive states. */
export const WHOLE_PATH = 6;
/** Outputs printed longer than this are asserted by their short top-level fields only. */
const OUTPUT_PRINTED = 2_000;
/** Longest top-level field kept in a shortened output assertion. */
const FIELD_PRINTED = 200;
/** Causes longer than this are asserted by their beginning. */
export const CAUSE_PRINTED = 200;
/** Branches not taken asserted absent, at most. */
const NOT_TAKEN_LISTED = 6;

/** One assertion of a scaffolded test. @internal */
export type ScenarioCheck =
  | { readonly kind: 'succeeds' }
  | { readonly kind: 'status'; readonly status: string }
  | { readonly kind: 'fails'; readonly error?: string; readonly cause?: string; readonly causeStart?: string }
  | { readonly kind: 'path'; readonly states: readonly string[] }
  | { readonly kind: 'visited'; readonly states: readonly string[] }
  | { readonly kind: 'not-visited'; readonly states: readonly string[] }
  | { readonly kind: 'path-length'; readonly length: number }
  | { readonly kind: 'visits'; readonly state: string; readonly times: number }
  | { readonly kind: 'retried'; readonly state: string; readonly times: number }
  | { readonly kind: 'output'; readonly value: JsonValue }
  | { readonly kind: 'output-fields'; readonly value: JsonObject; readonly leftOut?: 'long' | 'envelope' }
  | { readonly kind: 'output-left-out'; readonly characters: number };

/** Splits a goal key `State#rest` at its last `#` (state names may hold `#`). */
function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf('#');
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

/**
 * The states where what sets a scenario apart happens, in path order: the
 * branch each Choice rule it reaches leads to, the states whose Catch it
 * takes and their handlers, its callback Tasks, and the state it ends in. A
 * state it retries is not among them: every run enters it, and the outcome
 * tells whether the Retry took the error.
 * @internal
 */
export function decisiveStates(s: ExploreScenario, states: ReadonlyMap<string, StateDefinition>): string[] {
  const wanted = new Set<string>();
  for (const key of s.covers.choiceRules ?? []) {
    const [state, rule] = splitKey(key);
    const def = states.get(state);
    if (def?.Type !== 'Choice') continue;
    const next = rule === 'default' ? def.Default : def.Choices?.[Number(rule)]?.Next;
    if (next !== undefined) wanted.add(next);
  }
  for (const key of s.covers.catches ?? []) {
    const [state, index] = splitKey(key);
    wanted.add(state);
    const next = states.get(state)?.Catch?.[Number(index)]?.Next;
    if (next !== undefined) wanted.add(next);
  }
  for (const key of s.covers.callbacks ?? []) wanted.add(splitKey(key)[0]);
  if (s.pathLength === undefined && s.path.length > 0) wanted.add(s.path[s.path.length - 1]);
  return [...new Set(s.path.filter((p) => wanted.has(p)))];
}

/** The other branches of the Choice states a scenario goes through, that it never enters. */
function branchesNotTaken(s: ExploreScenario, states: ReadonlyMap<string, StateDefinition>): string[] {
  if (s.pathLength !== undefined) return [];
  const entered = new Set(s.path);
  const out = new Set<string>();
  for (const key of s.covers.choiceRules ?? []) {
    const def = states.get(splitKey(key)[0]);
    if (def?.Type !== 'Choice') continue;
    for (const t of [...(def.Choices ?? []).map((c) => c.Next), def.Default]) {
      if (t !== undefined && !entered.has(t)) out.add(t);
    }
  }
  return [...out].slice(0, NOT_TAKEN_LISTED);
}

/** The most loop states a test pins the visits of. */
const VISITS_LISTED = 4;

/** The states of `counted` a path enters more than once, in the order first entered, with how often. */
function loopVisits(path: readonly string[], counted: ReadonlySet<string>): Array<[string, number]> {
  const times = new Map<string, number>();
  for (const p of path) if (counted.has(p)) times.set(p, (times.get(p) ?? 0) + 1);
  return [...times].filter(([, n]) => n > 1).slice(0, VISITS_LISTED);
}

/** The most Tasks a test asserts entered beside the decisive states. */
const TASKS_LISTED = 8;

/** The Tasks of `counted` a scenario's path enters, first entered first. */
function tasksCalled(s: ExploreScenario, states: ReadonlyMap<string, StateDefinition>, counted: ReadonlySet<string>): string[] {
  if (s.pathLength !== undefined) return [];
  return [...new Set(s.path)].filter((p) => counted.has(p) && states.get(p)?.Type === 'Task');
}

/** The most retried states a test pins the retries of. */
const RETRIES_LISTED = 4;

/**
 * The states of `counted` a scenario retried, in path order, with how often: the mocks give
 * every attempt's answer, so the count is the run's own, as the path is.
 */
function retried(s: ExploreScenario, counted: ReadonlySet<string>, top: ReadonlySet<string>): Array<[string, number]> {
  const retries = s.retries;
  if (retries === undefined || s.pathLength !== undefined) return [];
  // A top-level state entered once is retried as often as the mocks' answers to its calls say, whatever the clock reads.
  const once = (p: string): boolean => top.has(p) && s.path.indexOf(p) === s.path.lastIndexOf(p);
  return [...new Set(s.path)]
    .filter((p) => (counted.has(p) || once(p)) && Object.hasOwn(retries, p) && retries[p] > 0)
    .slice(0, RETRIES_LISTED)
    .map((p) => [p, retries[p]]);
}

/** The states of a definition's top level (no Parallel branch's nor Map iteration's). @internal */
export function topStates(definition: StateMachineDefinition): ReadonlySet<string> {
  return new Set(Object.keys(definition.States ?? {}));
}

/** What reads the time: a loop bounded by it turns as often as the Tasks take time, which AWS leaves free. */
const READS_TIME = /\$now\(|\$millis\(|EnteredTime|StartTime/;

/**
 * The states whose visits a test may pin: those of the machine's top level (a
 * Parallel's branches and a Map's iterations stop one another when one fails,
 * as soon as AWS gets to it; see `unstopped` for the run where none failed),
 * and none when the machine reads the time (a loop
 * polling against a deadline turns as often as its Tasks take time). A loop's
 * turns are otherwise set by the input and the answers the test mocks.
 * @internal
 */
export function countedStates(definition: StateMachineDefinition): ReadonlySet<string> {
  if (READS_TIME.test(JSON.stringify(definition))) return new Set();
  return new Set(Object.keys(definition.States ?? {}));
}

/**
 * The states whose visits a scenario's test pins: every state, nested ones too, when the run
 * succeeded with no Parallel or Map stopped by a failure (none failed, or its Catch did not take
 * one: every branch and iteration then runs to its end); else those of `counted`.
 */
function unstopped(s: ExploreScenario, states: ReadonlyMap<string, StateDefinition>, counted: ReadonlySet<string>): ReadonlySet<string> {
  if (counted.size === 0 || s.status !== 'SUCCEEDED') return counted;
  const caughtContainer = (s.covers.catches ?? []).some((key) => {
    const type = states.get(splitKey(key)[0])?.Type;
    return type === 'Parallel' || type === 'Map';
  });
  return caughtContainer ? counted : new Set(states.keys());
}

/**
 * What a scenario's test asserts: how it ends (error, and the cause or its
 * beginning), its path (whole when short, else the decisive states, the
 * branches it does not take and how often a loop ran: the visits of each
 * state of `counted` it enters more than once), how often the states of `counted` and those of
 * `top` (the top level) it enters once were retried, and its output.
 * @internal
 */
export function scenarioChecks(
  s: ExploreScenario, states: ReadonlyMap<string, StateDefinition>, counted: ReadonlySet<string> = new Set(), top: ReadonlySet<string> = counted,
): ScenarioCheck[] {
  const checks: ScenarioCheck[] = [];
  if (s.status === 'SUCCEEDED') {
    checks.push({ kind: 'succeeds' });
  } else {
    if (s.status !== 'FAILED') checks.push({ kind: 'status', status: s.status });
    if (s.error === undefined) checks.push({ kind: 'fails' });
    else if (s.cause === undefined) checks.push({ kind: 'fails', error: s.error });
    else if (Array.from(s.cause).length <= CAUSE_PRINTED) checks.push({ kind: 'fails', error: s.error, cause: s.cause });
    else checks.push({ kind: 'fails', error: s.error, causeStart: Array.from(s.cause).slice(0, CAUSE_PRINTED / 2).join('') });
  }
  if (s.pathLength === undefined && s.path.length <= WHOLE_PATH) {
    checks.push({ kind: 'path', states: [...s.path] });
  } else {
    const decisive = decisiveStates(s, states);
    const seen = new Set(decisive);
    // The Tasks it calls, where the run sets whether it calls them (the top level's, as the decisive states, whatever
    // the clock reads; nested ones where no failure stopped their Parallel or Map): a Task skipped moves no state above.
    const where = new Set([...unstopped(s, states, counted), ...top]);
    const called = tasksCalled(s, states, where).filter((t) => !seen.has(t)).slice(0, TASKS_LISTED);
    const visited = called.length === 0 ? decisive : s.path.filter((p, i) => (seen.has(p) || called.includes(p)) && s.path.indexOf(p) === i);
    if (visited.length > 0) checks.push({ kind: 'visited', states: visited });
    const notTaken = branchesNotTaken(s, states);
    if (notTaken.length > 0) checks.push({ kind: 'not-visited', states: notTaken });
    // A run cut short (a loop) is told by how far it went.
    if (s.pathLength !== undefined) checks.push({ kind: 'path-length', length: s.pathLength });
    else for (const [state, times] of loopVisits(s.path, unstopped(s, states, counted))) checks.push({ kind: 'visits', state, times });
  }
  for (const [state, times] of retried(s, unstopped(s, states, counted), top)) checks.push({ kind: 'retried', state, times });
  if (s.status === 'SUCCEEDED') checks.push(outputCheck(s.output ?? null));
  return checks;
}

/**
 * The HTTP metadata of an answer's envelope (lambda:invoke's SdkHttpMetadata and
 * SdkResponseMetadata): the harness makes it up around the answer the test mocks, so asserting
 * it checks the harness, not the machine (the snapshot serializer leaves it out too).
 */
const ENVELOPE_METADATA = ['SdkHttpMetadata', 'SdkResponseMetadata'];

/** Whether a value holds an answer's envelope metadata, looked for up to a bounded depth. */
function holdsEnvelope(value: JsonValue, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth > 16) return false;
  if (Array.isArray(value)) return value.some((v) => holdsEnvelope(v, depth + 1));
  return ENVELOPE_METADATA.some((k) => Object.hasOwn(value, k)) || Object.values(value).some((v) => holdsEnvelope(v, depth + 1));
}

function outputCheck(output: JsonValue): ScenarioCheck {
  if (output !== null && typeof output === 'object' && !Array.isArray(output) && holdsEnvelope(output)) {
    // The fields with no made-up metadata in them are asserted; an envelope at the top keeps its Payload and StatusCode.
    const kept: JsonObject = {};
    for (const [k, v] of Object.entries(output)) {
      if (!ENVELOPE_METADATA.includes(k) && !holdsEnvelope(v) && inlineValue(v).length <= OUTPUT_PRINTED) {
        Object.defineProperty(kept, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
    }
    if (Object.keys(kept).length > 0) return { kind: 'output-fields', value: kept, leftOut: 'envelope' };
  }
  const printed = inlineValue(output).length;
  if (printed <= OUTPUT_PRINTED) return { kind: 'output', value: output };
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) {
    const short: JsonObject = {};
    for (const [k, v] of Object.entries(output)) {
      if (inlineValue(v).length <= FIELD_PRINTED) Object.defineProperty(short, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    if (Object.keys(short).length > 0) return { kind: 'output-fields', value: short };
  }
  return { kind: 'output-left-out', characters: printed };
}

/** A run as the checks read it. @internal */
export interface CheckedRun {
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  readonly path: readonly string[];
  readonly output?: JsonValue;
  /** Its history and its DISTRIBUTED Maps' child executions, which `retried` checks read as `toHaveRetried` does. */
  readonly history?: readonly HistoryEvent[];
  readonly childExecutions?: readonly ChildExecutionUsage[];
}

/**
 * The first check a run does not pass, or undefined when it passes them all,
 * read as the matchers the file prints read them.
 * @internal
 */
export function failedCheck(checks: readonly ScenarioCheck[], run: CheckedRun): ScenarioCheck | undefined {
  const entered = new Set(run.path);
  return checks.find((c) => {
    switch (c.kind) {
      case 'succeeds': return run.status !== 'SUCCEEDED';
      case 'status': return run.status !== c.status;
      case 'fails':
        return run.status === 'SUCCEEDED' || run.status === 'RUNNING'
          || (c.error !== undefined && run.error !== c.error)
          || (c.cause !== undefined && run.cause !== c.cause)
          || (c.causeStart !== undefined && !(run.cause ?? '').includes(c.causeStart));
      case 'path': return !sameJson([...run.path], [...c.states]);
      case 'visited': return !c.states.every((st) => entered.has(st));
      case 'not-visited': return c.states.some((st) => entered.has(st));
      case 'path-length': return run.path.length !== c.length;
      case 'visits': return run.path.filter((p) => p === c.state).length !== c.times;
      case 'retried': return retriesOfState(run, c.state) !== c.times;
      case 'output': return !sameJson(run.output ?? null, c.value);
      case 'output-fields': {
        const out = run.output;
        if (out === null || typeof out !== 'object' || Array.isArray(out)) return true;
        return Object.entries(c.value).some(([k, v]) => !Object.hasOwn(out, k) || !sameJson(out[k], v));
      }
      case 'output-left-out': return false;
    }
  });
}

/**
 * The virtual seconds a Task's mock waits so that the Task times out with
 * `error` (`States.Timeout` or `States.HeartbeatTimeout`), from its
 * TimeoutSeconds or HeartbeatSeconds; undefined when they are not numbers
 * (a `...Path` or JSONata value is known only at run time) or when waiting
 * would end the Task with the other error.
 * @internal
 */
export function timeoutDelay(def: StateDefinition | undefined, error: string): number | undefined {
  if (def?.Type !== 'Task') return undefined;
  const seconds = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const resource = typeof def.Resource === 'string' ? def.Resource : '';
  const parsed = taskResource(resource);
  const activity = parsed.kind === 'activity';
  // Only a Task that waits on a token, a job (`.sync`) or an activity worker has heartbeats.
  const beats = activity || parsed.pattern !== 'request';
  const timeout = seconds(def.TimeoutSeconds);
  const heartbeat = beats ? seconds(def.HeartbeatSeconds) : undefined;
  const first = Math.min(timeout ?? Infinity, heartbeat ?? Infinity);
  if (first === Infinity) return undefined;
  // An activity's missed heartbeat is States.HeartbeatTimeout; every other lapse is States.Timeout.
  const raised = activity && heartbeat === first && (timeout === undefined || heartbeat < timeout)
    ? StatesErrors.HEARTBEAT_TIMEOUT : StatesErrors.TIMEOUT;
  return raised === error ? first + 1 : undefined;
}

/** True for a mock entry that answers with a timeout (`{"Throw": {"Error": "States.Timeout"}}` without a Cause). */
export function isTimeoutAnswer(entry: JsonValue): boolean {
  const error = thrownError(entry);
  if (error !== StatesErrors.TIMEOUT && error !== StatesErrors.HEARTBEAT_TIMEOUT) return false;
  const t = (entry as { Throw: { Cause?: unknown } }).Throw;
  return t.Cause === undefined;
}

/** One test the scaffolded file holds (a test of its own or a row of a table), as data. @internal */
export interface WrittenTest {
  readonly scenario: ExploreScenario;
  readonly checks: readonly ScenarioCheck[];
  /** The mocks the test runs with, as the file writes them (timeouts as delays). */
  readonly mocks: Record<string, Mock>;
}

/**
 * The scenarios a report's file tests: one per distinct input and Task
 * answers (a second scenario with both the same is the same test), in
 * report order.
 * @internal
 */
export function distinctScenarios(scenarios: readonly ExploreScenario[]): ExploreScenario[] {
  const seen = new Set<string>();
  return scenarios.filter((s) => {
    const key = JSON.stringify([s.input, s.mocks]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The tests `scaffoldTests` writes for a report, as data: what each runs and
 * checks. The explore benchmark runs them on mutants of the machine.
 * @internal
 */
export function writtenTests(report: ExploreReport, definition: StateMachineDefinition): WrittenTest[] {
  const states = allStates(definition);
  const counted = countedStates(definition);
  const top = topStates(definition);
  return distinctScenarios(report.scenarios).map((s) => ({
    scenario: s, checks: scenarioChecks(s, states, counted, top), mocks: testMocks(s.mocks, states),
  }));
}

/** A scenario's mocks as the file writes them: a timeout the Task's own limit gives is a delay past it. */
function testMocks(mocks: JsonObject, states: ReadonlyMap<string, StateDefinition>): Record<string, Mock> {
  const out = mocksFromJson(mocks, 'scenario mocks');
  for (const [state, mock] of Object.entries(mocks)) {
    const answers = Array.isArray(mock) ? mock : [mock];
    const waits = answers.map((a) => {
      const error = thrownError(a);
      return error !== undefined && isTimeoutAnswer(a) ? timeoutDelay(states.get(state), error) : undefined;
    });
    if (waits.every((w) => w === undefined)) continue;
    const built = out[state];
    const steps = Array.isArray(built) ? [...built] : [built];
    waits.forEach((w, i) => { if (w !== undefined) steps[i] = delay(w); });
    Object.defineProperty(out, state, { value: Array.isArray(mock) ? steps : steps[0], enumerable: true, writable: true, configurable: true });
  }
  return out;
}
