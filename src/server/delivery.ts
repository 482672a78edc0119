/*
 * At-least-once delivery in serve (ServerOptions.delivery), as the harness does it
 * (workbench/delivery.ts), where AWS may deliver more than once: in an asynchronous EXPRESS
 * execution, each Task invocation the seed chooses is delivered again, and the execution is
 * started over before the run that counts, each lost run cut after a Task invocation the seed
 * chooses. STANDARD executions and StartSyncExecution's run each Task once.
 */
import type { ExecutionRecord } from './model';
import type { TaskRouter } from './tasks';
import type { JsonValue } from '../asl/definition-types';
import type { TaskAnswer, TaskRequest } from '../interpreter/execution-types';
import type { Execution } from '../interpreter/state-machine';
import { Deliverer, RestartCut, type DeliveryPlan } from '../workbench/delivery';

/** The error a lost run is stopped with; it ends ABORTED, and nobody reads it but the log. */
const LOST = 'States.Restarted';

/** A run of an execution that AWS loses: where it was cut, once it was. */
interface LostRun {
  readonly cut: RestartCut;
  after?: string;
}

/**
 * Delivers the Task invocations of every run of the server's executions as the delivery plan
 * says; without a plan, each once.
 * @internal
 */
export class ServerDelivery {
  private readonly deliverers = new WeakMap<Execution, Deliverer>();
  private readonly lost = new WeakMap<Execution, LostRun>();

  constructor(private readonly plan: DeliveryPlan | undefined, private readonly router: TaskRouter) {}

  /**
   * How many times an execution is started over before the run that counts: the plan's
   * `restarts` for an asynchronous EXPRESS execution (StartExecution), which AWS runs at least
   * once; none for a STANDARD one (exactly once), a synchronous EXPRESS one (StartSyncExecution:
   * at most once, never restarted) or a redrive.
   */
  restartsOf(record: ExecutionRecord, redrive: boolean): number {
    if (!this.plan || !this.atLeastOnce(record) || redrive) return 0;
    return this.plan.restarts;
  }

  /**
   * Watches a run that counts, when it is an asynchronous EXPRESS execution's. Its choices come from the delivery seed and which run of the
   * execution it is (`runIndex`: the first, a redrive), never from the execution's own random
   * seed: every execution of a machine, its run again after a restart of the server, and the
   * harness's run with the same seed re-deliver the same invocations.
   */
  watch(execution: Execution, runIndex: number, record: ExecutionRecord): void {
    if (this.plan && this.atLeastOnce(record)) this.deliverers.set(execution, new Deliverer(this.plan, runIndex * 7919));
  }

  /**
   * Whether AWS may deliver this execution's Task invocations more than once: only an
   * asynchronous EXPRESS execution's ("Execution guarantees" in the Developer Guide). A STANDARD
   * execution runs exactly once, and its Tasks once each (Retry aside); a synchronous EXPRESS one
   * (StartSyncExecution) at most once.
   */
  private atLeastOnce(record: ExecutionRecord): boolean {
    return record.express && record.sync !== true;
  }

  /** Watches lost run `restart` (0-based) of an execution: cut as the harness cuts its restart of that index. */
  watchLost(execution: Execution, restart: number): void {
    const plan = this.plan!;
    this.deliverers.set(execution, new Deliverer(plan, restart + 1));
    this.lost.set(execution, { cut: new RestartCut(plan.seed, restart) });
  }

  /** The Task after whose invocation a lost run was cut; undefined when it ended before a cut. */
  lostAfter(execution: Execution): string | undefined {
    return this.lost.get(execution)?.after;
  }

  /** The interpreter's defaultTaskHandler for a run of `record`: the router, as often as the plan says. */
  handle(input: JsonValue, request: TaskRequest, record: ExecutionRecord): TaskAnswer | Promise<TaskAnswer> {
    const execution = request.execution as Execution;
    const deliverer = this.deliverers.get(execution);
    if (!deliverer) return this.router.handle(input, request);
    const answer = deliverer.deliver(input, request, {
      nextInvocation: (state) => record.invocations.get(state) ?? 0,
      handle: (i, r, again) => {
        // A duplicate answers as the invocation it repeats: the same MockConfigFile response.
        if (again !== undefined) record.invocations.set(r.stateName, again);
        return this.router.handle(i, r);
      },
      discardHold: () => undefined,
    });
    const lost = this.lost.get(execution);
    if (!lost || lost.after !== undefined || !lost.cut.cutsHere()) return answer;
    // The execution loses its state after this call, and AWS starts it over. Stopped once the
    // answer is in, with the run waiting on it, so that it ends there (ABORTED).
    lost.after = request.stateName;
    const stop = (): void => request.execution.stop(LOST, 'at-least-once delivery: the execution was started over after this Task');
    return Promise.resolve(answer).then((v) => { stop(); return v; }, (e: unknown) => { stop(); throw e; });
  }
}
