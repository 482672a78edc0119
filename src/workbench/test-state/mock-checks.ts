/**
 * TestState's checks of `mock`: the mocks AWS refuses outright, and a mock checked
 * against the API model of what it stands for.
 */
import { innerState } from './state-configuration';
import { isMockError, SINGLE_STATE_NAME, TestStateError, type TestStateOptions } from './types';
import type { JsonValue, StateDefinition } from '../../asl/definition-types';
import { checkAnswer, type ContractFinding } from '../../contracts/check';
import { checkedMockValidation, mockErrorProblem, mockResultProblem } from '../mocks/validation';

const RELAX = "or set mock.fieldValidationMode to 'PRESENT' (only the fields given are checked) or 'NONE'";

/**
 * The mock checked against the API model of what it stands for, as `mock.fieldValidationMode`
 * says ("MockInput", AWS Step Functions API Reference: STRICT, the default, every required
 * field present and every present field conforming; PRESENT, present fields conform; NONE,
 * nothing): a Task's result against its Resource's output, and a mocked error against the
 * errors of the Task that raises it (the Task itself, or the state `errorCausedByState` names
 * inside a Map or Parallel) where the contracts know them all.
 */
export function checkMockAgainstModel(state: StateDefinition, stateName: string, options: TestStateOptions): void {
  const mode = checkedMockValidation(options.fieldValidationMode ?? 'STRICT');
  const mock = options.mock;
  if (mock === undefined || mode === 'NONE') return;
  const name = stateName || SINGLE_STATE_NAME;
  if (isMockError(mock)) {
    const caused = options.errorCausedByState;
    const raiser = caused === undefined ? { name, state } : { name: caused, state: innerState(state, caused)! };
    if (raiser.state.Type !== 'Task' || typeof raiser.state.Resource !== 'string') return;
    const problem = mockErrorProblem({ stateName: raiser.name, resource: raiser.state.Resource, label: 'mock.errorOutput' }, mock.error, mode, RELAX);
    if (problem !== undefined) throw new TestStateError(`testState: ${problem}`, { type: 'ValidationException', message: `Mock error validation error: ${problem}` });
    return;
  }
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return;
  const problem = mockResultProblem({ stateName: name, resource: state.Resource, label: 'mock.result' }, mock as JsonValue, mode, RELAX);
  if (problem === undefined) return;
  // AWS names the first field that does not conform, in these words (recorded: LocalStack's AWS-validated test_field_validation_mode, 2025).
  // A field the model does not define is accepted by AWS (recorded) and refused here on purpose: that message is ours.
  const first = checkAnswer(state.Resource, mock as JsonValue, mode)[0];
  const aws = first === undefined ? undefined : awsFieldMessage(first);
  throw new TestStateError(`testState: ${problem}`, { type: 'ValidationException', message: aws === undefined ? problem : `Mock result schema validation error: ${aws}` });
}

/** A finding in the words AWS's TestState uses for a mock result: `Field 'Entries' must be an array`, `Required field 'ExecutionArn' is missing`. */
function awsFieldMessage(finding: ContractFinding): string | undefined {
  const field = /(?:^|\.)([^.[\]]+)(?:\[\d+\])*$/.exec(finding.path)?.[1] ?? finding.path;
  if (finding.code === 'MISSING_FIELD') return `Required field '${field}' is missing`;
  if (finding.code === 'WRONG_TYPE') {
    const expected = finding.expected ?? '';
    const kind = /^list/.test(expected) ? 'an array' : /^(integer|long|number|float|double)/.test(expected) ? 'a number'
      : /^boolean/.test(expected) ? 'a boolean' : /^(structure|map)/.test(expected) ? 'an object' : 'a string';
    return `Field '${field}' must be ${kind}`;
  }
  return undefined;
}


/** The mocks AWS refuses (recorded): one for a state that calls nothing, or a container's that is not its results. */
export function checkMock(state: StateDefinition, stateName: string, mock: TestStateOptions['mock']): void {
  if (mock === undefined) return;
  if (state.Type !== 'Task' && state.Type !== 'Map' && state.Type !== 'Parallel') {
    throw new TestStateError(`testState: ${state.Type} '${stateName}' calls nothing, so it takes no mock; only a Task, Map or Parallel state does`,
      { type: 'ValidationException', message: `State type '${state.Type}' is not supported when a mock is specified` });
  }
  if (state.Type === 'Task' || isMockError(mock)) return;
  if (state.Type === 'Map' && state.ResultWriter !== undefined) {
    // With a ResultWriter the Map's result is the writer's answer, an object (recorded).
    if (mock === null || typeof mock !== 'object' || Array.isArray(mock)) {
      throw new TestStateError(`testState: Map '${stateName}' writes its results with a ResultWriter, so its mock is the writer's answer, an object, got ${JSON.stringify(mock)}`,
        { type: 'ValidationException', message: 'Mocked result must be a JSON object.' });
    }
    return;
  }
  if (!Array.isArray(mock)) {
    throw new TestStateError(`testState: the mock of ${state.Type} '${stateName}' is the array of its ${state.Type === 'Map' ? 'iterations\'' : 'branches\''} results (or { error, cause }), got ${JSON.stringify(mock)}`,
      { type: 'ValidationException', message: 'Mocked result must be an array.' });
  }
  if (state.Type === 'Parallel' && mock.length !== state.Branches.length) {
    throw new TestStateError(`testState: the mock of Parallel '${stateName}' has ${mock.length} results for ${state.Branches.length} branches; give one per branch`,
      { type: 'ValidationException', message: 'Mocked result must contain the same number of items as number of Parallel branches.' });
  }
}
