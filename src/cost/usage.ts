/**
 * What one run used, in the units AWS bills: state transitions (Standard), and a request with
 * its billed duration and memory (Express). Read from the run's AWS-shaped history and, for
 * DISTRIBUTED Map children (which AWS records in histories of their own), from the run's
 * `childExecutions`. Nothing is run here.
 */
import type { StateDefinition, StateMachineDefinition } from '../asl';
import type { MachineType } from '../asl/aws-defaults';
import { factsOf, ATTEMPT_STARTS, isEntered, stateNameOf, TASK_SCHEDULED, type HistoryEvent } from '../asl/history-events';
import { allStates } from '../asl/state-tree';
import type { ChildExecutionUsage } from '../interpreter';

/** What cost reads of a run: an ExecutionResult, a harness run, or anything of that shape. */
export interface CostedRun {
  /** The history, shaped as GetExecutionHistory returns it. */
  readonly history: readonly HistoryEvent[];
  readonly startDate: Date;
  readonly stopDate: Date;
  readonly status?: string;
  readonly error?: string;
  /** Why it failed, when it did: named where an estimate leaves the run out. */
  readonly cause?: string;
  /**
   * The run is a redrive of an earlier run (RedriveExecution), and its history starts at the
   * redrive rather than at an `ExecutionRedriven` event: AWS bills the redrive itself one
   * transition. A history that holds `ExecutionRedriven` events is counted by them instead.
   * @default false
   */
  readonly redrive?: boolean;
  /** The child executions DISTRIBUTED Map states started (the interpreter's ExecutionResult has them). */
  readonly childExecutions?: readonly ChildExecutionUsage[];
}

/** The child executions of one DISTRIBUTED Map state, billed by their own workflow type. */
export interface ChildExecutionsCost {
  readonly mapState: string;
  readonly type: MachineType;
  /** Child executions started. */
  readonly executions: number;
  /** Their state transitions as a Standard workflow bills them (entered states and retries). */
  readonly stateTransitions: number;
  /** Their durations as an Express workflow bills them, added up (each rounded up to 100 ms). */
  readonly billedDurationMs: number;
}

/** What one run used, in AWS's billing units. */
export interface RunUsage {
  /**
   * State transitions of the execution as a STANDARD workflow is billed for them: each state
   * entered, each retry, each redrive, and one for each child execution a DISTRIBUTED Map started. The
   * children's own transitions are in `childExecutions`.
   */
  readonly stateTransitions: number;
  /** States entered (…StateEntered events), the part of `stateTransitions` that is steps. */
  readonly statesEntered: number;
  /** Retries (a Task scheduled again, a Parallel or Map started again within one visit). */
  readonly retries: number;
  /** Child executions started by DISTRIBUTED Map states (one transition each for the parent). */
  readonly childExecutionsStarted: number;
  /**
   * Redrives of the execution (RedriveExecution): AWS bills each one transition, besides the
   * states it runs again. Absent in coverage reports written before it was counted.
   */
  readonly redrives?: number;
  /** How long the run took on its clock (virtual time in tests), in milliseconds. */
  readonly durationMs: number;
  /** The duration an EXPRESS workflow is billed for: rounded up to the next 100 ms, at least 100 ms. */
  readonly billedDurationMs: number;
  /** The largest state input or output the history shows, in bytes of UTF-8. */
  readonly largestPayloadBytes: number;
  /** Map iterations and Parallel branches run, the "Parallel or Map steps" of AWS's memory estimate. */
  readonly parallelOrMapSteps: number;
  /** What DISTRIBUTED Map children used, per Map state and type. */
  readonly childExecutions: readonly ChildExecutionsCost[];
  /** How the run ended, when known. */
  readonly status?: string;
  /** Its error, when it failed with one. */
  readonly error?: string;
}

/** AWS bills Express duration in steps of 100 ms. */
export const BILLING_STEP_MS = 100;

/**
 * An Express execution's duration as AWS bills it: rounded up to the next 100 ms. A run of no
 * time at all (a machine of Pass states on the virtual clock) is billed 100 ms: no execution
 * takes no time on AWS, and 100 ms is the least AWS's rounding bills.
 */
export function billedDurationMs(durationMs: number): number {
  return Math.max(BILLING_STEP_MS, Math.ceil(Math.max(0, durationMs) / BILLING_STEP_MS) * BILLING_STEP_MS);
}

/**
 * The entered event of the state an attempt (an event of ATTEMPT_STARTS) belongs to: the first
 * attempt follows that event directly; a retry follows the failure of the attempt before it (for
 * a Parallel or Map, the last event of the branch that failed, which may be the entered event of
 * a Fail state).
 */
function enteredTypeOf(attemptStart: string): string {
  if (TASK_SCHEDULED.has(attemptStart)) return 'TaskStateEntered';
  return attemptStart === 'ParallelStateStarted' ? 'ParallelStateEntered' : 'MapStateEntered';
}

/** Machines nested deeper than this in a definition from a user's file are not read. */
const MAX_DEPTH = 100;

function payloadBytes(e: HistoryEvent): number {
  const { input, output } = factsOf(e);
  return Math.max(input === undefined ? 0 : Buffer.byteLength(input), output === undefined ? 0 : Buffer.byteLength(output));
}

/**
 * What a run used, in AWS's billing units. The definition, when given, tells how many branches
 * each Parallel state ran (for the memory estimate); counting transitions needs only the history.
 *
 * The counting rules (AWS Step Functions Pricing; "Transitions" in the Developer Guide):
 * - one transition each time a state is entered (every `…StateEntered` event): Pass, Choice,
 *   Wait, Succeed and Fail as much as Task, and the Parallel and Map states themselves;
 * - the states inside Parallel branches and inline Map iterations count like any other, each
 *   time they are entered; starting a branch or an iteration adds none;
 * - each retry counts as one more transition;
 * - starting the execution and its ending are not states and add none;
 * - a redrive counts as one transition ("When you redrive an execution, it's considered as a
 *   state transition"), besides the states it runs again;
 * - a DISTRIBUTED Map is charged one transition for each child execution it starts, and each
 *   child is billed by its own type: a STANDARD child's transitions, an EXPRESS child's request
 *   and duration.
 * @example
 * const usage = usageOf(await wf.run(input), wf.definition);
 * expect(usage.stateTransitions).toBe(6);
 */
export function usageOf(run: CostedRun, definition?: StateMachineDefinition): RunUsage {
  const states = definition ? allStates(definition, { maxDepth: MAX_DEPTH }) : new Map<string, StateDefinition>();
  const history = run.history ?? [];
  const entered = new Map<number, string>();
  let statesEntered = 0;
  let retries = 0;
  let largestPayloadBytes = 0;
  let parallelOrMapSteps = 0;
  let redrives = 0;
  for (const e of history) {
    const type = e.type;
    if (type === 'ExecutionRedriven') {
      redrives++;
    } else if (isEntered(e)) {
      statesEntered++;
      entered.set(e.id, type);
      if (type === 'ParallelStateEntered') {
        const name = stateNameOf(e);
        const def = name !== undefined ? states.get(name) : undefined;
        if (def?.Type === 'Parallel' && Array.isArray(def.Branches)) parallelOrMapSteps += def.Branches.length;
      }
    } else if (ATTEMPT_STARTS.has(type) && entered.get(e.previousEventId) !== enteredTypeOf(type)) {
      retries++;
    } else if (type === 'MapIterationStarted') {
      parallelOrMapSteps++;
    }
    largestPayloadBytes = Math.max(largestPayloadBytes, payloadBytes(e));
  }
  const childExecutions = (run.childExecutions ?? []).map((c): ChildExecutionsCost => ({
    mapState: c.mapState,
    type: c.executionType,
    executions: c.executions,
    stateTransitions: c.statesEntered + c.retries,
    billedDurationMs: c.durationsMs.reduce((sum, ms) => sum + billedDurationMs(ms), 0),
  }));
  const childExecutionsStarted = childExecutions.reduce((n, c) => n + c.executions, 0);
  const durationMs = Math.max(0, run.stopDate.getTime() - run.startDate.getTime());
  if (redrives === 0 && run.redrive === true) redrives = 1;
  return {
    stateTransitions: statesEntered + retries + redrives + childExecutionsStarted,
    statesEntered,
    retries,
    childExecutionsStarted,
    ...(redrives > 0 ? { redrives } : {}),
    durationMs,
    billedDurationMs: billedDurationMs(durationMs),
    largestPayloadBytes,
    parallelOrMapSteps,
    childExecutions,
    ...(run.status !== undefined ? { status: run.status } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
  };
}
