import type * as sdk from '@aws-sdk/client-sfn';
import type { ExecutionRecord } from './model';
import type { OnTheWire } from './operations/operation-table';
import { date } from './values';
import type { JsonValue } from '../asl';
import { PAYLOAD_FIELDS, detailsKeyOf } from '../asl/history-events';
import type { Execution } from '../interpreter';
import type { HistoryEvent, HistoryRecorder, RecordedEvent } from '../interpreter/history-recorder';
import { resumePointOf, type StateEventSource } from '../workbench/replay/resume-point';

/** One run of an execution: the live interpreter execution, or its history read back from the journal. @internal */
export type Segment = Execution | HistoryRecorder;

function recorderOf(segment: Segment): HistoryRecorder {
  return 'historyRecorder' in segment ? segment.historyRecorder : segment;
}

/**
 * An execution's whole history, read an event at a time: its first run, then
 * each redrive's run after an `ExecutionRedriven` event, numbered on from the
 * run before. Nothing is rendered or copied until an event is asked for, so a
 * page of a 25,000-event history costs the page. Runs still going grow; make a
 * view for each read.
 * @internal
 */
export class ExecutionHistory implements StateEventSource {
  private readonly recorders: HistoryRecorder[];
  /** Where each run starts in the whole history. */
  private readonly offsets: number[];
  /** The redriveCount of each run's ExecutionRedriven event (0 for the first). */
  private readonly redrives: number[];
  public readonly length: number;
  /**
   * The redriveCount of each Map Run a redrive ran again, by event index: its MapRunStarted is
   * AWS's MapRunRedriven. Found on first need (a history with no redrive never looks).
   */
  private mapRunRedrives: Map<number, number> | undefined;

  constructor(e: ExecutionRecord) {
    this.recorders = e.segments.map(recorderOf);
    this.offsets = [];
    this.redrives = [];
    let offset = 0;
    const last = this.recorders.length - 1;
    this.recorders.forEach((recorder, index) => {
      this.offsets.push(offset);
      // Every run after the first is one redrive; a history read back may hold earlier ones already.
      this.redrives.push(index === 0 ? 0 : e.redriveCount - (last - index));
      offset += recorder.length;
    });
    this.length = offset;
  }

  typeAt(index: number): string {
    const [run, local] = this.locate(index);
    if (run > 0 && local === 0 && this.recorders[run].typeAt(0) === 'ExecutionStarted') return 'ExecutionRedriven';
    const type = this.recorders[run].typeAt(local);
    return run > 0 && type === 'MapRunStarted' && this.redrivenMapRuns().has(index) ? 'MapRunRedriven' : type;
  }

  /** Event `index` (0-based), AWS-shaped. */
  eventAt(index: number): HistoryEvent {
    const [run, local] = this.locate(index);
    const recorder = this.recorders[run];
    if (run === 0) return recorder.eventAt(local);
    const offset = this.offsets[run];
    if (local === 0 && recorder.typeAt(0) === 'ExecutionStarted') {
      return {
        timestamp: new Date(recorder.recordedAt(0).timestamp),
        type: 'ExecutionRedriven',
        id: offset + 1,
        previousEventId: offset,
        executionRedrivenEventDetails: { redriveCount: this.redrives[run] },
      };
    }
    const ev = recorder.eventAt(local);
    const redriveCount = ev.type === 'MapRunStarted' ? this.redrivenMapRuns().get(index) : undefined;
    if (redriveCount !== undefined) {
      const { mapRunStartedEventDetails: details, ...rest } = ev;
      return {
        ...rest,
        type: 'MapRunRedriven',
        id: ev.id + offset,
        previousEventId: renumber(ev.previousEventId, offset),
        mapRunRedrivenEventDetails: { ...(details as object), redriveCount },
      };
    }
    return { ...ev, id: ev.id + offset, previousEventId: renumber(ev.previousEventId, offset) };
  }

  /** Event `index` (0-based) as recorded, renumbered into the whole history. */
  recordedAt(index: number): RecordedEvent {
    const [run, local] = this.locate(index);
    const ev = this.recorders[run].recordedAt(local);
    if (run === 0) return ev;
    const offset = this.offsets[run];
    if (local === 0 && ev.type === 'ExecutionStarted') {
      return { type: 'ExecutionRedriven', previousEventId: offset, timestamp: ev.timestamp, key: 'executionRedrivenEventDetails', value: { redriveCount: this.redrives[run] } };
    }
    const redriveCount = ev.type === 'MapRunStarted' ? this.redrivenMapRuns().get(index) : undefined;
    if (redriveCount !== undefined) {
      return {
        ...ev,
        type: 'MapRunRedriven',
        previousEventId: renumber(ev.previousEventId, offset),
        key: 'mapRunRedrivenEventDetails',
        value: { ...(ev.value as object), redriveCount },
      };
    }
    return { ...ev, previousEventId: renumber(ev.previousEventId, offset) };
  }

  /**
   * A redrive runs a DISTRIBUTED Map again under the Map Run it failed in (the interpreter resumes
   * it under its ARN): AWS records MapRunRedriven, not a second MapRunStarted, with the times that
   * Map Run has been redriven so far. The interpreter runs each attempt as an execution of its
   * own, so it records MapRunStarted each time.
   */
  private redrivenMapRuns(): Map<number, number> {
    if (this.mapRunRedrives) return this.mapRunRedrives;
    const found = new Map<number, number>();
    const starts = new Map<string, number>();
    for (let run = 0; run < this.recorders.length; run++) {
      const recorder = this.recorders[run];
      for (let local = 0; local < recorder.length; local++) {
        if (recorder.typeAt(local) !== 'MapRunStarted') continue;
        const arn = (recorder.recordedAt(local).value as { mapRunArn?: unknown } | undefined)?.mapRunArn;
        if (typeof arn !== 'string') continue;
        const before = starts.get(arn) ?? 0;
        if (before > 0) found.set(this.offsets[run] + local, before);
        starts.set(arn, before + 1);
      }
    }
    this.mapRunRedrives = found;
    return found;
  }

  stateAt(index: number): string {
    return this.recordedAt(index).key ?? '';
  }

  inputAt(index: number): JsonValue | undefined {
    return this.recordedAt(index).value as JsonValue | undefined;
  }

  assignedAt(index: number): Record<string, JsonValue> | undefined {
    return this.recordedAt(index).assigned;
  }

  /** The run event `index` is in, and its index there. */
  private locate(index: number): [number, number] {
    if (!(index >= 0 && index < this.length)) throw new RangeError(`event index ${index} is outside the history's ${this.length} events`);
    let run = this.offsets.length - 1;
    while (this.offsets[run] > index) run--;
    return [run, index - this.offsets[run]];
  }
}

function renumber(previousEventId: number, offset: number): number {
  return previousEventId === 0 ? offset + 1 : previousEventId + offset;
}

/**
 * Where a redrive resumes: the top-level state entered last, the input it had,
 * and the top-level variables as they were when it was entered (see
 * {@link resumePointOf}). A redriven Map or Parallel state runs the iterations
 * or branches that did not succeed again, with their own assignments, and keeps
 * the outputs of the others (`ExecutionRecord.completedChildren`).
 */
export function redrivePoint(
  e: ExecutionRecord, history: ExecutionHistory,
): { state: string; input: JsonValue; variables: Record<string, JsonValue> } | undefined {
  return resumePointOf(e.revision.parsed.States, history);
}

/** A history event as GetExecutionHistory answers it. @internal */
export type WireEvent = OnTheWire<sdk.HistoryEvent>;

export function renderEvent(ev: HistoryEvent, e: ExecutionRecord, includeData: boolean): WireEvent {
  const key = detailsKeyOf(ev.type);
  const out: WireEvent = { ...ev, timestamp: date(ev.timestamp.getTime()) };
  const rendered = includeData || key === undefined ? out : withoutPayloads(out, key);
  if (rendered.executionStartedEventDetails === undefined || (!e.versionArn && !e.aliasArn)) return rendered;
  return {
    ...rendered,
    executionStartedEventDetails: {
      ...rendered.executionStartedEventDetails,
      ...(e.versionArn ? { stateMachineVersionArn: e.versionArn } : {}),
      ...(e.aliasArn ? { stateMachineAliasArn: e.aliasArn } : {}),
    },
  };
}

/** The event with its details' payloads (input, output, parameters) left out, as GetExecutionHistory's includeExecutionData false answers it. */
function withoutPayloads<E extends object>(event: E, key: keyof E): E {
  const own = event[key];
  if (own === null || typeof own !== 'object') return event;
  const details = { ...own };
  for (const field of PAYLOAD_FIELDS) Reflect.deleteProperty(details, field);
  return { ...event, [key]: details };
}
