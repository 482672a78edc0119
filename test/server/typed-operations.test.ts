import * as sdk from '@aws-sdk/client-sfn';
import { OPERATIONS } from '../../src/server/operations';
import { operation, type AnswerOf, type RequestOf } from '../../src/server/operations/operation-table';
import { optionalString, optionalStructure } from '../../src/server/params';

/*
 * serve's operations take and answer the AWS SDK's shapes (`…CommandInput`, `…CommandOutput`):
 * a member renamed on either side, or read by a name the model does not have, fails to compile
 * (`npx projen test` type-checks this file; each @ts-expect-error must be an error).
 */
describe('serve: operations typed by the AWS SDK', () => {
  it('reads a request only by the members its SDK input declares, and a structure in it by its own shape', () => {
    const request: RequestOf<'UpdateStateMachine'> = { stateMachineArn: 'arn', loggingConfiguration: { level: 'ALL', destinations: [] } };
    expect(optionalString(request, 'stateMachineArn')).toBe('arn');
    // @ts-expect-error -- UpdateStateMachine has no member 'stateMachineArm'
    expect(optionalString(request, 'stateMachineArm')).toBeUndefined();
    const logging = optionalStructure(request, 'loggingConfiguration')!;
    expect(optionalString(logging, 'level')).toBe('ALL');
    // @ts-expect-error -- a LoggingConfiguration has no member 'logLevel'
    expect(optionalString(logging, 'logLevel')).toBeUndefined();
  });

  it('takes a client\'s members of any JSON type: their values are checked when read', () => {
    const sent: RequestOf<'StartExecution'> = { stateMachineArn: 42, input: { not: 'text' } };
    expect(() => optionalString(sent, 'input')).toThrow('Member must be a string');
  });

  it('answers the SDK\'s output, dates as epoch seconds: a required member left out does not compile', () => {
    const answer: AnswerOf<'StartExecution'> = { executionArn: 'arn', startDate: 1_700_000_000.5 };
    // @ts-expect-error -- StartExecution's answer has a startDate
    const missing: AnswerOf<'StartExecution'> = { executionArn: 'arn' };
    // @ts-expect-error -- a date is epoch seconds on the wire, not a Date
    const asDate: AnswerOf<'StartExecution'> = { executionArn: 'arn', startDate: new Date() };
    // @ts-expect-error -- an operation's handler answers that operation's output
    operation('StartExecution', (): AnswerOf<'StopExecution'> => ({ stopDate: 1 }));
    expect([answer.startDate, missing.executionArn, asDate.executionArn]).toEqual([1_700_000_000.5, 'arn', 'arn']);
  });

  it('dispatches every operation by a name the SDK has a command for', () => {
    const commands = new Map(Object.entries(sdk));
    expect([...OPERATIONS.keys()].filter((name) => typeof commands.get(`${name}Command`) !== 'function')).toEqual([]);
    expect(OPERATIONS.has('StartExecution')).toBe(true);
  });
});
