/**
 * TestState's `stateConfiguration`: the settings AWS takes for some states only,
 * each refused where it means nothing.
 */
import { isMockError, SINGLE_STATE_NAME, TestStateError, type TestStateOptions } from './types';
import type { MapState, StateDefinition } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { allStates, childMachines } from '../../asl/state-tree';

/** The state named `name` inside a Map's item processor or a Parallel's branches, at any depth. */
export function innerState(state: StateDefinition, name: string): StateDefinition | undefined {
  for (const machine of childMachines(state)) {
    const found = allStates(machine).get(name);
    if (found) return found;
  }
  return undefined;
}

/**
 * The `stateConfiguration` AWS takes for some states only ("TestStateConfiguration", AWS Step
 * Functions API Reference): errorCausedByState names where a Map's or Parallel's mocked error
 * comes from, mapIterationFailureCount counts a Map's failed iterations, mapItemReaderData is
 * what a Map's ItemReader reads. Each given where it means nothing is refused rather than
 * silently ignored.
 */
export function checkStateConfiguration(state: StateDefinition, stateName: string, options: TestStateOptions): void {
  const name = stateName || SINGLE_STATE_NAME;
  const refuse = (message: string, aws: string): never => {
    throw new TestStateError(`testState: ${message}`, { type: ApiErrors.ValidationException, message: aws });
  };
  const caused = options.errorCausedByState;
  if (caused !== undefined) {
    if (state.Type !== 'Map' && state.Type !== 'Parallel') {
      refuse(`errorCausedByState names the state inside a Map or Parallel that raised its mocked error; ${state.Type} '${name}' holds no states`,
        'errorCausedByState can only be specified for Map or Parallel states.');
    }
    if (!isMockError(options.mock)) {
      refuse(`errorCausedByState '${caused}' names the state that raised the mocked error; give the mock as { error, cause } (mock.errorOutput), not a result`,
        'errorCausedByState can only be specified when mock.errorOutput is specified.');
    }
    if (innerState(state, caused) === undefined) {
      const held = childMachines(state).flatMap((m) => [...allStates(m).keys()]);
      refuse(`errorCausedByState '${caused}' is not a state of ${state.Type} '${name}'; it holds ${held.map((n) => `'${n}'`).join(', ') || 'no states'}`,
        `errorCausedByState '${caused}' does not match any state in the ${state.Type} state.`);
    }
  }
  if (options.mapIterationFailureCount !== undefined && state.Type !== 'Map') {
    refuse(`mapIterationFailureCount counts the failed iterations of a Map; ${state.Type} '${name}' is not a Map`,
      'mapIterationFailureCount can only be specified for Map states.');
  }
  const reads = state.Type === 'Map' && (state as MapState).ItemReader !== undefined;
  if (options.mapItemReaderData !== undefined && !reads) {
    refuse(`mapItemReaderData is the data a Map's ItemReader reads; ${state.Type} '${name}' has no ItemReader`,
      'mapItemReaderData can only be specified for Map states with an ItemReader.');
  }
  if (reads && options.mapItemReaderData === undefined && !isMockError(options.mock)) {
    refuse(`Map '${name}' reads its items with an ItemReader, which testState does not call: give the data it would read as mapItemReaderData `
      + '(stateConfiguration.mapItemReaderData), the text of the S3 object or the JSON array of the objects listed',
    'mapItemReaderData must be specified to test a Map state with an ItemReader.');
  }
}
