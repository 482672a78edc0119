import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesError } from '../../src/asl/states-errors';
import { Workflow } from '../../src/testing/workflow';
import { fail, rawResult, type Mock } from '../../src/workbench/mocks/answers';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * A Task that fails with an error name over 256 characters or a cause over 32,768 (the API's
 * SensitiveError and SensitiveCause, which SendTaskFailure holds them to): what AWS does with a
 * longer one a service gives is recorded nowhere, so the run keeps it whole, as it did, and its
 * advice says so, whoever gave the failure (serve and the CLI: the corpus case
 * task-failure-cause-past-api-limit-is-advice).
 */

const definition = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge' },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Declined' }],
      End: true,
    },
    Declined: { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition;

const long = 'x'.repeat(32_769);

async function runWith(mock: Mock) {
  return Workflow.fromDefinition(definition).run({}, { mocks: { Charge: mock } });
}

describe('a Task failure longer than the API holds', () => {
  it.each<[string, Mock]>([
    ['fail()', fail('Card.Declined', long)],
    ['an async function that throws', async () => { throw new StatesError('Card.Declined', long); }],
    ['the --mocks JSON', mocksFromJson({ Charge: { Throw: { Error: 'Card.Declined', Cause: long } } }, 'mocks').Charge],
  ])('keeps a cause of 32,769 characters whole and says so in the advice, given by %s', async (_, mock) => {
    const run = await runWith(mock);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ Error: 'Card.Declined', Cause: long });
    expect(run.advice).toEqual([{
      state: 'Charge',
      message: expect.stringContaining("Task 'Charge' failed with a cause of 32,769 characters (the API's SensitiveCause holds 32,768): what AWS does with a longer one a service gives is not recorded"),
    }]);
  });

  it('says so of a cause the judge of the answer builds (a Lambda FunctionError)', async () => {
    const run = await runWith(rawResult({ StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'Card.Declined', errorMessage: long } }));
    expect((run.output as { Error: string }).Error).toBe('Card.Declined');
    expect(run.advice.map((a) => a.message)).toEqual([expect.stringMatching(/^Task 'Charge' failed with a cause of 32,8\d\d characters/)]);
  });

  it('says so of an error name of 257 characters', async () => {
    const run = await runWith(fail('E'.repeat(257), 'declined'));
    expect(run.advice.map((a) => a.message)).toEqual([expect.stringContaining("failed with an error name of 257 characters (the API's SensitiveError holds 256)")]);
  });

  it('says nothing of an error name of 256 and a cause of 32,768 characters', async () => {
    const run = await runWith(fail('E'.repeat(256), long.slice(1)));
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice).toEqual([]);
  });
});

/*
 * A Task's TimeoutSeconds or HeartbeatSeconds read as it runs over the 99,999,999 a definition
 * may give: what AWS does with it is recorded nowhere, so the run takes it and says so.
 */
describe('a Task clock read as it runs past 99,999,999 seconds', () => {
  const task = (fields: Record<string, unknown>, language = 'JSONPath') => ({
    QueryLanguage: language,
    StartAt: 'Charge',
    States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ...fields, End: true } },
  } as unknown as StateMachineDefinition);
  const mocks = { Charge: { charged: true } };

  it.each([
    ['TimeoutSecondsPath', task({ Parameters: { FunctionName: 'charge' }, TimeoutSecondsPath: '$.t' }), 'TimeoutSeconds 100,000,000'],
    ['HeartbeatSecondsPath', task({ Parameters: { FunctionName: 'charge' }, HeartbeatSecondsPath: '$.t' }), 'HeartbeatSeconds 100,000,000'],
    ['a JSONata TimeoutSeconds', task({ Arguments: { FunctionName: 'charge' }, TimeoutSeconds: '{% $states.input.t %}' }, 'JSONata'), 'TimeoutSeconds 100,000,000'],
  ])('runs the Task and says so in the advice, from %s', async (_, machine, told) => {
    const run = await Workflow.fromDefinition(machine).run({ t: 100_000_000 }, { mocks });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice).toEqual([{ state: 'Charge', message: expect.stringContaining(`Task 'Charge' runs with ${told}, over the 99,999,999 a definition may give`) }]);
    // At the bound, nothing to tell.
    expect((await Workflow.fromDefinition(machine).run({ t: 99_999_999 }, { mocks })).advice).toEqual([]);
  });
});
