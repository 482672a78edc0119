import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMcp, textOf, type McpSession } from './client';
import { renderMermaid } from '../../src/render';
import { Workflow } from '../../src/testing';
import { mistypedPipeline } from '../asl/validate/mistyped-pipeline';
import { cli } from '../cli/run-cli';
import { fibonacciChoice } from '../explore/fibonacci-choice';
import { withExploreClockStopped } from '../explore-clock';
import { httpConnectionTemplate } from '../iam/http-connection-template';
import { eachPut, REFUSED_PUT_ANSWER } from '../workbench/each-put';

/*
 * `stepwright mcp` driven as an agent's MCP client drives it: the SDK's own
 * Client over stdio, spawning the CLI. One server for the file; each test
 * calls its tools.
 */

/** A Task that retries Busy once and catches everything into Oops. */
const helloMachine = {
  StartAt: 'Greet',
  States: {
    Greet: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'greet', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      TimeoutSeconds: 5,
      Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 1, IntervalSeconds: 1 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Oops' }],
      End: true,
    },
    Oops: { Type: 'Pass', End: true },
  },
};

/** Valid (a way out exists), but the way out is never taken. */
const loop = {
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Next: 'Again' },
    Again: { Type: 'Choice', Choices: [{ Variable: '$.never', IsPresent: true, Next: 'Done' }], Default: 'A' },
    Done: { Type: 'Succeed' },
  },
};

const passMachine = { StartAt: 'P', States: { P: { Type: 'Pass', Result: { secret: 'TOP-SECRET' }, End: true } } };

const ORDER_YAML = `Comment: an order
StartAt: Check
States:
  Check:
    Type: Choice
    Choices:
      - Variable: $.total
        NumericGreaterThan: 100
        Next: Review
    Default: Approve
  Review:
    Type: Pass
    Result: review
    End: true
  Approve:
    Type: Pass
    Result: approved
    End: true
`;

/** A template with two state machines, the way the CDK writes them. */
function twoMachineTemplate(): Record<string, unknown> {
  const machine = (comment: string) => ({
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: {
      DefinitionString: { 'Fn::Join': ['', ['{"Comment":"', comment, '","StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '","End":true}}}']] },
      RoleArn: 'arn:aws:iam::123456789012:role/r',
    },
  });
  return {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      First: machine('first'),
      Second: { ...machine('second'), Properties: { ...machine('second').Properties, StateMachineName: 'second-machine', StateMachineType: 'EXPRESS' } },
    },
  };
}

/** A machine whose role cannot dynamodb:PutItem on the table it writes. */
const iamTemplate = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table' },
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
        DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"Save","States":{"Save":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","TimeoutSeconds":5,"Parameters":{"TableName":"', { Ref: 'Table' }, '","Item":{}},"End":true}}}']] },
      },
    },
  },
};

/** A permission finding, as far as the tests read it. */
interface Finding { readonly code: string; readonly fix: string }

/** A log group ARN without the ':*' qualifier CreateStateMachine asks for. */
const UNQUALIFIED_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:orders';
const LOGGING_REFUSED = 'CreateStateMachine refuses the LoggingConfiguration with InvalidLoggingConfiguration: '
  + `"Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier." The log group ARN "${UNQUALIFIED_GROUP}" `
  + "must end with ':*', as the Arn of an AWS::Logs::LogGroup (Fn::GetAtt) does.";

let base: string;
let root: string;
let outside: string;
let mcp: McpSession;

function write(dir: string, name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  write(root, 'hello.asl.json', helloMachine);
  write(root, 'order.asl.yaml', ORDER_YAML);
  write(root, 'mocks.json', { Greet: { Return: { hello: 'Ada' } } });
  write(root, 'two.template.json', twoMachineTemplate());
  write(root, 'iam.template.json', iamTemplate);
  write(root, 'unqualified-log.template.json', {
    Resources: {
      Orders: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
          LoggingConfiguration: { Level: 'ALL', Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: UNQUALIFIED_GROUP } }] },
        },
      },
    },
  });
  write(outside, 'secret.asl.json', passMachine);
  write(outside, 'mocks.json', { P: 1 });
  write(outside, 'S.template.json', twoMachineTemplate());
  write(outside, 'assembly/manifest.json', { artifacts: { N: { type: 'aws:cloudformation:stack', properties: { templateFile: 'N.template.json' } } } });
  write(outside, 'assembly/N.template.json', twoMachineTemplate());
  fs.symlinkSync(path.join(outside, 'secret.asl.json'), path.join(root, 'link-out.asl.json'));
  fs.symlinkSync(outside, path.join(root, 'dir-out'));
  fs.symlinkSync(path.join(root, 'hello.asl.json'), path.join(root, 'link-in.asl.json'));
  fs.symlinkSync('loop-b.json', path.join(root, 'loop-a.json'));
  fs.symlinkSync('loop-a.json', path.join(root, 'loop-b.json'));
  // Cloud assemblies whose manifest leads out of the root: a template file, and a nested assembly.
  write(root, 'escape.out/manifest.json', { artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: '../../outside/S.template.json' } } } });
  write(root, 'nested.out/manifest.json', { artifacts: { A: { type: 'cdk:cloud-assembly', properties: { directoryName: '../../outside/assembly' } } } });
  // Explore's budget on a clock that stands still: a busy machine does not cut a search these tests compare.
  mcp = await startMcp(root, [], { exploreTickMs: 0 });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('stepwright mcp: tools/list', () => {
  it('lists the nine tools, each with an input schema, an output schema and annotations: read-only but run (which writes its s3Dir); only parity reaches an endpoint', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['validate', 'run', 'test_state', 'render', 'check_iam', 'list_state_machines', 'explore', 'verify', 'parity']);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description!.length).toBeGreaterThan(80);
      const writes = tool.name === 'run';
      expect(tool.annotations).toMatchObject({ readOnlyHint: !writes, destructiveHint: writes, idempotentHint: !writes, openWorldHint: tool.name === 'parity' });
    }
  });

  it('describes every input field, so an agent knows what to give', async () => {
    const { tools } = await mcp.client.listTools();
    const undescribed = tools.flatMap((t) => Object.entries(t.inputSchema.properties ?? {})
      .filter(([, schema]) => typeof (schema as { description?: unknown }).description !== 'string')
      .map(([field]) => `${t.name}.${field}`));
    expect(undescribed).toEqual([]);
  });

  it('refuses fields a tool does not take in its schema (additionalProperties: false)', async () => {
    const { tools } = await mcp.client.listTools();
    for (const tool of tools) expect((tool.inputSchema as { additionalProperties?: unknown }).additionalProperties).toBe(false);
  });
});

describe('stepwright mcp: validate', () => {
  it('answers a valid file with its warnings, located, as structured content and as JSON text', async () => {
    const r = await mcp.call('validate', { file: 'hello.asl.json', type: 'STANDARD' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ valid: true, reports: [{ source: 'hello.asl.json', valid: true, findings: [] }] });
    expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
  });

  it('answers an invalid inline definition with each finding\'s code, JSON-pointer location and fix', async () => {
    const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } };
    const r = await mcp.call('validate', { definition: broken });
    const report = (r.structuredContent as { valid: boolean; reports: Array<{ valid: boolean; findings: Array<Record<string, string>> }> });
    expect(report.valid).toBe(false);
    expect(report.reports[0].findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ severity: 'error', location: '/States/A/Next', message: expect.stringContaining('Nowhere') }),
    ]));
  });

  it.each(['toString', 'constructor', '__proto__'])('answers a state Type named like a property of every object (%j) as an unknown type', async (type) => {
    const r = await mcp.call('validate', { definition: { StartAt: 'S', States: { S: { Type: type, End: true } } }, warnings: false });
    const [report] = (r.structuredContent as { reports: Array<{ valid: boolean; findings: Array<Record<string, string>> }> }).reports;
    expect(report.valid).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'SCHEMA_VALIDATION_FAILED', location: '/States/S/Type' })]);
  });

  it('answers a mistyped Next first, with the nearest state name as the fix, and the 29 states it cuts off folded under it', async () => {
    const r = await mcp.call('validate', { definition: mistypedPipeline(), warnings: false });
    type Folded = { code: string; message: string; following?: Array<{ code: string; followsFrom: string }> };
    const [report] = (r.structuredContent as { reports: Array<{ findings: Folded[] }> }).reports;
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].message).toBe("State 'Parse': Next 'Route btach' names no state at the top level; did you mean 'Route batch'?");
    expect(report.findings[0].following).toHaveLength(29);
    expect(new Set(report.findings[0].following!.map((f) => `${f.code} ${f.followsFrom}`))).toEqual(new Set(['UNREACHABLE_STATE /States/Parse/Next']));
  });

  // Step Functions implements JSONata 2.0.6 (Developer Guide, "Transforming data with JSONata"); `??` came in 2.1.0,
  // so AWS refuses it at create, as the run does: the MCP door says so as validate and serve do.
  it('refuses a JSONata 2.1 `??` with INVALID_JSONATA, naming the version Step Functions implements', async () => {
    const definition = { QueryLanguage: 'JSONata', StartAt: 'E', States: { E: { Type: 'Pass', Output: { v: '{% $states.input.a ?? 1 %}' }, End: true } } };
    const r = await mcp.call('validate', { definition, warnings: false });
    const [report] = (r.structuredContent as { reports: Array<{ valid: boolean; findings: Array<Record<string, string>> }> }).reports;
    expect(report.valid).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'INVALID_JSONATA', location: '/States/E/Output/v' })]);
    expect(report.findings[0].message).toContain("'??' came in JSONata 2.1.0, and Step Functions implements JSONata 2.0.6");
  });

  // AWS locates a bad intrinsic at the payload template: "... must be a valid JSONPath or a valid intrinsic
  // function call at /States/TestTask/Parameters" (CreateStateMachine, quoted in serverless-step-functions#399).
  it('locates an unknown intrinsic at its Parameters, as AWS does, not at the .$ field', async () => {
    const definition = { StartAt: 'X', States: { X: { Type: 'Pass', Parameters: { 'parsed.$': 'States.Xyz($.a)' }, End: true } } };
    const r = await mcp.call('validate', { definition, warnings: false });
    const [report] = (r.structuredContent as { reports: Array<{ findings: Array<Record<string, string>> }> }).reports;
    expect(report.findings).toEqual([expect.objectContaining({ code: 'INVALID_INTRINSIC_FUNCTION', location: '/States/X/Parameters' })]);
  });

  it('reads a definition given as YAML text, and a .yaml file, as their JSON', async () => {
    const inline = await mcp.call('validate', { definition: ORDER_YAML, warnings: false });
    expect(inline.structuredContent).toEqual({ valid: true, reports: [{ source: 'definition', valid: true, findings: [] }] });
    const fromFile = await mcp.call('validate', { file: 'order.asl.yaml' });
    expect((fromFile.structuredContent as { valid: boolean }).valid).toBe(true);
  });

  it('reports definition text that is not JSON as an invalid definition, as AWS does', async () => {
    const r = await mcp.call('validate', { definition: '{"StartAt": "A",' });
    const { reports } = r.structuredContent as { reports: Array<{ valid: boolean; findings: Array<{ code: string; message: string }> }> };
    expect(reports[0].valid).toBe(false);
    expect(reports[0].findings[0].code).toBe('INVALID_JSON_DESCRIPTION');
    expect(reports[0].findings[0].message).toMatch(/^The definition is not valid JSON: .* at line 1, column 17$/);
  });

  it('validates every state machine of a template, each as its own type', async () => {
    const r = await mcp.call('validate', { file: 'two.template.json', warnings: false });
    const { reports } = r.structuredContent as { reports: Array<{ source: string; valid: boolean }> };
    expect(reports.map((x) => x.source)).toEqual(['two.template.json First', 'two.template.json Second']);
  });

  it('reports a LoggingConfiguration CreateStateMachine refuses, as stepwright validate does, and run refuses to load it', async () => {
    const r = await mcp.call('validate', { file: 'unqualified-log.template.json', warnings: false });
    expect(r.structuredContent).toEqual({
      valid: false,
      reports: [{
        source: 'unqualified-log.template.json Orders',
        valid: false,
        findings: [{
          code: 'INVALID_LOGGING_CONFIGURATION',
          severity: 'error',
          location: '/Resources/Orders/Properties/LoggingConfiguration/Destinations/0/CloudWatchLogsLogGroup/LogGroupArn',
          message: LOGGING_REFUSED,
        }],
      }],
    });
    const run = await mcp.call('run', { file: 'unqualified-log.template.json' });
    expect(run.isError).toBe(true);
    expect(textOf(run)).toContain(`state machine 'Orders': ${LOGGING_REFUSED}`);
  });

  it('checks IAM permissions with iam: true, with the statement that fixes a missing one', async () => {
    const r = await mcp.call('validate', { file: 'iam.template.json', iam: true });
    const { valid, reports } = r.structuredContent as { valid: boolean; reports: Array<{ permissions: { findings: Finding[] } }> };
    expect(valid).toBe(false);
    expect(reports[0].permissions.findings[0]).toMatchObject({ code: 'MISSING_PERMISSION', fix: expect.stringContaining('dynamodb:PutItem') });
  });
});

describe('stepwright mcp: validate a dynamodb.TableV2 machine', () => {
  it('says valid: true with iam: true when the role is granted the GlobalTable by GetAtt Arn, the table named by its TableName', async () => {
    const resources = iamTemplate.Resources;
    write(root, 'iam-v2.template.json', {
      Resources: {
        ...resources,
        Table: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { TableName: 'reviews', Replicas: [{ Region: 'us-east-1' }] } },
        Grant: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'p',
            Roles: [{ Ref: 'Role' }],
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: [{ 'Fn::GetAtt': ['Table', 'Arn'] }, { Ref: 'AWS::NoValue' }] }] },
          },
        },
      },
    });
    const r = await mcp.call('validate', { file: 'iam-v2.template.json', iam: true });
    type Check = { resource: string; decision: string };
    const { valid, reports } = r.structuredContent as { valid: boolean; reports: Array<{ permissions: { checks: Check[] } }> };
    expect(valid).toBe(true);
    expect(reports[0].permissions.checks).toEqual([expect.objectContaining({ resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/reviews', decision: 'allowed' })]);
  });
});

describe('stepwright mcp: check_iam of an HTTP Task', () => {
  it("decides the connection's secret from the template: the grant on GetAtt SecretArn allows it, a grant on the connection's ARN does not", async () => {
    type Check = { action: string; resource?: string; decision: string };
    const secretChecks = async (file: string): Promise<string[]> => {
      const r = await mcp.call('check_iam', { file });
      const { machines } = r.structuredContent as { machines: Array<{ permissions: { checks: Check[] } }> };
      return machines[0].permissions.checks.filter((c) => c.action.startsWith('secretsmanager:')).map((c) => `${c.action} ${c.resource ?? '(run time)'} ${c.decision}`);
    };
    write(root, 'http-secret.template.json', httpConnectionTemplate({ 'Fn::GetAtt': ['Conn', 'SecretArn'] }));
    write(root, 'http-connection.template.json', httpConnectionTemplate({ 'Fn::GetAtt': ['Conn', 'Arn'] }));
    const secret = /^arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection\/Conn\/[0-9a-f-]+$/;
    const granted = await secretChecks('http-secret.template.json');
    expect(granted.map((c) => c.split(' ')[2])).toEqual(['allowed', 'allowed']);
    expect(granted.map((c) => c.split(' ')[1])).toEqual([expect.stringMatching(secret), expect.stringMatching(secret)]);
    expect((await secretChecks('http-connection.template.json')).map((c) => c.split(' ')[2])).toEqual(['implicitDeny', 'implicitDeny']);
    // The endpoint, a States.Format of literals as aws-cdk-lib's HttpInvoke writes it, is the text it always is: the grant's condition is decided.
    const r = await mcp.call('check_iam', { file: 'http-secret.template.json' });
    const { machines } = r.structuredContent as { machines: Array<{ permissions: { checks: Check[] } }> };
    expect(machines[0].permissions.checks.find((c) => c.action === 'states:InvokeHTTPEndpoint')).toMatchObject({ decision: 'allowed' });
  });
});

describe('stepwright mcp: run, a Distributed Map child\'s own error', () => {
  it('answers each failed child in childFailures, with its Map, input, error and cause, while the run fails with the Map\'s error', async () => {
    const definition = {
      StartAt: 'Import',
      States: {
        Import: {
          Type: 'Map',
          ItemsPath: '$.items',
          ToleratedFailureCount: 0,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Refuse',
            States: { Refuse: { Type: 'Fail', Error: 'Item.Invalid', Cause: 'an item has no id' } },
          },
          End: true,
        },
      },
    };
    const r = await mcp.call('run', { definition, input: { items: [{ name: 'x' }] } });
    expect(r.structuredContent).toMatchObject({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
      childFailures: [{ mapState: 'Import', name: expect.any(String), executionArn: expect.any(String), input: { name: 'x' }, error: 'Item.Invalid', cause: 'an item has no id' }],
    });
  });
});

describe('stepwright mcp: run', () => {
  it('fails a run whose mock answers a Distributed Map child what its service never sends, as stepwright run does (no tolerated item)', async () => {
    const r = await mcp.call('run', { definition: eachPut(), input: [1, 2], mocks: { Put: REFUSED_PUT_ANSWER } });
    expect(r.structuredContent).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: expect.stringContaining("The mock of Task 'Put'") });
  });

  it('runs with mocks and answers the path with the retries and the caught error per state', async () => {
    const r = await mcp.call('run', {
      file: 'hello.asl.json',
      input: { name: 'Ada' },
      mocks: { Greet: [{ Throw: { Error: 'Busy' } }, { Throw: { Error: 'Boom', Cause: 'it broke' } }] },
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      source: 'hello.asl.json',
      status: 'SUCCEEDED',
      output: { name: 'Ada', error: { Error: 'Boom', Cause: 'it broke' } },
      path: ['Greet', 'Oops'],
      retries: { Greet: 1 },
      errors: { Greet: { count: 1, caught: 1, error: 'Boom' } },
    });
    expect(r.structuredContent).not.toHaveProperty('history');
  });

  it('answers a failed run with its error, cause and failed state, and the history when asked', async () => {
    const failing = { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'no items' } } };
    const r = await mcp.call('run', { definition: failing, history: true });
    expect(r.structuredContent).toMatchObject({ status: 'FAILED', error: 'Order.Invalid', cause: 'no items', failedState: 'Stop', path: ['Stop'] });
    expect((r.structuredContent as { history: Array<{ type: string }> }).history.map((e) => e.type))
      .toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });

  it('answers a mock\'s advice, naming its own arguments, and fails the run on it with mockAdvice: "fail"', async () => {
    const getItem = {
      StartAt: 'Get',
      States: { Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: { id: { S: 'a' } } }, End: true } },
    };
    const told = await mcp.call('run', { definition: getItem, mocks: { Get: { Itme: { id: { S: 'a' } } } } });
    expect(told.structuredContent).toMatchObject({ status: 'SUCCEEDED', advice: [{ state: 'Get', message: expect.stringContaining("did you mean 'Item'?") }] });
    expect((told.structuredContent as { advice: Array<{ message: string }> }).advice[0].message).toContain('the tool\'s mockAdvice: "fail"');
    const failed = await mcp.call('run', { definition: getItem, mocks: { Get: { Itme: { id: { S: 'a' } } } }, mockAdvice: 'fail' });
    expect(failed.structuredContent).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    const refused = await mcp.call('run', { definition: getItem, mocks: { Get: { Item: { id: { S: 1 } } } } });
    expect(refused.structuredContent).toMatchObject({ status: 'FAILED', cause: expect.stringContaining('the tool\'s mockValidation: "NONE"') });
  });

  it('answers a late mock ({"Delay": …}) on the virtual clock: within TimeoutSeconds it returns, past it the Task times out', async () => {
    const inTime = await mcp.call('run', { file: 'hello.asl.json', input: { name: 'Ada' }, mocks: { Greet: { Delay: 4, Return: { hello: 'Ada' } } } });
    expect(inTime.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { hello: 'Ada' }, path: ['Greet'], startDate: '2024-01-01T00:00:00.000Z', stopDate: '2024-01-01T00:00:04.000Z' });
    const late = await mcp.call('run', { file: 'hello.asl.json', input: { name: 'Ada' }, mocks: { Greet: { Delay: 6, Return: { hello: 'Ada' } } } });
    expect(late.structuredContent).toMatchObject({ status: 'SUCCEEDED', path: ['Greet', 'Oops'], output: { name: 'Ada', error: { Error: 'States.Timeout' } } });
    const refused = await mcp.call('run', { file: 'hello.asl.json', mocks: { Greet: { Delay: 'soon', Return: 1 } } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain("mock 'Greet': Delay must be a number of seconds from 0 to 31536000 (a Standard execution's longest run), got \"soon\"");
  });

  it('starts the run at startTime on its virtual clock, as `stepwright run --start-time`, and refuses a time with no zone', async () => {
    const hold = { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Timestamp: '2025-03-01T09:10:00Z', End: true } } };
    const r = await mcp.call('run', { definition: hold, startTime: '2025-03-01T10:00:00+01:00' });
    expect(r.structuredContent).toMatchObject({ status: 'SUCCEEDED', startDate: '2025-03-01T09:00:00.000Z', stopDate: '2025-03-01T09:10:00.000Z' });
    const refused = await mcp.call('run', { definition: hold, startTime: '2025-03-01T09:00:00' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('startTime: must be an RFC 3339 date-time with its zone, as a Wait\'s Timestamp is written (2025-03-01T09:00:00Z), got "2025-03-01T09:00:00"');
  });

  it('draws the run\'s random values from seed, as the harness does with the same seed', async () => {
    const draw = { StartAt: 'Draw', States: { Draw: { Type: 'Pass' as const, Parameters: { 'id.$': 'States.UUID()', 'n.$': 'States.MathRandom(1, 1000000)' }, End: true } } };
    const r = await mcp.call('run', { definition: draw, seed: 7 });
    expect((r.structuredContent as { output: unknown }).output).toEqual((await Workflow.fromDefinition(draw).run({}, { seed: 7 })).output);
    const other = await mcp.call('run', { definition: draw, seed: 8 });
    expect((other.structuredContent as { output: unknown }).output).not.toEqual((r.structuredContent as { output: unknown }).output);
  });

  it('reads mocks from a file inside the root, as `stepwright run --mocks` does', async () => {
    const r = await mcp.call('run', { file: 'hello.asl.json', mocksFile: 'mocks.json' });
    expect(r.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { hello: 'Ada' } });
  });

  it('fails a Task no mock answers with States.Runtime naming it, or returns its input with unmocked: input', async () => {
    // States.ALL does not catch States.Runtime, on AWS as here.
    const strict = await mcp.call('run', { file: 'hello.asl.json' });
    expect(strict.structuredContent).toMatchObject({
      status: 'FAILED', error: 'States.Runtime', cause: expect.stringContaining('Greet'), failedState: 'Greet', errors: { Greet: { error: 'States.Runtime', caught: 0 } },
    });
    const lenient = await mcp.call('run', { file: 'hello.asl.json', unmocked: 'input', input: { a: 1 } });
    expect(lenient.structuredContent).toMatchObject({ status: 'SUCCEEDED', path: ['Greet'], output: { a: 1 } });
  });

  it("says to add the state to the tool's mocks (or mocksFile) or give unmocked: \"input\", and names no flag, test option or endpoint", async () => {
    const r = await mcp.call('run', { file: 'hello.asl.json' });
    const cause = String((r.structuredContent as { cause?: unknown }).cause);
    expect(cause).toContain("No mock for Task 'Greet' (arn:aws:states:::lambda:invoke). Add: \"Greet\" in the tool's mocks (or its mocksFile); "
      + "or echo each unmocked Task's input with the tool's unmocked: \"input\"");
    // The run tool takes no endpoint: a Lambda Task is not sent to one.
    expect(cause).not.toMatch(/--mocks|--unmocked|--endpoint|mocks: \{|endpoints|in a test/);
  });

  it('runs the state machine of a template chosen with stateMachine, and names the candidates when none is chosen', async () => {
    const r = await mcp.call('run', { file: 'two.template.json', stateMachine: 'second-machine', mocks: { Work: 'ok' } });
    expect(r.structuredContent).toMatchObject({ source: 'two.template.json Second', status: 'SUCCEEDED', output: 'ok' });
    const ambiguous = await mcp.call('run', { file: 'two.template.json' });
    expect(ambiguous.isError).toBe(true);
    expect(textOf(ambiguous)).toContain('the template has 2 state machines');
    expect(textOf(ambiguous)).toContain('(choose with stateMachine)');
  });

  it('runs a template\'s inline Lambda code for a Task no mock answers, with the answer stepwright run gives', async () => {
    const code = 'exports.handler = async (event) => ({ greeting: `hello ${event.who}` });';
    const template = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: code } } },
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: {
              'Fn::Join': ['', ['{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",'
                + '"Parameters":{"FunctionName":"', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}}']],
            },
          },
        },
      },
    };
    const file = write(root, 'inline-code.template.json', template);
    const r = await mcp.call('run', { file: 'inline-code.template.json', input: { who: 'Ada' } });
    expect(r.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: { greeting: 'hello Ada' }, path: ['Call'] });
    const byCli = JSON.parse((await cli('run', file, '--input', '{"who":"Ada"}', '--json')).out) as Record<string, unknown>;
    const { status, output, path: statesEntered } = r.structuredContent as Record<string, unknown>;
    expect({ status, output, path: statesEntered }).toEqual({ status: byCli.status, output: byCli.output, path: byCli.path });
  });

  it('stops an endless loop at limits.maxTransitions, with the path it took', async () => {
    const r = await mcp.call('run', { definition: loop, limits: { maxTransitions: 50 } });
    expect(r.structuredContent).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect((r.structuredContent as { path: string[] }).path).toHaveLength(50);
  });

  it('stops an endless loop without limits at AWS\'s 25,000 history events', async () => {
    const r = await mcp.call('run', { definition: loop });
    expect(r.structuredContent).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect((r.structuredContent as { cause: string }).cause).toMatch(/25,?000/);
  }, 60_000);
});

/** A Distributed Map over the items of s3://orders/in.json, writing its results to s3://results/out/, then an S3 Task that reads an object. */
const s3Machine = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'orders', Key: 'in.json' } },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Double',
        States: { Double: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, $.n)' }, End: true } },
      },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'out' } },
      ResultPath: '$.written',
      Next: 'Note',
    },
    Note: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
      Parameters: { 'Bucket.$': '$.bucket', 'Key': 'note.txt' },
      ResultSelector: { 'body.$': '$.Body' },
      ResultPath: '$.note',
      End: true,
    },
  },
};

/** A fresh S3 folder at `dir`: the items, a note, an empty results bucket. */
function s3Folder(dir: string): void {
  write(dir, 'orders/in.json', [{ n: 1 }, { n: 2 }]);
  write(dir, 'orders/note.txt', 'from the folder');
  fs.mkdirSync(path.join(dir, 'results'), { recursive: true });
}

/** Every file under `dir`, by its path relative to it, with its content. */
function filesUnder(dir: string): Record<string, string> {
  return Object.fromEntries((fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => { const f = path.join(e.parentPath, e.name); return [path.relative(dir, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8')]; })
    .sort(([a], [b]) => a.localeCompare(b)));
}

describe('stepwright mcp: run and explore with an S3 folder (s3Dir)', () => {
  it('reads a Distributed Map\'s items and an S3 Task\'s object from it and writes the results there, as `stepwright run --s3-dir` does', async () => {
    s3Folder(path.join(root, 'bucket-mcp'));
    s3Folder(path.join(base, 'bucket-cli'));
    const input = { bucket: 'orders' };
    const r = await mcp.call('run', { definition: s3Machine, input, name: 'same', s3Dir: 'bucket-mcp' });
    const machine = write(base, 's3.asl.json', s3Machine);
    const byCli = await cli('run', machine, '--input', JSON.stringify(input), '--name', 'same', '--s3-dir', path.join(base, 'bucket-cli'), '--json');
    expect(byCli.code).toBe(0);
    const { status, output, path: states } = JSON.parse(byCli.out) as { status: string; output: { note: unknown }; path: string[] };
    expect(status).toBe('SUCCEEDED');
    expect(output.note).toEqual({ body: 'from the folder' });
    expect(r.structuredContent).toMatchObject({ status, output, path: states });
    const written = filesUnder(path.join(root, 'bucket-mcp', 'results'));
    expect(Object.keys(written).some((f) => f.endsWith('/manifest.json'))).toBe(true);
    expect(written).toEqual(filesUnder(path.join(base, 'bucket-cli', 'results')));
  });

  it('explores with the items the folder holds, and writes nothing to it', async () => {
    s3Folder(path.join(root, 'bucket-explore'));
    const before = filesUnder(path.join(root, 'bucket-explore'));
    const r = await mcp.call('explore', { definition: s3Machine, input: { bucket: 'orders' }, s3Dir: 'bucket-explore', details: true });
    expect(r.isError).toBeFalsy();
    const [report] = (r.structuredContent as { reports: Array<{ scenarios: Array<{ status: string; path: string[] }> }> }).reports;
    expect(report.scenarios[0]).toMatchObject({ status: 'SUCCEEDED', path: ['Each', 'Double', 'Double', 'Note'] });
    expect(filesUnder(path.join(root, 'bucket-explore'))).toEqual(before);
  });

  it.each([
    ['a folder outside, by ..', 'run', '../outside'],
    ['a folder outside, by an absolute path', 'run', '/tmp'],
    ['a symbolic link to a folder outside', 'run', 'dir-out'],
    ['a symbolic link to a folder outside', 'explore', 'dir-out'],
  ])('refuses %s through %s, naming s3Dir, before anything is read or written', async (_what, tool, s3Dir) => {
    const before = filesUnder(outside);
    const r = await mcp.call(tool, { definition: s3Machine, input: { bucket: 'orders' }, s3Dir });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(new RegExp(`^s3Dir: '${s3Dir.replace(/\./g, '\\.')}' is refused: it is outside .*, the only folder this server reads`));
    expect(filesUnder(outside)).toEqual(before);
  });

  it.each([
    ['a folder that does not exist', 'no-such-folder', /^s3Dir: 'no-such-folder' does not exist; create the folder/],
    ['a file', 'hello.asl.json', /^s3Dir: 'hello\.asl\.json' is not a folder/],
    ['a path through a file', 'hello.asl.json/x', /^s3Dir: 'hello\.asl\.json\/x' cannot be opened as a folder$/],
  ])('refuses %s as the CLI does, naming the folder only as it was given', async (_what, s3Dir, message) => {
    const r = await mcp.call('run', { definition: s3Machine, input: { bucket: 'orders' }, s3Dir });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(message);
    expect(textOf(r)).not.toContain(base);
  });

  it('follows no symbolic link inside the folder: a bucket that is a link out is no bucket', async () => {
    const dir = path.join(root, 'bucket-linked');
    fs.mkdirSync(dir);
    write(outside, 'orders/note.txt', 'TOP-SECRET');
    fs.symlinkSync(path.join(outside, 'orders'), path.join(dir, 'orders'));
    const readNote = { StartAt: 'Note', States: { Note: { ...s3Machine.States.Note, ResultPath: null } } };
    const r = await mcp.call('run', { definition: readNote, input: { bucket: 'orders' }, s3Dir: 'bucket-linked' });
    // The aws-sdk integration's name for S3's NoSuchBucket, as stepwright run --s3-dir answers it.
    expect(r.structuredContent).toMatchObject({ status: 'FAILED', error: 'S3.NoSuchBucketException' });
    expect(JSON.stringify(r)).not.toContain('TOP-SECRET');
  });
});

describe('stepwright mcp: test_state', () => {
  it('fails a Wait past TestState\'s five minutes with States.Timeout (TestState, API reference)', async () => {
    const r = await mcp.call('test_state', { definition: { Type: 'Wait', Seconds: 301, End: true }, input: {} });
    expect(r.structuredContent).toEqual({ status: 'FAILED', error: 'States.Timeout', cause: 'The state ran past the 300 seconds the TestState API may run for' });
  });

  it('tests a Pass state in TestState\'s shapes, with the inspection data at DEBUG', async () => {
    const r = await mcp.call('test_state', {
      definition: JSON.stringify({ Type: 'Pass', Parameters: { 'total.$': '$.price' }, ResultPath: '$.out', End: true }),
      input: '{"price": 3}',
      inspectionLevel: 'DEBUG',
    });
    expect(r.structuredContent).toEqual({
      status: 'SUCCEEDED',
      output: '{"price":3,"out":{"total":3}}',
      inspectionData: expect.objectContaining({ input: '{"price":3}', afterParameters: '{"total":3}', afterResultPath: '{"price":3,"out":{"total":3}}' }),
    });
  });

  it('takes a JSON value where AWS takes JSON text, and answers a caught Task error with the next state', async () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }], End: true };
    const r = await mcp.call('test_state', {
      definition: task,
      roleArn: 'arn:aws:iam::123456789012:role/test',
      input: { id: 1 },
      mock: { errorOutput: { error: 'Lambda.ServiceException', cause: 'down' } },
    });
    expect(r.structuredContent).toMatchObject({ status: 'CAUGHT_ERROR', error: 'Lambda.ServiceException', cause: 'down', nextState: 'Handle' });
  });

  it('gives a Map\'s MaxConcurrency and tolerated failures as numbers, as AWS sends them (recorded: test_state_map_context_object)', async () => {
    const map = { Type: 'Map', MaxConcurrency: 3, ToleratedFailureCount: 1, ToleratedFailurePercentage: 50, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true };
    const r = await mcp.call('test_state', { definition: map, input: [1, 2], mock: { result: [1, 2] }, inspectionLevel: 'DEBUG' });
    expect((r.structuredContent as { inspectionData: object }).inspectionData).toMatchObject({ afterItemsPath: '[1,2]', maxConcurrency: 3, toleratedFailureCount: 1, toleratedFailurePercentage: 50 });
  });

  it('answers a context AWS refuses with AWS\'s error and words (recorded: test_state_context_object_validation_failures)', async () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true };
    const r = await mcp.call('test_state', { definition: task, mock: { result: {}, fieldValidationMode: 'NONE' }, context: { Execution: { pokemon: 'squirtle' } } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe("ValidationException: Invalid Context object provided: Field 'pokemon' is not allowed");
  });

  it('runs a single state given with a stateName, and says AWS may refuse it', async () => {
    const r = await mcp.call('test_state', { definition: { Type: 'Pass', End: true }, stateName: 'Other', input: { a: 1 } });
    expect(r.structuredContent).toEqual({
      status: 'SUCCEEDED', output: '{"a":1}', advice: [{ state: 'Other', message: expect.stringContaining('may be a refusal') }],
    });
  });

  it('answers what AWS refuses with AWS\'s error and words: a Task without roleArn or mock', async () => {
    const r = await mcp.call('test_state', { definition: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('ValidationException: RoleArn must be specified when testing a Task state');
  });

  it('finds the items of a Map of 10,000 items with no history-event limit, as TestState keeps no history', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const r = await mcp.call('test_state', {
      definition: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true },
      input: { items },
      mock: { result: [] },
      inspectionLevel: 'DEBUG',
    });
    expect(r.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: '[]' });
    expect(JSON.parse((r.structuredContent as { inspectionData: { afterItemsPath: string } }).inspectionData.afterItemsPath)).toEqual(items);
  });

  it('answers InvalidDefinition for a Retry that is not valid ASL, as AWS\'s TestState does, rather than running it', async () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: -3 }], End: true };
    const r = await mcp.call('test_state', { definition: task, mock: { errorOutput: { error: 'Boom' } } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^InvalidDefinition: Invalid State Machine Definition: '[\s\S]*\/Retry\/0\/MaxAttempts/);
  });

  it('answers InvalidDefinition for a Catch holding null, as AWS\'s TestState does, rather than failing to read it', async () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [null], End: true };
    const r = await mcp.call('test_state', { definition: task, mock: { errorOutput: { error: 'Boom' } } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^InvalidDefinition: Invalid State Machine Definition: '[\s\S]*\/Catch\/0/);
  });

  it('answers InvalidDefinition for a Choice rule whose Next is a number, rather than answering it as nextState', async () => {
    const r = await mcp.call('test_state', { definition: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 5 }] }, input: { a: 1 } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^InvalidDefinition: Invalid State Machine Definition: '[\s\S]*\/Choices\/0\/Next/);
  });

  it('answers InvalidDefinition for a Map whose ItemProcessor is a number, though the mock stands for it', async () => {
    const r = await mcp.call('test_state', { definition: { Type: 'Map', ItemProcessor: 5, End: true }, input: '[1]', mock: { result: '[1]' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^InvalidDefinition: Invalid State Machine Definition: '[\s\S]*\/ItemProcessor/);
  });

  it('answers InvalidDefinition for a Parallel whose Branches is a number, before it reads the mock against them', async () => {
    const r = await mcp.call('test_state', { definition: { Type: 'Parallel', Branches: 5, End: true }, input: '[1]', mock: { result: '[]' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^InvalidDefinition: Invalid State Machine Definition: '[\s\S]*\/Branches \[SCHEMA_VALIDATION_FAILED\]/);
  });

  it('tests a Task without roleArn when a mock is given, as AWS does', async () => {
    const r = await mcp.call('test_state', { definition: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true }, mock: { result: { StatusCode: 200 } } });
    expect(r.structuredContent).toMatchObject({ status: 'SUCCEEDED', output: '{"StatusCode":200}' });
  });

  it('names the tool\'s mock field, with what it takes, when a Task state comes without one', async () => {
    const r = await mcp.call('test_state', { definition: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true }, roleArn: 'arn:aws:iam::123456789012:role/test' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('ValidationException: mock: a Task state is tested with a mock here, as nothing is called: give mock.result, '
      + 'what arn:aws:states:::lambda:invoke returns as JSON text, or mock.errorOutput ({"error", "cause"}) to make it fail');
  });

  it('tests a retry with stateConfiguration.retrierRetryCount, as RETRIABLE until the retrier is spent', async () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 2 }], End: true };
    const call = (count: number) => mcp.call('test_state', {
      definition: task, roleArn: 'arn:aws:iam::123456789012:role/test', mock: { errorOutput: { error: 'Busy' } }, stateConfiguration: { retrierRetryCount: count },
    });
    expect((await call(0)).structuredContent).toMatchObject({ status: 'RETRIABLE' });
    expect((await call(2)).structuredContent).toMatchObject({ status: 'FAILED', error: 'Busy' });
  });

  it('takes stateConfiguration.errorCausedByState and names an error that inner Task never raises in the advice, as TestState checks no error name', async () => {
    const map = {
      Type: 'Map',
      End: true,
      ItemProcessor: { StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't', Item: {} }, End: true } } },
    };
    const call = (error: string) => mcp.call('test_state', { definition: map, input: '[1]', mock: { errorOutput: { error } }, stateConfiguration: { errorCausedByState: 'Put' } });
    expect((await call('DynamoDB.ConditionalCheckFailedException')).structuredContent).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ConditionalCheckFailedException' });
    const told = await call('DynamoDB.NotFound');
    expect(told.structuredContent).toMatchObject({ status: 'FAILED', error: 'DynamoDB.NotFound' });
    expect((told.structuredContent as { advice: Array<{ message: string }> }).advice[0].message).toMatch(/^The mock of Task 'Put' \(mock.errorOutput\) fails with 'DynamoDB.NotFound'/);
  });
});

describe('stepwright mcp: render', () => {
  it('draws a machine as Mermaid, in structured content and as the text itself', async () => {
    const r = await mcp.call('render', { file: 'hello.asl.json', direction: 'LR' });
    const { mermaid } = r.structuredContent as { mermaid: string };
    expect(mermaid).toBe(renderMermaid(helloMachine as never, { direction: 'LR' }));
    expect(textOf(r)).toBe(mermaid);
  });

  it('draws a title holding the marks that drive a terminal with none of them as they are', async () => {
    const title = 'Pay\u001b]0;owned\u0007 \u009b2J \u202eyap';
    const r = await mcp.call('render', { file: 'hello.asl.json', title });
    const { mermaid } = r.structuredContent as { mermaid: string };
    expect(mermaid).toBe(renderMermaid(helloMachine as never, { title }));
    expect(mermaid).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });

  it('draws a run the run tool answered, as the library draws it', async () => {
    const run = (await mcp.call('run', { file: 'hello.asl.json', history: true, mocks: { Greet: [{ Throw: { Error: 'Busy' } }, { Return: { ok: true } }] } })).structuredContent!;
    const r = await mcp.call('render', { file: 'hello.asl.json', run });
    const { mermaid } = r.structuredContent as { mermaid: string };
    expect(mermaid).toBe(renderMermaid(helloMachine as never, { run: run as never }));
    expect(mermaid).not.toBe(renderMermaid(helloMachine as never));
  });

  it('answers a run whose history holds more than AWS\'s 25,000 events as a tool error', async () => {
    const events = Array.from({ length: 25_001 }, (_, i) => ({ id: i + 1, type: i === 0 ? 'ExecutionStarted' : 'PassStateEntered', state: 'Greet' }));
    const r = await mcp.call('render', { file: 'hello.asl.json', run: { events } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("the run's 'events' holds 25001 events, more than the 25000 an execution's history holds on AWS");
  });

  it.each(['validate', 'check_iam', 'explore', 'run', 'parity', 'render', 'list_state_machines'])(
    '%s: answers a definition given as JSON text nested 200,000 deep as the same file is answered, never an internal error',
    async (tool) => {
      // Before, the text's size was measured by writing the parsed value out again (JSON.stringify),
      // which exhausted the stack: "stepwright internal error: RangeError: Maximum call stack size exceeded".
      const text = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${'['.repeat(200_000)}${']'.repeat(200_000)},"End":true}}}`;
      fs.writeFileSync(path.join(root, 'deep-text.asl.json'), text);
      const extra = tool === 'parity' ? { inputs: [{}], endpoint: 'http://127.0.0.1:9' } : {};
      const [inline, file] = await Promise.all([mcp.call(tool, { definition: text, ...extra }), mcp.call(tool, { file: 'deep-text.asl.json', ...extra })]);
      expect(textOf(inline)).not.toContain('internal error');
      // The same answer, the file's name in it said as the argument's.
      expect({ isError: inline.isError, text: textOf(inline) }).toEqual({ isError: file.isError, text: textOf(file).replace(/(file )?deep-text\.asl\.json/g, 'definition') });
    },
  );

  it('answers a definition nested deeper than Step Functions reads as a tool error, never a crash', async () => {
    fs.writeFileSync(path.join(root, 'deep.asl.json'), `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${'['.repeat(200_000)}${']'.repeat(200_000)},"End":true}}}`);
    const r = await mcp.call('render', { file: 'deep.asl.json' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('nesting deeper than 1000 levels');
  });

  it('answers a template nested deeper than Step Functions reads as a tool error in every tool that loads it', async () => {
    fs.writeFileSync(path.join(root, 'deep.template.json'), '{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": '
      + `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}, "End": true}}}}}}}`);
    for (const tool of ['render', 'run', 'validate', 'list_state_machines', 'check_iam']) {
      const r = await mcp.call(tool, { file: 'deep.template.json' });
      expect({ tool, isError: r.isError }).toEqual({ tool, isError: true });
      expect(textOf(r)).toContain('deeper than 1,000 levels');
    }
  });

  it('answers a run that is not one as a tool error naming the run field', async () => {
    const r = await mcp.call('render', { file: 'hello.asl.json', run: { path: 'Greet' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^run: the run's 'path' is not an array/);
  });
});

describe('stepwright mcp: check_iam and list_state_machines', () => {
  it('answers each missing permission with its fix', async () => {
    const r = await mcp.call('check_iam', { file: 'iam.template.json' });
    const { ok, machines } = r.structuredContent as { ok: boolean; machines: Array<{ source: string; permissions: { findings: Finding[] } }> };
    expect(ok).toBe(false);
    expect(machines[0].source).toBe('iam.template.json Machine');
    expect(machines[0].permissions.findings).toEqual([expect.objectContaining({ code: 'MISSING_PERMISSION', fix: expect.stringContaining('"Action":"dynamodb:PutItem"') })]);
  });

  it('answers an invalid definition\'s errors instead of its permissions', async () => {
    const r = await mcp.call('check_iam', { definition: { StartAt: 'Nowhere', States: { A: { Type: 'Pass', End: true } } } });
    expect(r.structuredContent).toMatchObject({ ok: false, machines: [{ source: 'definition', ok: false, findings: expect.any(Array) }] });
  });

  it('lists the state machines of a template with their ids, names and types, and their definitions when asked', async () => {
    const r = await mcp.call('list_state_machines', { file: 'two.template.json', definitions: true });
    expect(r.structuredContent).toEqual({
      machines: [
        expect.objectContaining({ source: 'two.template.json First', logicalId: 'First', name: 'First', type: 'STANDARD', stack: 'two', states: 1 }),
        expect.objectContaining({ source: 'two.template.json Second', logicalId: 'Second', name: 'second-machine', type: 'EXPRESS', states: 1 }),
      ],
    });
    type Listed = { definition: { Comment: string; States: { Work: { Resource: string } } } };
    const [first] = (r.structuredContent as { machines: Listed[] }).machines;
    expect(first.definition.Comment).toBe('first');
    expect(first.definition.States.Work.Resource).toBe('arn:aws:lambda:us-east-1:123456789012:function:Fn');
  });
});

/** `count` Choice states in a row, each on a boolean field (named by `field`) to one of two Pass states. */
function choiceChain(count: number, field: (i: number) => string): { StartAt: string; States: Record<string, unknown> } {
  const States: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const next = i === count - 1 ? { End: true } : { Next: `Check ${i + 1}` };
    States[`Check ${i}`] = { Type: 'Choice', Choices: [{ Variable: `$.${field(i)}`, BooleanEquals: true, Next: `Yes ${i}` }], Default: `No ${i}` };
    States[`Yes ${i}`] = { Type: 'Pass', ...next };
    States[`No ${i}`] = { Type: 'Pass', ...next };
  }
  return { StartAt: 'Check 0', States };
}

/** One machine's explore answer, as far as the tests read it. */
interface ExploreAnswer {
  readonly source: string;
  readonly states?: { readonly reached: number; readonly total: number; readonly notReached?: ReadonlyArray<{ state: string; reason: string }> };
  readonly search?: { readonly complete: boolean; readonly stoppedBy?: string };
  readonly choiceRules?: { readonly reached: number; readonly total: number };
  readonly catches?: { readonly reached: number; readonly total: number };
  readonly scenarios?: ReadonlyArray<{
    readonly name: string; readonly input: unknown; readonly mocks: Record<string, unknown>; readonly path: string[]; readonly status: string;
  }>;
  readonly findings?: ReadonlyArray<{ readonly kind?: string; readonly code?: string }>;
}

describe('stepwright mcp: explore', () => {
  // 30 Choice states in a row, each to one of two Pass states, each reading a field of its own: long paths, as a large
  // machine has. Its whole report (details: true) is seconds of search, made once and read by the two tests below.
  const chain = choiceChain(30, (i) => `f${i}`);
  let chainWhole: ReturnType<McpSession['call']> | undefined;
  const chainExplored = (): ReturnType<McpSession['call']> => chainWhole ??= mcp.call('explore', { definition: chain, details: true });

  it('solves the Choice rule of a YAML file for an input down each side, and each scenario runs as answered with the run tool', async () => {
    const r = await mcp.call('explore', { file: 'order.asl.yaml', details: true });
    expect(r.isError).toBeFalsy();
    const [report] = (r.structuredContent as { reports: ExploreAnswer[] }).reports;
    expect(report.source).toBe('order.asl.yaml');
    expect(report.states).toMatchObject({ reached: 3, total: 3 });
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2 });
    const paths = report.scenarios!.map((s) => s.path.join(' -> ')).sort();
    expect(paths).toEqual(['Check -> Approve', 'Check -> Review']);
    for (const s of report.scenarios!) {
      const run = await mcp.call('run', { file: 'order.asl.yaml', input: s.input, mocks: s.mocks });
      expect(run.structuredContent).toMatchObject({ status: s.status, path: s.path });
    }
  });

  it('answers Task outcomes for the Retry and the Catch, as mocks the run tool takes', async () => {
    const r = await mcp.call('explore', { file: 'hello.asl.json', details: true });
    const [report] = (r.structuredContent as { reports: ExploreAnswer[] }).reports;
    expect(report.catches).toMatchObject({ reached: 1, total: 1 });
    const caught = report.scenarios!.find((s) => s.path.includes('Oops'))!;
    const run = await mcp.call('run', { file: 'hello.asl.json', input: caught.input, mocks: caught.mocks });
    expect(run.structuredContent).toMatchObject({ status: 'SUCCEEDED', path: ['Greet', 'Oops'] });
  });

  it('takes a MockConfigFile test case as the run tool does: its Tasks answer as given, and the scenarios run with it', async () => {
    const mocks = {
      StateMachines: { Hello: { TestCases: { Greets: { Greet: 'Hi' } } } },
      MockedResponses: { Hi: { 0: { Return: { StatusCode: 200, Payload: { hi: 'there' } } } } },
    };
    const r = await mcp.call('explore', { file: 'hello.asl.json', mocks, testCase: 'Greets', details: true });
    const [report] = (r.structuredContent as { reports: ExploreAnswer[] }).reports;
    // 'Greet' is the test case's: explore does not make it fail, so its Catch is not reached.
    expect(report.catches).toMatchObject({ reached: 0, total: 1 });
    expect(report.scenarios!.map((x) => x.mocks)).toEqual([{}]);
    const run = await mcp.call('run', { file: 'hello.asl.json', input: report.scenarios![0].input, mocks, testCase: 'Greets' });
    expect(run.structuredContent).toMatchObject({ status: 'SUCCEEDED', path: ['Greet'], output: { hi: 'there' } });
  });

  it('explores each state machine of a template, and answers an invalid one with its findings', async () => {
    const two = await mcp.call('explore', { file: 'two.template.json' });
    expect((two.structuredContent as { reports: ExploreAnswer[] }).reports.map((x) => x.source)).toEqual(['two.template.json First', 'two.template.json Second']);
    const invalid = await mcp.call('explore', { definition: { StartAt: 'Nowhere', States: { A: { Type: 'Pass', End: true } } } });
    const [report] = (invalid.structuredContent as { reports: ExploreAnswer[] }).reports;
    expect(report.scenarios).toBeUndefined();
    expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: expect.any(String) })]));
  });

  it('explores a chain of 30 Choices to scenarios that each succeed, the same through MCP and the CLI', async () => {
    // Each Choice reads a field of its own: a made-up input that reaches a Default holds every later field too (the
    // repairs that fill them go on while each gets further), where it stopped after 12 and failed at the next Choice.
    write(root, 'chain.asl.json', chain);
    const r = await chainExplored();
    const [report] = (r.structuredContent as { reports: ExploreAnswer[] }).reports;
    expect(report.states).toMatchObject({ reached: 90, total: 90 });
    expect(report.scenarios!.filter((x) => x.status !== 'SUCCEEDED').map((x) => x.name)).toEqual([]);
    // The CLI runs in this process: its budget reads the same clock the MCP server's does, standing
    // still, so that a busy machine does not cut the search this compares.
    const byCli = await withExploreClockStopped(() => cli('explore', path.join(root, 'chain.asl.json'), '--budget-seconds', '10', '--json'));
    const whole = JSON.parse(byCli.out) as ExploreAnswer;
    expect(whole.scenarios!.map((x) => [x.name, x.input, x.status])).toEqual(report.scenarios!.map((x) => [x.name, x.input, x.status]));
  });

  it('answers a long report as a summary first: each path by its decisive states and length, and says what it left out; the whole with details: true', async () => {
    const summary = await mcp.call('explore', { definition: chain });
    const whole = await chainExplored();
    type Summarized = { scenarios: Array<{ path?: string[]; decisiveStates: string[]; pathLength: number; covers?: unknown }>; leftOut?: string };
    const [short] = (summary.structuredContent as { reports: Summarized[] }).reports;
    const [full] = (whole.structuredContent as { reports: ExploreAnswer[] }).reports;
    expect(short.scenarios.map((s) => [s.path, s.covers, s.pathLength])).toEqual(full.scenarios!.map((s) => [undefined, undefined, s.path.length]));
    // Every scenario's input holds the 30 fields: the last ones past the summary's room go by name, outcome and length.
    const kept = short.scenarios.filter((s) => s.decisiveStates !== undefined);
    expect(kept.length).toBeGreaterThan(1);
    expect(kept.map((s) => s.decisiveStates)).toEqual(full.scenarios!.slice(0, kept.length).map((s) => s.path.filter((p) => !p.startsWith('Check'))));
    expect(short.scenarios.slice(kept.length).map((s) => Object.keys(s).sort())).toEqual(short.scenarios.slice(kept.length).map(() => ['name', 'pathLength', 'status']));
    expect(short.leftOut).toMatch(/^Left out: the scenarios' paths \(\d+ states; decisive states kept\) and the goals each reaches[.;,].* Ask with details: true for the whole report\.$/);
    expect(JSON.stringify(summary.structuredContent).length).toBeLessThan(JSON.stringify(whole.structuredContent).length / 2);
    // A short report is answered whole.
    const small = await mcp.call('explore', { file: 'hello.asl.json' });
    expect((small.structuredContent as { reports: ExploreAnswer[] }).reports[0].scenarios![0].path).toBeDefined();
  });

  it('answers a summary too long for its room, whose last scenarios go by name and outcome without input and Task answers, as its output schema allows', async () => {
    // 8 Choices on fields with 1,000-character names: every scenario's input holds them all, 8,000 characters and
    // more, so a few scenarios fill the summary's room; a short chain keeps explore's work small on a loaded machine.
    const definition = choiceChain(8, (i) => `f${i}_${'x'.repeat(1000)}`);
    // The SDK's client checks an answer against the output schema of a tool it has listed, as a client does.
    await mcp.client.listTools();
    const r = await mcp.call('explore', { definition });
    expect(r.isError ? JSON.stringify(r.content).slice(0, 600) : 'answered').toBe('answered');
    const [short] = (r.structuredContent as { reports: Array<{ scenarios: Array<Record<string, unknown>>; leftOut?: string }> }).reports;
    const outlined = short.scenarios.filter((s) => !Object.hasOwn(s, 'input'));
    expect(outlined.length).toBeGreaterThan(0);
    expect(outlined.every((s) => typeof s.name === 'string' && typeof s.status === 'string' && !Object.hasOwn(s, 'mocks'))).toBe(true);
    expect(short.leftOut).toMatch(/the input, Task answers and output of the last \d+ of \d+ scenarios \(named with their outcome\)/);
  });

  it('answers budgetSeconds: 1 with a partial report, saying the budget cut it, well within the server\'s time bound', async () => {
    // A Choice whose rule computes a Fibonacci number by plain recursion once n is a positive number:
    // seconds of JSONata. The budget's clock counts its reads (1 ms each), so 1 s is 1,000 of them on any machine.
    const recursive = fibonacciChoice(22, '$states.input.n > 0 and ');
    const ticking = await startMcp(root, ['--timeout', '8'], { exploreTickMs: 1 });
    try {
      const r = await ticking.call('explore', { definition: recursive, budgetSeconds: 1, details: true });
      expect(r.isError).toBeFalsy();
      const [report] = (r.structuredContent as { reports: ExploreAnswer[] }).reports;
      expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget' });
      expect(report.scenarios!.map((s) => s.path)).toEqual([['Check', 'No']]);
      expect(report.states!.notReached).toEqual([{ state: 'Yes', reason: expect.stringMatching(/budget/) }]);
    } finally {
      await ticking.close();
    }
  }, 60_000);

  it('lowers a budget past the server\'s --timeout to three quarters of it, answering a partial report rather than being stopped', async () => {
    const slow = fibonacciChoice(20);
    // The fake clock moves 1 ms a read: asked for an hour, the search would outlast the 4 s bound; lowered to 3 s, it stops at 3,000 reads.
    const ticking = await startMcp(root, ['--timeout', '4'], { exploreTickMs: 1 });
    try {
      const r = await ticking.call('explore', { definition: slow, budgetSeconds: 3600, details: true });
      expect(r.isError).toBeFalsy();
      const [report] = (r.structuredContent as { reports: ExploreAnswer[] }).reports;
      expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget' });
    } finally {
      await ticking.close();
    }
  }, 60_000);

  it('gives the same answer for the same machine and options', async () => {
    const first = await mcp.call('explore', { file: 'hello.asl.json', seed: 3 });
    const second = await mcp.call('explore', { file: 'hello.asl.json', seed: 3 });
    expect(JSON.stringify(second.structuredContent)).toBe(JSON.stringify(first.structuredContent));
  });
});

describe('stepwright mcp: bad input is a tool error naming the field and the fix', () => {
  it.each([
    ['an unknown tool', 'deploy', {}, /^no tool 'deploy'; the tools are validate, run, test_state, render, check_iam, list_state_machines, explore, verify, parity$/],
    ['a misspelt field', 'run', { definiton: {} }, /^definiton: no such field in run; it takes definition, file, /],
    ['a field of the wrong type', 'run', { definition: 5 }, /^definition: expected text or a JSON object\. The state machine inline/],
    ['neither definition nor file', 'validate', {}, /^definition or file: validate needs one of them\. The state machine inline/],
    ['both definition and file', 'validate', { definition: {}, file: 'hello.asl.json' }, /^definition and file: give one of definition or file, not both$/],
    ['a value outside an enum', 'run', { file: 'hello.asl.json', type: 'FAST' }, /^type: Invalid option: expected one of "STANDARD"\|"EXPRESS"\. The workflow type/],
    ['a limit that is not a positive integer', 'run', { file: 'hello.asl.json', limits: { maxTransitions: 0 } }, /^limits\.maxTransitions: Too small/],
    ['an execution name AWS refuses', 'run', { file: 'hello.asl.json', name: 'a b' }, /^name: a name may not contain " "/],
    ['mocks that are not an object', 'run', { file: 'hello.asl.json', mocks: [1] }, /^mocks: mocks must be a JSON object keyed by state name or resource ARN/],
    ['a mock for a state the machine lacks', 'run', { file: 'hello.asl.json', mocks: { Gret: 1 } }, /^mocks: .*Gret/],
    ['testCase without a MockConfigFile', 'run', { file: 'hello.asl.json', testCase: 'T' }, /^testCase: it picks a test case of an AWS MockConfigFile/],
    ['mocks and mocksFile together', 'run', { file: 'hello.asl.json', mocks: {}, mocksFile: 'mocks.json' }, /^mocks and mocksFile: give one of/],
    ['definition text that is not JSON', 'run', { definition: '{"StartAt": "A",\n x}' }, /^definition: not valid JSON: .* at line 2, column 2$/],
    ['a file that does not exist', 'run', { file: 'nope.asl.json' }, /^cannot read nope\.asl\.json: no such file$/],
    ['a stack selector on a plain definition', 'run', { file: 'hello.asl.json', stack: 'S' }, /^stack selects a stack of a cdk\.out directory; hello\.asl\.json is an ASL definition$/],
    ['stateMachine on a plain definition', 'render', { file: 'hello.asl.json', stateMachine: 'M' }, /^stateMachine selects among the state machines/],
    ['an input that is too large', 'run', { file: 'hello.asl.json', input: { big: 'x'.repeat(300_000) } }, /^input: 300,010 bytes as JSON, too large: AWS accepts an execution input of at most 262,144 bytes/],
    ['a definition render cannot draw', 'render', { definition: { StartAt: 'A', States: { A: { Type: 'Nope' } } } }, /^definition: state 'A' .* has Type "Nope", which is not a state type/],
    ['YAML text that holds a list', 'run', { definition: '- a\n- b' }, /^definition: valid YAML, but it holds an array, not a state machine definition/],
    ['explore mocks written as an AWS MockConfigFile without a test case', 'explore', { file: 'hello.asl.json', mocks: { StateMachines: {}, MockedResponses: {} } },
      /^mocks is an AWS MockConfigFile; choose a test case with testCase <name>/],
    ['an explore MockConfigFile test case it does not have', 'explore',
      { file: 'hello.asl.json', mocks: { StateMachines: { M: { TestCases: { T: {} } } }, MockedResponses: {} }, testCase: 'U' }, /^mocks: .*U/],
    ['an explore mock for a state the machine lacks', 'explore', { file: 'hello.asl.json', mocks: { Gret: 1 } }, /^mocks: .*Gret/],
    ['an explore mock that is an empty list', 'explore', { file: 'hello.asl.json', mocks: { Greet: [] } }, /^mocks: mock 'Greet' is an empty list/],
    ['an explore budget of no time', 'explore', { file: 'hello.asl.json', budgetSeconds: 0 }, /^budgetSeconds: Too small/],
    ['a TestState mock with both result and errorOutput', 'test_state',
      { definition: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true }, roleArn: 'arn:aws:iam::123456789012:role/r', mock: { result: '1', errorOutput: { error: 'E' } } },
      /^ValidationException: A test mock should have only one of the following fields: \[result, errorOutput\]\.$/],
  ])('answers %s', async (_what, tool, args, message) => {
    const r = await mcp.call(tool, args as Record<string, unknown>);
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toBeUndefined();
    expect(textOf(r)).toMatch(message);
  });

  it('keeps serving after each of them', async () => {
    const r = await mcp.call('validate', { file: 'hello.asl.json' });
    expect(r.isError).toBeFalsy();
  });
});

describe('stepwright mcp: reads only under its root', () => {
  const refused = /is refused: it is outside .*, the only folder this server reads/;

  it.each([
    ['a path with ..', 'validate', 'file', { file: '../outside/secret.asl.json' }],
    ['an absolute path elsewhere', 'validate', 'file', { file: '/etc/hostname' }],
    ['a symbolic link to a file outside', 'run', 'file', { file: 'link-out.asl.json' }],
    ['a path through a linked folder outside', 'run', 'file', { file: 'dir-out/secret.asl.json' }],
    ['a mocks file outside', 'run', 'mocksFile', { file: 'hello.asl.json', mocksFile: '../outside/mocks.json' }],
    ['a run file outside', 'render', 'runFile', { file: 'hello.asl.json', runFile: 'dir-out/mocks.json' }],
    ['a path outside that does not exist', 'list_state_machines', 'file', { file: '../nowhere/x.json' }],
  ])('refuses %s, naming the field', async (_what, tool, field, args) => {
    const r = await mcp.call(tool, args);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(new RegExp(`^${field}: '`));
    expect(textOf(r)).toMatch(refused);
    expect(textOf(r)).not.toContain('TOP-SECRET');
  });

  it('refuses an absolute path outside, however it is spelt, and accepts one inside', async () => {
    const sneaky = `${root}/../outside/secret.asl.json`;
    expect(textOf(await mcp.call('validate', { file: sneaky }))).toMatch(refused);
    const inside = await mcp.call('validate', { file: path.join(root, 'hello.asl.json') });
    expect(inside.isError).toBeFalsy();
  });

  it.each([
    ['a NUL in the name', 'validate', 'file', { file: 'hello.asl.json\u0000.yaml' }, 'the path holds a NUL character, which no file name can'],
    ['a file used as a folder', 'run', 'file', { file: 'hello.asl.json/x' }, 'a part of the path before its last name is a file, not a folder'],
    ['links that loop', 'list_state_machines', 'file', { file: 'loop-a.json' }, 'its symbolic links loop (too many levels of links)'],
    ['a mocks file with a NUL', 'run', 'mocksFile', { file: 'hello.asl.json', mocksFile: 'mocks.json\u0000' }, 'the path holds a NUL character, which no file name can'],
    ['a run file through a file', 'render', 'runFile', { file: 'hello.asl.json', runFile: 'mocks.json/run.json' }, 'a part of the path before its last name is a file, not a folder'],
  ])('answers %s with why in words, naming neither the root nor the call Node made', async (_what, tool, _field, args, why) => {
    const r = await mcp.call(tool, args);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(why);
    expect(textOf(r)).toMatch(/^cannot read /);
    expect(textOf(r)).not.toContain(base);
    expect(textOf(r)).not.toMatch(/ENOTDIR|ELOOP|Received|lstat|realpath/);
  });

  it('follows a symbolic link that stays inside', async () => {
    const r = await mcp.call('run', { file: 'link-in.asl.json', unmocked: 'input' });
    expect(r.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('refuses a cdk.out whose manifest leads a template file out of the root', async () => {
    const r = await mcp.call('list_state_machines', { file: 'escape.out' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/S\.template\.json: it is outside .*, the only folder this server reads/);
  });

  it('refuses a cdk.out whose manifest leads a nested assembly out of the root', async () => {
    const r = await mcp.call('list_state_machines', { file: 'nested.out' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/assembly: it is outside .*, the only folder this server reads/);
  });

  it('writes nothing into the root', async () => {
    const before = fs.readdirSync(root).sort();
    await mcp.call('run', { file: 'hello.asl.json', mocksFile: 'mocks.json' });
    await mcp.call('render', { file: 'hello.asl.json' });
    expect(fs.readdirSync(root).sort()).toEqual(before);
  });
});
