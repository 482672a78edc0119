/**
 * TestState's checks of `mock`: the mocks AWS refuses outright, and a mock checked
 * against the API model of what it stands for.
 */
import { innerState } from './state-configuration';
import { isMockError, SINGLE_STATE_NAME, TestStateError, type MockError, type TestStateOptions } from './types';
import type { JsonValue, StateDefinition } from '../../asl';
import { answerJudge } from '../../asl/answer-outcomes';
import { ApiErrors } from '../../asl/api-errors';
import { AwsLimits } from '../../asl/limits';
import { taskResource } from '../../asl/task-resource';
import { payloadTooLargeMessage } from '../../asl/validation-messages';
import { checkAnswer } from '../../contracts/check';
import { answerShapeAdvice } from '../mocks/answer-shape-advice';
import { checkedMockValidation, judgeMockError, judgeMockResult, type MockCheckSettings, type RunAdvice } from '../mocks/validation';

/**
 * The mock checked against the API model of what it stands for, as `mock.fieldValidationMode`
 * says ("MockInput", AWS Step Functions API Reference: STRICT, the default, every required
 * field present and every present field conforming to the API's schema; PRESENT, present
 * fields conform; NONE, nothing): a Task's result against its Resource's output. What TestState
 * refuses is refused with its ValidationException, in its words; what it lets through but
 * stepwright notices (a field the model does not define, recorded as accepted on AWS; a mocked
 * error the Task never raises, TestState checking no error name) is returned as advice.
 */
export function checkMockAgainstModel(state: StateDefinition, stateName: string, options: TestStateOptions): RunAdvice[] {
  const mode = checkedMockValidation(options.fieldValidationMode ?? 'STRICT');
  const mock = options.mock;
  if (mock === undefined) return [];
  const name = stateName || SINGLE_STATE_NAME;
  const told = [failingResultAdvice(state, name, mock), shapeAdvice(state, name, mock)].filter((a) => a !== undefined);
  return [...modelAdvice(state, stateName, options, mode), ...told];
}

/**
 * What an execution's run tells of the same answer given to the Task (answer-shape-advice.ts: a `.sync`
 * job that has not ended, holds no state, or ended in a state no AWS page decides, a failing end out of
 * the Task's reach): TestState answers with the mock as it is, and says so alike. A callback's mock is
 * the worker's answer, of no job.
 */
function shapeAdvice(state: StateDefinition, name: string, mock: JsonValue | MockError): RunAdvice | undefined {
  if (isMockError(mock) || state.Type !== 'Task' || typeof state.Resource !== 'string') return undefined;
  if (taskResource(state.Resource).pattern === 'waitForTaskToken') return undefined;
  return answerShapeAdvice(name, state.Resource, mock as JsonValue);
}

/**
 * A mocked result AWS turns into the Task's failure in an execution (a PutEvents answer with
 * failed entries, a Lambda answer with `FunctionError`, a `.sync` job that ended FAILED: the
 * catalogue's rules, asl/answer-outcomes.ts). Whether AWS's TestState fails the state on such a
 * mock is neither documented nor recorded, so TestState here answers with it as the result, as
 * for any mock, and says so: a Catch is tested with `mock.errorOutput`. A callback's mock is the
 * worker's answer, which no rule judges.
 */
function failingResultAdvice(state: StateDefinition, name: string, mock: JsonValue | MockError): RunAdvice | undefined {
  if (isMockError(mock) || state.Type !== 'Task' || typeof state.Resource !== 'string') return undefined;
  if (taskResource(state.Resource).pattern === 'waitForTaskToken') return undefined;
  const failure = answerJudge(state.Resource)?.(mock as JsonValue);
  if (failure === undefined) return undefined;
  return {
    state: name,
    message: `mock.result of Task '${name}' is an answer AWS turns into the Task's failure in an execution, with error '${failure.error}' `
      + `(${state.Resource}); whether AWS's TestState fails the state on it is not recorded, so this TestState answers SUCCEEDED with it as the result. `
      + `To test what the state does on that failure, mock it as mock.errorOutput: { "error": ${JSON.stringify(failure.error)}, "cause": ... }.`,
  };
}

function modelAdvice(
  state: StateDefinition, stateName: string, options: TestStateOptions, mode: ReturnType<typeof checkedMockValidation>,
): RunAdvice[] {
  const mock = options.mock;
  if (mock === undefined || mode === 'NONE') return [];
  const settings: MockCheckSettings = { mode, advice: 'warn', door: 'test-state' };
  const name = stateName || SINGLE_STATE_NAME;
  if (isMockError(mock)) {
    const caused = options.errorCausedByState;
    const raiser = caused === undefined ? { name, state } : { name: caused, state: innerState(state, caused)! };
    if (raiser.state.Type !== 'Task' || typeof raiser.state.Resource !== 'string') return [];
    const { advice } = judgeMockError({ stateName: raiser.name, resource: raiser.state.Resource, label: 'mock.errorOutput' }, mock.error, settings);
    return advice === undefined ? [] : [{ state: raiser.name, message: advice }];
  }
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return [];
  const verdict = judgeMockResult({ stateName: name, resource: state.Resource, label: 'mock.result' }, mock as JsonValue, settings);
  if (verdict.refusal !== undefined) {
    // AWS names the first field it refuses (recorded: LocalStack's AWS-validated test_field_validation_mode, 2025).
    const first = checkAnswer(state.Resource, mock as JsonValue, mode).find((f) => f.aws !== undefined)!;
    throw new TestStateError(`testState: ${verdict.refusal}`, { type: ApiErrors.ValidationException, message: `Mock result schema validation error: ${first.aws!}` });
  }
  return verdict.advice === undefined ? [] : [{ state: name, message: verdict.advice }];
}

/** The mocks AWS refuses (recorded): one for a state that calls nothing, or a container's that is not its results. */
export function checkMock(state: StateDefinition, stateName: string, mock: TestStateOptions['mock']): void {
  if (mock === undefined) return;
  if (state.Type !== 'Task' && state.Type !== 'Map' && state.Type !== 'Parallel') {
    throw new TestStateError(`testState: ${state.Type} '${stateName}' calls nothing, so it takes no mock; only a Task, Map or Parallel state does`,
      { type: ApiErrors.ValidationException, message: `State type '${state.Type}' is not supported when a mock is specified` });
  }
  if (isMockError(mock)) return;
  // MockInput's `result` is SensitiveData, at most 262,144 bytes of UTF-8 (AWS's words for the shape,
  // recorded for StartExecution's input): a larger mock is refused with the call, as serve's model check refuses it.
  const size = Buffer.byteLength(JSON.stringify(mock), 'utf8');
  if (size > AwsLimits.PAYLOAD_BYTES) {
    throw new TestStateError(`testState: the mock of ${state.Type} '${stateName}' is ${size} bytes of JSON, over the ${AwsLimits.PAYLOAD_BYTES} TestState accepts`,
      { type: ApiErrors.ValidationException, message: payloadTooLargeMessage('mock.result') });
  }
  if (state.Type === 'Task') return;
  if (state.Type === 'Map' && state.ResultWriter !== undefined) {
    // With a ResultWriter the Map's result is the writer's answer, an object (recorded).
    if (mock === null || typeof mock !== 'object' || Array.isArray(mock)) {
      throw new TestStateError(`testState: Map '${stateName}' writes its results with a ResultWriter, so its mock is the writer's answer, an object, got ${JSON.stringify(mock)}`,
        { type: ApiErrors.ValidationException, message: 'Mocked result must be a JSON object.' });
    }
    return;
  }
  if (!Array.isArray(mock)) {
    throw new TestStateError(`testState: the mock of ${state.Type} '${stateName}' is the array of its ${state.Type === 'Map' ? 'iterations\'' : 'branches\''} results (or { error, cause }), got ${JSON.stringify(mock)}`,
      { type: ApiErrors.ValidationException, message: 'Mocked result must be an array.' });
  }
  if (state.Type === 'Parallel' && mock.length !== state.Branches.length) {
    throw new TestStateError(`testState: the mock of Parallel '${stateName}' has ${mock.length} results for ${state.Branches.length} branches; give one per branch`,
      { type: ApiErrors.ValidationException, message: 'Mocked result must contain the same number of items as number of Parallel branches.' });
  }
}
