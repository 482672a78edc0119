/**
 * The one-state machine a TestState call runs: the state, its transitions redirected to stand-ins
 * that capture its output and variables; and what a caller that sends one definition many times
 * keeps of it between calls.
 */
import { checkedState, type CheckedState } from './checked-state';
import type { JsonValue, MapState, ParallelState, QueryLanguage, StateDefinition, StateMachineDefinition, TaskState } from '../../asl';
import { defaultArn } from '../../asl/aws-defaults';
import { AwsLimits } from '../../asl/limits';
import { compilePayloadTemplate, type CompiledTemplate } from '../../asl/payload';
import type { CompileOptions, StateMachine } from '../../interpreter';
import { compileStateMachine } from '../../interpreter/state-machine';

/** A name no real state has, for the stand-ins of the states the tested one leads to. */
const EDGE = '__stepwright_next_';

export interface Edge {
  readonly name: string;
  readonly target: string | undefined;
}

/** The variables visible after a transition: the given ones and those its Assign sets. */
function variableNames(initial: Record<string, JsonValue>, assign: unknown): string[] {
  const names = new Set(Object.keys(initial));
  if (assign && typeof assign === 'object') for (const k of Object.keys(assign)) names.add(k.endsWith('.$') ? k.slice(0, -2) : k);
  return [...names];
}

/** A stand-in next state that outputs the tested state's output and the variables then set. */
function captureState(language: QueryLanguage, names: readonly string[]): StateDefinition {
  if (language === 'JSONata') {
    const vars = names.map((n) => `'${n}': $exists($${n}) ? $${n} : null`).join(', ');
    return { Type: 'Pass', Output: `{% {'output': $states.input, 'variables': {${vars}}} %}`, End: true };
  }
  const vars: Record<string, string> = {};
  for (const n of names) vars[`${n}.$`] = `$${n}`;
  return { Type: 'Pass', Parameters: { 'output.$': '$', 'variables': vars }, End: true };
}

/** The one-state machine: the state, with its transitions redirected to capturing stand-ins. */
export function oneStateMachine(
  name: string, state: StateDefinition, language: QueryLanguage, withCatch: boolean, initial: Record<string, JsonValue>,
): { def: StateMachineDefinition; edges: Edge[] } {
  const edges: Array<Edge & { names: string[] }> = [];
  const edge = (target: string | undefined, assign: unknown): string => {
    const e = { name: `${EDGE}${edges.length}`, target, names: variableNames(initial, assign) };
    edges.push(e);
    return e.name;
  };
  // The state runs once: no Retry, and it never ends the machine (its transitions go to the stand-ins).
  const { Retry: _retry, End: _end, ...own } = state;
  // The edges are numbered in this order: Choices, Default, Next, Catch.
  let copy: StateDefinition;
  if (own.Type === 'Choice') {
    const choices = own.Choices.map((r) => ({ ...r, Next: edge(r.Next, r.Assign) }));
    copy = { ...own, Choices: choices, ...(own.Default !== undefined ? { Default: edge(own.Default, own.Assign) } : {}) };
  } else if (own.Type === 'Succeed' || own.Type === 'Fail') {
    copy = own;
  } else {
    copy = { ...own, Next: edge(own.Next, own.Assign) };
  }
  if (copy.Catch) {
    if (withCatch) {
      copy = { ...copy, Catch: copy.Catch.map((c) => ({ ...c, Next: edge(c.Next, c.Assign) })) };
    } else {
      const { Catch: _catch, ...uncaught } = copy;
      copy = uncaught;
    }
  }
  const states: Record<string, StateDefinition> = { [name]: copy };
  for (const e of edges) states[e.name] = captureState(language, e.names);
  // What TestState may run for: past it, the run times out (see TEST_STATE_TIMEOUT). A second more, as a
  // state that ends at the five minutes does not exceed them, and a time limit fires before a state due then.
  return { def: { StartAt: name, QueryLanguage: language, TimeoutSeconds: AwsLimits.TEST_STATE_SECONDS + 1, States: states }, edges };
}

/**
 * A one-state machine compiled, with the options object it was compiled with: each run sets the
 * task handler of its own mock on it before it starts (StateMachine.start takes the handler the
 * options hold then, and an execution keeps the one it started with).
 */
export interface OneStateRun {
  readonly machine: StateMachine;
  readonly options: { defaultTaskHandler?: CompileOptions['defaultTaskHandler'] };
  readonly edges: Edge[];
}

/**
 * What testStateWith keeps between calls given the same definition object, for a caller that
 * sends one definition, never changed, many times (parity's visits of a run): the state found
 * and checked (or why it was refused), the one-state machines compiled from it, and the
 * templates its inspection stages evaluate. Without it each call checks and compiles the state
 * again: 1,000 visits of a Pass state of 700 KB took 32 s of CPU, all of it there.
 * @internal
 */
export class TestStateCache {
  private readonly definitions = new WeakMap<object, Map<string, PreparedState>>();

  /** The state a call names, checked once per definition object and name. */
  prepared(definition: unknown, stateName: string): PreparedState | undefined {
    if (definition === null || typeof definition !== 'object') return undefined;
    let states = this.definitions.get(definition);
    if (!states) this.definitions.set(definition, states = new Map());
    let prepared = states.get(stateName);
    if (!prepared) {
      let checked: CheckedState | { readonly refused: unknown };
      try {
        checked = checkedState(definition, stateName);
      } catch (e) {
        checked = { refused: e };
      }
      prepared = new PreparedState(checked);
      if (states.size < MAX_PREPARED) states.set(stateName, prepared);
    }
    return prepared;
  }
}

/** Most states a cache keeps per definition; past it, each is checked anew. */
const MAX_PREPARED = 1_000;
/**
 * Most one-state machines a cache keeps per state (one per set of variable names the visits
 * have): each holds its state compiled, which may be large; past it, each is compiled anew.
 */
const MAX_RUNS = 16;

/** One state of a definition, as a {@link TestStateCache} keeps it. */
export class PreparedState {
  private readonly runs = new Map<string, OneStateRun>();
  private readonly templates = new WeakMap<object, CompiledTemplate>();
  private standIn: TaskState | undefined;

  constructor(private readonly checked: CheckedState | { readonly refused: unknown }) {}

  /** The checked state, or what refused it thrown again. */
  get found(): CheckedState {
    if ('refused' in this.checked) throw this.checked.refused;
    return this.checked;
  }

  containerStandIn(state: MapState | ParallelState): TaskState {
    return this.standIn ??= containerStandIn(state);
  }

  /** The one-state machine of a run: one per Catch kept or dropped and per set of variable names. */
  oneStateRun(name: string, state: StateDefinition, language: QueryLanguage, withCatch: boolean, initial: Record<string, JsonValue>): OneStateRun {
    const key = `${withCatch}${JSON.stringify(Object.keys(initial))}`;
    let run = this.runs.get(key);
    if (!run) {
      run = compiledRun(name, state, language, withCatch, initial);
      if (this.runs.size < MAX_RUNS) this.runs.set(key, run);
    }
    return run;
  }

  /** A payload template compiled once per object it is given. @internal (its type is asl's own) */
  template(template: JsonValue): CompiledTemplate {
    if (template === null || typeof template !== 'object') return compilePayloadTemplate(template);
    let compiled = this.templates.get(template);
    if (!compiled) this.templates.set(template, compiled = compilePayloadTemplate(template));
    return compiled;
  }
}

export function compiledRun(
  name: string, state: StateDefinition, language: QueryLanguage, withCatch: boolean, initial: Record<string, JsonValue>,
): OneStateRun {
  const { def, edges } = oneStateMachine(name, state, language, withCatch, initial);
  const options: OneStateRun['options'] = {};
  return { machine: compileStateMachine(def, options), options, edges };
}

/** The Task resource a Map or Parallel is replaced by: its result is the mock. */
const CONTAINER_RESOURCE = defaultArn('lambda', 'function:stepwright-test-state');

/**
 * A Map or Parallel as TestState runs it: the mock stands for its iterations
 * or branches, and its own input and result processing (InputPath, Parameters
 * or Arguments of a Parallel, ResultSelector, ResultPath, OutputPath, Output,
 * Assign, Catch) run as they would around that result. A Task with the same
 * fields does exactly that.
 */
export function containerStandIn(state: MapState | ParallelState): TaskState {
  if (state.Type === 'Parallel') {
    const { Branches: _branches, ...own } = state;
    return { ...own, Type: 'Task', Resource: CONTAINER_RESOURCE };
  }
  // The fields that only shape its iterations go; so does its Parameters, the old name of its ItemSelector.
  const {
    ItemProcessor: _processor, Iterator: _iterator, ItemsPath: _itemsPath, Items: _items, ItemSelector: _selector, ItemReader: _reader,
    ItemBatcher: _batcher, ResultWriter: _writer, MaxConcurrency: _concurrency, MaxConcurrencyPath: _concurrencyPath,
    ToleratedFailureCount: _count, ToleratedFailureCountPath: _countPath, ToleratedFailurePercentage: _percentage,
    ToleratedFailurePercentagePath: _percentagePath, Label: _label, Parameters: _parameters, ...own
  } = state;
  return { ...own, Type: 'Task', Resource: CONTAINER_RESOURCE };
}
