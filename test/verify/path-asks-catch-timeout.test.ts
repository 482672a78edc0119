import { NO_FACTS } from './verify-setup';
import type { StateMachineDefinition } from '../../src/asl';
import { END_TIMEOUT } from '../../src/explore/verify-edges';
import { MachineGraph } from '../../src/explore/verify-graph';
import { pathAsks, ValuesTried } from '../../src/explore/verify-steer';

/*
 * The words a path property's UNKNOWN gives for the turns of a path no run took that a failure
 * decides: a Task failing with an error its Catch sends along the path, and the run timing out in
 * a state (commit b8d926d1 wrote them; these tests hold them).
 */

const charge = {
  StartAt: 'Charge',
  TimeoutSeconds: 300,
  States: {
    'Charge': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge' },
      TimeoutSeconds: 30,
      Catch: [
        { ErrorEquals: ['Payment.Declined', 'States.TaskFailed'], Next: 'Refund' },
        { ErrorEquals: ['Fraud.Suspected', 'Fraud.Blocked', 'Fraud.Review', 'Fraud.Manual'], Next: 'Hold' },
      ],
      Next: 'Ship',
    },
    'Wait a day': { Type: 'Wait', Seconds: 86400, Next: 'Ship' },
    'Refund': { Type: 'Pass', End: true },
    'Hold': { Type: 'Pass', End: true },
    'Ship': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

function asks(path: readonly string[]): string {
  return pathAsks(new MachineGraph(charge, NO_FACTS), path, [], new ValuesTried(), () => []);
}

describe('what a path property\'s UNKNOWN asks for at a Catch and a timeout', () => {
  it('names the errors a Catch sends along the path, and that a Task\'s mock throws them', () => {
    expect(asks(['Charge', 'Refund'])).toBe(
      'No run took that path to \'Refund\': to check it, give an input or mocks under which one run takes its turns: '
      + '\'Charge\' failing with Payment.Declined or States.TaskFailed, which its Catch sends to \'Refund\' (its mock\'s Throw)',
    );
  });

  it('names at most three of a Catch\'s errors, then says another its Catch names', () => {
    expect(asks(['Charge', 'Hold'])).toContain('\'Charge\' failing with Fraud.Suspected or Fraud.Blocked or Fraud.Review or another its Catch names, which its Catch sends to \'Hold\'');
  });

  it('names the state a run times out in, and the path\'s end after it', () => {
    expect(asks(['Charge', END_TIMEOUT])).toBe(
      'No run took that path to its end after \'Charge\': to check it, give an input or mocks under which one run takes its turns: the run timing out in \'Charge\'',
    );
  });

  it('names a timeout in a state that is no Task: the run\'s own timeout in a Wait', () => {
    expect(asks(['Wait a day', END_TIMEOUT])).toContain('the run timing out in \'Wait a day\'');
  });

  it('joins a Catch turn and a timeout in the order the path takes them', () => {
    expect(asks(['Charge', 'Refund', END_TIMEOUT])).toMatch(/'Charge' failing with Payment\.Declined or States\.TaskFailed, which its Catch sends to 'Refund' \(its mock's Throw\); then the run timing out in 'Refund'$/);
  });
});
