import type { JsonValue, StateMachineDefinition } from '../asl';
import type { MachineType } from '../asl/aws-defaults';
import type { ExecutionLimits, ExecutionResult } from '../interpreter';

/**
 * How one Task call is answered: a result, or an error; `delay` seconds after the call (on the
 * run's virtual clock) when given, as the mocks' `{"Delay": …}` and the harness's `delay()`, the
 * worker sending a heartbeat at each of `heartbeats` seconds after the call meanwhile (the mocks'
 * `"Heartbeats"`, delay()'s `{ heartbeats }`).
 */
export type Outcome =
  | { readonly kind: 'return'; readonly value: JsonValue; readonly delay?: number; readonly heartbeats?: readonly number[] }
  | { readonly kind: 'throw'; readonly error: string; readonly cause?: string; readonly delay?: number; readonly heartbeats?: readonly number[] };

/** One call of a Task (or of a Map's ItemReader or ResultWriter) that a scenario answers. */
export interface TaskCallInfo {
  /** The state's name (the Map's, for its ItemReader and ResultWriter). */
  readonly state: string;
  /** How many times the state was called before in this run (0 for the first): retries, loops and Map iterations count. */
  readonly invocation: number;
  /** The resource called. */
  readonly resource: string;
}

/**
 * Runs the executions explore asks for. Explore decides every Task's answer;
 * the runner turns an answer into the Task's result the way the mocks of a
 * test would, so that a scenario's mocks reproduce its run exactly.
 */
export interface ScenarioRunner {
  /** The definition explored. */
  readonly definition: StateMachineDefinition;
  /** The workflow type the runs have. */
  readonly type: MachineType;
  /**
   * Runs one execution to its end, answering each Task call with `answer`.
   * Its history shows what the child executions of DISTRIBUTED Maps did, as
   * an INLINE Map's iterations (StartOptions.inlineChildEvents), so that explore
   * can follow values into them.
   * @param limits - guards of this run; AWS's when absent
   * @param interrupt - asked before each state and at every JSONata step (StartOptions.interrupt):
   *   when it throws, the run ends and the promise rejects with what it threw
   * @param history - false when only the run's outcome and path are read: a runner may then record no
   *   history events (the run is otherwise the same, event ids and causes included) and give an
   *   empty history, which makes a run to AWS's limit of 25,000 events far cheaper; 'outline' when
   *   only where the run went is read, as `replay`'s 'outline'
   */
  run(
    input: JsonValue, answer: (call: TaskCallInfo) => Outcome, limits?: ExecutionLimits, interrupt?: () => void, history?: boolean | 'outline',
  ): Promise<ExecutionResult>;
  /**
   * Runs one execution with mocks written as JSON, as a scenario reports them
   * (`{"Return": value}`, `{"Throw": {"Error", "Cause"}}`, or a list with one
   * per invocation), to confirm the scenario: as a test runs it, or with
   * `childEvents` with its history showing DISTRIBUTED Maps' child executions
   * as `run` does (to tell what it reaches); `interrupt` as `run`'s. With `history` 'outline', a
   * runner may give a history whose events hold no documents (no input, output, parameters or
   * assigned variables: where the run went, not with what), and with `history` 'none' no events.
   */
  replay(
    input: JsonValue, mocks: Readonly<Record<string, JsonValue>>, childEvents?: boolean, interrupt?: () => void, history?: 'full' | 'outline' | 'none',
  ): Promise<ExecutionResult>;
  /**
   * Runs one execution from mocks written as JSON as a user's test or `stepwright run` runs it:
   * a check's advice stays advice, where explore's own runs fail on it (an error the integration
   * never raises). verify confirms a counterexample so, for it must break the property where the
   * user runs it again. Without it, `replay` confirms.
   */
  replayAsTest?(input: JsonValue, mocks: Readonly<Record<string, JsonValue>>): Promise<ExecutionResult>;
  /**
   * Where in a Task's result the answer's value appears: `['Payload']` when
   * the runner wraps it in a Lambda invoke envelope, `[]` when the value is
   * the result itself.
   */
  resultPrefix(resource: string): ReadonlyArray<string | number>;
}
