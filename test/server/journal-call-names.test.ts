import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import type { ExecutionRecord } from '../../src/server/model';
import { TaskRouter } from '../../src/server/tasks';

/*
 * With a journal, serve names each Task call of a running execution, to answer it again after a
 * restart (TaskRouter's journal of answers): the names count the calls of the run. Once the run has
 * ended they are dropped, so that an execution kept after it ends holds no entry per call it made.
 */

const MACHINE = asl({
  StartAt: 'Items',
  States: {
    Items: { Type: 'Pass', Parameters: { 'items.$': 'States.ArrayRange(1, 500, 1)' }, Next: 'Each' },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ResultPath: null,
      ItemProcessor: { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, End: true } } },
      End: true,
    },
  },
});

describe("serve's names of an execution's Task calls", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-call-names-')); });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are dropped when the execution ends: 500 calls leave none', async () => {
    const door = jest.spyOn(TaskRouter.prototype, 'door');
    const env = await serve({ dataDir: dir, handlers: { Charge: () => ({ ok: true }) } });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'charges', definition: MACHINE, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      expect((await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING')).status).toBe('SUCCEEDED');
      const record = door.mock.calls[0][0] as ExecutionRecord;
      expect([record.arn, record.calls.size]).toEqual([executionArn, 0]);
    } finally {
      await env.stop();
    }
  }, 60_000);
});
