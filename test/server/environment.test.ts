import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, streams, until } from './helpers';
import { lambdaEndpoint } from './lambda-endpoint';
import { serveCommand } from '../../src/cli/serve-command';
import { ArnScopeError, client, startServer } from '../../src/server';
import { useModuleLoader } from '../../src/workbench/common/optional-peers';

const CHARGE = asl({ StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, End: true } } });

/** Runs `stepwright serve` with these arguments and this environment (started in `startFolder`) until `use` is done. */
async function serving(
  args: string[], env: NodeJS.ProcessEnv, use: (endpoint: string, err: () => string) => Promise<void>, startFolder?: string,
): Promise<{ code: number; err: string }> {
  const { io, text } = streams();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  const running = serveCommand(['--port', '0', ...args], io, stopped, env, ...(startFolder === undefined ? [] : [startFolder]));
  try {
    const endpoint = await until(async () => text.out.split('\n')[0], (line) => line.startsWith('http://'));
    await use(endpoint, () => text.err);
  } finally {
    stop();
  }
  return { code: await running, err: text.err };
}

describe('stepwright serve reads Step Functions Local\'s environment', () => {
  let dir: string;
  let mockFile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-serve-env-'));
    mockFile = path.join(dir, 'MockConfigFile.json');
    fs.writeFileSync(mockFile, JSON.stringify({
      StateMachines: { orders: { TestCases: { HappyPath: { Charge: 'Ok' } } } },
      MockedResponses: { Ok: { 0: { Return: { Payload: 'from the MockConfigFile' } } } },
    }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes SFN_MOCK_CONFIG, AWS_DEFAULT_REGION and AWS_ACCOUNT_ID as --mock-config, --region and --account', async () => {
    const env = { SFN_MOCK_CONFIG: mockFile, AWS_DEFAULT_REGION: 'eu-west-1', AWS_ACCOUNT_ID: '111122223333' };
    const { code, err } = await serving([], env, async (endpoint) => {
      const sfn = client(endpoint, { region: 'eu-west-1' });
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: CHARGE, roleArn: ROLE }));
      expect(stateMachineArn).toBe('arn:aws:states:eu-west-1:111122223333:stateMachine:orders');
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#HappyPath` }));
      const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"Payload":"from the MockConfigFile"}' });
      sfn.destroy();
    });
    expect(code).toBe(0);
    expect(err).toContain('from the environment: region eu-west-1 (AWS_DEFAULT_REGION)');
    expect(err).toContain(`from the environment: MockConfigFile ${mockFile} (SFN_MOCK_CONFIG)`);
  });

  /** Starts `<arn>#HappyPath` of machine 'orders' and resolves with how it ends. */
  async function happyPath(endpoint: string): Promise<{ status?: string; output?: string; error?: string }> {
    const sfn = client(endpoint);
    try {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: CHARGE, roleArn: ROLE }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#HappyPath` }));
      return await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
    } catch (e) {
      return { error: `${(e as Error).name}: ${(e as Error).message}` };
    } finally {
      sfn.destroy();
    }
  }

  it('reads MockConfigFile.json from the folder it starts in when SFN_MOCK_CONFIG is not set, as Step Functions Local\'s JAR does, and says so', async () => {
    let ended: object = {};
    const { code, err } = await serving([], {}, async (endpoint) => { ended = await happyPath(endpoint); }, dir);
    expect(code).toBe(0);
    expect(ended).toMatchObject({ status: 'SUCCEEDED', output: '{"Payload":"from the MockConfigFile"}' });
    expect(err).toContain(`from the folder serve started in: MockConfigFile ${mockFile} (as Step Functions Local's JAR reads MockConfigFile.json when SFN_MOCK_CONFIG is not set; --mock-config names another)`);
  });

  it('reads the file SFN_MOCK_CONFIG or --mock-config names instead of the folder\'s MockConfigFile.json', async () => {
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, JSON.stringify({
      StateMachines: { orders: { TestCases: { HappyPath: { Charge: 'Other' } } } },
      MockedResponses: { Other: { 0: { Return: { Payload: 'from the file named' } } } },
    }));
    for (const [args, env] of [[[], { SFN_MOCK_CONFIG: other }], [['--mock-config', other], {}]] as const) {
      let ended: object = {};
      const { err } = await serving([...args], env, async (endpoint) => { ended = await happyPath(endpoint); }, dir);
      expect(ended).toMatchObject({ status: 'SUCCEEDED', output: '{"Payload":"from the file named"}' });
      expect(err).not.toContain('from the folder serve started in');
    }
  });

  it('starts without a MockConfigFile.json of its folder that is not one, saying why and how to give one', async () => {
    fs.writeFileSync(mockFile, '{"StateMachines": 1}');
    let ended: { error?: string } = {};
    const { code, err } = await serving([], {}, async (endpoint) => { ended = await happyPath(endpoint); }, dir);
    expect(code).toBe(0);
    expect(err).toContain(`${mockFile} is not read: `);
    expect(err).toContain('; serve starts without a MockConfigFile (give one with --mock-config <file>)');
    expect(ended.error).toBe("ValidationException: The state machine ARN names test case 'HappyPath', but the server has no mock configuration: start it with "
      + "--mock-config <MockConfigFile> or SFN_MOCK_CONFIG=<MockConfigFile>, or in a folder holding MockConfigFile.json (startServer's mockConfig in code)");
  });

  it('lets a flag win over its variable', async () => {
    const { code } = await serving(['--region', 'us-west-2'], { AWS_DEFAULT_REGION: 'eu-west-1' }, async (endpoint) => {
      const sfn = client(endpoint);
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: CHARGE, roleArn: ROLE }));
      expect(stateMachineArn).toMatch(/^arn:aws:states:us-west-2:/);
      sfn.destroy();
    });
    expect(code).toBe(0);
  });

  it('turns WAIT_TIME_SCALE, a factor on wait times, into its time scale (0.01 is --time-scale 100)', async () => {
    const { err } = await serving([], { WAIT_TIME_SCALE: '0.01' }, async () => undefined);
    expect(err).toContain('from the environment: time scale 100 (WAIT_TIME_SCALE=0.01');
    const zero = await serving([], { WAIT_TIME_SCALE: '0' }, async () => undefined);
    expect(zero.err).toContain('from the environment: time scale 1000 (WAIT_TIME_SCALE=0: Step Functions Local skips Wait states');
  });

  it('refuses a WAIT_TIME_SCALE that is not a number (exit 2), naming the variable', async () => {
    const { io, text } = streams();
    await expect(serveCommand(['--port', '0'], io, Promise.resolve(), { WAIT_TIME_SCALE: 'fast' })).rejects.toThrow('WAIT_TIME_SCALE=fast: must be a number of 0 or more');
    expect(text.out).toBe('');
  });

  it('sends Lambda Tasks to LAMBDA_ENDPOINT, reads SQS_ENDPOINT, and says that the *_ENDPOINT variables of other services are not used', async () => {
    const lambda = await lambdaEndpoint({ charge: (e: { n: number }) => ({ result: { n: e.n + 1 } }) });
    try {
      const { err } = await serving([], { LAMBDA_ENDPOINT: lambda.url, SQS_ENDPOINT: 'http://127.0.0.1:9324', ECS_ENDPOINT: 'http://127.0.0.1:9325' }, async (endpoint) => {
        const sfn = client(endpoint);
        const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'fwd', definition: CHARGE, roleArn: ROLE }));
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
        const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
        expect(JSON.parse(d.output!).Payload).toEqual({ n: 2 });
        sfn.destroy();
      });
      expect(err).toContain(`from the environment: Lambda Tasks go to ${lambda.url} (LAMBDA_ENDPOINT)`);
      expect(err).toContain('SQS Tasks go to http://127.0.0.1:9324 (SQS_ENDPOINT)');
      expect(err).toContain('ECS_ENDPOINT is not used: serve sends only Lambda, SQS, SNS, DynamoDB Tasks to an endpoint');
    } finally {
      await lambda.close();
    }
  });

  it('runs a startExecution Task itself under STEP_FUNCTIONS_ENDPOINT, and says so rather than sending it to a mock', async () => {
    const child = asl({ StartAt: 'Echo', States: { Echo: { Type: 'Pass', Parameters: { 'child.$': '$.n' }, End: true } } });
    const { err } = await serving([], { STEP_FUNCTIONS_ENDPOINT: 'http://localhost:8083' }, async (endpoint) => {
      const sfn = client(endpoint);
      const { stateMachineArn: childArn } = await sfn.send(new CreateStateMachineCommand({ name: 'child', definition: child, roleArn: ROLE }));
      const parent = asl({
        StartAt: 'Start',
        States: { Start: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { 'StateMachineArn': childArn, 'Input.$': '$' }, OutputPath: '$.Output', End: true } },
      });
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'parent', definition: parent, roleArn: ROLE }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":7}' }));
      const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"child":7}' });
      sfn.destroy();
    });
    expect(err).toContain('from the environment: STEP_FUNCTIONS_ENDPOINT is not used: serve runs a states:startExecution Task itself when it holds the state machine the Task names');
    expect(err).not.toContain('answer stepfunctions Tasks with the MockConfigFile');
  });

  it('takes --endpoint lambda=<url> and refuses a service it cannot send to (exit 2)', async () => {
    const { io } = streams();
    await expect(serveCommand(['--port', '0', '--endpoint', 'ecs=http://127.0.0.1:9324'], io, Promise.resolve(), {})).rejects.toThrow('not supported: ecs');
    await expect(serveCommand(['--port', '0', '--endpoint', 'lambda'], io, Promise.resolve(), {})).rejects.toThrow('--endpoint lambda: give it as <service>=<url>');
  });

  it('refuses --endpoint __proto__=<url>, a service it cannot send to, instead of dropping it', async () => {
    const { io } = streams();
    await expect(serveCommand(['--port', '0', '--endpoint', '__proto__=http://127.0.0.1:9324'], io, Promise.resolve(), {}))
      .rejects.toThrow(/^--endpoint __proto__=http:\/\/127\.0\.0\.1:9324: not supported: __proto__;/);
  });

  it('refuses two --endpoint URLs for one service, naming the service and both URLs', async () => {
    const { io } = streams();
    await expect(serveCommand(['--port', '0', '--endpoint', 'sqs=http://127.0.0.1:9324', '--endpoint', 'SQS=http://127.0.0.1:4566'], io, Promise.resolve(), {}))
      .rejects.toThrow('--endpoint: sqs is given two endpoints, http://127.0.0.1:9324 (--endpoint sqs=http://127.0.0.1:9324) '
        + 'and http://127.0.0.1:4566 (--endpoint SQS=http://127.0.0.1:4566); give one');
  });

  it('names a bad --endpoint as it was given, and its scheme as the scheme', async () => {
    const { io } = streams();
    const flag = serveCommand(['--port', '0', '--endpoint', 'lambda=ftp://127.0.0.1:21'], io, Promise.resolve(), {});
    await expect(flag).rejects.toThrow(/^--endpoint lambda=ftp:\/\/127\.0\.0\.1:21: the URL must be http or https, got ftp$/);
    await expect(serveCommand(['--port', '0', '--endpoint', 'ecs=http://127.0.0.1:9324'], io, Promise.resolve(), {}))
      .rejects.toThrow(/^--endpoint ecs=http:\/\/127\.0\.0\.1:9324: not supported: ecs;/);
    await expect(serveCommand(['--port', '0', '--endpoint', 'lambda=http://exa mple'], io, Promise.resolve(), {}))
      .rejects.toThrow(/^--endpoint lambda=http:\/\/exa mple: not a URL; give one such as http:\/\/127\.0\.0\.1:3001$/);
  });

  // Step Functions Local's AWS SDK for Java 1.x puts the client's protocol, HTTPS by default, before an endpoint
  // without `://` (RuntimeHttpUtils.toUri, ClientConfiguration): a compose file's SQS_ENDPOINT=host:4566 starts it.
  it('starts with an endpoint variable without a scheme (SQS_ENDPOINT=host:port) and sends its Tasks there over https', async () => {
    const hellos: Buffer[] = [];
    const tls = net.createServer((socket) => {
      socket.once('data', (d: Buffer) => { hellos.push(d); socket.destroy(); });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const hostPort = `127.0.0.1:${(tls.address() as net.AddressInfo).port}`;
    const send = asl({
      StartAt: 'Send',
      States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'http://q/000000000000/jobs', MessageBody: 'x' }, End: true } },
    });
    try {
      const { code, err } = await serving([], { SQS_ENDPOINT: hostPort }, async (endpoint) => {
        const sfn = client(endpoint);
        const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'send', definition: send, roleArn: ROLE }));
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
        const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
        expect(d).toMatchObject({ status: 'FAILED', error: 'SQS.SdkClientException' });
        expect(d.cause).toContain(`https://${hostPort}/`);
        sfn.destroy();
      });
      expect(code).toBe(0);
      expect(err).toContain(`from the environment: SQS Tasks go to https://${hostPort}/ (SQS_ENDPOINT ${hostPort} has no scheme: https, as Step Functions Local's AWS SDK for Java takes it)`);
      expect(err).not.toContain('got 127.0.0.1');
      // A TLS handshake starts with a handshake record (22) of TLS 1.x: the call went out as https.
      expect(hellos.length).toBeGreaterThan(0);
      expect([hellos[0][0], hellos[0][1]]).toEqual([0x16, 0x03]);
    } finally {
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it('starts with an endpoint variable it cannot use when no loaded machine calls its service: says so, and a Task of it fails naming the variable', async () => {
    const { code, err } = await serving(['--lambda-endpoint', 'ftp://x'], { SNS_ENDPOINT: 'not a url' }, async (endpoint) => {
      const sfn = client(endpoint);
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'fn', definition: CHARGE, roleArn: ROLE }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(d.cause).toBe("Task 'Charge' (resource arn:aws:states:::lambda:invoke) cannot be sent to --lambda-endpoint ftp://x: the URL must be http or https, got ftp");
      sfn.destroy();
    });
    expect(code).toBe(0);
    expect(err).toContain('--lambda-endpoint ftp://x is not used: the URL must be http or https, got ftp; a Task that would go there fails saying so');
    expect(err).toContain('SNS_ENDPOINT=not a url is not used: not a URL; give one such as http://127.0.0.1:3001');
    expect(err).not.toContain('Lambda Tasks go to');
  });

  it('starts with an endpoint variable whose AWS SDK client is not installed when no loaded machine calls its service', async () => {
    const restore = useModuleLoader({
      resolve: (s) => {
        if (s === '@aws-sdk/client-dynamodb') throw Object.assign(new Error(`Cannot find module '${s}'`), { code: 'MODULE_NOT_FOUND' });
        return require.resolve(s);
      },
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- Node's own load for every module
      load: (s) => require(s),
    });
    try {
      const { code, err } = await serving([], { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }, async () => undefined);
      expect(code).toBe(0);
      expect(err).toContain('DYNAMODB_ENDPOINT=http://127.0.0.1:8000 is not used: sending dynamodb Tasks to http://127.0.0.1:8000/ (--endpoint dynamodb=…) needs @aws-sdk/client-dynamodb, which is not installed');
    } finally {
      restore();
    }
  });

  it('refuses at start an endpoint variable it cannot use when a loaded machine calls its service (exit 2), naming the variable and the machine', async () => {
    const template = path.join(dir, 'orders.template.json');
    fs.writeFileSync(template, JSON.stringify({
      Resources: { Orders: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'orders', DefinitionString: CHARGE, RoleArn: ROLE } } },
    }));
    const { io, text } = streams();
    const started = serveCommand(['--port', '0', '--load', template], io, Promise.resolve(), { LAMBDA_ENDPOINT: 'ftp://x', SQS_ENDPOINT: 'ftp://y' });
    await expect(started).rejects.toMatchObject({ exitCode: 2 });
    await expect(started).rejects.toThrow(`LAMBDA_ENDPOINT=ftp://x: the URL must be http or https, got ftp; state machine 'orders' of ${template} calls lambda, so it could not run`);
    expect(text.out).toBe('');
  });

  it('takes Step Functions Local\'s own options (--lambda-endpoint, -account, --aws-region, --wait-time-scale) as its JAR does', async () => {
    const lambda = await lambdaEndpoint({ charge: (e: { n: number }) => ({ result: { n: e.n + 1 } }) });
    try {
      const args = ['--lambda-endpoint', lambda.url, '-account', '111122223333', '--aws-region=eu-west-1', '--wait-time-scale', '0.01', '-sqsEndpoint', 'http://127.0.0.1:9324'];
      const { err } = await serving(args, { AWS_DEFAULT_REGION: 'us-west-2' }, async (endpoint) => {
        const sfn = client(endpoint, { region: 'eu-west-1' });
        const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'fwd', definition: CHARGE, roleArn: ROLE }));
        expect(stateMachineArn).toBe('arn:aws:states:eu-west-1:111122223333:stateMachine:fwd');
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
        const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
        expect(JSON.parse(d.output!).Payload).toEqual({ n: 2 });
        sfn.destroy();
      });
      expect(err).toContain(`from Step Functions Local's options: Lambda Tasks go to ${lambda.url} (--lambda-endpoint)`);
      expect(err).toContain("from Step Functions Local's options: region eu-west-1 (--aws-region)");
      expect(err).toContain("from Step Functions Local's options: time scale 100 (--wait-time-scale=0.01");
      expect(err).toContain('SQS Tasks go to http://127.0.0.1:9324 (-sqsEndpoint)');
    } finally {
      await lambda.close();
    }
  });

  it('names the serve option for a Step Functions Local option it does not use, and refuses one without a value or a bad value', async () => {
    const { err } = await serving(['--batch-endpoint', 'http://127.0.0.1:9000', '-stepFunctionsEndpoint=http://127.0.0.1:9001'], {}, async () => undefined);
    expect(err).toContain("from Step Functions Local's options: --batch-endpoint is not used: serve sends only Lambda, SQS, SNS, DynamoDB Tasks to an endpoint; answer batch Tasks with the MockConfigFile or --handlers");
    expect(err).toContain('-stepFunctionsEndpoint is not used');
    const { io } = streams();
    await expect(serveCommand(['--port', '0', '--lambda-endpoint'], io, Promise.resolve(), {})).rejects.toThrow("Step Functions Local's option '--lambda-endpoint' needs a value");
    await expect(serveCommand(['--port', '0', '-waitTimeScale', 'fast'], io, Promise.resolve(), {})).rejects.toThrow('-waitTimeScale=fast: must be a number of 0 or more');
  });

  it('lists Step Functions Local\'s options in serve --help', async () => {
    const { io, text } = streams();
    await serveCommand(['--help'], io, Promise.resolve(), {});
    expect(text.out).toMatch(/-lambdaEndpoint, --lambda-endpoint +LAMBDA_ENDPOINT/);
    expect(text.out).toMatch(/-waitTimeScale, --wait-time-scale +WAIT_TIME_SCALE/);
  });

  it('says a missing SFN_MOCK_CONFIG file may be a path inside the container', async () => {
    const { io } = streams();
    await expect(serveCommand(['--port', '0'], io, Promise.resolve(), { SFN_MOCK_CONFIG: '/home/StepFunctionsLocal/MockConfigFile.json' }))
      .rejects.toThrow("(a path inside the Step Functions Local container? give the file's path on this machine)");
  });

  it.each([
    [['--region', 'EU'], {}, '--region "EU": cannot stand in an ARN: give a region such as us-east-1'],
    [['--account', 'abc'], {}, '--account "abc": cannot stand in an ARN: give an account id of 12 digits, such as 123456789012'],
    [[], { AWS_DEFAULT_REGION: 'us-east-1;x y' }, 'AWS_DEFAULT_REGION="us-east-1;x y": cannot stand in an ARN: give a region such as us-east-1'],
    [[], { AWS_ACCOUNT_ID: 'abc' }, 'AWS_ACCOUNT_ID="abc": cannot stand in an ARN: give an account id of 12 digits'],
    [[], { AWS_ACCOUNT_ID: '1234567890123' }, 'AWS_ACCOUNT_ID="1234567890123": cannot stand in an ARN'],
    [['--region', 'us-east-1:x'], { AWS_DEFAULT_REGION: 'eu-west-1' }, '--region "us-east-1:x": cannot stand in an ARN'],
  ])('refuses at start %j %j, a region or account it cannot put in an ARN (exit 2), naming the flag or variable, the value and the form', async (args, env, message) => {
    const { io, text } = streams();
    const started = serveCommand(['--port', '0', ...args], io, Promise.resolve(), env);
    await expect(started).rejects.toMatchObject({ exitCode: 2 });
    await expect(started).rejects.toThrow(message);
    expect(text.out).toBe('');
  });

  it('refuses a region or account that cannot stand in an ARN in startServer too (ArnScopeError)', async () => {
    await expect(startServer({ port: 0, region: 'EU', log: () => undefined })).rejects.toThrow(ArnScopeError);
    await expect(startServer({ port: 0, account: '12345678901a', log: () => undefined })).rejects.toThrow('account "12345678901a" cannot stand in an ARN');
  });
});
