import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../../src/asl';
import { Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';
import { ROLE, serve, settled } from '../server/helpers';

/*
 * A machine that reads S3 (a Distributed Map's ItemReader, an S3 GetObject Task), run with no
 * local S3 and no mock: every door fails the Task with the same advice, which ends with that
 * door's own way to give the run an S3 folder.
 */

const ADVICE = "for an S3 object it reads (a Map's ItemReader, an S3 Task such as GetObject), give the run a local S3 folder holding it, "
  + 'a folder per bucket and a file per key: ';

const READER: StateMachineDefinition = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'orders', Key: 'items.json' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
};

const GET_OBJECT: StateMachineDefinition = {
  StartAt: 'Note',
  States: { Note: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'orders', Key: 'note.txt' }, End: true } },
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-s3-hint-'));
  fs.writeFileSync(path.join(dir, 'reader.asl.json'), JSON.stringify(READER));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the advice to give a run a local S3, at every door', () => {
  it.each([['a Map\'s ItemReader', READER], ['an S3 GetObject Task', GET_OBJECT]])(
    'the jest harness: %s with no s3 nor mock fails naming wf.run(input, { s3: { dir } })', async (_what, definition) => {
      const run = await Workflow.fromDefinition(definition).run({});
      expect(run.error).toBe('States.Runtime');
      expect(run.cause).toContain(`${ADVICE}wf.run(input, { s3: { dir: '<folder>' } })`);
    });

  it('stepwright run: fails naming --s3-dir <folder>', async () => {
    const r = await cli('run', path.join(dir, 'reader.asl.json'), '--json');
    const { status, cause } = JSON.parse(r.out) as { status: string; cause: string };
    expect(status).toBe('FAILED');
    expect(cause).toContain(`${ADVICE}--s3-dir <folder>`);
    expect(cause).not.toContain('s3Dir');
  });

  it('stepwright serve: the execution fails naming --s3-dir, to start serve with', async () => {
    const s = await serve();
    try {
      const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'Reader', definition: JSON.stringify(READER), roleArn: ROLE }));
      const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const d = await settled(() => s.sfn.send(new DescribeExecutionCommand({ executionArn })), (e) => e.status !== 'RUNNING');
      expect(d.status).toBe('FAILED');
      expect(d.cause).toContain(`${ADVICE}start stepwright serve with --s3-dir <folder>.`);
    } finally {
      await s.stop();
    }
  });

  it('stepwright mcp: the run tool fails naming its s3Dir argument', async () => {
    const mcp = await startMcp(dir);
    try {
      const r = await mcp.call('run', { definition: READER });
      const { status, cause } = r.structuredContent as { status: string; cause: string };
      expect(status).toBe('FAILED');
      expect(cause).toContain(`${ADVICE}s3Dir: '<folder>' in the tool's arguments`);
      expect(cause).not.toContain('--s3-dir');
    } finally {
      await mcp.close();
    }
  }, 60_000);
});
