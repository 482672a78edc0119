import { factsOf } from '../../src/asl/history-events';
import type { ExecutionResult } from '../../src/interpreter';
import { actualEvents, compareHistories, expectedEvents, parallelBranches, wildcardsOf } from '../conformance/history-compare';
import { loadCases, runRecordedCase, type RecordedCase } from '../conformance/recorded-run';
import { describeWithShared, sharedPath } from '../shared-data';

/*
 * What AWS records when a Parallel's branch or a Map's iteration fails, read from the executions
 * recorded on AWS in ../shared/conformance (LocalStack's snapshots; file names below). Each test
 * runs the recorded definition and input through the interpreter, compares the whole history
 * with AWS's, and states the fact the recording shows.
 *
 * What no recording here shows (a Parallel of two branches or more where one fails, a Map
 * running iterations at once whose iteration fails before any waits) is in docs/fidelity.md,
 * "Parallel branches and Map iterations", with what the interpreter does there; its tests are
 * in parallel.test.ts and map.test.ts.
 */
const CASES = sharedPath('conformance', 'cases');

describeWithShared('conformance/cases', 'a failing Parallel branch or Map iteration, as AWS recorded it', () => {
  let cases: Map<string, RecordedCase>;
  beforeAll(() => {
    cases = new Map(loadCases(CASES, (c) => Array.isArray(c.history)).map((c) => [c.file, c]));
  });

  /** Runs the recording `file` and checks our whole history is AWS's; returns our result. */
  async function runAsRecorded(file: string): Promise<ExecutionResult> {
    const c = cases.get(file);
    if (c === undefined) throw new Error(`no recorded history ${file} in ${CASES}`);
    const result = await runRecordedCase(c);
    const diff = compareHistories(actualEvents(result.history, c), expectedEvents(c), parallelBranches(c.definition), wildcardsOf(c));
    expect({ file, diff }).toEqual({ file, diff: undefined });
    return result;
  }

  const indices = (r: ExecutionResult, type: string): unknown[] => r.history.filter((e) => e.type === type).map((e) => factsOf(e).index);
  const typesOf = (r: ExecutionResult): string[] => r.history.map((e) => e.type);

  it('starts no iteration of a one-at-a-time Map after the one that failed: items 5 and 6 of 7 never start (scenarios/test_map_state_break_condition_legacy)', async () => {
    const r = await runAsRecorded('scenarios/TestBaseScenarios_test_map_state_break_condition_legacy_get_execution_history--90257094.json');
    expect({
      started: indices(r, 'MapIterationStarted'),
      failed: indices(r, 'MapIterationFailed'),
      aborted: indices(r, 'MapIterationAborted'),
      error: r.error,
    }).toEqual({ started: [0, 1, 2, 3, 4], failed: [4], aborted: [], error: 'SomeFailure' });
    // MapIterationFailed and MapStateFailed both follow the Fail state's entry.
    const failState = r.history.find((e) => e.type === 'FailStateEntered')!;
    expect(r.history.filter((e) => e.type === 'MapIterationFailed' || e.type === 'MapStateFailed').map((e) => e.previousEventId))
      .toEqual([failState.id, failState.id]);
  });

  it('starts no later iteration of a one-at-a-time Map whose first fails in its Catch\'s state: one of three items starts (states_variables/test_map_catch_error MAP_CATCH_ERROR_OUTPUT_WITH_RETRY)', async () => {
    const r = await runAsRecorded('states_variables/TestStateVariablesTemplate_test_map_catch_error~MAP_CATCH_ERROR_OUTPUT_WITH_RETRY~_get_execution_history--bcedff97.json');
    expect({ started: indices(r, 'MapIterationStarted'), failed: indices(r, 'MapIterationFailed'), error: r.error })
      .toEqual({ started: [0], failed: [0], error: 'States.QueryEvaluationError' });
  });

  it('fails a one-branch Parallel at its Fail state: ParallelStateFailed follows FailStateEntered, and its Catch goes on from ParallelStateExited (scenarios/test_parallel_state_catch)', async () => {
    const r = await runAsRecorded('scenarios/TestBaseScenarios_test_parallel_state_catch_get_execution_history--d7465a98.json');
    expect(typesOf(r)).toEqual([
      'ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed',
      'ParallelStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('starts a retried Parallel\'s branches again on each attempt: ParallelStateStarted and the branch\'s state per attempt, never ParallelStateEntered again (scenarios/test_parallel_state_retry)', async () => {
    const r = await runAsRecorded('scenarios/TestBaseScenarios_test_parallel_state_retry_get_execution_history--4041e124.json');
    expect(typesOf(r).filter((t) => t.startsWith('Parallel') || t === 'FailStateEntered')).toEqual([
      'ParallelStateEntered',
      'ParallelStateStarted', 'FailStateEntered',
      'ParallelStateStarted', 'FailStateEntered',
      'ParallelStateStarted', 'FailStateEntered',
      'ParallelStateFailed',
    ]);
  });

  it('starts a retried Map again on each attempt: MapStateStarted and its iteration per attempt, each following the failed iteration\'s last state (scenarios/test_map_state_retry)', async () => {
    const r = await runAsRecorded('scenarios/TestBaseScenarios_test_map_state_retry_get_execution_history--2c36d680.json');
    expect(typesOf(r).filter((t) => t.startsWith('Map'))).toEqual([
      'MapStateEntered',
      'MapStateStarted', 'MapIterationStarted', 'MapIterationFailed',
      'MapStateStarted', 'MapIterationStarted', 'MapIterationFailed',
      'MapStateStarted', 'MapIterationStarted', 'MapIterationFailed',
      'MapStateFailed',
    ]);
    // The next attempt's MapStateStarted follows FailStateEntered, as MapIterationFailed does: neither chains on the other.
    for (const started of r.history.filter((e) => e.type === 'MapStateStarted').slice(1)) {
      expect(r.history[started.previousEventId - 1].type).toBe('FailStateEntered');
    }
  });

  it('enters every branch of a Parallel none of whose branches fails (scenarios/test_parallel_state PARALLEL_STATE, three branches)', async () => {
    const r = await runAsRecorded('scenarios/TestBaseScenarios_test_parallel_state~PARALLEL_STATE~_get_execution_history--e2931b17.json');
    const entered = r.history.filter((e) => e.type === 'PassStateEntered').map((e) => factsOf(e).name);
    expect(entered).toEqual(expect.arrayContaining(['Branch1', 'Branch21', 'Branch22', 'Branch31', 'Branch32', 'Branch33']));
  });
});
