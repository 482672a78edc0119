/*
 * A Distributed Map whose ItemReader reads a bucket the CDK names (`new s3.Bucket(this, 'Data')`,
 * no bucketName): the run names it by its logical id in lower case, and a local S3 without that
 * bucket must say so, and where the bucket goes, instead of a bare "S3 bucket not found": at every
 * door, the harness, `stepwright run` and `serve --load`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { Workflow } from '../../../src/testing/workflow';
import { cli } from '../../cli/run-cli';
import { startMcp } from '../../mcp/client';
import { serve } from '../../server/helpers';

/** As `cdk synth` writes it: the bucket's Ref joined into the definition. */
const TEMPLATE = {
  Resources: {
    DataBucketE3889A50: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:cdk:path': 'App/DataBucket/Resource' } },
    Machine2E7E3F6A: {
      Type: 'AWS::StepFunctions::StateMachine',
      Metadata: { 'aws:cdk:path': 'App/Machine/Resource' },
      Properties: {
        RoleArn: 'arn:aws:iam::123456789012:role/r',
        DefinitionString: {
          'Fn::Join': ['', [
            '{"StartAt":"Each","States":{"Each":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject",'
            + '"ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"', { Ref: 'DataBucketE3889A50' },
            '","Key":"items.json"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},'
            + '"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}',
          ]],
        },
      },
    },
  },
};

describe('a bucket the template gives no BucketName, missing from the local S3', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bucket-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails the ItemReader naming the bucket\'s construct, how the run named it, and the folder to make in the run\'s s3: { dir }', async () => {
    const run = await Workflow.fromTemplate(TEMPLATE).run({}, { s3: { dir } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.ItemReaderFailed');
    expect(run.cause).toMatch(/^S3 bucket not found: databuckete3889a50 \(S3\.NoSuchBucket\); /);
    expect(run.cause).toContain('AWS::S3::Bucket App/DataBucket (logical id DataBucketE3889A50), which gives no BucketName, '
      + 'so the run names it by its logical id in lower case');
    expect(run.cause).toContain("make a folder 'databuckete3889a50' in the local S3 folder, the one the run's s3: { dir } names");
    expect(run.cause).not.toMatch(/--s3-dir|s3Dir/);
    expect(run.cause).not.toContain(dir);
  });

  it('says which bucket to add to the s3 objects a test gives inline', async () => {
    const run = await Workflow.fromTemplate(TEMPLATE).run({}, { s3: { other: {} } });
    expect(run.cause).toContain("give the run's s3 objects a bucket 'databuckete3889a50'");
  });

  it('stepwright run names the folder to make in the one --s3-dir names, and no option of a test or MCP', async () => {
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify(TEMPLATE));
    const cause = String(JSON.parse((await cli('run', file, '--s3-dir', dir, '--json')).out).cause);
    expect(cause).toMatch(/make a folder 'databuckete3889a50' in the local S3 folder, the one --s3-dir names$/);
    expect(cause).not.toMatch(/s3: \{|s3Dir/);
  });

  it('MCP\'s run tool names the folder to make in the one the tool\'s s3Dir names, and no flag', async () => {
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(TEMPLATE));
    fs.mkdirSync(path.join(dir, 's3'));
    const mcp = await startMcp(dir);
    try {
      const r = await mcp.call('run', { file: 'template.json', s3Dir: 's3' });
      const cause = String((r.structuredContent as { cause?: unknown }).cause);
      expect(cause).toMatch(/make a folder 'databuckete3889a50' in the local S3 folder, the one the tool's s3Dir names$/);
      expect(cause).not.toMatch(/--s3-dir|s3: \{/);
    } finally {
      await mcp.close();
    }
  });

  it('reads the bucket once the folder the message names is made', async () => {
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify(TEMPLATE));
    const missing = await cli('run', file, '--s3-dir', dir, '--json');
    expect(JSON.parse(missing.out).cause).toContain("make a folder 'databuckete3889a50'");
    fs.mkdirSync(path.join(dir, 'databuckete3889a50'));
    fs.writeFileSync(path.join(dir, 'databuckete3889a50', 'items.json'), '[1,2]');
    expect(JSON.parse((await cli('run', file, '--s3-dir', dir, '--json')).out)).toMatchObject({ status: 'SUCCEEDED', output: [1, 2] });
  });

  it('names the folder the bucket is in a run with no local S3 at all', async () => {
    const run = await Workflow.fromTemplate(TEMPLATE).run({});
    expect(run.cause).toContain("give the run a local S3 folder holding it, a folder per bucket and a file per key (DataBucket is the folder 'databuckete3889a50' in it): wf.run(input, { s3: { dir: '<folder>' } })");
  });
});

async function runToEnd(sfn: SFNClient): Promise<{ status?: string; cause?: string; output?: string }> {
  const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachines![0].stateMachineArn }));
  let described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  while (described.status === 'RUNNING') {
    await new Promise((resolve) => setImmediate(resolve));
    described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  }
  return { status: described.status, cause: described.cause, output: described.output };
}

describe('serve --load: a bucket the template gives no BucketName, missing from --s3-dir', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-serve-bucket-'));
    file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify(TEMPLATE));
    fs.mkdirSync(path.join(dir, 's3'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails the ItemReader naming the bucket\'s construct, how the run named it, and the folder to make in serve\'s --s3-dir', async () => {
    const env = await serve({ load: [file], s3Dir: path.join(dir, 's3') });
    try {
      const run = await runToEnd(env.sfn);
      expect(run.status).toBe('FAILED');
      expect(run.cause).toMatch(/^S3 bucket not found: databuckete3889a50 \(S3\.NoSuchBucket\); /);
      expect(run.cause).toContain('AWS::S3::Bucket App/DataBucket (logical id DataBucketE3889A50), which gives no BucketName, '
        + 'so the run names it by its logical id in lower case');
      expect(run.cause).toMatch(/make a folder 'databuckete3889a50' in the local S3 folder, the one serve's --s3-dir names$/);
      expect(run.cause).not.toMatch(/s3: \{|s3Dir/);
      expect(run.cause).not.toContain(dir);
    } finally {
      await env.stop();
    }
  });

  it('reads the bucket once the folder the message names is made', async () => {
    fs.mkdirSync(path.join(dir, 's3', 'databuckete3889a50'));
    fs.writeFileSync(path.join(dir, 's3', 'databuckete3889a50', 'items.json'), '[1,2]');
    const env = await serve({ load: [file], s3Dir: path.join(dir, 's3') });
    try {
      const run = await runToEnd(env.sfn);
      expect({ status: run.status, output: JSON.parse(run.output!) }).toEqual({ status: 'SUCCEEDED', output: [1, 2] });
    } finally {
      await env.stop();
    }
  });

  it('names the folder the bucket is in when serve has no local S3 at all', async () => {
    const env = await serve({ load: [file] });
    try {
      const run = await runToEnd(env.sfn);
      expect(run.status).toBe('FAILED');
      expect(run.cause).toContain("(DataBucket is the folder 'databuckete3889a50' in it)");
    } finally {
      await env.stop();
    }
  });
});
