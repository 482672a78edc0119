/**
 * The TestState requests a run's history stands for: one per attempt of each state visit, with
 * the input, variables and Context Object the state saw there and its service call's answer as
 * the mock, and what the run did at that attempt (its status, output, next state, error).
 */
import type { ParityMock, ParityRequest, ParitySite, ParityStateConfiguration } from './types';
import type { JsonObject, JsonValue, MapState, ParallelState, StateDefinition, StateMachineDefinition } from '../../asl';
import { errorMatches } from '../../asl/error-rules';
import { PAYLOAD_FIELDS, isDetailsKey, detailsOf, errorOf, TASK_FAILURE, TASK_SCHEDULED, TASK_SUCCEEDED, type HistoryEvent } from '../../asl/history-events';
import { allStates, declaresTolerance, isDistributedMap } from '../../asl/state-tree';
import { readVisits, variablesAt, type Visit } from '../../explore/visits';
import type { RecordedEvent } from '../replay/format';
import type { TestStateStatus } from '../test-state';

/** One execution to read: its definition and its history, as a recording holds them. */
export interface ParityRun {
  /** The state machine's name, as the report shows it. */
  readonly machine: string;
  readonly definition: StateMachineDefinition;
  /** The execution's name, as the report shows it. */
  readonly name: string;
  readonly executionArn: string;
  readonly input: JsonValue;
  /** How the execution ended: a visit cut short by a timeout or a stop is not compared. */
  readonly status: string;
  readonly startDate?: string;
  readonly roleArn?: string;
  /** The history, oldest first, as a recording holds it: payloads as JSON text or parsed, timestamps as text. */
  readonly events: readonly RecordedEvent[];
}

/** What the run did at one attempt, as far as its history tells. */
export interface VisitFacts {
  readonly status: TestStateStatus;
  readonly output?: JsonValue;
  readonly nextState?: string;
  readonly error?: string;
  readonly cause?: string;
  /** The history does not record the error (a Fail state, a failure in the state's own data flow): stepwright's TestState answers it. */
  readonly errorUnrecorded?: boolean;
}

/** A request made of a visit, and what the run did there. */
export interface VisitRequest {
  readonly site: ParitySite;
  readonly request: ParityRequest;
  readonly facts: VisitFacts;
}

/** A visit that cannot be sent as the run saw it, and why. */
export interface SkippedVisit {
  readonly site: ParitySite;
  readonly reason: string;
}

/** Options of {@link visitRequests}. */
export interface VisitRequestOptions {
  readonly inspectionLevel: 'INFO' | 'DEBUG';
  /** Sent with every mocked result. @default - none: AWS's STRICT */
  readonly fieldValidationMode?: ParityMock['fieldValidationMode'];
  /** The count of visits so far per state of this machine, carried across its runs. */
  readonly visitCounts: Map<string, number>;
}

/** One call of a Task's resource in a visit, and how it ended. */
interface Attempt {
  result?: JsonValue;
  error?: { error: string; cause?: string };
  aborted?: boolean;
}

/** Reads a run's history into the requests its visits stand for, and the visits it cannot send. */
export function visitRequests(run: ParityRun, options: VisitRequestOptions): { requests: VisitRequest[]; skipped: SkippedVisit[] } {
  const states = allStates(run.definition);
  const { visits } = readVisits(normalizedEvents(run.events));
  const requests: VisitRequest[] = [];
  const skipped: SkippedVisit[] = [];
  const cut = run.status === 'TIMED_OUT' || run.status === 'ABORTED';
  for (const visit of visits) {
    const n = (options.visitCounts.get(visit.name) ?? 0) + 1;
    options.visitCounts.set(visit.name, n);
    const site = (attempt: number): ParitySite => ({ machine: run.machine, state: visit.name, visit: n, attempt, run: run.name });
    const state = states.get(visit.name);
    if (!state) {
      skipped.push({ site: site(1), reason: 'the definition has no state of that name' });
      continue;
    }
    const reader = new VisitReader(run, visit, state, options);
    for (const item of reader.read(cut)) {
      if ('reason' in item) skipped.push({ site: site(item.attempt), reason: item.reason });
      else requests.push({ site: site(item.attempt), request: item.request, facts: item.facts });
    }
  }
  return { requests, skipped };
}

type Read = { attempt: number; request: ParityRequest; facts: VisitFacts } | { attempt: number; reason: string };

/** Reads one visit. */
class VisitReader {
  private readonly readsContext: boolean;
  private readonly drawn: string | undefined;

  constructor(
    private readonly run: ParityRun, private readonly visit: Visit, private readonly state: StateDefinition,
    private readonly options: VisitRequestOptions,
  ) {
    ({ readsContext: this.readsContext, drawn: this.drawn } = readingsOf(state));
  }

  read(cut: boolean): Read[] {
    const type = this.state.Type;
    const drawn = this.drawn;
    if (drawn !== undefined) {
      return [{ attempt: 1, reason: `it draws a random value or reads the clock (${drawn}), which TestState draws anew: no two runs of it answer alike` }];
    }
    if (type === 'Task') return this.task(cut);
    if (type === 'Map' || type === 'Parallel') return this.container(cut);
    if (this.readsContext) {
      // "context: This field may only be specified if a mock is specified in the same request" (TestState, API Reference).
      return [{ attempt: 1, reason: `it reads the Context Object, which TestState takes only with a mock, and a ${type} state takes none` }];
    }
    if (!this.visit.exited) {
      if (this.stopped()) return [{ attempt: 1, reason: 'it was stopped (its branch or execution ended) before it went on' }];
      if (cut) return [{ attempt: 1, reason: `the execution ended ${this.run.status} during this visit` }];
      return [{ attempt: 1, request: this.request(undefined), facts: { status: 'FAILED', errorUnrecorded: true } }];
    }
    return [{ attempt: 1, request: this.request(undefined), facts: this.exitFacts('SUCCEEDED') }];
  }

  private task(cut: boolean): Read[] {
    const attempts = taskAttempts(this.visit.events);
    if (attempts.length === 0) return [this.beforeItsCall(cut, {})];
    const out: Read[] = [];
    const retriers = 'Retry' in this.state ? this.state.Retry ?? [] : [];
    const retried = new Map<number, number>();
    attempts.forEach((a, i) => {
      const last = i === attempts.length - 1;
      if (a.aborted) {
        out.push({ attempt: i + 1, reason: 'the call was stopped (its branch or execution ended) before it answered' });
        return;
      }
      if (a.result === undefined && !a.error) {
        out.push({ attempt: i + 1, reason: 'the call had not answered when the history ends' });
        return;
      }
      if (a.result !== undefined) {
        const mock: ParityMock = { result: a.result, ...this.validation() };
        if (!last) out.push({ attempt: i + 1, reason: 'the history shows another attempt after one that succeeded' });
        else if (this.visit.exited) out.push({ attempt: i + 1, request: this.request(mock, i), facts: this.exitFacts('SUCCEEDED') });
        else if (cut) out.push({ attempt: i + 1, reason: `the execution ended ${this.run.status} during this visit` });
        // The call answered and the state failed after it, in its ResultSelector or ResultPath: the history records no error for that.
        else out.push({ attempt: i + 1, request: this.request(mock, i), facts: { status: 'FAILED', errorUnrecorded: true } });
        return;
      }
      const error = a.error!;
      const retrier = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error.error));
      const count = retrier >= 0 ? retried.get(retrier) ?? 0 : 0;
      if (retrier >= 0) retried.set(retrier, count + 1);
      const config: ParityStateConfiguration | undefined = count > 0 ? { retrierRetryCount: count } : undefined;
      const request = this.request({ errorOutput: error }, i, config);
      const failure = { error: error.error, ...(error.cause !== undefined ? { cause: error.cause } : {}) };
      if (!last) out.push({ attempt: i + 1, request, facts: { status: 'RETRIABLE', ...failure } });
      else if (this.visit.exited) out.push({ attempt: i + 1, request, facts: { ...this.exitFacts('CAUGHT_ERROR'), ...failure } });
      else if (cut) out.push({ attempt: i + 1, reason: `the execution ended ${this.run.status} before the state went on` });
      else out.push({ attempt: i + 1, request, facts: { status: 'FAILED', ...failure } });
    });
    return out;
  }

  /** A Map or Parallel: its last attempt, with its iterations' or branches' outputs (or the error one of them raised) as the mock. */
  private container(cut: boolean): Read[] {
    const state = this.state as MapState | ParallelState;
    if (state.Type === 'Map') {
      if (state.ItemReader !== undefined) return [{ attempt: 1, reason: 'a Map with an ItemReader is tested with the data it read (mapItemReaderData), which its history does not hold' }];
      if (state.ResultWriter !== undefined) return [{ attempt: 1, reason: "a Map with a ResultWriter is mocked with the writer's answer, which its history does not hold" }];
      if (isDistributedMap(state)) return [{ attempt: 1, reason: "a DISTRIBUTED Map's iterations are child executions with histories of their own" }];
    }
    const starts = this.visit.events.map((e, i) => [e, i] as const).filter(([e]) => e.type === 'MapStateStarted' || e.type === 'ParallelStateStarted');
    if (starts.length === 0) return [this.beforeItsCall(cut, state.Type === 'Map' ? [] : state.Branches.map(() => null))];
    const attempt = starts.length;
    const earlier: Read[] = starts.slice(0, -1).map((_s, i) => ({ attempt: i + 1, reason: `an attempt of a ${state.Type} that failed and was retried is not compared (only its last attempt)` }));
    const startId = starts[starts.length - 1][0].id;
    const children = this.visit.children.filter((c) => c.entered.id > startId);
    const succeeded = this.visit.events.some((e) => e.id > startId && (e.type === 'MapStateSucceeded' || e.type === 'ParallelStateSucceeded'));
    const tolerates = state.Type === 'Map' && declaresTolerance(state);
    if (tolerates && this.visit.events.some((e) => e.id > startId && e.type === 'MapIterationFailed')) {
      // Its outcome turns on how many iterations failed (mapIterationFailureCount), and its result holds what each failed one adds: neither is in the history.
      return [...earlier, { attempt, reason: 'a Map that tolerates failures had iterations that failed, and the history does not hold what they add to its result' }];
    }
    if (!succeeded) {
      if (cut) return [...earlier, { attempt, reason: `the execution ended ${this.run.status} during this visit` }];
      const failed = failingTask(children);
      if (!failed) return [...earlier, { attempt, reason: `the ${state.Type} failed, and no Task inside it holds the error in the history (a Fail state, a failure in its own data flow, or tolerated failures)` }];
      const mock: ParityMock = { errorOutput: failed.error };
      const request = this.request(mock, attempt - 1, { errorCausedByState: failed.state });
      const failure = { error: failed.error.error, ...(failed.error.cause !== undefined ? { cause: failed.error.cause } : {}) };
      const facts: VisitFacts = this.visit.exited ? { ...this.exitFacts('CAUGHT_ERROR'), ...failure } : { status: 'FAILED', ...failure };
      return [...earlier, { attempt, request, facts }];
    }
    const results = state.Type === 'Map' ? this.mapResults(startId) : parallelResults(state, children);
    if (typeof results === 'string') return [...earlier, { attempt, reason: results }];
    if (!this.visit.exited && cut) return [...earlier, { attempt, reason: `the execution ended ${this.run.status} during this visit` }];
    const request = this.request({ result: results, ...this.validation() }, attempt - 1);
    // Not exited after its iterations or branches succeeded: it failed in its ResultSelector or ResultPath.
    return [...earlier, { attempt, request, facts: this.visit.exited ? this.exitFacts('SUCCEEDED') : { status: 'FAILED', errorUnrecorded: true } }];
  }

  /**
   * A state that failed in its own data flow (InputPath, Parameters, ItemsPath…) before calling its
   * resource or starting its iterations: the history holds no answer to mock and no error. TestState
   * needs a mock all the same (without one AWS would call the resource), so a placeholder of the
   * right kind is sent unchecked (fieldValidationMode NONE): the state fails before using it, and
   * if AWS's does not, its answer built on the placeholder differs from the run's failure. The
   * error is stepwright's TestState's for the same request.
   */
  private beforeItsCall(cut: boolean, placeholder: JsonValue): Read {
    if (this.stopped()) return { attempt: 1, reason: 'it was stopped (its branch or execution ended) before its call' };
    if (!this.visit.exited && cut) return { attempt: 1, reason: `the execution ended ${this.run.status} during this visit` };
    const request = this.request({ result: placeholder, fieldValidationMode: 'NONE' });
    const facts: VisitFacts = this.visit.exited ? { ...this.exitFacts('CAUGHT_ERROR'), errorUnrecorded: true } : { status: 'FAILED', errorUnrecorded: true };
    return { attempt: 1, request, facts };
  }

  /** A sibling's failure or a stop ended the visit (its `…StateAborted` event), not the state itself. */
  private stopped(): boolean {
    return this.visit.events.some((e) => e.type.endsWith('StateAborted'));
  }

  /** Each iteration's output, in item order; a reason when one did not succeed. */
  private mapResults(startId: number): JsonValue[] | string {
    const count = this.visit.events.filter((e) => e.id > startId && e.type === 'MapIterationStarted').length;
    const out: JsonValue[] = [];
    for (let i = 0; i < count; i++) {
      const end = this.visit.iterationEnds.get(i);
      if (!end || end.entered.id < startId || end.output === undefined) return `iteration ${i} did not succeed, and the history does not hold what a failed iteration adds to the result`;
      out.push(end.output);
    }
    return out;
  }

  private validation(): Pick<ParityMock, 'fieldValidationMode'> {
    return this.options.fieldValidationMode === undefined ? {} : { fieldValidationMode: this.options.fieldValidationMode };
  }

  private exitFacts(status: 'SUCCEEDED' | 'CAUGHT_ERROR'): VisitFacts {
    const output = this.visit.output;
    const next = this.visit.next?.name;
    return { status, ...(output !== undefined ? { output } : {}), ...(next !== undefined ? { nextState: next } : {}) };
  }

  private request(mock: ParityMock | undefined, retryCount = 0, stateConfiguration?: ParityStateConfiguration): ParityRequest {
    const variables = variablesAt(this.visit);
    return {
      definition: this.run.definition,
      stateName: this.visit.name,
      input: this.visit.input,
      inspectionLevel: this.options.inspectionLevel,
      ...(mock !== undefined ? { mock } : {}),
      ...(mock !== undefined && this.readsContext ? { context: this.context(retryCount) } : {}),
      ...(Object.keys(variables).length > 0 ? { variables } : {}),
      ...(stateConfiguration !== undefined ? { stateConfiguration } : {}),
    };
  }

  /** The Context Object the state saw at this attempt, from what the history tells of the execution. */
  private context(retryCount: number): JsonObject {
    const arn = this.run.executionArn;
    // arn:aws:states:<region>:<account>:execution:<machine>:<name>
    const parts = arn.split(':');
    const machineName = parts[6] ?? this.run.machine;
    const machineArn = parts.length >= 8 ? `${parts.slice(0, 5).join(':')}:stateMachine:${machineName}` : '';
    // A recording read from a file holds the time as text, not a Date: timeText takes either.
    const entered: unknown = this.visit.entered.timestamp;
    // Fields in the order the interpreter gives them; an Express execution, which cannot be redriven, has no RedriveCount.
    const execution: JsonObject = { Id: arn, Input: this.run.input, StartTime: this.run.startDate ?? '', Name: this.run.name, RoleArn: this.run.roleArn ?? '' };
    if (parts[5] !== 'express') execution.RedriveCount = 0;
    const stateInfo: JsonObject = { Name: this.visit.name, EnteredTime: timeText(entered), RetryCount: retryCount };
    return { Execution: execution, StateMachine: { Id: machineArn, Name: machineName }, State: stateInfo };
  }
}

/** What each state's text reads, found once per state: a run visits one state thousands of times, and a state may be 1 MB of text. */
const readings = new WeakMap<StateDefinition, { readonly readsContext: boolean; readonly drawn: string | undefined }>();

function readingsOf(state: StateDefinition): { readonly readsContext: boolean; readonly drawn: string | undefined } {
  let known = readings.get(state);
  if (known === undefined) {
    const text = JSON.stringify(state);
    known = { readsContext: text.includes('$$') || text.includes('$states.context'), drawn: drawsAnew(state) };
    readings.set(state, known);
  }
  return known;
}

/**
 * Functions whose value a TestState call draws anew (a random value, the time), so that its answer
 * cannot equal the run's: the intrinsics and JSONata functions AWS lists as random or as the time.
 */
const DRAWN = /States\.UUID\(|States\.MathRandom\(|\$uuid\(|\$random\(|\$now\(|\$millis\(/;

/** The first such function the state's own fields call (not its branches' or iterations'), or undefined. */
function drawsAnew(state: StateDefinition): string | undefined {
  return DRAWN.exec(JSON.stringify(ownFields(state)))?.[0].slice(0, -1);
}

/** The state without the machines it runs: a Parallel's branches, a Map's item processor. */
function ownFields(state: StateDefinition): object {
  if (state.Type === 'Parallel') {
    const { Branches: _branches, ...own } = state;
    return own;
  }
  if (state.Type === 'Map') {
    const { ItemProcessor: _processor, Iterator: _iterator, ...own } = state;
    return own;
  }
  return state;
}

function timeText(t: unknown): string {
  if (t instanceof Date) return t.toISOString();
  return typeof t === 'string' ? t : '';
}

/** The calls a Task visit made, in order, each with its answer. */
function taskAttempts(events: readonly HistoryEvent[]): Attempt[] {
  const out: Attempt[] = [];
  for (const e of events) {
    if (TASK_SCHEDULED.has(e.type)) {
      out.push({});
      continue;
    }
    const current = out[out.length - 1];
    if (!current) continue;
    if (TASK_SUCCEEDED.has(e.type)) current.result = payload(detailsOf(e)?.output) ?? null;
    else if (TASK_FAILURE.test(e.type)) current.error = failureOf(e);
    else if (e.type === 'TaskStateAborted' && !current.error && current.result === undefined) current.aborted = true;
  }
  return out;
}

function failureOf(e: HistoryEvent): { error: string; cause?: string } {
  const cause = detailsOf(e)?.cause;
  return { error: errorOf(e) ?? '', ...(typeof cause === 'string' ? { cause } : {}) };
}

/** The Task inside a failed Map or Parallel attempt whose error failed it: the last one that failed without going on. */
function failingTask(children: readonly Visit[]): { state: string; error: { error: string; cause?: string } } | undefined {
  let found: { state: string; error: { error: string; cause?: string }; at: number } | undefined;
  for (const c of children) {
    if (c.exited) continue;
    const attempts = taskAttempts(c.events);
    const last = attempts[attempts.length - 1];
    if (!last?.error) continue;
    const failure = [...c.events].reverse().find((e) => TASK_FAILURE.test(e.type))!;
    if (!found || failure.id > found.at) found = { state: c.name, error: last.error, at: failure.id };
  }
  return found && { state: found.state, error: found.error };
}

/** Each branch's output, in branch order: the output of the visit that ended the branch. */
function parallelResults(state: ParallelState, children: readonly Visit[]): JsonValue[] | string {
  const out: JsonValue[] = [];
  for (let b = 0; b < state.Branches.length; b++) {
    const names = allStates(state.Branches[b]);
    const end = children.find((c) => names.has(c.name) && c.exited && c.next === undefined);
    const output = end?.output;
    if (output === undefined) return `branch ${b} has no end in the history`;
    out.push(output);
  }
  return out;
}

function payload(value: unknown): JsonValue {
  if (typeof value !== 'string') return (value ?? null) as JsonValue;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

/** The events with their payloads as JSON text (a recording may hold them parsed), timestamps kept. */
function normalizedEvents(events: readonly RecordedEvent[]): HistoryEvent[] {
  return events.map((e) => {
    let copy: { -readonly [K in keyof RecordedEvent]: RecordedEvent[K] } | undefined;
    for (const [k, details] of Object.entries(e)) {
      if (!isDetailsKey(k) || details === null || typeof details !== 'object') continue;
      const d = details as Record<string, unknown>;
      const texts = PAYLOAD_FIELDS.filter((f) => Object.hasOwn(d, f) && typeof d[f] !== 'string' && d[f] !== undefined);
      if (texts.length === 0) continue;
      copy ??= { ...e };
      const fixed = { ...d };
      for (const f of texts) fixed[f] = JSON.stringify(d[f]);
      copy[k] = fixed;
    }
    // A recording's event is read as the interpreter's: its timestamp stays text (context() reads
    // either), and a placeholder id of a recording of concurrent events stays as it is.
    // eslint-disable-next-line no-restricted-syntax -- explore's visits read only HistoryEvent, whose id is a number and timestamp a Date
    return (copy ?? e) as unknown as HistoryEvent;
  });
}
