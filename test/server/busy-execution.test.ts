import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, until } from './helpers';
import { kill9, spawnServer, type Child } from './processes';

/**
 * A loop of synchronous states that each take milliseconds of work (a JSONata sum over 200,000
 * numbers) and never ends before AWS's 25,000-event limit: minutes of work, with no Wait and no
 * Task to give the server's event loop back.
 */
const BUSY = asl({
  QueryLanguage: 'JSONata',
  StartAt: 'Work',
  States: {
    Work: { Type: 'Pass', Output: { i: '{% $states.input.i + 1 %}', sum: '{% $sum([1..200000]) %}' }, Next: 'More' },
    More: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.i < 0 %}', Next: 'Done' }], Default: 'Work' },
    Done: { Type: 'Succeed' },
  },
});

/**
 * A Distributed Map over the first million rows of a Parquet file of 12 M run-length-encoded
 * rows, each a child execution of one Pass state: legitimate work, as on AWS, that takes serve
 * minutes of CPU.
 */
const MILLION_CHILDREN = asl({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        Parameters: { Bucket: 'rows', Key: 'rle-12m.parquet' },
        ReaderConfig: { InputType: 'PARQUET', MaxItems: 1_000_000 },
      },
      ItemSelector: { 'i.$': '$$.Map.Item.Index' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      ResultPath: null,
      End: true,
    },
  },
});

/**
 * Resolves with what `promise` gives, or rejects once `ms` pass: an answer that should come in
 * milliseconds, bounded so that a server that does not answer fails the test with a message
 * rather than jest's timeout (the bound leaves room for a machine many times slower).
 */
function within<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer!: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('serve: an execution that runs synchronous states for minutes', () => {
  let child: Child | undefined;
  afterEach(async () => {
    if (child) await kill9(child);
    child = undefined;
  });

  it('does not keep the server from answering: StartExecution answers while it runs, other requests are answered, and StopExecution stops it', async () => {
    // A child process: without the pause the loop would hold the process for minutes, past the test.
    child = await spawnServer(undefined);
    const sfn = child.sfn;
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'busy', definition: BUSY, roleArn: ROLE }));
    const { executionArn } = await within(sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"i":0}' })), 'StartExecution');
    expect((await within(sfn.send(new DescribeExecutionCommand({ executionArn })), 'DescribeExecution')).status).toBe('RUNNING');
    expect((await within(sfn.send(new ListStateMachinesCommand({})), 'ListStateMachines')).stateMachines).toHaveLength(1);
    await within(sfn.send(new StopExecutionCommand({ executionArn, error: 'Enough' })), 'StopExecution');
    const stopped = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Enough' });
  });

  it('answers other requests while a Distributed Map runs a million child executions, and StopExecution stops it', async () => {
    const s3 = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-busy-map-'));
    try {
      fs.mkdirSync(path.join(s3, 'rows'));
      fs.copyFileSync(path.join(__dirname, '..', 'workbench', 's3', 'fixtures', 'rle-12m.parquet'), path.join(s3, 'rows', 'rle-12m.parquet'));
      child = await spawnServer(undefined, { args: ['--s3-dir', s3] });
      const sfn = child.sfn;
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'million', definition: MILLION_CHILDREN, roleArn: ROLE }));
      const { executionArn } = await within(sfn.send(new StartExecutionCommand({ stateMachineArn })), 'StartExecution');
      // Answered before the execution ends: the Map Run's children leave the event loop turns.
      expect((await within(sfn.send(new DescribeExecutionCommand({ executionArn })), 'DescribeExecution')).status).toBe('RUNNING');
      expect((await within(sfn.send(new ListStateMachinesCommand({})), 'ListStateMachines')).stateMachines).toHaveLength(1);
      expect((await within(sfn.send(new DescribeExecutionCommand({ executionArn })), 'DescribeExecution')).status).toBe('RUNNING');
      await within(sfn.send(new StopExecutionCommand({ executionArn, error: 'Enough' })), 'StopExecution');
      const stopped = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Enough' });
    } finally {
      if (child) await kill9(child);
      child = undefined;
      fs.rmSync(s3, { recursive: true, force: true });
    }
  }, 120_000);
});
