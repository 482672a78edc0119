import { JsonataEvaluationError } from '../../src/asl/jsonata/compile';
import { StatesError, StatesErrors, TestSetupError } from '../../src/asl/states-errors';

/*
 * A StatesError is the failure a state reports, made and caught on the interpreter's every-day
 * path (a Task's error a Catch takes, a Choice no rule matched): data, not a bug. It is made
 * without walking the stack, and reads as it always did.
 */

describe('StatesError is data', () => {
  it('keeps its name, message, error name, cause and class, and captures no stack frames', () => {
    const e = new StatesError('Payment.Declined', 'card expired');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(StatesError);
    expect(e.name).toBe('StatesError');
    expect(e.message).toBe('Payment.Declined: card expired');
    expect(e.error).toBe('Payment.Declined');
    expect(e.cause).toBe('card expired');
    expect(e.inState).toBe(false);
    expect(String(e)).toBe('StatesError: Payment.Declined: card expired');
    expect(e.stack).toBe('StatesError: Payment.Declined: card expired');
    expect(new StatesError(StatesErrors.NO_CHOICE_MATCHED).message).toBe(StatesErrors.NO_CHOICE_MATCHED);
  });

  it('makes its subclasses without stack frames too, each with its own fields', () => {
    const setup = new TestSetupError('the mock answers a field the model does not define');
    expect(setup).toBeInstanceOf(StatesError);
    expect(setup.error).toBe(StatesErrors.RUNTIME);
    expect(setup.stack).toBe(`StatesError: ${StatesErrors.RUNTIME}: the mock answers a field the model does not define`);
    const query = new JsonataEvaluationError('The function $x is not defined', 'Output');
    expect(query).toMatchObject({ error: StatesErrors.QUERY_EVALUATION_ERROR, inState: true, location: 'Output' });
    expect(query.stack?.split('\n')).toHaveLength(1);
  });

  it('leaves the stack trace limit of every other error as it was', () => {
    const before = Error.stackTraceLimit;
    void new StatesError('States.TaskFailed');
    expect(Error.stackTraceLimit).toBe(before);
    const other = new Error('a bug');
    expect(other.stack?.split('\n').length).toBeGreaterThan(1);
  });
});
