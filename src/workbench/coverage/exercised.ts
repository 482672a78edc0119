import { addCount, emptyHits, type CoverageHits } from './model';
import type { StateMachineDefinition } from '../../asl';
import type { HistoryEvent } from '../../asl/history-events';
import type { ExecutionTrace } from '../../explore';
import { traceExecution } from '../../explore/trace';

// explore's tracer, which evaluates a Choice's rules (with its readers of JSONPath, JSONata and the
// services' contracts), is loaded by the first run that leaves a Choice's branch open.
let tracer: typeof import('../../explore/choice-taken') | undefined;

/**
 * What one run exercised, for the coverage model: the states, transitions, Choice branches,
 * Catch handlers and retriers its history shows, and those of the child executions its
 * DISTRIBUTED Maps started, whose histories AWS keeps apart from the parent's (each is told to
 * {@link child} as it ends, and counted then: the histories are not held).
 * @internal
 */
export class RunExercise {
  private readonly hits = emptyHits();
  /** The children's traces, counted one after another as they come. */
  private children: Promise<void> = Promise.resolve();

  constructor(private readonly definition: StateMachineDefinition) {}

  /** A child execution's history, as the interpreter tells it (StartOptions.childHistories). */
  readonly child = (history: readonly HistoryEvent[]): void => {
    this.children = this.children.then(() => this.add(history));
  };

  /** Every hit of the run whose history this is, its children's included. */
  async total(history: readonly HistoryEvent[]): Promise<CoverageHits> {
    await this.add(history);
    await this.children;
    return this.hits;
  }

  private async add(history: readonly HistoryEvent[]): Promise<void> {
    const trace = traceExecution(this.definition, history);
    // The history alone tells every branch taken (no Choice, or each visit went where one branch leads).
    if (trace.undecided.length === 0) {
      addTrace(this.hits, trace);
      return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    tracer ??= require('../../explore/choice-taken') as typeof import('../../explore/choice-taken');
    addTrace(this.hits, await tracer.traceRun(this.definition, history));
  }
}

/** Adds a trace's counts to `hits`, leaving out the start transitions (`^ -> S`), which are no coverage item. */
function addTrace(hits: CoverageHits, trace: ExecutionTrace): void {
  const add = (into: Record<string, number>, from: ReadonlyMap<string, number>): void => {
    for (const [k, n] of from) if (!k.startsWith('^ ')) addCount(into, k, n);
  };
  add(hits.states, trace.states);
  add(hits.transitions, trace.transitions);
  add(hits.choices, trace.choices);
  add(hits.catches, trace.catches);
  add(hits.retries, trace.retriers);
}
