/**
 * `stepwright parity`: each state visit of a user's local runs (or each case given) sent to
 * TestState with the same input, variables, Context Object and mock, and AWS's answer compared
 * with what stepwright did there. The command line, the MCP tool and the jest reporter all
 * call {@link checkParity}.
 */
import { caseFileOf, writeCaseFile, type ParityCaseFile } from './case-file';
import { compareAnswers } from './compare';
import { localTestState, withFacts } from './local';
import { sdkEndpoint, type EndpointOptions, type TestStateEndpoint } from './remote';
import { definitionText, sizeProblem, wireInput, type TestStateWireInput } from './request';
import { REAL_CLOCK, sendAll, type ParityClock, type Sent } from './schedule';
import { ParityError, type ParityAnswer, type ParityReport, type ParityRequest, type ParityRow, type ParitySite, type ParityVerdict } from './types';
import { visitRequests, type ParityRun } from './visit-cases';
import type { StateMachineDefinition } from '../../asl';
import type { MockValidation } from '../mocks';
import { TestStateCache } from '../test-state';

export { caseFileOf, loadCaseFile, loadCases, parseCaseFile, writeCaseFile, PARITY_CASE_FORMAT, PARITY_CASE_VERSION, type ParityCaseFile } from './case-file';
export { compareAnswers, sameJson } from './compare';
export { parityTable } from './table';
export { sizeProblem, wireInput, MAX_INPUT_BYTES, MAX_REQUEST_BYTES, TEST_STATE_LIMITS, type TestStateWireInput } from './request';
export { backoffMs, REAL_CLOCK, type ParityClock } from './schedule';
export { EndpointFault, parsedAnswer, type EndpointOptions, type TestStateEndpoint } from './remote';
export { runsOfRecordings, readRunsFile, readRunsText, recordingOfExecution } from './runs';
export { visitRequests, type ParityRun, type VisitFacts } from './visit-cases';
export * from './types';

/** A case file as read, with where it came from. */
export interface LoadedCase {
  readonly file: string;
  readonly case: ParityCaseFile;
}

/** What a parity check compares: the visits of runs, and cases given as they are. */
export interface ParitySource {
  /** Executions (a jest run's, a MockConfigFile's test cases run locally, or recorded ones). */
  readonly runs?: readonly ParityRun[];
  /** Conformance case files: their request, and with `recorded`, AWS's answer they hold. */
  readonly cases?: readonly LoadedCase[];
}

/** Options of {@link checkParity}. */
export interface ParityOptions extends EndpointOptions {
  /**
   * Compare with the answers the case files hold, and call nothing.
   * @default false
   */
  readonly recorded?: boolean;
  /**
   * `DEBUG` compares each stage of the data flow as well as the outcome; `INFO` the outcome only.
   * @default 'DEBUG'
   */
  readonly inspectionLevel?: 'INFO' | 'DEBUG';
  /**
   * Sent as `mock.fieldValidationMode` with each mocked result of a run's visit.
   * @default - none: AWS's default, STRICT
   */
  readonly fieldValidationMode?: MockValidation;
  /** TestState calls in flight at once, 1 to 10. @default 2 */
  readonly concurrency?: number;
  /** TestState calls in all, retries included; the visits past it are reported unchecked. @default 1000 */
  readonly maxCalls?: number;
  /** Retries of one call after ThrottlingException. @default 6 */
  readonly maxThrottleRetries?: number;
  /** A folder to write a conformance case file into for each difference. @default - none written */
  readonly writeCases?: string;
  /** Keep the conformance case of each difference in the report (`cases`), for a caller that writes them itself. @default false */
  readonly keepCases?: boolean;
  /** Called as each visit is compared. @default - nothing */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * The TestState to call instead of one made from endpoint, region and profile.
   * @internal
   */
  readonly testStateEndpoint?: TestStateEndpoint;
  /** The clock back-offs wait on. @default - real time @internal */
  readonly clock?: ParityClock;
  /** The back-off's jitter. @default Math.random @internal */
  readonly random?: () => number;
  /** When case files are stamped. @default - now @internal */
  readonly now?: () => Date;
}

/** A request to compare, and the local answer and (for a case file) the recorded one. */
interface Item {
  readonly site: ParitySite;
  readonly request: ParityRequest;
  readonly local: ParityAnswer;
  readonly recorded?: ParityAnswer;
  readonly wire: TestStateWireInput;
}

/**
 * Sends each state visit of the runs (and each case) to TestState and compares the answers with
 * what stepwright did: the outcome (status, output, next state, error and cause) and every stage
 * of the data flow TestState reports. A visit whose request is over one of TestState's limits
 * is not sent, and reported as skipped with the limit.
 * @throws ParityError for options that cannot work, or a TestState that cannot be reached
 * @example
 * const report = await checkParity({ runs }, { region: 'eu-west-1', writeCases: 'parity-cases' });
 * console.log(parityTable(report));
 */
export async function checkParity(source: ParitySource, options: ParityOptions = {}): Promise<ParityReport> {
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10) throw new ParityError(`concurrency must be a whole number from 1 to 10, got ${String(options.concurrency)}`);
  const maxCalls = options.maxCalls ?? 1000;
  if (!Number.isInteger(maxCalls) || maxCalls < 1) throw new ParityError(`maxCalls must be a whole number of 1 or more, got ${String(options.maxCalls)}`);
  const maxThrottleRetries = options.maxThrottleRetries ?? 6;
  if (!Number.isInteger(maxThrottleRetries) || maxThrottleRetries < 0) throw new ParityError(`maxThrottleRetries must be a whole number of 0 or more, got ${String(options.maxThrottleRetries)}`);
  if (options.recorded === true && (source.runs ?? []).length > 0) {
    throw new ParityError('recorded answers come from case files (--cases); the visits of runs are compared with a TestState: drop --recorded, or give case files only');
  }
  const level = options.inspectionLevel ?? 'DEBUG';
  const rows: Array<ParityRow | undefined> = [];
  const pending: Array<{ item: Omit<Item, 'local'>; local: () => Promise<ParityAnswer>; row: number }> = [];
  const add = (site: ParitySite, request: ParityRequest, local: () => Promise<ParityAnswer>, recorded?: ParityAnswer): void => {
    const wire = wireInput(request);
    const problem = sizeProblem(wire);
    if (problem !== undefined) {
      rows.push({ site, verdict: 'skipped', reason: `not sent: ${problem}` });
      return;
    }
    pending.push({ item: { site, request, ...(recorded ? { recorded } : {}), wire }, local, row: rows.length });
    rows.push(undefined);
  };
  const counts = new Map<string, Map<string, number>>();
  // The visits of a run share its definition, and the runs of one machine (each recording read
  // apart) one copy of it: each state of a machine is checked and compiled here once.
  const cache = new TestStateCache();
  const machines = new Map<string, StateMachineDefinition>();
  for (const given of source.runs ?? []) {
    const text = definitionText(given.definition);
    const definition = machines.get(text) ?? given.definition;
    machines.set(text, definition);
    const run = definition === given.definition ? given : { ...given, definition };
    let visitCounts = counts.get(run.machine);
    if (!visitCounts) counts.set(run.machine, visitCounts = new Map());
    const mode = options.fieldValidationMode;
    const { requests, skipped } = visitRequests(run, { inspectionLevel: level, visitCounts, ...(mode ? { fieldValidationMode: mode } : {}) });
    for (const s of skipped) rows.push({ site: s.site, verdict: 'skipped', reason: s.reason });
    for (const r of requests) add(r.site, r.request, async () => withFacts(await localTestState(r.request, cache), r.facts));
  }
  for (let i = 0; i < (source.cases ?? []).length; i++) {
    const c = source.cases![i];
    const site: ParitySite = { machine: c.file, state: c.case.request.stateName || '(the state)', visit: i + 1, attempt: 1 };
    add(site, c.case.request, () => localTestState(c.case.request), c.case.aws);
  }
  // stepwright's own answer only where it is compared: a request past the calls the check may make
  // is never sent (sendAll sends them in order, one call at least each), and is left unchecked. A
  // runs file's 12,500 visits of a state of 700 KB took 45 ms each to answer here, to be dropped.
  const answered = options.recorded === true ? pending.length : Math.min(pending.length, maxCalls);
  const items: Array<{ item: Item; row: number }> = [];
  for (let i = 0; i < pending.length; i++) {
    const { item, local, row } = pending[i];
    items.push({ item: { ...item, local: i < answered ? await local() : UNANSWERED }, row });
  }
  const now = options.now ?? (() => new Date());
  let calls = 0;
  let throttled = 0;
  let stopped: string | undefined;
  let against = options.recorded === true ? 'recorded answers' : options.endpoint ?? `AWS (${options.region ?? 'the SDK\'s region'})`;
  // Answers come in any order: each difference's case is kept by its row, and listed in the rows' order.
  const kept = new Map<number, ParityCaseFile>();
  const settle = (entry: { item: Item; row: number }, sent: Sent): void => {
    const keep = options.keepCases === true ? (file: ParityCaseFile) => kept.set(entry.row, file) : undefined;
    rows[entry.row] = verdictOf(entry.item, sent, { writeCases: options.writeCases, keep, against, now });
  };
  if (options.recorded === true) {
    for (const entry of items) settle(entry, { answer: entry.item.recorded! });
  } else if (items.length > 0) {
    const endpoint = options.testStateEndpoint ?? await sdkEndpoint(options);
    against = endpoint.against;
    try {
      let done = 0;
      const tally = await sendAll(items.map((e) => e.item.wire), endpoint, {
        concurrency, maxCalls, maxThrottleRetries, clock: options.clock ?? REAL_CLOCK, random: options.random ?? Math.random,
      }, (index, sent) => {
        settle(items[index], sent);
        options.onProgress?.(++done, items.length);
      });
      ({ calls, throttled, stopped } = tally);
    } finally {
      if (options.testStateEndpoint === undefined) endpoint.close();
    }
  }
  const finished = rows as ParityRow[];
  const tallies: Record<ParityVerdict, number> = { equal: 0, differs: 0, skipped: 0, unchecked: 0 };
  for (const r of finished) tallies[r.verdict]++;
  const cases = [...kept.entries()].sort(([a], [b]) => a - b).map(([, file]) => file);
  const extra = { ...(stopped !== undefined ? { stopped } : {}), ...(options.keepCases === true ? { cases } : {}) };
  return { rows: finished, counts: tallies, calls, throttled, against, ...extra };
}

/** The local answer of a request never sent: nothing compares it. */
const UNANSWERED: ParityAnswer = { refused: { type: 'NotSent', message: 'past the calls the check may make' } };

/** What becomes of a difference: its case file written to a folder, kept in the report, or both. */
interface CaseSink {
  readonly writeCases: string | undefined;
  readonly keep: ((file: ParityCaseFile) => void) | undefined;
  readonly against: string;
  readonly now: () => Date;
}

function verdictOf(item: Item, sent: Sent, sink: CaseSink): ParityRow {
  if ('unchecked' in sent) return { site: item.site, verdict: 'unchecked', reason: sent.unchecked };
  const differences = compareAnswers(item.local, sent.answer);
  if (differences.length === 0) return { site: item.site, verdict: 'equal' };
  const row: ParityRow = { site: item.site, verdict: 'differs', differences };
  if (sink.writeCases === undefined && sink.keep === undefined) return row;
  const file = caseFileOf(item.site, item.request, sent.answer, item.local, differences[0].field, sink.against, sink.now());
  sink.keep?.(file);
  return sink.writeCases === undefined ? row : { ...row, caseFile: writeCaseFile(sink.writeCases, item.site, file) };
}
