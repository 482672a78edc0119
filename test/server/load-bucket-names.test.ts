/*
 * serve --load with a template whose Distributed Map reads a bucket the template gives no
 * BucketName: the run names it by its logical id in lower case, and a missing bucket says so,
 * and where the bucket goes, at serve as the harness and `stepwright run` say it
 * (test/workbench/s3/template-bucket-names.test.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { serve } from './helpers';

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

  it('fails the ItemReader naming the bucket\'s construct, how the run named it, and the folder to make', async () => {
    const env = await serve({ load: [file], s3Dir: path.join(dir, 's3') });
    try {
      const run = await runToEnd(env.sfn);
      expect(run.status).toBe('FAILED');
      expect(run.cause).toMatch(/^S3 bucket not found: databuckete3889a50 \(S3\.NoSuchBucket\); /);
      expect(run.cause).toContain('AWS::S3::Bucket App/DataBucket (logical id DataBucketE3889A50), which gives no BucketName, '
        + 'so the run names it by its logical id in lower case');
      expect(run.cause).toContain("make a folder 'databuckete3889a50' in the local S3 folder, the one --s3-dir names");
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
