import { redact, type Recording } from '../../../src/workbench/replay';

const TOKEN = 'tok_5e1f00aa93';

function recording(events: Recording['events'], execution: Partial<Recording['execution']> = {}): Recording {
  return {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } },
    execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'FAILED', input: { token: TOKEN }, ...execution },
    events,
  };
}

const failed = (cause: string): Recording['events'][number] => ({ type: 'TaskFailed', id: 3, previousEventId: 2, taskFailedEventDetails: { resource: 'invoke', resourceType: 'lambda', error: 'Boom', cause } });

describe('redact: one pass over the whole recording', () => {
  it('replaces a selected value inside a plain-text cause, and in its URL-encoded spelling', () => {
    const secret = 'p@ss word/42';
    const out = redact(recording([failed(`GET https://x.test/?pw=${encodeURIComponent(secret)} failed for ${secret}`)], { input: { password: secret } }), ['$..password']);
    expect(out.events[0].taskFailedEventDetails).toMatchObject({ cause: 'GET https://x.test/?pw=<redacted> failed for <redacted>' });
  });

  it('replaces a selected value inside JSON text nested in JSON text (a Lambda cause that quotes its request)', () => {
    const inner = JSON.stringify({ request: JSON.stringify({ auth: `Bearer ${TOKEN}` }) });
    const out = redact(recording([failed(JSON.stringify({ errorMessage: 'denied', detail: inner }))]), ['$..token']);
    const cause = (out.events[0].taskFailedEventDetails as { cause: string }).cause;
    expect(cause).not.toContain(TOKEN);
    expect(JSON.parse(JSON.parse(JSON.parse(cause).detail).request)).toEqual({ auth: 'Bearer <redacted>' });
  });

  it('applies the paths to JSONata variables (assignedVariables), each value its own document', () => {
    const out = redact(recording([{
      type: 'PassStateExited',
      id: 2,
      previousEventId: 1,
      stateExitedEventDetails: { name: 'Remember', output: '{}', assignedVariables: { session: '{"user":"ann","token":"abc-123-def"}', copy: '"abc-123-def"' } },
    }]), ['$..token']);
    expect(out.events[0].stateExitedEventDetails).toEqual({
      name: 'Remember', output: '{}', assignedVariables: { session: '{"user":"ann","token":"<redacted>"}', copy: '"<redacted>"' },
    });
  });

  it('replaces a selected value used as an object key elsewhere, and a long selected number wherever it appears', () => {
    const out = redact(recording([{
      type: 'TaskSucceeded',
      id: 2,
      previousEventId: 1,
      taskSucceededEventDetails: { resource: 'invoke', resourceType: 'lambda', output: JSON.stringify({ byToken: { [TOKEN]: 1 }, card: 4111111111111111, note: 'card 4111111111111111 ok' }) },
    }], { input: { token: TOKEN, card: 4111111111111111 } }), ['$.token', '$.card']);
    expect(JSON.parse((out.events[0].taskSucceededEventDetails as { output: string }).output)).toEqual({ byToken: { '<redacted>': 1 }, card: '<redacted>', note: 'card <redacted> ok' });
  });

  it('replaces a short selected value only where a whole string equals it, so that "no" does not garble every message', () => {
    const out = redact(recording([failed('no such user: no')], { input: { answer: 'no', other: 'no' } }), ['$.answer']);
    expect(out.execution.input).toEqual({ answer: '<redacted>', other: '<redacted>' });
    expect(out.events[0].taskFailedEventDetails).toMatchObject({ cause: 'no such user: no' });
  });

  it('keeps names: state names, resources and ARNs, event types, the definition, and a selected value that is empty', () => {
    const rec = recording([
      { type: 'TaskStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: TOKEN, input: '{}' } },
      { type: 'TaskScheduled', id: 3, previousEventId: 2, taskScheduledEventDetails: { resource: TOKEN, resourceType: 'lambda', parameters: `{"x":"${TOKEN}"}` } },
    ], { input: { token: TOKEN, empty: '' } });
    const out = redact(rec, ['$.token', '$.empty']);
    expect(out.events[0].stateEnteredEventDetails).toEqual({ name: TOKEN, input: '{}' });
    expect(out.events[1].taskScheduledEventDetails).toEqual({ resource: TOKEN, resourceType: 'lambda', parameters: '{"x":"<redacted>"}' });
    expect(out.stateMachine).toBe(rec.stateMachine);
    expect(out.execution.input).toEqual({ token: '<redacted>', empty: '<redacted>' });
  });

  it('leaves text it did not change byte for byte (no reformatted JSON), and the original recording untouched', () => {
    const rec = recording([{ type: 'ExecutionStarted', id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{ "token" : "x-1234" }', other: '{ "a" : 1.50 }' } }]);
    const before = JSON.stringify(rec);
    const out = redact(rec, ['$..token']);
    expect(out.events[0].executionStartedEventDetails).toEqual({ input: '{"token":"<redacted>"}', other: '{ "a" : 1.50 }' });
    expect(JSON.stringify(rec)).toBe(before);
  });

  it('replaces the execution cause and error when they carry a selected value', () => {
    const out = redact(recording([], { error: `Denied.${TOKEN}`, cause: `token ${TOKEN} expired` }), ['$.token']);
    expect(out.execution).toMatchObject({ error: 'Denied.<redacted>', cause: 'token <redacted> expired' });
  });
});
