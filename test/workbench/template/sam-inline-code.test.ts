import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';
import { startMcp, type McpSession } from '../../mcp/client';
import { serve, until } from '../../server/helpers';

/*
 * An AWS SAM function's `InlineCode` is the deployed function's `Code.ZipFile`: SAM passes it
 * "directly to the ZipFile property of the Code property of an AWS::Lambda::Function resource"
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-inlinecode).
 * A Task no mock answers runs it at every door, as it runs a CloudFormation function's ZipFile;
 * Handler and Runtime come from the function, else the Globals section.
 */

const SAM = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
Resources:
  Double:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      InlineCode: "exports.handler = async (event) => ({ doubled: event.n * 2 });"
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: doubler
      Definition:
        StartAt: Call
        States:
          Call:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: !GetAtt Double.Arn
              Payload.$: $
            OutputPath: $.Payload
            End: true
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Double
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-sam-inline-'));
const templateFile = path.join(dir, 'template.yaml');
fs.writeFileSync(templateFile, SAM);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a SAM function with InlineCode', () => {
  it('runs for the Task no mock answers in the jest harness', async () => {
    const run = await Workflow.fromTemplate(templateFile).run({ n: 21 });
    expect({ status: run.status, output: run.output }).toEqual({ status: 'SUCCEEDED', output: { doubled: 42 } });
  });

  it('runs with stepwright run', async () => {
    const ran = await cli('run', templateFile, '--input', '{"n": 21}', '--json');
    expect(JSON.parse(ran.out)).toMatchObject({ status: 'SUCCEEDED', output: { doubled: 42 } });
  });

  it('runs in serve, loaded with --load', async () => {
    const { sfn, stop } = await serve({ load: [templateFile] });
    try {
      const { executionArn } = await sfn.send(new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:doubler', input: '{"n": 21}',
      }));
      const done = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect({ status: done.status, output: JSON.parse(done.output ?? 'null') }).toEqual({ status: 'SUCCEEDED', output: { doubled: 42 } });
    } finally {
      await stop();
    }
  });

  describe('through MCP', () => {
    let mcp: McpSession;
    beforeAll(async () => { mcp = await startMcp(dir); }, 120_000);
    afterAll(async () => { await mcp.close(); });

    it('runs with the run tool', async () => {
      const ran = await mcp.call('run', { file: 'template.yaml', input: { n: 21 } });
      expect(ran.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { doubled: 42 } });
    });
  });
});
