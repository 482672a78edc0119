import { run, types } from './helpers';

const API_GATEWAY = 'arn:aws:states:::apigateway:invoke';

/** An API Gateway Task whose Headers come from the input, caught by States.ALL. */
function apiGatewayMachine(language: 'JSONPath' | 'JSONata') {
  const call = language === 'JSONPath'
    ? { Parameters: { 'ApiEndpoint': 'example', 'Method': 'GET', 'Headers.$': '$.headers' } }
    : { QueryLanguage: 'JSONata', Arguments: { ApiEndpoint: 'example', Method: 'GET', Headers: '{% $states.input.headers %}' } };
  return {
    StartAt: 'Invoke',
    States: {
      Invoke: { Type: 'Task', Resource: API_GATEWAY, ...call, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

describe('Parameters AWS checks before it starts an integration', () => {
  it('fails with States.Runtime, uncaught by States.ALL and before any Task event, when API Gateway Headers holds a string instead of a list', async () => {
    let called = false;
    const r = await run(apiGatewayMachine('JSONPath'), { headers: { custom_header: 'single' } }, { taskHandlers: { Invoke: () => { called = true; return {}; } } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toBe(
      "An error occurred while executing the state 'Invoke' (entered at the event id #2). The Parameters "
      + '\'{"ApiEndpoint":"example","Method":"GET","Headers":{"custom_header":"single"}}\' could not be used to start the Task: '
      + "[The value of the field 'Headers' has an invalid format]");
    expect(types(r.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    expect(called).toBe(false);
  });

  it('names the Arguments field in a JSONata state', async () => {
    const r = await run(apiGatewayMachine('JSONata'), { headers: { custom_header: 'single' } }, { taskHandlers: { Invoke: () => ({}) } });
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain("The Arguments '");
    expect(r.cause).toContain("[The value of the field 'Headers' has an invalid format]");
  });

  it('refuses Headers that are not an object', async () => {
    const r = await run(apiGatewayMachine('JSONPath'), { headers: ['a'] }, { taskHandlers: { Invoke: () => ({}) } });
    expect(r.error).toBe('States.Runtime');
  });

  it('calls the handler when every header value is a list of strings', async () => {
    const r = await run(apiGatewayMachine('JSONPath'), { headers: { 'Accept': ['application/json'], 'X-Multi': ['a', 'b'] } }, { taskHandlers: { Invoke: () => ({ StatusCode: 200 }) } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ StatusCode: 200 });
  });

  it('checks nothing for integrations AWS does not check, such as a Lambda function', async () => {
    const def = { StartAt: 'L', States: { L: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', Parameters: { 'Headers.$': '$.headers' }, End: true } } };
    const r = await run(def, { headers: { custom_header: 'single' } }, { taskHandlers: { L: () => 'ok' } });
    expect(r.output).toBe('ok');
  });
});
