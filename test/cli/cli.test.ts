import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { cli, type CliOutcome } from './run-cli';
import { Task } from '../../src/constructs/task';
import { TOOLS } from '../../src/mcp/tools';
import { MOCK_FILE_DELAY_RULE, MOCK_FILE_LIST_RULE } from '../../src/workbench/mocks/json';
import { mistypedPipeline } from '../asl/validate/mistyped-pipeline';
import { httpConnectionTemplate } from '../iam/http-connection-template';
import { describeWithShared, sharedPath } from '../shared-data';
import { eachPut, REFUSED_PUT_ANSWER } from '../workbench/each-put';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'cli');
const EXAMPLE = path.join(EXAMPLES, 'order-processing.asl.json');
const EXAMPLE_INPUT = `@${path.join(EXAMPLES, 'input.json')}`;

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-cli-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** Writes a file into the test's temp directory and returns its path. */
function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const taskMachine = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA, End: true } } };
const passMachine = { StartAt: 'A', States: { A: { Type: 'Pass', Result: { ok: true }, Next: 'B' }, B: { Type: 'Succeed' } } };

describe('stepwright command line', () => {
  it('prints usage and exits 0 on --help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: stepwright');
    expect(r.out).toContain('validate <file...>');
  });

  it('exits 2 and prints usage to stderr when no command is given', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: stepwright');
  });

  it('names an unknown command and exits 2', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });

  it('prints the package version on --version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const r = await cli('--version');
    expect(r).toMatchObject({ code: 0, out: `${pkg.version}\n` });
  });

  it.each(['run', 'validate'])('prints the options of %s on %s --help', async (command) => {
    const r = await cli(command, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: stepwright ${command}`);
    expect(r.out).toContain('Exit codes');
  });
});

describe('stepwright run: a Distributed Map child\'s own error', () => {
  const machine = {
    StartAt: 'Import',
    States: {
      Import: {
        Type: 'Map',
        ItemsPath: '$.items',
        ToleratedFailureCount: 0,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Check',
          States: {
            Check: { Type: 'Choice', Choices: [{ Variable: '$.id', IsPresent: true, Next: 'Ok' }], Default: 'Refuse' },
            Refuse: { Type: 'Fail', Error: 'Item.Invalid', Cause: 'an item has no id' },
            Ok: { Type: 'Pass', End: true },
          },
        },
        End: true,
      },
    },
  };

  it('prints each failed child under the run\'s error, with its Map, name, error and cause, and lists them in --json', async () => {
    const f = file('children.asl.json', machine);
    const text = await cli('run', f, '--input', JSON.stringify({ items: [{ id: 1 }, { name: 'x' }] }));
    expect(text.code).toBe(1);
    expect(text.out).toContain('Error:  States.ExceedToleratedFailureThreshold');
    expect(text.out).toMatch(/^Child:  [0-9a-f-]{36} of Map 'Import' failed with Item\.Invalid\n {8}Cause: an item has no id$/m);
    const json = JSON.parse((await cli('run', f, '--input', JSON.stringify({ items: [{ name: 'x' }] }), '--json')).out) as { childFailures: unknown[] };
    expect(json.childFailures).toEqual([expect.objectContaining({ mapState: 'Import', input: { name: 'x' }, error: 'Item.Invalid', cause: 'an item has no id' })]);
  });

  it('prints the first three failed children and counts the rest, those of a Map that tolerates them too', async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ n: i }));
    const tolerant = { ...machine, States: { Import: { ...machine.States.Import, ToleratedFailureCount: 5 } } };
    const r = await cli('run', file('children-5.asl.json', tolerant), '--input', JSON.stringify({ items }));
    expect(r.out).toContain('Status: SUCCEEDED');
    expect(r.out.match(/^Child: {2}[0-9a-f-]{36} of Map/gm)).toHaveLength(3);
    expect(r.out).toContain('Child:  … and 2 more failed (--json lists them)');
  });
});

describe('stepwright run', () => {
  it('runs the example order to SUCCEEDED and prints status, output and path', async () => {
    const r = await cli('run', EXAMPLE, '--input', EXAMPLE_INPUT, '--mocks', path.join(EXAMPLES, 'mocks.json'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Status: SUCCEEDED');
    expect(r.out).toContain('"carrier": "overnight"');
    expect(r.out).toContain('Path:   ChargeCard -> ReserveItems -> ReserveItem -> ReserveItem -> ShippingSpeed -> ShipExpress -> Shipped');
  });

  it('exits 1 for a FAILED execution and prints error and cause', async () => {
    const r = await cli('run', EXAMPLE, '--input', EXAMPLE_INPUT, '--mocks', path.join(EXAMPLES, 'mocks-declined.json'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('Status: FAILED');
    expect(r.out).toContain('Error:  Order.PaymentDeclined');
    expect(r.out).toContain('Cause:  The card was declined; the order was not shipped');
    expect(r.out).toContain('Path:   ChargeCard -> PaymentDeclined');
  });

  it('exits 1 for a TIMED_OUT execution and says after how long, as it has no error', async () => {
    const def = file('timeout.asl.json', { StartAt: 'W', TimeoutSeconds: 5, States: { W: { Type: 'Wait', Seconds: 10, End: true } } });
    const r = await cli('run', def);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Status: TIMED_OUT');
    expect(r.out).toContain('After:  5 s of virtual time');
    expect(r.out).not.toContain('Error:');
  });

  it('prints one JSON object with --json', async () => {
    const r = await cli('run', file('pass.asl.json', passMachine), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ status: 'SUCCEEDED', output: { ok: true }, path: ['A', 'B'] });
    expect(report.history).toBeUndefined();
  });

  it('prints the error and cause, not an output, in --json for a failure', async () => {
    const def = file('fail.asl.json', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'because' } } });
    const report = JSON.parse((await cli('run', def, '--json')).out);
    expect(report).toEqual(expect.objectContaining({ status: 'FAILED', error: 'Boom', cause: 'because' }));
    expect('output' in report).toBe(false);
  });

  it('prints the history event types, with state names, on --history', async () => {
    const r = await cli('run', file('pass-h.asl.json', passMachine), '--history');
    expect(r.out).toContain('History:\n  1 ExecutionStarted\n  2 PassStateEntered (A)\n  3 PassStateExited (A)\n  4 SucceedStateEntered (B)');
    expect(r.out).toContain('ExecutionSucceeded');
  });

  it('adds the history to --json output with --history', async () => {
    const report = JSON.parse((await cli('run', file('pass-hj.asl.json', passMachine), '--json', '--history')).out);
    expect(report.history[0]).toEqual({ id: 1, type: 'ExecutionStarted' });
    expect(report.history[1]).toEqual({ id: 2, type: 'PassStateEntered', state: 'A' });
  });

  it('uses --name as the execution name', async () => {
    const report = JSON.parse((await cli('run', file('pass-n.asl.json', passMachine), '--json', '--name', 'my-run')).out);
    expect(report.executionArn).toMatch(/:execution:[^:]+:my-run$/);
  });

  it('passes inline --input JSON to the execution', async () => {
    const def = file('echo.asl.json', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const report = JSON.parse((await cli('run', def, '--input', '{"a":[1,2]}', '--json')).out);
    expect(report.output).toEqual({ a: [1, 2] });
  });

  it('reads --input @file', async () => {
    const def = file('echo2.asl.json', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const input = file('in.json', { from: 'file' });
    expect(JSON.parse((await cli('run', def, `--input=@${input}`, '--json')).out).output).toEqual({ from: 'file' });
  });

  it('exits 2 on --input that is not JSON, saying how to quote it', async () => {
    const r = await cli('run', file('p1.asl.json', passMachine), '--input', '{orderId: 1}');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--input is not valid JSON');
    expect(r.err).toContain("--input '{\"orderId\":\"o-1\"}'");
  });

  it('exits 2 naming an --input @file that does not exist', async () => {
    const r = await cli('run', file('p2.asl.json', passMachine), '--input', '@nope/in.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read input file nope/in.json: no such file');
  });

  it('exits 2 naming an --input @file that is not JSON, with line and column', async () => {
    const bad = file('bad-in.json', '{\n  "a": 1,\n}');
    const r = await cli('run', file('p3.asl.json', passMachine), '--input', `@${bad}`);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`input file ${bad}: not valid JSON`);
    expect(r.err).toMatch(/line 3, column 1/);
  });

  it('exits 2 naming a definition file that does not exist, with no stack trace', async () => {
    const r = await cli('run', 'missing.asl.json');
    expect(r.code).toBe(2);
    expect(r.err).toBe('stepwright run: cannot read missing.asl.json: no such file\n');
  });

  it('exits 2 saying in words why a path through a file cannot be read, without the path Node resolved', async () => {
    const definition = file('p4.asl.json', passMachine);
    const r = await cli('run', `${definition}/x.json`);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`stepwright run: cannot read ${definition}/x.json: a part of the path before its last name is a file, not a folder\n`);
  });

  it('exits 2 naming a definition file that is not JSON, with line and column', async () => {
    const bad = file('broken.asl.json', '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass" "End": true }\n  }\n}');
    const r = await cli('run', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: not valid JSON`);
    expect(r.err).toContain('line 4, column 27');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming an empty definition file', async () => {
    const r = await cli('run', file('empty.asl.json', ''));
    expect(r.code).toBe(2);
    expect(r.err).toContain('not valid JSON: the file is empty');
  });

  it('exits 1 on an invalid definition, listing each finding with its location', async () => {
    const def = file('invalid.asl.json', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    const r = await cli('run', def);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${def}: The state machine definition is invalid`);
    expect(r.err).toContain("/States/A/Next [MISSING_TRANSITION_TARGET]: State 'A': Next 'Nowhere' names no state");
  });

  it('refuses .waitForTaskToken under --type EXPRESS', async () => {
    const def = file('callback.asl.json', {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'MessageBody.$': '$$.Task.Token', 'QueueUrl': 'q' }, End: true } },
    });
    const r = await cli('run', def, '--type', 'express');
    expect(r.code).toBe(1);
    expect(r.err).toContain('EXPRESS_UNSUPPORTED_FEATURE');
  });

  it('exits 2 on a --type other than STANDARD or EXPRESS', async () => {
    const r = await cli('run', file('p4.asl.json', passMachine), '--type', 'FAST');
    expect(r.code).toBe(2);
    expect(r.err).toContain("--type must be STANDARD or EXPRESS, got 'FAST'");
  });

  it('exits 2 when no definition is given', async () => {
    const r = await cli('run');
    expect(r.code).toBe(2);
    expect(r.err).toContain("'run' needs a definition");
    expect(r.err).toContain("Run 'stepwright run --help'");
  });

  it('exits 2 when two definitions are given', async () => {
    const r = await cli('run', 'a.json', 'b.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain("'run' takes one definition, got 2: a.json b.json");
  });

  it('exits 2 naming an unknown option and listing the known ones', async () => {
    const r = await cli('run', 'a.json', '--inptu', '{}');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown option '--inptu' for 'run'");
    expect(r.err).toContain('--input');
  });

  it('exits 2 on a single-dash option', async () => {
    expect((await cli('run', 'a.json', '-i')).err).toContain("unknown option '-i' for 'run'");
  });

  it('exits 2 when an option lacks its value', async () => {
    const r = await cli('run', 'a.json', '--input');
    expect(r.code).toBe(2);
    expect(r.err).toContain("option '--input' of 'run' needs a value");
  });

  it('exits 2 when a flag is given a value', async () => {
    expect((await cli('run', 'a.json', '--json=yes')).err).toContain("option '--json' of 'run' takes no value");
  });

  it('treats what follows -- as positionals', async () => {
    const r = await cli('run', '--', '--weird.json');
    expect(r.err).toContain('cannot read --weird.json');
  });

  it('fails a Task that has no mock with States.Runtime naming the state', async () => {
    const r = await cli('run', file('task.asl.json', taskMachine), '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.error).toBe('States.Runtime');
    expect(report.cause).toContain('Work');
  });
});

describe('stepwright run --mocks', () => {
  const task = () => file('task-m.asl.json', taskMachine);
  async function runWith(mocks: unknown, ...extra: string[]): Promise<CliOutcome> {
    return cli('run', task(), '--json', '--mocks', file('mocks.json', mocks), ...extra);
  }

  it('answers every invocation with a plain value', async () => {
    expect(JSON.parse((await runWith({ Work: { done: 1 } })).out).output).toEqual({ done: 1 });
  });

  it('answers with {"Return": value}', async () => {
    expect(JSON.parse((await runWith({ Work: { Return: [1, 2] } })).out).output).toEqual([1, 2]);
  });

  it('fails the task with {"Throw": {"Error", "Cause"}}', async () => {
    const r = await runWith({ Work: { Throw: { Error: 'Custom.Error', Cause: 'bad day' } } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'FAILED', error: 'Custom.Error', cause: 'bad day' });
  });

  it('fails a run whose mock answers a Distributed Map child what its service never sends, as the jest harness does (no tolerated item)', async () => {
    const r = await cli('run', file('each-put.asl.json', eachPut()), '--json', '--input', '[1,2]', '--mocks', file('refused.json', { Put: REFUSED_PUT_ANSWER }));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: expect.stringContaining("The mock of Task 'Put'") });
  });

  it('keys mocks by resource ARN', async () => {
    expect(JSON.parse((await runWith({ [LAMBDA]: 'by-arn' })).out).output).toBe('by-arn');
  });

  it('gives one response per invocation from a list, across retries', async () => {
    const def = file('retry.asl.json', {
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 2 }], End: true } },
    });
    const mocks = file('list.json', { Work: [{ Throw: { Error: 'Flaky' } }, { Throw: { Error: 'Flaky' } }, 'third time'] });
    const report = JSON.parse((await cli('run', def, '--json', '--mocks', mocks)).out);
    expect(report).toMatchObject({ status: 'SUCCEEDED', output: 'third time' });
  });

  it('answers the first call with a Throw and the retry with the plain value after it, as a jest mock list does', async () => {
    const def = file('ocr.asl.json', {
      StartAt: 'OCR page',
      States: { 'OCR page': { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['OCR.Busy'], MaxAttempts: 2 }], End: true } },
    });
    const r = await cli('run', def, '--json', '--history', '--mocks', file('ocr.json', { 'OCR page': [{ Throw: { Error: 'OCR.Busy' } }, { page: 1 }] }));
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ status: 'SUCCEEDED', output: { page: 1 } });
    expect(report.history.filter((e: { type: string }) => e.type === 'LambdaFunctionFailed')).toHaveLength(1);
  });

  it('reads a list with no Return or Throw as one answer per call, as earlier releases did', async () => {
    const def = file('loop2.asl.json', {
      StartAt: 'Work',
      States: {
        'Work': { Type: 'Task', Resource: LAMBDA, ResultPath: '$.r', Next: 'Again?' },
        'Again?': { Type: 'Choice', Choices: [{ Variable: '$.r.page', NumericEquals: 1, Next: 'Work' }], Default: 'Done' },
        'Done': { Type: 'Pass', OutputPath: '$.r', End: true },
      },
    });
    const r = await cli('run', def, '--json', '--mocks', file('plain-list.json', { Work: [{ page: 1 }, { page: 2 }] }));
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: { page: 2 } });
  });

  it('says how a mocks file reads a list in one text: run --help, the MCP run tool and docs/testing.md', async () => {
    const flat = (text: string) => text.replace(/`/g, '').replace(/\s+/g, ' ');
    const help = flat((await cli('run', '--help')).out);
    expect(help).toContain(MOCK_FILE_LIST_RULE);
    expect(help).not.toMatch(/must hold a Return or Throw/);
    expect(flat(fs.readFileSync(path.join(__dirname, '../../docs/testing.md'), 'utf8'))).toContain(MOCK_FILE_LIST_RULE);
    const runTool = TOOLS.find((t) => t.name === 'run')!;
    expect(JSON.stringify(runTool.input.shape.mocks.description)).toContain(JSON.stringify(MOCK_FILE_LIST_RULE).slice(1, -1));
  });

  it('says how a mocks file makes an answer late in one text: run --help, the MCP run tool and docs/testing.md', async () => {
    const flat = (text: string) => text.replace(/`/g, '').replace(/\s+/g, ' ');
    expect(flat((await cli('run', '--help')).out)).toContain(MOCK_FILE_DELAY_RULE);
    expect(flat(fs.readFileSync(path.join(__dirname, '../../docs/testing.md'), 'utf8'))).toContain(MOCK_FILE_DELAY_RULE);
    const runTool = TOOLS.find((t) => t.name === 'run')!;
    expect(JSON.stringify(runTool.input.shape.mocks.description)).toContain(JSON.stringify(MOCK_FILE_DELAY_RULE).slice(1, -1));
  });

  it('answers {"Delay": seconds, "Return": value} that many seconds late on the virtual clock', async () => {
    const r = await runWith({ Work: { Delay: 90, Return: { done: 1 } } });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.output).toEqual({ done: 1 });
    expect(Date.parse(report.stopDate) - Date.parse(report.startDate)).toBe(90_000);
  });

  it('exits 2 on a Delay that is not a number of seconds, naming the state, the field and the value', async () => {
    const r = await runWith({ Work: [{ Return: 1 }, { Delay: -5, Throw: { Error: 'Busy' } }] });
    expect(r.code).toBe(2);
    expect(r.err).toContain("mock 'Work'[1]: Delay must be a number of seconds from 0 to 31536000 (a Standard execution's longest run), got -5");
  });

  it('exits 2 on a list of answers that holds another list of answers', async () => {
    const r = await runWith({ Work: [{ Throw: { Error: 'Busy' } }, [{ Return: 1 }]] });
    expect(r.code).toBe(2);
    expect(r.err).toContain("mock 'Work'[1] is a list holding {\"Return\"} or {\"Throw\"} inside a list of answers");
  });

  it('fails the execution with States.Runtime when a list runs out, even under a States.ALL Catch', async () => {
    const def = file('loop.asl.json', {
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['Flaky'] }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Succeed' },
      },
    });
    const r = await cli('run', def, '--json', '--mocks', file('short.json', { Work: [{ Throw: { Error: 'Flaky' } }] }));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.error).toBe('States.Runtime');
    expect(report.cause).toContain("Task 'Work' was invoked 2 times, but its mock");
  });

  it('wraps a lambda:invoke value in the invoke envelope, as a jest mock does', async () => {
    const def = file('invoke.asl.json', {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, OutputPath: '$.Payload', End: true } },
    });
    const report = JSON.parse((await cli('run', def, '--json', '--mocks', file('inv.json', { Call: { chargeId: 'ch_9' } }))).out);
    expect(report).toMatchObject({ status: 'SUCCEEDED', output: { chargeId: 'ch_9' } });
  });

  it('completes the callback of a .waitForTaskToken Task with its mock, as a jest mock does', async () => {
    const def = file('cb.asl.json', {
      StartAt: 'Approve',
      States: { Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 't.$': '$$.Task.Token' } }, End: true } },
    });
    const report = JSON.parse((await cli('run', def, '--json', '--mocks', file('cb.json', { Approve: { approved: true } }))).out);
    expect(report).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
  });

  it('names the --mocks key to add when a Task has no mock', async () => {
    const report = JSON.parse((await cli('run', task(), '--json')).out);
    expect(report.error).toBe('States.Runtime');
    expect(report.cause).toContain('Add: "Work" in the --mocks file;');
  });

  it('echoes the input of a Task no mock answers with --unmocked input', async () => {
    const r = await cli('run', task(), '--json', '--input', '{"orderId":"o-1"}', '--unmocked', 'input');
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: { orderId: 'o-1' } });
  });

  it('names only options the command has in the message of a Task no mock answers', async () => {
    const report = JSON.parse((await cli('run', task(), '--json')).out);
    const flags = [...new Set((report.cause as string).match(/--[a-z][a-z-]*/g))];
    expect(flags).toEqual(['--mocks', '--unmocked', '--endpoint']);
    const help = (await cli('run', '--help')).out;
    for (const flag of flags) expect(help).toContain(`  ${flag} `);
    expect(report.cause).toContain('--unmocked input');
  });

  it('exits 2 on an --unmocked value other than error or input', async () => {
    const r = await cli('run', task(), '--unmocked', 'echo');
    expect(r.code).toBe(2);
    expect(r.err).toContain("--unmocked must be error or input, got 'echo'");
  });

  it('exits 2 on a mock key that matches no Task, listing the Tasks', async () => {
    const r = await runWith({ Wrok: 1 });
    expect(r.code).toBe(2);
    expect(r.err).toContain("'Wrok'");
  });

  it('exits 2 on a Throw without an Error name', async () => {
    const r = await runWith({ Work: { Throw: { Cause: 'x' } } });
    expect(r.code).toBe(2);
    expect(r.err).toContain("mock 'Work': Throw must be {\"Error\": \"<name>\", \"Cause\": \"<text>\"}");
  });

  it('exits 2 on a Throw with a non-string Cause', async () => {
    expect((await runWith({ Work: { Throw: { Error: 'E', Cause: 5 } } })).err).toContain('Throw.Cause must be a string, got 5');
  });

  it('exits 2 on an empty response list', async () => {
    expect((await runWith({ Work: [] })).err).toContain("mock 'Work' is an empty list");
  });

  it('names a bad list entry by its index', async () => {
    expect((await runWith({ Work: ['ok', { Throw: 'nope' }] })).err).toContain("mock 'Work'[1]: Throw must be");
  });

  it('exits 2 on a mocks file that is not an object', async () => {
    const r = await runWith([1, 2]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('a mocks file must be a JSON object keyed by state name or resource ARN');
  });

  it('exits 2 naming a mocks file that does not exist', async () => {
    const r = await cli('run', task(), '--mocks', 'no-mocks.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read mocks file no-mocks.json: no such file');
  });

  it('exits 2 on --test-case with a simple mocks map', async () => {
    expect((await runWith({ Work: 1 }, '--test-case', 'X')).err).toContain('--test-case applies to an AWS MockConfigFile');
  });

  it('exits 2 on --test-case without --mocks', async () => {
    const r = await cli('run', task(), '--test-case', 'X');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--test-case needs --mocks <MockConfigFile>');
  });
});

describe('stepwright run with an AWS MockConfigFile', () => {
  const config = path.join(EXAMPLES, 'MockConfigFile.json');

  it('runs the named test case', async () => {
    const r = await cli('run', EXAMPLE, '--input', EXAMPLE_INPUT, '--mocks', config, '--test-case', 'HappyPath', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).output).toMatchObject({ chargeId: 'ch_2', carrier: 'overnight' });
  });

  it('takes the Throw of a test case', async () => {
    const r = await cli('run', EXAMPLE, '--input', EXAMPLE_INPUT, '--mocks', config, '--test-case', 'Declined');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Error:  Order.PaymentDeclined');
  });

  it('exits 2 without --test-case, listing the test cases', async () => {
    const r = await cli('run', EXAMPLE, '--mocks', config);
    expect(r.code).toBe(2);
    expect(r.err).toContain('choose a test case with --test-case <name> (it has OrderProcessing/HappyPath, OrderProcessing/Declined)');
  });

  it('exits 2 on an unknown test case, listing the known ones', async () => {
    const r = await cli('run', EXAMPLE, '--mocks', config, '--test-case', 'Nope');
    expect(r.code).toBe(2);
    expect(r.err).toContain("no test case 'Nope' for state machine 'OrderProcessing'");
  });

  it('fails the execution with States.Runtime when a test case has no response for an invocation', async () => {
    const short = file('short-config.json', {
      StateMachines: { M: { TestCases: { T: { Work: 'Once' } } } },
      MockedResponses: { Once: { 0: { Return: 1 } } },
    });
    const def = file('twice.asl.json', {
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['States.ALL'] }], ResultSelector: { 'x.$': '$.missing' }, End: true } },
    });
    const report = JSON.parse((await cli('run', def, '--mocks', short, '--test-case', 'T', '--json')).out);
    expect(report.status).toBe('FAILED');
  });

  it('picks the state machine that holds the test case when the file has several', async () => {
    const several = file('several.json', {
      StateMachines: { A: { TestCases: { Only: { Work: 'R' } } }, B: { TestCases: { Other: { Work: 'R' } } } },
      MockedResponses: { R: { 0: { Return: 'from config' } } },
    });
    const report = JSON.parse((await cli('run', file('t1.asl.json', taskMachine), '--mocks', several, '--test-case', 'Only', '--json')).out);
    expect(report.output).toBe('from config');
  });

  it('asks for --mock-state-machine when several state machines hold the test case', async () => {
    const several = file('several2.json', {
      StateMachines: { A: { TestCases: { T: { Work: 'R' } } }, B: { TestCases: { T: { Work: 'S' } } } },
      MockedResponses: { R: { 0: { Return: 'a' } }, S: { 0: { Return: 'b' } } },
    });
    const def = file('t2.asl.json', taskMachine);
    const r = await cli('run', def, '--mocks', several, '--test-case', 'T');
    expect(r.code).toBe(2);
    expect(r.err).toContain("test case 'T' exists for A, B; name the state machine to use (mockConfig.stateMachine; --mock-state-machine on the command line)");
    expect(JSON.parse((await cli('run', def, '--mocks', several, '--test-case', 'T', '--mock-state-machine', 'B', '--json')).out).output).toBe('b');
  });

  it('exits 2 naming the field of a malformed MockConfigFile', async () => {
    const r = await cli('run', file('t3.asl.json', taskMachine), '--mocks', file('bad-config.json', { StateMachines: {}, MockedResponse: {} }), '--test-case', 'T');
    expect(r.code).toBe(2);
    expect(r.err).toContain("did you mean 'MockedResponses'?");
  });
});

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

describe('stepwright run on templates and cdk.out', () => {
  it('runs the only state machine of a template, resolving its tokens', async () => {
    const template = file('one.template.json', { Resources: { Fn: { Type: 'AWS::Lambda::Function' }, M: (twoMachineTemplate().Resources as Record<string, unknown>).First } });
    const r = await cli('run', template, '--mocks', file('fn-mocks.json', { 'arn:aws:lambda:us-east-1:123456789012:function:Fn': 'resolved' }), '--json');
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: 'resolved' });
  });

  it('runs the inline code of a Lambda function called through its current version, with no mock', async () => {
    const stack = new Stack(new App(), 'InlineVersion');
    const fn = new lambda.Function(stack, 'Ocr', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => ({ page: e.n });'),
    });
    new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(Task.lambdaInvoke(stack, 'OCR page', { lambdaFunction: fn })) });
    const template = file('inline-version.template.json', Template.fromStack(stack).toJSON());
    const r = await cli('run', template, '--input', '{"n":2}', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: { page: 2 } });
  });

  it('exits 2 listing the state machines when a template has several and none is chosen', async () => {
    const r = await cli('run', file('two.template.json', twoMachineTemplate()));
    expect(r.code).toBe(2);
    expect(r.err).toContain('the template has 2 state machines');
    expect(r.err).toContain('  - First');
    expect(r.err).toContain('  - Second (name second-machine)');
  });

  it('chooses a state machine with --state-machine by name or logical id', async () => {
    const template = file('two2.template.json', twoMachineTemplate());
    const r = await cli('run', template, '--state-machine', 'second-machine', '--mocks', file('w.json', { Work: 'ok' }), '--json');
    expect(JSON.parse(r.out).output).toBe('ok');
    expect((await cli('run', template, '--state-machine', 'First', '--mocks', file('w2.json', { Work: 'ok' }))).code).toBe(0);
  });

  it('exits 2 when --state-machine matches nothing, listing what there is', async () => {
    const r = await cli('run', file('two3.template.json', twoMachineTemplate()), '--state-machine', 'Third');
    expect(r.code).toBe(2);
    expect(r.err).toContain("no state machine matches 'Third'");
  });

  it('exits 2 on --state-machine for a plain ASL file', async () => {
    expect((await cli('run', file('p5.asl.json', passMachine), '--state-machine', 'X')).err).toContain('is one ASL definition');
  });

  it('exits 2 on --stack for a file', async () => {
    expect((await cli('run', file('p6.asl.json', passMachine), '--stack', 'X')).err).toContain('--stack selects a stack of a cdk.out directory');
    expect((await cli('run', file('two4.template.json', twoMachineTemplate()), '--stack', 'X')).err).toContain('is a single template');
  });

  it('exits 2 on a template with no state machine', async () => {
    const r = await cli('run', file('none.template.json', { Resources: { Fn: { Type: 'AWS::Lambda::Function' } } }));
    expect(r.code).toBe(2);
    expect(r.err).toContain('no AWS::StepFunctions::StateMachine resource');
  });

  it('exits 2 naming the template and token that cannot be resolved', async () => {
    const bad = {
      Resources: {
        M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"', { Ref: 'Missing' }, '"}']] } } },
      },
    };
    const template = file('bad.template.json', bad);
    const r = await cli('run', template);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${template}: `);
    expect(r.err).toContain('Missing');
  });

  describe('a cdk.out with two stacks', () => {
    let cdkOut: string;
    beforeAll(() => {
      cdkOut = path.join(dir, 'cdk.out');
      // The CDK CLI writes aws:cdk:path metadata; an App in a test does so only when asked.
      const app = new App({ outdir: cdkOut, context: { 'aws:cdk:enable-path-metadata': true } });
      const orders = new Stack(app, 'Orders');
      new sfn.StateMachine(orders, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(orders, 'Hello', { result: sfn.Result.fromObject({ hi: 'orders' }) })) });
      const billing = new Stack(app, 'Billing');
      new sfn.StateMachine(billing, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(billing, 'Hello', { result: sfn.Result.fromObject({ hi: 'billing' }) })) });
      new sfn.StateMachine(billing, 'Broken', { definitionBody: sfn.DefinitionBody.fromString('{"StartAt":"Nowhere","States":{"A":{"Type":"Pass","End":true}}}') });
      app.synth();
    });

    it('runs the state machine chosen with --stack and --state-machine', async () => {
      const r = await cli('run', cdkOut, '--stack', 'Orders', '--json');
      expect(JSON.parse(r.out).output).toEqual({ hi: 'orders' });
      const b = await cli('run', cdkOut, '--stack', 'Billing', '--state-machine', 'Flow', '--json');
      expect(JSON.parse(b.out).output).toEqual({ hi: 'billing' });
    });

    it('finds a state machine by construct path across stacks', async () => {
      const r = await cli('run', cdkOut, '--state-machine', 'Orders/Flow', '--json');
      expect(JSON.parse(r.out).output).toEqual({ hi: 'orders' });
    });

    it('exits 2 listing every state machine when several stacks have some and none is chosen', async () => {
      const r = await cli('run', cdkOut);
      expect(r.code).toBe(2);
      expect(r.err).toContain('has state machines in 2 stacks; choose one with --stack <stack> and --state-machine');
      expect(r.err).toContain(`${cdkOut} Orders Orders/Flow`);
    });

    it('exits 2 naming an unknown stack and listing the stacks', async () => {
      const r = await cli('run', cdkOut, '--stack', 'Shipping');
      expect(r.code).toBe(2);
      expect(r.err).toContain("no stack 'Shipping'; the cloud assembly has Orders, Billing");
    });

    it('validates every state machine of every stack, failing on the broken one', async () => {
      const r = await cli('validate', cdkOut);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`${cdkOut} Orders Orders/Flow: valid`);
      expect(r.out).toContain(`${cdkOut} Billing Billing/Broken: invalid`);
      expect(r.out).toContain('MISSING_TRANSITION_TARGET at /StartAt');
    });
  });

  it('exits 2 on a directory that is not a cloud assembly', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const r = await cli('run', empty);
    expect(r.code).toBe(2);
    expect(r.err).toContain("not a cloud assembly (no manifest.json and no *.template.json); run 'cdk synth' first");
  });

  it('reads *.template.json files from a directory without a manifest', async () => {
    const d = fs.mkdtempSync(path.join(dir, 'templates-'));
    fs.writeFileSync(path.join(d, 'Only.template.json'), JSON.stringify({ Resources: { Fn: { Type: 'AWS::Lambda::Function' }, M: (twoMachineTemplate().Resources as Record<string, unknown>).First } }));
    const r = await cli('validate', d, '--no-warnings');
    expect(r.out).toContain('Only.template.json M: valid');
  });
});

describe('stepwright validate', () => {
  // Step Functions implements JSONata 2.0.6, without 2.1.0's `??`: validate says so, as run does and AWS does at create.
  it('refuses a JSONata ?? as run refuses it, naming the version Step Functions implements', async () => {
    const f = file('coalesce.asl.json', { QueryLanguage: 'JSONata', StartAt: 'X', States: { X: { Type: 'Pass', Output: '{% $states.input.a ?? 1 %}', End: true } } });
    const validated = await cli('validate', f);
    expect(validated.code).toBe(1);
    expect(validated.out).toContain('INVALID_JSONATA at /States/X/Output');
    expect(validated.out).toContain("'??' came in JSONata 2.1.0, and Step Functions implements JSONata 2.0.6");
    const ran = await cli('run', f);
    expect(ran.code).toBe(1);
    expect(ran.err + ran.out).toContain('2.0.6');
  });

  it('prints a mistyped Next first with the nearest state name, and folds the unreachable states it causes under it', async () => {
    const r = await cli('validate', '--no-warnings', file('mistyped.asl.json', mistypedPipeline()));
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/mistyped\.asl\.json: invalid, 1 error \(and 29 that follow from it\)$/);
    expect(lines.slice(1, 4)).toEqual([
      '  error   MISSING_TRANSITION_TARGET at /States/Parse/Next',
      "          State 'Parse': Next 'Route btach' names no state at the top level; did you mean 'Route batch'?",
      '          29 more errors follow from it (UNREACHABLE_STATE): /States/Route batch, /States/Step 1, /States/Step 2, /States/Step 3, /States/Step 4 and 24 more',
    ]);
    expect(lines.slice(4)).toEqual(['']);
    const json = await cli('validate', '--no-warnings', '--json', file('mistyped.asl.json', mistypedPipeline()));
    expect(JSON.parse(json.out)[0].findings).toHaveLength(1);
  });

  it('exits 0 and says valid for a valid definition', async () => {
    const r = await cli('validate', EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${EXAMPLE}: valid\n`);
  });

  it('prints warnings with code, location and message but still exits 0', async () => {
    const r = await cli('validate', file('warn.asl.json', taskMachine));
    expect(r.code).toBe(0);
    expect(r.out).toContain('valid, 2 warnings');
    expect(r.out).toContain('warning TASK_WITHOUT_TIMEOUT at /States/Work');
    expect(r.out).toContain('UNQUALIFIED_LAMBDA_ARN');
  });

  it('leaves warnings out with --no-warnings', async () => {
    expect((await cli('validate', file('warn2.asl.json', taskMachine), '--no-warnings')).out).not.toContain('warning');
  });

  it('exits 1 and prints each error with severity, code, location and message', async () => {
    const def = file('bad.asl.json', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    const r = await cli('validate', def, '--no-warnings');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${def}: invalid, `);
    expect(r.out).toContain("  error   MISSING_TRANSITION_TARGET at /States/A/Next\n          State 'A': Next 'Nowhere' names no state");
  });

  it('prints a JSON array of reports with --json', async () => {
    const def = file('bad2.asl.json', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    const reports = JSON.parse((await cli('validate', EXAMPLE, def, '--json')).out);
    expect(reports).toHaveLength(2);
    expect(reports[0]).toEqual({ source: EXAMPLE, valid: true, findings: [] });
    expect(reports[1]).toMatchObject({ source: def, valid: false });
    expect(reports[1].findings[0]).toMatchObject({ code: 'MISSING_TRANSITION_TARGET', severity: 'error', location: '/States/A/Next' });
  });

  it('reports a file that is not JSON as an invalid definition, with line and column', async () => {
    const bad = file('not-json.asl.json', '{ "StartAt": "A", }');
    const r = await cli('validate', bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error   INVALID_JSON_DESCRIPTION at /');
    expect(r.out).toContain('The file is not valid JSON');
    expect(r.out).toContain('line 1, column 19');
  });

  it('exits 2 naming a file that does not exist, after reporting the others', async () => {
    const r = await cli('validate', 'nope.asl.json', EXAMPLE);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read nope.asl.json: no such file');
    expect(r.out).toContain(`${EXAMPLE}: valid`);
  });

  it('validates every state machine of a template, using each one\'s StateMachineType', async () => {
    const template = twoMachineTemplate();
    const second = (template.Resources as Record<string, { Properties: Record<string, unknown> }>).Second;
    second.Properties.DefinitionString = JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'MessageBody.$': '$$.Task.Token' }, End: true } } });
    const r = await cli('validate', file('express.template.json', template), '--no-warnings');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/express\.template\.json First: valid/);
    expect(r.out).toMatch(/express\.template\.json Second: invalid, 1 error\n {2}error {3}EXPRESS_UNSUPPORTED_FEATURE/);
  });

  it('applies --type to every definition', async () => {
    const def = file('activity.asl.json', { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:a', TimeoutSeconds: 5, End: true } } });
    expect((await cli('validate', def)).code).toBe(0);
    const r = await cli('validate', def, '--type', 'EXPRESS');
    expect(r.code).toBe(1);
    expect(r.out).toContain('EXPRESS_UNSUPPORTED_FEATURE');
  });

  it('refuses a callback behind an ${AWS::Partition} placeholder under --type EXPRESS, and says when it cannot tell', async () => {
    const task = (Resource: unknown) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource, Parameters: { 'MessageBody.$': '$$.Task.Token' }, TimeoutSeconds: 5, End: true } } });
    const hidden = await cli('validate', file('partition.asl.json', task('arn:${AWS::Partition}:states:::sqs:sendMessage.waitForTaskToken')), '--type', 'EXPRESS');
    expect(hidden.code).toBe(1);
    expect(hidden.out).toMatch(/error\s+EXPRESS_UNSUPPORTED_FEATURE at \/States\/T\/Resource\n\s+Task 'T' uses '\.waitForTaskToken'/);
    const unknown = await cli('validate', file('unknown.asl.json', task('${ApproveArn}')), '--type', 'EXPRESS');
    expect(unknown.code).toBe(0);
    expect(unknown.out).toMatch(/warning\s+EXPRESS_RESOURCE_UNKNOWN at \/States\/T\/Resource\n\s+Task 'T': cannot tell whether "\$\{ApproveArn\}" is an activity/);
  });

  it('says so when a template has no state machines', async () => {
    const r = await cli('validate', file('none2.template.json', { Resources: {} }));
    expect(r.code).toBe(0);
    expect(r.err).toContain('no state machines found');
  });

  it('exits 2 when no file is given', async () => {
    const r = await cli('validate');
    expect(r.code).toBe(2);
    expect(r.err).toContain("'validate' needs at least one file");
  });

  it('exits 2 on an unknown option', async () => {
    expect((await cli('validate', EXAMPLE, '--strict')).err).toContain("unknown option '--strict' for 'validate'; it accepts --type, --config-file, --config-env, --parameter, --json, --no-warnings, --iam, --help");
  });
});

const FALLBACK = sharedPath('validation', 'realworld', 'shared-fallback-state-jsonata.asl.json');
describeWithShared('validation/realworld', 'stepwright validate on the known-bad real-world definitions', () => {
  it('rejects a QueryLanguage entry inside States, saying to move it to the top level', async () => {
    const r = await cli('validate', FALLBACK);
    expect(r.code).toBe(1);
    expect(r.out).toContain('SCHEMA_VALIDATION_FAILED at /States/QueryLanguage');
    expect(r.out).toContain('move "QueryLanguage": "JSONata" out of States to the top level');
  });
});

describe('stepwright validate and run on a state Type named like a property of every object', () => {
  // The validator read its table of fields per type through Object's prototype, and threw for these names;
  // serve (test/server/diagnostics.test.ts), MCP (test/mcp/tools.test.ts) and compileStateMachine get the same case.
  it.each(['toString', 'constructor', '__proto__'])('reports Type %j as an unknown type, as it reports any other', async (type) => {
    const def = file(`type-${type}.asl.json`, JSON.stringify({ StartAt: 'S', States: { S: { Type: type, End: true } } }));
    const validate = await cli('validate', def);
    expect(validate.code).toBe(1);
    expect(validate.out).toContain('SCHEMA_VALIDATION_FAILED at /States/S/Type');
    const run = await cli('run', def);
    expect(run.code).toBe(1);
    expect(run.err).toContain('/States/S/Type');
    expect(run.err).not.toContain('TypeError');
  });
});

describe('stepwright on input that is not a definition', () => {
  it('says a file holding a JSON string is valid JSON but not a definition, in run and validate', async () => {
    const str = file('str.json', '"str"');
    const run = await cli('run', str);
    expect(run.code).toBe(1);
    expect(run.err).toContain('valid JSON, but it holds a string, not a state machine definition');
    const validate = await cli('validate', str);
    expect(validate.code).toBe(1);
    expect(validate.out).toContain('SCHEMA_VALIDATION_FAILED');
    expect(validate.out).not.toContain('not valid JSON');
  });

  it('keeps a JSON syntax error on one line, naming its place and not the text around it', async () => {
    const r = await cli('run', file('multi.json', 'nope\n\n{}'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/multi\.json: not valid JSON: Unexpected character at line 1, column 1$/)]);
  });

  it('refuses a FIFO instead of blocking on it', async () => {
    const fifo = path.join(dir, 'definition.fifo');
    childProcess.execFileSync('mkfifo', [fifo]);
    const r = await cli('validate', fifo);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not a regular file (a pipe, socket or device)');
  });

  it('refuses a definition over 1 MiB, as AWS does', async () => {
    const big = { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'x'.repeat(1_100_000), End: true } } };
    const r = await cli('validate', file('big.asl.json', big));
    expect(r.code).toBe(1);
    expect(r.out).toContain('AWS accepts state machine definitions of at most 1048576 bytes');
  });

  it('bounds a run with --max-transitions, --max-history-events and --max-payload-bytes, as the harness\'s and MCP\'s limits', async () => {
    const loop = file('loop.asl.json', {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'A' }, Done: { Type: 'Succeed' } },
    });
    const transitions = JSON.parse((await cli('run', loop, '--json', '--max-transitions', '7')).out);
    expect({ status: transitions.status, error: transitions.error, cause: transitions.cause, entered: transitions.path.length }).toEqual({
      status: 'FAILED', error: 'States.Runtime', cause: 'The execution entered more than 7 states (limits.maxTransitions); is there an endless loop?', entered: 7,
    });
    const events = JSON.parse((await cli('run', loop, '--json', '--max-history-events', '20')).out);
    expect({ status: events.status, error: events.error }).toEqual({ status: 'FAILED', error: 'States.Runtime' });
    const big = file('big.asl.json', { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'x'.repeat(200), End: true } } });
    const payload = JSON.parse((await cli('run', big, '--json', '--max-payload-bytes', '100')).out);
    expect({ status: payload.status, error: payload.error }).toEqual({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it.each([['0'], ['-1'], ['1.5'], ['ten'], ['9007199254740993']])('exits 2 on --max-transitions %s, which is no whole number of at least 1', async (n) => {
    const r = await cli('run', file('pm.asl.json', passMachine), '--max-transitions', n);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--max-transitions takes a whole number of at least 1, got '${n}'`);
  });

  it.each([[''], ['a b'], ['x'.repeat(81)], ['a/b'], ['ctl\u0001']])('exits 2 on --name %j, which AWS refuses', async (name) => {
    const r = await cli('run', file('pn.asl.json', passMachine), '--name', name);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--name: a name');
  });
});

describe('stepwright validate --iam', () => {
  const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };
  const machine = {
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: {
      RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
      DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"Save","States":{"Save":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","TimeoutSeconds":5,"Parameters":{"TableName":"', { Ref: 'Table' }, '","Item":{}},"End":true}}}']] },
    },
  };
  const grant = {
    Type: 'AWS::IAM::Policy',
    Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['Table', 'Arn'] } }] } },
  };

  it('exits 1 and prints the missing permission with its fix when the role lacks it', async () => {
    const r = await cli('validate', file('iam-missing.template.json', { Resources: { Table: { Type: 'AWS::DynamoDB::Table' }, Role: role, Machine: machine } }), '--iam');
    expect(r.code).toBe(1);
    expect(r.out).toContain('but its role lacks permissions');
    expect(r.out).toContain('MISSING_PERMISSION at /States/Save');
    expect(r.out).toContain('fix: add {"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/Table"}');
  });

  it('exits 0 when the role allows every Task, and reports the checks in --json', async () => {
    const f = file('iam-ok.template.json', { Resources: { Table: { Type: 'AWS::DynamoDB::Table' }, Role: role, Machine: machine, Grant: grant } });
    expect((await cli('validate', f, '--iam')).code).toBe(0);
    const [report] = JSON.parse((await cli('validate', f, '--iam', '--json')).out);
    expect(report.permissions.checks).toEqual([expect.objectContaining({ state: 'Save', action: 'dynamodb:PutItem', decision: 'allowed' })]);
  });

  it('reads a dynamodb.TableV2 (AWS::DynamoDB::GlobalTable) by its TableName: exits 0 with the grant, names the table in the fix without it', async () => {
    const table = { Type: 'AWS::DynamoDB::GlobalTable', Properties: { TableName: 'reviews', Replicas: [{ Region: 'us-east-1' }] } };
    const granted = file('iam-v2-ok.template.json', { Resources: { Table: table, Role: role, Machine: machine, Grant: grant } });
    const ok = await cli('validate', granted, '--iam');
    expect(ok.code).toBe(0);
    const [report] = JSON.parse((await cli('validate', granted, '--iam', '--json')).out);
    expect(report.permissions.checks).toEqual([expect.objectContaining({ action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/reviews', decision: 'allowed' })]);
    const missing = await cli('validate', file('iam-v2-missing.template.json', { Resources: { Table: table, Role: role, Machine: machine } }), '--iam');
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/reviews"');
  });

  it("exits 1 for an HTTP Task whose role is granted its connection's secret on the connection's ARN, 0 on GetAtt SecretArn", async () => {
    const wrong = await cli('validate', file('iam-http-wrong.template.json', httpConnectionTemplate({ 'Fn::GetAtt': ['Conn', 'Arn'] })), '--iam');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('MISSING_PERMISSION at /States/Call');
    expect(wrong.out).toMatch(/secretsmanager:GetSecretValue.*arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection\/Conn\//);
    const right = file('iam-http-ok.template.json', httpConnectionTemplate({ 'Fn::GetAtt': ['Conn', 'SecretArn'] }));
    expect((await cli('validate', right, '--iam')).code).toBe(0);
    const [report] = JSON.parse((await cli('validate', right, '--iam', '--json')).out);
    expect(report.permissions.checks.filter((c: { action: string }) => c.action.startsWith('secretsmanager:')).map((c: { decision: string }) => c.decision)).toEqual(['allowed', 'allowed']);
    // The endpoint, a States.Format of literals as aws-cdk-lib's HttpInvoke writes it, is the text it always is: the grant's condition is decided.
    expect(report.permissions.checks.find((c: { action: string }) => c.action === 'states:InvokeHTTPEndpoint')).toMatchObject({ decision: 'allowed' });
  });

  it('does not check permissions without --iam', async () => {
    const r = await cli('validate', file('iam-skip.template.json', { Resources: { Table: { Type: 'AWS::DynamoDB::Table' }, Role: role, Machine: machine } }));
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('iam:');
  });

  it('takes a bucket/* grant for a read of a fixed bucket whose Key is a JSONata expression, and names no statement of another bucket', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Read',
      States: { Read: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', TimeoutSeconds: 5, Arguments: { Bucket: 'input', Key: '{% $states.input.key %}' }, End: true } },
    };
    const reader = { ...machine, Properties: { ...machine.Properties, DefinitionString: JSON.stringify(definition) } };
    const statement = (sid: string, bucket: string) => ({ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` });
    const policy = (...statements: object[]) => ({ Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: statements } } });
    const ok = await cli('validate', file('iam-s3-ok.template.json', { Resources: { Role: role, Machine: reader, Grant: policy(statement('Results', 'results'), statement('Input', 'input')) } }), '--iam');
    expect(ok.code).toBe(0);
    expect(ok.out).not.toContain('CANNOT_CHECK');
    const missing = await cli('validate', file('iam-s3-missing.template.json', { Resources: { Role: role, Machine: reader, Grant: policy(statement('Results', 'results')) } }), '--iam');
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('MISSING_PERMISSION at /States/Read');
    expect(missing.out).toContain('fix: add {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::input/*"}');
    expect(missing.out).not.toContain("'Results'");
  });

  it('says an ASL file has no role to check', async () => {
    const r = await cli('validate', file('iam.asl.json', taskMachine), '--iam');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ROLE_NOT_CHECKABLE');
  });
});
