/*
 * The HybridPath test case of AWS's MockConfigFile guide
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html): it mocks
 * LambdaState and leaves SQSState out, for which Step Functions Local calls the service's endpoint
 * ("If you don't specify mocked service integration responses ... Step Functions Local will invoke
 * the AWS service integration using the endpoint you configured", sfn-local-test-sm-exec.html).
 * serve without that endpoint fails the Task, and its cause says the test case leaves the state
 * out and how to give serve the endpoint Step Functions Local would have called; `stepwright run
 * --mocks` and the harness's mockConfig say the same of the test case.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import { Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';

const MACHINE = asl({
  StartAt: 'LambdaState',
  States: {
    LambdaState: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'Payload.$': '$', 'FunctionName': 'HelloWorldFunction' }, Next: 'SQSState' },
    SQSState: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/myQueue', 'MessageBody.$': '$' },
      End: true,
    },
  },
});

const MOCKS = {
  StateMachines: { LambdaSQSIntegration: { TestCases: { HybridPath: { LambdaState: 'MockedLambdaSuccess' } } } },
  MockedResponses: { MockedLambdaSuccess: { 0: { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } } },
};

describe('serve: a test case that leaves a state out, as the guide\'s HybridPath does', () => {
  it('fails the state it leaves out, naming the test case, the state, and the endpoint variables and flags that would answer it', async () => {
    const env = await serve({ mockConfig: MOCKS });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'LambdaSQSIntegration', definition: MACHINE, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#HybridPath`, input: '{}' }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect({ status: done.status, error: done.error }).toEqual({ status: 'FAILED', error: 'States.Runtime' });
      expect(done.cause).toContain("No mock or handler answers Task 'SQSState' (resource arn:aws:states:::sqs:sendMessage).");
      expect(done.cause).toContain("--mock-config test case 'HybridPath' gives the state no response: add 'SQSState' to the test case");
      expect(done.cause).toContain('SQS_ENDPOINT (--endpoint sqs=<url>)');
      expect(done.cause).toContain('LAMBDA_ENDPOINT (--endpoint lambda=<url>)');
      expect(done.cause).not.toContain('start the execution on');
    } finally {
      await env.stop();
    }
  });
});

describe('the HybridPath test case at the other doors', () => {
  const SAID = "MockConfigFile test case 'HybridPath' gives it no response: add \"SQSState\" to the test case";

  it('the harness fails SQSState, naming the test case and the state to add to it', async () => {
    const run = await Workflow.fromDefinition(JSON.parse(MACHINE)).run({}, { mockConfig: { config: MOCKS, stateMachine: 'LambdaSQSIntegration', testCase: 'HybridPath' } });
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: 'States.Runtime' });
    expect(run.cause).toContain(SAID);
    expect(run.cause).toContain("endpoints: { <service>: '<url>' } in a test");
  });

  it('stepwright run --mocks says the same', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-hybrid-'));
    try {
      fs.writeFileSync(path.join(dir, 'LambdaSQSIntegration.asl.json'), MACHINE);
      fs.writeFileSync(path.join(dir, 'MockConfigFile.json'), JSON.stringify(MOCKS));
      const run = await cli('run', path.join(dir, 'LambdaSQSIntegration.asl.json'), '--mocks', path.join(dir, 'MockConfigFile.json'), '--test-case', 'HybridPath', '--json');
      expect(JSON.parse(run.out)).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(JSON.parse(run.out).cause).toContain(SAID);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
