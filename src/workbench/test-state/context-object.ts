/**
 * TestState's `context`: the Context Object a state is tested with, refused where AWS refuses it.
 */
import { SINGLE_STATE_NAME, TestStateError, type TestStateOptions } from './types';
import type { JsonValue, StateDefinition } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { isJsonObject } from '../../asl/json-value';
import { taskResource } from '../../asl/task-resource';
import type { RunAdvice } from '../mocks/validation';

/**
 * The members of each object of the Context Object ("Context object", AWS Step Functions Developer
 * Guide): AWS refuses a top-level member and a member of `Execution` outside them (recorded); of
 * the others it is not recorded, so a member outside them is advice, not a refusal.
 */
const MEMBERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Execution', new Set(['Id', 'Input', 'Name', 'RoleArn', 'StartTime', 'RedriveCount', 'RedriveTime'])],
  ['State', new Set(['EnteredTime', 'Name', 'RetryCount'])],
  ['StateMachine', new Set(['Id', 'Name'])],
  ['Task', new Set(['Token'])],
]);

/** The objects whose unknown members AWS refuses (recorded); the rest are advised on. */
const REFUSED_IN: ReadonlySet<string> = new Set(['Execution']);

/** AWS's words for a Context Object it refuses, after its prefix (recorded). */
function refuse(detail: string, message: string): never {
  throw new TestStateError(`testState: context: ${detail}`,
    { type: ApiErrors.ValidationException, message: `Invalid Context object provided: ${message}` });
}


/**
 * Checks `options.context` as AWS's TestState checks it, recorded in LocalStack's AWS-validated
 * test_state_context_object snapshots (2025): a member the Context Object does not have is
 * refused (`Field 'Pokedex' is not allowed`, `Field 'pokemon' is not allowed` in `Execution`),
 * `Map` is refused as a member no mock may set, `Execution.Id` must be a string, and `Task`
 * is only for a Task whose pattern gives it a token (`.sync`, `.waitForTaskToken`). The context
 * is only taken with a mock ("This field may only be specified if a mock is specified in the
 * same request", TestState, AWS Step Functions API Reference; AWS's words are not recorded).
 * @returns advice on what AWS's recordings leave open (a member of `State`, `StateMachine` or
 *   `Task` outside the documented ones), which is let through
 * @throws TestStateError with AWS's ValidationException
 */
export function checkContext(state: StateDefinition, stateName: string, options: TestStateOptions): RunAdvice[] {
  const context = options.context as JsonValue | undefined;
  if (context === undefined) return [];
  const name = stateName || SINGLE_STATE_NAME;
  if (options.mock === undefined) {
    throw new TestStateError(`testState: context sets the Context Object of a state tested with a mock; ${state.Type} '${name}' has none`,
      { type: ApiErrors.ValidationException, message: 'context may only be specified when a mock is specified' });
  }
  // What is not an object has no members to check; AWS's answer to one is not recorded.
  if (!isJsonObject(context)) return [];
  const advice: RunAdvice[] = [];
  for (const [field, value] of Object.entries(context)) {
    if (field === 'Map') refuse('a mock cannot set $$.Map', "'Map' field is not supported when mocking a Context object");
    const members = MEMBERS.get(field);
    if (members === undefined) refuse(`the Context Object has no member '${field}'`, `Field '${field}' is not allowed`);
    if (!isJsonObject(value)) continue;
    for (const member of Object.keys(value)) {
      if (members.has(member)) continue;
      if (REFUSED_IN.has(field)) refuse(`$$.${field} has no member '${member}'`, `Field '${member}' is not allowed`);
      advice.push({ state: name, message: `context: $$.${field} has no member '${member}' (it has ${[...members].join(', ')}); AWS refuses such a member of $$ and of $$.Execution, so it likely refuses this one too` });
    }
  }
  const execution = context.Execution;
  if (isJsonObject(execution) && execution.Id !== undefined && typeof execution.Id !== 'string') refuse('$$.Execution.Id is not a string', 'Execution.Id must be a string');
  if (context.Task !== undefined) {
    const pattern = state.Type === 'Task' && typeof state.Resource === 'string' ? taskResource(state.Resource).pattern : 'request';
    if (pattern === 'request') {
      refuse(`$$.Task holds the token of a Task that waits for one (.sync, .waitForTaskToken); ${state.Type} '${name}' gets none`,
        "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern");
    }
  }
  return advice;
}
