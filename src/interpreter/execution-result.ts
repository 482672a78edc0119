import type { ChildExecutionUsage, CompletedChildren, ExecutionResult, ExecutionStatus, UnrecordedValue } from './execution-types';
import type { HistoryEvent, HistoryRecorder } from './history-recorder';
import type { JsonValue } from '../asl';

/** An execution's outcome; the history is rendered on first read. */
/** @internal */
export class Result implements ExecutionResult {
  public output?: JsonValue;
  public error?: string;
  public cause?: string;

  // ES private fields stay out of equality checks and snapshots of the result.
  readonly #recorder: HistoryRecorder;
  readonly #startMs: number;
  readonly #stopMs: number;
  #children: CompletedChildren | undefined;
  #childExecutions: readonly ChildExecutionUsage[] | undefined;
  #unrecorded: readonly UnrecordedValue[] | undefined;

  constructor(
    recorder: HistoryRecorder,
    public readonly path: string[],
    public readonly executionArn: string,
    startMs: number,
    stopMs: number,
    public readonly status: ExecutionStatus,
  ) {
    this.#recorder = recorder;
    this.#startMs = startMs;
    this.#stopMs = stopMs;
  }

  get history(): HistoryEvent[] { return this.#recorder.toEvents(); }
  get startDate(): Date { return new Date(this.#startMs); }
  get stopDate(): Date { return new Date(this.#stopMs); }
  get completedChildren(): CompletedChildren | undefined { return this.#children; }
  get childExecutions(): readonly ChildExecutionUsage[] | undefined { return this.#childExecutions; }
  /** @internal The values it met whose handling on AWS is not recorded, for the run's advice (the workbench reads it by name, as it reads a WorkflowRun's advice). */
  get unrecorded(): readonly UnrecordedValue[] { return this.#unrecorded ?? []; }

  /** @internal */
  keepChildren(children: CompletedChildren | undefined): void {
    this.#children = children;
  }

  /** @internal */
  keepChildExecutions(usage: readonly ChildExecutionUsage[]): void {
    this.#childExecutions = usage;
  }

  /** @internal */
  keepUnrecorded(values: readonly UnrecordedValue[]): void {
    this.#unrecorded = values;
  }
}
