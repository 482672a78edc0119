import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { cli } from './run-cli';
import type { JsonObject, JsonValue } from '../../src/asl/definition-types';
import { StatesError } from '../../src/asl/states-errors';
import { asl, ROLE, serve, until } from '../server/helpers';

const MACHINE = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Catch: [{ ErrorEquals: ['Payment.Declined'], Next: 'Declined' }],
      End: true,
    },
    Declined: { Type: 'Fail', Error: 'OrderDeclined' },
  },
};

const charge = (input: JsonValue): JsonValue => {
  const amount = ((input as JsonObject).Payload as JsonObject).amount as number;
  if (amount > 100) throw new StatesError('Payment.Declined', `amount ${amount} over the limit`);
  return { StatusCode: 200, Payload: { charged: amount, customer: (input as { Payload: JsonObject }).Payload.customer ?? null } };
};

describe('stepwright record, replay and diff against stepwright serve', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let machineArn: string;
  let okArn: string;
  let failedArn: string;
  let dir: string;

  async function runOn(input: JsonValue, name: string): Promise<string> {
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input), name }));
    await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 })),
      (h) => /^Execution(Succeeded|Failed)$/.test(h.events?.[0]?.type ?? ''));
    return executionArn!;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-record-'));
    env = await serve({ handlers: { Charge: charge } });
    machineArn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'checkout', definition: asl(MACHINE), roleArn: ROLE }))).stateMachineArn!;
    okArn = await runOn({ amount: 30, customer: { email: 'ann@example.com' } }, 'ok');
    failedArn = await runOn({ amount: 300 }, 'too-much');
  });
  afterAll(async () => {
    await env.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records an execution from --endpoint into --out, and replay prints equal with exit code 0', async () => {
    const file = path.join(dir, 'ok.json');
    const recorded = await cli('record', okArn, '--endpoint', env.server.endpoint, '--out', file);
    expect(recorded).toMatchObject({ code: 0, out: '', err: '' });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ format: 'stepwright-recording', version: 1, execution: { status: 'SUCCEEDED' } });
    expect(await cli('replay', file)).toEqual({ code: 0, out: `${file}: equal\n`, err: '' });
  });

  it('replay parses a recording\'s JSON text once (a 250 MB one took 1 GB and 20 s parsed twice)', async () => {
    const file = path.join(dir, 'parsed-once.json');
    expect(await cli('record', okArn, '--endpoint', env.server.endpoint, '--out', file)).toMatchObject({ code: 0 });
    const text = fs.readFileSync(file, 'utf8');
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(await cli('replay', file)).toEqual({ code: 0, out: `${file}: equal\n`, err: '' });
      expect(parse.mock.calls.filter(([t]) => t === text)).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
  });

  it("keeps DescribeExecution's redrive fields in the recording: count and status", async () => {
    const r = await cli('record', failedArn, '--endpoint', env.server.endpoint);
    const { execution } = JSON.parse(r.out) as { execution: Record<string, unknown> };
    expect(execution).toMatchObject({ status: 'FAILED', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
  });

  it('prints the recording on standard output without --out', async () => {
    const r = await cli('record', failedArn, '--endpoint', env.server.endpoint);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ execution: { status: 'FAILED', error: 'OrderDeclined' } });
  });

  it('redacts --redact paths so the recording can be committed, and the redacted recording still replays', async () => {
    const file = path.join(dir, 'redacted.json');
    expect((await cli('record', okArn, '--endpoint', env.server.endpoint, '--out', file, '--redact', '$.customer.email', '--redact', '$..email')).code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('ann@example.com');
    expect(JSON.parse(text).execution.input).toEqual({ amount: 30, customer: { email: '<redacted>' } });
    expect((await cli('replay', file)).out).toBe(`${file}: equal\n`);
  });

  it('replay --definition exits 1 and names the first difference and the Tasks the recording cannot answer', async () => {
    const file = path.join(dir, 'ok-for-new.json');
    await cli('record', okArn, '--endpoint', env.server.endpoint, '--out', file);
    const changed = path.join(dir, 'changed.asl.json');
    fs.writeFileSync(changed, asl({
      ...MACHINE,
      States: { ...MACHINE.States, Charge: { ...MACHINE.States.Charge, End: undefined, Next: 'Notify' }, Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'TopicArn': 't', 'Message.$': '$' }, End: true } },
    }));
    const r = await cli('replay', file, '--definition', changed);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${file}: DIFFERS`);
    expect(r.out).toContain("AWS:   nothing (the execution had ended)\n    local: entered Task state 'Notify'");
    expect(r.out).toContain('1 Task call had no recorded answer:\n    Notify (arn:aws:states:::sns:publish)');
  });

  // A recording with no start date, whose definition reads $$.Execution.RedriveCount: whether AWS
  // gave it (only since redrive, 15 November 2023) is a guess the replay says it made.
  it('replay prints the warnings of an equal replay below "equal", and --json lists them', async () => {
    const counts = (await env.sfn.send(new CreateStateMachineCommand({
      name: 'counts', roleArn: ROLE, definition: asl({ StartAt: 'Show', States: { Show: { Type: 'Pass', Parameters: { 'runs.$': '$$.Execution.RedriveCount' }, End: true } } }),
    }))).stateMachineArn!;
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: counts, input: '{}', name: 'undated' }));
    await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 })), (h) => h.events?.[0]?.type === 'ExecutionSucceeded');
    const file = path.join(dir, 'undated.json');
    expect((await cli('record', executionArn!, '--endpoint', env.server.endpoint, '--out', file)).code).toBe(0);
    const recording = JSON.parse(fs.readFileSync(file, 'utf8')) as { execution: Record<string, unknown> };
    delete recording.execution.startDate;
    fs.writeFileSync(file, JSON.stringify(recording));
    const text = await cli('replay', file);
    expect(text.code).toBe(0);
    const [first, second, ...rest] = text.out.split('\n');
    expect([first, rest]).toEqual([`${file}: equal`, ['']]);
    expect(second).toMatch(/^ {2}warning: the definition reads \$\$\.Execution, .*RedriveCount/);
    const json = JSON.parse((await cli('replay', file, '--json')).out) as { equal: boolean; warnings: string[] };
    expect(json.equal).toBe(true);
    expect(json.warnings).toEqual([expect.stringMatching(/RedriveCount .*is unknown/)]);
  });

  it('replay --json prints one JSON object per recording', async () => {
    const file = path.join(dir, 'ok-json.json');
    await cli('record', okArn, '--endpoint', env.server.endpoint, '--out', file);
    const r = await cli('replay', file, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ file, equal: true, unanswered: [], status: 'SUCCEEDED' });
  });

  it('diff gives up on an execution still running after --timeout, naming it and the flag', async () => {
    const waiting = (await env.sfn.send(new CreateStateMachineCommand({
      name: 'waits',
      roleArn: ROLE,
      definition: asl({ StartAt: 'W', States: { W: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } } }),
    }))).stateMachineArn!;
    const inputs = path.join(dir, 'inputs-3');
    fs.mkdirSync(inputs);
    fs.writeFileSync(path.join(inputs, 'one.json'), '{}');
    const r = await cli('diff', '--state-machine', waiting, '--inputs', inputs, '--endpoint', env.server.endpoint, '--timeout', '0.2');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/execution arn:aws:states:us-east-1:123456789012:execution:waits:\S+ of input 'one.json' was still RUNNING after 200 ms; raise timeoutMs \(--timeout <seconds> on the command line\)/);
  });

  it('records the newest FAILED executions of a state machine into a directory, with progress on stderr', async () => {
    const out = path.join(dir, 'failed');
    const r = await cli('record', '--executions', machineArn, '--status', 'failed', '--max', '5', '--out', out, '--endpoint', env.server.endpoint);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`recorded 1/1 ${failedArn}\n1 recording written to ${out}\n`);
    expect(fs.readdirSync(out)).toEqual(['too-much.json']);
  });

  it('never writes a recording through a link at --out or in its folder, with exit code 2', async () => {
    const precious = path.join(dir, 'precious.txt');
    fs.writeFileSync(precious, 'keep me');
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(precious, link);
    const one = await cli('record', okArn, '--endpoint', env.server.endpoint, '--out', link);
    expect(one.code).toBe(2);
    expect(one.err).toContain('is a symbolic link');

    const out = path.join(dir, 'linked');
    fs.mkdirSync(out);
    fs.symlinkSync(precious, path.join(out, 'too-much.json'));
    const many = await cli('record', '--executions', machineArn, '--status', 'failed', '--out', out, '--endpoint', env.server.endpoint);
    expect(many.code).toBe(2);
    expect(many.err).toContain('is a symbolic link');
    expect(fs.readFileSync(precious, 'utf8')).toBe('keep me');
  });

  it('diff starts each input on the endpoint, replays it locally and prints the table; exit 0 when all are equal', async () => {
    const inputs = path.join(dir, 'inputs');
    fs.mkdirSync(inputs);
    fs.writeFileSync(path.join(inputs, 'big.json'), '{"amount":500}');
    fs.writeFileSync(path.join(inputs, 'small.json'), '{"amount":5}');
    const r = await cli('diff', '--state-machine', machineArn, '--inputs', inputs, '--endpoint', env.server.endpoint);
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      'input       AWS                     local                   result',
      'big.json    FAILED (OrderDeclined)  FAILED (OrderDeclined)  equal',
      'small.json  SUCCEEDED               SUCCEEDED               equal',
      'all 2 inputs behave the same locally',
      '',
    ].join('\n'));
    expect(r.err).toBe('big.json: equal\nsmall.json: equal\n');
  });

  it('diff --definition exits 1 and prints the first difference of each input that behaves otherwise', async () => {
    const inputs = path.join(dir, 'inputs-2');
    fs.mkdirSync(inputs);
    fs.writeFileSync(path.join(inputs, 'big.json'), '{"amount":500}');
    const strict = path.join(dir, 'strict.asl.json');
    fs.writeFileSync(strict, asl({ ...MACHINE, States: { ...MACHINE.States, Declined: { Type: 'Fail', Error: 'Rejected' } } }));
    const r = await cli('diff', '--state-machine', machineArn, '--inputs', inputs, '--definition', strict, '--endpoint', env.server.endpoint);
    expect(r.code).toBe(1);
    expect(r.out).toContain('big.json  FAILED (OrderDeclined)  FAILED (Rejected)  both FAILED, with different errors: | AWS:   FAILED with OrderDeclined | local: FAILED with Rejected');
    expect(r.out).toContain('1 of 1 inputs differ');
  });

  it.each([
    [['record'], 2, "'record' takes one execution ARN, got 0"],
    [['record', '--executions', 'arn:x'], 2, '--executions writes one file per execution: name a directory with --out <dir>'],
    [['record', '--executions', 'arn:x', '--out', '/tmp/x', '--status', 'DONE'], 2, "--status must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE, got 'DONE'"],
    [['record', '--executions', 'arn:x', '--out', '/tmp/x', '--max', '0'], 2, "--max must be a positive integer, got '0'"],
    [['record', 'arn:x', '--max', '3'], 2, '--status and --max go with --executions <stateMachineArn>'],
    [['replay'], 2, "'replay' needs a recording"],
    [['diff', '--inputs', '.'], 2, "'diff' needs --state-machine <arn> and --inputs <dir>"],
  ])('refuses %j with exit code %i: %s', async (args, code, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
  });

  it('reports an execution the endpoint does not know with the API error name and exit code 1', async () => {
    const r = await cli('record', `${machineArn.replace(':stateMachine:', ':execution:')}:nope`, '--endpoint', env.server.endpoint);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^stepwright record: ExecutionDoesNotExist: /);
  });

  it('refuses a file that is not a recording with exit code 2, naming the field', async () => {
    const file = path.join(dir, 'not-a-recording.json');
    fs.writeFileSync(file, '{"StartAt":"A"}');
    const r = await cli('replay', file);
    expect(r).toMatchObject({ code: 2, err: `stepwright replay: ${file}: 'format' must be 'stepwright-recording', got undefined; make recordings with 'stepwright record' or record()\n` });
  });

  it.each(['record', 'replay', 'diff'])('prints the options of %s on --help', async (command) => {
    const r = await cli(command, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: stepwright ${command}`);
  });
});
