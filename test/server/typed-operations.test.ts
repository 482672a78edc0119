import * as sdk from '@aws-sdk/client-sfn';
import { OPERATIONS } from '../../src/server/operations';
import { operation, type AnswerOf, type RequestOf } from '../../src/server/operations/operation-table';
import { checkRequest } from '../../src/server/validation/request';

/*
 * serve's operations take and answer the AWS SDK's shapes (`…CommandInput`, `…CommandOutput`):
 * a member renamed on either side, or read by a name the model does not have, fails to compile
 * (`npx projen test` type-checks this file; each @ts-expect-error must be an error).
 */
describe('serve: operations typed by the AWS SDK', () => {
  it('hands a handler the request the model validator read, typed by its SDK input: a member the model does not have does not compile', () => {
    const request: RequestOf<'UpdateStateMachine'> = checkRequest('UpdateStateMachine', {
      stateMachineArn: 'arn', loggingConfiguration: { level: 'ALL', destinations: [] }, tracingConfiguration: null, unknown: 1,
    });
    expect(request).toEqual({ stateMachineArn: 'arn', loggingConfiguration: { level: 'ALL', destinations: [] } });
    // @ts-expect-error -- UpdateStateMachine has no member 'stateMachineArm'
    expect(request.stateMachineArm).toBeUndefined();
    // @ts-expect-error -- a LoggingConfiguration has no member 'logLevel'
    expect(request.loggingConfiguration!.logLevel).toBeUndefined();
  });

  it('refuses a client\'s member of the wrong JSON type before a handler sees it', () => {
    expect(() => checkRequest('StartExecution', { stateMachineArn: 42 })).toThrow('NUMBER_VALUE cannot be converted to String');
    expect(() => checkRequest('StartExecution', { stateMachineArn: 'arn', input: { not: 'text' } })).toThrow('Start of structure or map found where not expected');
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
