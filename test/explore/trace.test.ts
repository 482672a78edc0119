import type { StateMachineDefinition } from '../../src/asl/types';
import { traceExecution } from '../../src/explore/trace';
import { mocksFromJson } from '../../src/testing/mocks/json';
import { Workflow } from '../../src/testing/workflow';

describe('traceExecution', () => {
  it('counts the Catch of a failure-tolerating DISTRIBUTED Map whose ItemReader failed, by the error its MapRunFailed names', async () => {
    const definition = {
      StartAt: 'Files',
      States: {
        Files: {
          Type: 'Map',
          ToleratedFailurePercentage: 100,
          ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Handle', States: { Handle: { Type: 'Pass', End: true } } },
          // The Catch goes where Next goes: only the error tells them apart.
          Catch: [{ ErrorEquals: ['States.ItemReaderFailed'], Next: 'After' }],
          Next: 'After',
        },
        After: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(definition);
    const failed = await wf.run({}, { mocks: mocksFromJson({ Files: { Throw: { Error: 'States.Permissions' } } }, 'test') });
    expect(failed.status).toBe('SUCCEEDED');
    expect([...traceExecution(definition, failed.history).catches]).toEqual([['Files#0', 1]]);
    const read = await wf.run({}, { mocks: mocksFromJson({ Files: { Return: [] } }, 'test') });
    expect([...traceExecution(definition, read.history).catches]).toEqual([]);
  });
});
