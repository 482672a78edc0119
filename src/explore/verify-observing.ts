import type { Outcome, ScenarioRunner, TaskCallInfo } from './runner';
import type { JsonValue } from '../asl';
import type { ExecutionLimits, ExecutionResult } from '../interpreter';

/** The runner explore searches with, telling verify of every run it makes: input, Task answers and result. */
export class ObservingRunner implements ScenarioRunner {
  /**
   * @param readsHistory true when a property is a predicate over the run, which may read its
   *   history: every run it is told of then records one, even where explore asks for none
   */
  constructor(
    private readonly inner: ScenarioRunner,
    private readonly observe: (input: JsonValue, calls: Map<string, Outcome[]>, result: ExecutionResult, partial: boolean) => void,
    private readonly readsHistory: boolean,
  ) {}

  get definition() { return this.inner.definition; }
  get type() { return this.inner.type; }

  async run(
    input: JsonValue, answer: (call: TaskCallInfo) => Outcome, limits?: ExecutionLimits, interrupt?: () => void, history?: boolean | 'outline',
  ): Promise<ExecutionResult> {
    const calls = new Map<string, Outcome[]>();
    const result = await this.inner.run(input, (call) => {
      const outcome = answer(call);
      let list = calls.get(call.state);
      if (!list) calls.set(call.state, list = []);
      list[call.invocation] = outcome;
      return outcome;
    }, limits, interrupt, this.readsHistory ? true : history);
    // A run cut by explore's own bound on states is a prefix of a longer run.
    const partial = limits?.maxTransitions !== undefined && result.path.length >= limits.maxTransitions;
    this.observe(input, calls, result, partial);
    return result;
  }

  // A replay confirms a scenario for explore's report: no property is told of it.
  replay(
    input: JsonValue, mocks: Readonly<Record<string, JsonValue>>, childEvents?: boolean, interrupt?: () => void, history?: 'full' | 'outline' | 'none',
  ): Promise<ExecutionResult> {
    return this.inner.replay(input, mocks, childEvents, interrupt, history);
  }

  // The counterexample's confirmation as a test runs it: no property is told of it either.
  replayAsTest(input: JsonValue, mocks: Readonly<Record<string, JsonValue>>): Promise<ExecutionResult> {
    return this.inner.replayAsTest ? this.inner.replayAsTest(input, mocks) : this.inner.replay(input, mocks);
  }

  resultPrefix(resource: string): ReadonlyArray<string | number> {
    return this.inner.resultPrefix(resource);
  }
}
