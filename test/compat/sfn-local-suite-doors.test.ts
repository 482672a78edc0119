/*
 * What users bring: a suite written for Step Functions Local, the way AWS's guide writes one
 * ("Using mocked service integrations for testing in Step Functions Local",
 * https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html, and its
 * "Mock configuration file" page, sfn-local-mock-cfg-file.html): one MockConfigFile whose test
 * cases name, for each Task state, a mocked response keyed by invocation ("0", a range "1-2"),
 * each entry one `Return` or one `Throw`; the same response named by several test cases; a
 * state inside a Map and inside a Parallel named as any other; a response whose entries a
 * Retry consumes one invocation each. Every door that takes a MockConfigFile (the jest harness's
 * `mockConfig`, `stepwright run --mocks <file> --test-case`, MCP's run tool with `mocksFile`,
 * serve's StartExecution of `<stateMachineArn>#<TestCase>`) must end each test case the same
 * way, and as the guide's semantics and AWS's say.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';
import { asl, ROLE, serve, until } from '../server/helpers';

const MACHINE = 'OrderFulfilment';
const CHARGE_FN = 'arn:aws:lambda:us-east-1:123456789012:function:charge';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/shipping';

const DEFINITION = {
  Comment: 'Validate an order, reserve its items one by one, charge and ship it at once, audit it in a child execution, publish the event',
  StartAt: 'ValidateOrder',
  States: {
    ValidateOrder: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'validate-order', 'Payload.$': '$' },
      ResultSelector: { 'valid.$': '$.Payload.valid' },
      ResultPath: '$.validation',
      Retry: [{ ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' }],
      Next: 'ReserveItems',
    },
    ReserveItems: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'ReserveItem',
        States: {
          ReserveItem: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:dynamodb:updateItem',
            Parameters: {
              TableName: 'stock',
              Key: { sku: { 'S.$': '$.sku' } },
              UpdateExpression: 'SET reserved = reserved + :n',
              ExpressionAttributeValues: { ':n': { 'N.$': 'States.Format(\'{}\', $.qty)' } },
            },
            ResultSelector: { 'reserved.$': '$.Attributes.reserved.N' },
            End: true,
          },
        },
      },
      ResultPath: '$.reservations',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' }],
      Next: 'ChargeAndShip',
    },
    ChargeAndShip: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: CHARGE_FN, End: true } } },
        {
          StartAt: 'Ship',
          States: {
            Ship: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
              Parameters: { QueueUrl: QUEUE, MessageBody: { 'orderId.$': '$.orderId', 'token.$': '$$.Task.Token' } },
              End: true,
            },
          },
        },
      ],
      ResultPath: '$.fulfilment',
      Next: 'Audit',
    },
    Audit: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { 'StateMachineArn': 'arn:aws:states:us-east-1:123456789012:stateMachine:Audit', 'Input.$': '$.orderId' },
      ResultSelector: { 'audited.$': '$.Output.audited' },
      ResultPath: '$.audit',
      Next: 'PublishShipped',
    },
    PublishShipped: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { Entries: [{ 'Source': 'orders', 'DetailType': 'Shipped', 'Detail.$': '$.fulfilment' }] },
      ResultPath: null,
      End: true,
    },
    NotifyFailure: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: { 'TopicArn': 'arn:aws:sns:us-east-1:123456789012:order-failures', 'Message.$': '$.error' },
      ResultPath: null,
      Next: 'OrderFailed',
    },
    OrderFailed: { Type: 'Fail', Error: 'OrderFailed', Cause: 'the order could not be fulfilled' },
  },
} as unknown as StateMachineDefinition;

const INPUT = { orderId: 'o-1', items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 3 }] };

const lambdaOk = { Return: { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { valid: true } } };
const reserved = (n: number) => ({ Return: { Attributes: { reserved: { N: String(n) } } } });
const MOCK_CONFIG = {
  StateMachines: {
    [MACHINE]: {
      TestCases: {
        HappyPath: {
          ValidateOrder: 'ValidateOk', ReserveItem: 'ReserveEach', Charge: 'ChargeOk', Ship: 'ShipOk', Audit: 'AuditOk', PublishShipped: 'PublishOk',
        },
        RetryPath: {
          ValidateOrder: 'ValidateThrottledOnce', ReserveItem: 'ReserveEach', Charge: 'ChargeOk', Ship: 'ShipOk', Audit: 'AuditOk', PublishShipped: 'PublishOk',
        },
        ValidationDown: { ValidateOrder: 'ValidateDown', NotifyFailure: 'NotifyOk' },
        OutOfStock: { ValidateOrder: 'ValidateOk', ReserveItem: 'ReserveSecondOutOfStock', NotifyFailure: 'NotifyOk' },
        ChargeDeclined: { ValidateOrder: 'ValidateOk', ReserveItem: 'ReserveEach', Charge: 'ChargeDeclined', Ship: 'ShipOk' },
        // Written when the first state was called CheckOrder: Step Functions Local looks a test case's states up as its Tasks
        // run, so the entry answers nothing and the run goes on.
        RenamedState: {
          CheckOrder: 'ValidateDown',
          ValidateOrder: 'ValidateOk',
          ReserveItem: 'ReserveEach',
          Charge: 'ChargeOk',
          Ship: 'ShipOk',
          Audit: 'AuditOk',
          PublishShipped: 'PublishOk',
        },
      },
    },
  },
  MockedResponses: {
    ValidateOk: { 0: lambdaOk },
    ValidateThrottledOnce: {
      0: { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      1: lambdaOk,
    },
    // Every attempt fails: the first and the Retry's two.
    ValidateDown: { '0-2': { Throw: { Error: 'Lambda.ServiceException', Cause: 'Lambda is down' } } },
    // One invocation per Map iteration, in order (MaxConcurrency 1).
    ReserveEach: { '0': reserved(1), '1-2': reserved(5) },
    ReserveSecondOutOfStock: {
      0: reserved(1),
      1: { Throw: { Error: 'DynamoDb.ConditionalCheckFailedException', Cause: 'The conditional request failed' } },
    },
    // A Task naming a function's ARN: the Return is the function's output.
    ChargeOk: { 0: { Return: { chargeId: 'ch_1' } } },
    ChargeDeclined: { 0: { Throw: { Error: 'Payment.Declined', Cause: 'insufficient funds' } } },
    // A .waitForTaskToken Task: the Return is what the token is answered with.
    ShipOk: { 0: { Return: { trackingId: 't-1' } } },
    AuditOk: { 0: { Return: { ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Audit:a-1', Status: 'SUCCEEDED', Output: { audited: true } } } },
    PublishOk: { 0: { Return: { Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 } } },
    NotifyOk: { 0: { Return: { MessageId: 'm-1' } } },
  },
};

interface End {
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  readonly output?: JsonValue;
}

const SHIPPED: JsonValue = {
  ...INPUT,
  validation: { valid: true },
  reservations: [{ reserved: '1' }, { reserved: '5' }, { reserved: '5' }],
  fulfilment: [{ chargeId: 'ch_1' }, { trackingId: 't-1' }],
  audit: { audited: true },
};
const EXPECTED: Record<string, End> = {
  HappyPath: { status: 'SUCCEEDED', output: SHIPPED },
  RetryPath: { status: 'SUCCEEDED', output: SHIPPED },
  ValidationDown: { status: 'FAILED', error: 'OrderFailed', cause: 'the order could not be fulfilled' },
  OutOfStock: { status: 'FAILED', error: 'OrderFailed', cause: 'the order could not be fulfilled' },
  ChargeDeclined: { status: 'FAILED', error: 'Payment.Declined', cause: 'insufficient funds' },
  RenamedState: { status: 'SUCCEEDED', output: SHIPPED },
};
/** What every door tells of the RenamedState test case's entry for a state the machine lacks. */
const ABSENT = "MockConfigFile test case 'RenamedState' mocks state 'CheckOrder', which state machine 'OrderFulfilment' does not have";
const CASES = Object.keys(EXPECTED);

/** The parts of an end a door gives that the expectation names. */
function ended(got: { status?: string; error?: string; cause?: string; output?: unknown }): End {
  const output = typeof got.output === 'string' ? JSON.parse(got.output) as JsonValue : got.output as JsonValue | undefined;
  return {
    status: got.status!,
    ...(got.error !== undefined ? { error: got.error } : {}),
    ...(got.cause !== undefined ? { cause: got.cause } : {}),
    ...(got.status === 'SUCCEEDED' ? { output } : {}),
  };
}

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-sfn-local-doors-'));
  fs.writeFileSync(path.join(root, 'order.asl.json'), JSON.stringify(DEFINITION));
  fs.writeFileSync(path.join(root, 'MockConfigFile.json'), JSON.stringify(MOCK_CONFIG));
  fs.writeFileSync(path.join(root, 'input.json'), JSON.stringify(INPUT));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a Step Functions Local suite\'s MockConfigFile ends each test case the same through every door', () => {
  it.each(CASES)('%s: the jest harness\'s mockConfig', async (testCase) => {
    const wf = Workflow.fromDefinition(DEFINITION, { name: MACHINE });
    const run = await wf.run(INPUT, { mockConfig: { file: path.join(root, 'MockConfigFile.json'), testCase } });
    expect(ended(run)).toEqual(EXPECTED[testCase]);
    expect(run.advice.filter((a) => a.message.includes(ABSENT))).toHaveLength(testCase === 'RenamedState' ? 1 : 0);
  });

  it.each(CASES)('%s: stepwright run --mocks MockConfigFile.json --test-case', async (testCase) => {
    const ran = await cli('run', path.join(root, 'order.asl.json'), '--input', `@${path.join(root, 'input.json')}`,
      '--mocks', path.join(root, 'MockConfigFile.json'), '--test-case', testCase, '--mock-state-machine', MACHINE, '--json');
    expect([ran.err, ended(JSON.parse(ran.out) as End)]).toEqual([expect.any(String), EXPECTED[testCase]]);
    expect(ran.code).toBe(EXPECTED[testCase].status === 'SUCCEEDED' ? 0 : 1);
    expect(ran.out.includes(ABSENT)).toBe(testCase === 'RenamedState');
  });

  it('MCP\'s run tool with mocksFile and testCase', async () => {
    const mcp = await startMcp(root);
    try {
      for (const testCase of CASES) {
        const called = await mcp.call('run', { file: 'order.asl.json', input: INPUT, mocksFile: 'MockConfigFile.json', testCase, mockStateMachine: MACHINE });
        expect([testCase, ended(called.structuredContent as unknown as End)]).toEqual([testCase, EXPECTED[testCase]]);
        expect([testCase, JSON.stringify(called.structuredContent).includes(ABSENT)]).toEqual([testCase, testCase === 'RenamedState']);
      }
    } finally {
      await mcp.close();
    }
  });

  it('serve, started with the file, each test case started as <stateMachineArn>#<TestCase>', async () => {
    const env = await serve({ mockConfig: path.join(root, 'MockConfigFile.json'), timeScale: 1000 });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: MACHINE, definition: asl(DEFINITION), roleArn: ROLE }));
      for (const testCase of CASES) {
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn!}#${testCase}`, input: JSON.stringify(INPUT) }));
        const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
        expect([testCase, ended(done)]).toEqual([testCase, EXPECTED[testCase]]);
        expect([testCase, env.logs.some((l) => l.includes(executionArn!) && l.includes(ABSENT))]).toEqual([testCase, testCase === 'RenamedState']);
      }
    } finally {
      await env.stop();
    }
  });
});

describe('explore, given the suite\'s MockConfigFile test case', () => {
  it('explores the test case that mocks a state the machine lacks, the entry answering no Task', async () => {
    const wf = Workflow.fromDefinition(DEFINITION, { name: MACHINE });
    const explored = await wf.explore({ input: INPUT, maxScenarios: 3, mockConfig: { file: path.join(root, 'MockConfigFile.json'), testCase: 'RenamedState' } });
    expect(explored.scenarios.length).toBeGreaterThan(0);
    expect(explored.scenarios.flatMap((s) => Object.keys(s.mocks))).not.toContain('CheckOrder');
  });
});

/*
 * A parent whose `states:startExecution` Task names its child as `<stateMachineArn>#<TestCase>`:
 * Step Functions Local runs an execution started with such an ARN with that test case of its
 * MockConfigFile (sfn-local-test-sm-exec.html, "Step 3: Run Mocked Service Integration Tests"), and
 * a Task's StartExecution call reaches it the same way, so the child's Tasks take the child's test
 * case. Every door runs the child so.
 */
describe('a child started as <stateMachineArn>#<TestCase> runs with that test case of the run\'s MockConfigFile, through every door', () => {
  const CHILD_NAME = 'Audit';
  const childDefinition = {
    StartAt: 'Check',
    States: { Check: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'audit', Payload: {} }, ResultSelector: { 'audited.$': '$.Payload.audited' }, End: true } },
  };
  const parentDefinition = (childArn: unknown) => ({
    StartAt: 'RunAudit',
    States: {
      RunAudit: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: childArn, Input: {} }, OutputPath: '$.Output', End: true },
    },
  });
  const config = {
    StateMachines: {
      Parent: { TestCases: { Main: {} } },
      [CHILD_NAME]: { TestCases: { Audited: { Check: 'AuditOk' }, Refused: { Check: 'AuditRefused' } } },
    },
    MockedResponses: {
      AuditOk: { 0: { Return: { StatusCode: 200, Payload: { audited: true } } } },
      AuditRefused: { 0: { Throw: { Error: 'Audit.Refused', Cause: 'no auditor' } } },
    },
  };
  const CHILD_ARN = `arn:aws:states:us-east-1:123456789012:stateMachine:${CHILD_NAME}`;
  const CHILD_ENDS: Record<string, End> = {
    Audited: { status: 'SUCCEEDED', output: { audited: true } },
    Refused: { status: 'FAILED', error: 'States.TaskFailed' },
  };
  const childCases = Object.keys(CHILD_ENDS);
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-child-test-case-'));
    fs.writeFileSync(path.join(dir, 'MockConfigFile.json'), JSON.stringify(config));
    const role = { 'Fn::GetAtt': ['Role', 'Arn'] };
    const template = {
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
        [CHILD_NAME]: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: CHILD_NAME, DefinitionString: JSON.stringify(childDefinition), RoleArn: role } },
        ...Object.fromEntries(childCases.map((c) => [`Parent${c}`, {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: { 'Fn::Sub': JSON.stringify(parentDefinition(`\${${CHILD_NAME}}#${c}`)) }, RoleArn: role },
        }])),
      },
    };
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const endOf = (got: { status?: string; error?: string; output?: unknown }): End => {
    const e = ended(got);
    return { status: e.status, ...(e.error !== undefined ? { error: e.error } : {}), ...(e.status === 'SUCCEEDED' ? { output: e.output } : {}) };
  };

  it.each(childCases)('%s: the jest harness, the child registered as a workflow', async (childCase) => {
    const parent = Workflow.fromDefinition(parentDefinition(`${CHILD_ARN}#${childCase}`) as unknown as StateMachineDefinition, { name: 'Parent' });
    const child = Workflow.fromDefinition(childDefinition as unknown as StateMachineDefinition, { name: CHILD_NAME });
    const run = await parent.run({}, { workflows: [child], mockConfig: { file: path.join(dir, 'MockConfigFile.json'), testCase: 'Main', stateMachine: 'Parent' } });
    expect(endOf(run)).toEqual(CHILD_ENDS[childCase]);
  });

  it('the jest harness: a run without a MockConfigFile fails the Task with States.Runtime naming the option', async () => {
    const parent = Workflow.fromDefinition(parentDefinition(`${CHILD_ARN}#Audited`) as unknown as StateMachineDefinition, { name: 'Parent' });
    const child = Workflow.fromDefinition(childDefinition as unknown as StateMachineDefinition, { name: CHILD_NAME });
    const run = await parent.run({}, { workflows: [child] });
    expect([run.status, run.error]).toEqual(['FAILED', 'States.Runtime']);
    expect(run.cause).toContain("Task 'RunAudit' starts");
    expect(run.cause).toContain('this run has no MockConfigFile');
  });

  it.each(childCases)('%s: stepwright run and MCP\'s run tool, on a template holding both machines', async (childCase) => {
    const ran = await cli('run', path.join(dir, 'template.json'), '--state-machine', `Parent${childCase}`,
      '--mocks', path.join(dir, 'MockConfigFile.json'), '--test-case', 'Main', '--mock-state-machine', 'Parent', '--json');
    expect(endOf(JSON.parse(ran.out) as End)).toEqual(CHILD_ENDS[childCase]);
    const mcp = await startMcp(dir);
    try {
      const called = await mcp.call('run', { file: 'template.json', stateMachine: `Parent${childCase}`, mocksFile: 'MockConfigFile.json', testCase: 'Main', mockStateMachine: 'Parent' });
      expect(endOf(called.structuredContent as unknown as End)).toEqual(CHILD_ENDS[childCase]);
    } finally {
      await mcp.close();
    }
  });

  it('serve, started with the file: each parent started plainly, its child as the ARN names it', async () => {
    const env = await serve({ mockConfig: path.join(dir, 'MockConfigFile.json'), timeScale: 1000 });
    try {
      const created = new CreateStateMachineCommand({ name: CHILD_NAME, definition: asl(childDefinition), roleArn: ROLE });
      const { stateMachineArn: childArn } = await env.sfn.send(created);
      for (const childCase of childCases) {
        const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: `Parent${childCase}`, definition: asl(parentDefinition(`${childArn!}#${childCase}`)), roleArn: ROLE }));
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
        const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
        expect([childCase, endOf(done)]).toEqual([childCase, CHILD_ENDS[childCase]]);
      }
    } finally {
      await env.stop();
    }
  });
});
