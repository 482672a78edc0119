/*
 * A mock its service would never send is a mistake of the test, not of the machine: docs/contracts.md
 * says no Catch hides it. AWS runs a Distributed Map's items as child executions and counts one that
 * failed against ToleratedFailurePercentage; a refused mock inside one is no such item, and must
 * fail the run as it does at the top level.
 */
import { eachPut, PUT, REFUSED_PUT_ANSWER } from './each-put';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { fail } from '../../src/workbench/mocks/answers';

/** {@link eachPut}'s machine, as a workflow. */
function eachPutWorkflow(mapFields: Record<string, unknown> = {}, processor?: Record<string, unknown>): Workflow {
  return Workflow.fromDefinition(eachPut(mapFields, processor));
}

const REFUSED = "The mock of Task 'Put' answers what dynamodb:putItem (PutItem) never returns";

describe('a mock its service never sends, inside a Distributed Map child', () => {
  it('fails the run with States.Runtime naming the mock, where ToleratedFailurePercentage 100 would tolerate an item that failed', async () => {
    const run = await eachPutWorkflow().run([1, 2, 3], { mocks: { Put: REFUSED_PUT_ANSWER } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain(REFUSED);
  });

  it('fails the run when only one item gets the refused answer, with the others answered well', async () => {
    const run = await eachPutWorkflow().run([1, 2, 3], { mocks: { Put: [{}, REFUSED_PUT_ANSWER, {}] } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain(REFUSED);
  });

  it('is not caught by a Catch of States.ALL on the Map', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ToleratedFailurePercentage: 100,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Put', States: { Put: PUT } },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    } as unknown as StateMachineDefinition);
    const run = await wf.run([1], { mocks: { Put: REFUSED_PUT_ANSWER } });
    expect(run.error).toBe('States.Runtime');
    expect(run.path).not.toContain('Caught');
  });

  it('fails the run through a Parallel inside the child, and through a Distributed Map inside another', async () => {
    const inParallel = eachPutWorkflow({}, {
      StartAt: 'Both',
      States: { Both: { Type: 'Parallel', Branches: [{ StartAt: 'Put', States: { Put: PUT } }], End: true } },
    });
    expect((await inParallel.run([1], { mocks: { Put: REFUSED_PUT_ANSWER } })).cause).toContain(REFUSED);
    const nested = eachPutWorkflow({}, {
      StartAt: 'Inner',
      States: {
        Inner: {
          Type: 'Map',
          ToleratedFailurePercentage: 100,
          ItemsPath: '$.list',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Put', States: { Put: PUT } },
          End: true,
        },
      },
    });
    const run = await nested.run([{ list: [1] }], { mocks: { Put: REFUSED_PUT_ANSWER } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain(REFUSED);
  });

  it("fails the run for a fail() naming an error the integration never raises, with mockAdvice: 'fail'", async () => {
    const run = await eachPutWorkflow().run([1], { mocks: { Put: fail('DynamoDB.NoSuchThing') }, mockAdvice: 'fail' });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("The mock of Task 'Put'");
  });

  it('tolerates, as AWS would, an item failed by an error the integration never raises, and advises of it (mockAdvice warn)', async () => {
    const run = await eachPutWorkflow().run([1], { mocks: { Put: fail('DynamoDB.NoSuchThing') } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice).toEqual([{ state: 'Put', message: expect.stringContaining("'DynamoDB.NoSuchThing'") }]);
  });

  it('still tolerates an item that fails with an error the service raises', async () => {
    const run = await eachPutWorkflow().run([1, 2], { mocks: { Put: [fail('DynamoDB.ConditionalCheckFailedException'), {}] } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual([{ Error: 'DynamoDB.ConditionalCheckFailedException' }, {}]);
  });
});
