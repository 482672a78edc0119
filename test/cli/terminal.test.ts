import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { cli } from './run-cli';
import { printable, printableJson, printableLines } from '../../src/cli/terminal';
import { asl, ROLE, serve } from '../server/helpers';

/** Sets the window title, clears the screen; then a one-character CSI (C1), a right-to-left override, a bell, DEL. */
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\u007f';
const ESCAPED = '\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202eevil\\u007f';
/** Anything a terminal would act on. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-terminal-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

/** A state named with control characters, which fails with an error and a cause that hold them too. */
const MACHINE = {
  StartAt: `Go${HOSTILE}`,
  States: {
    [`Go${HOSTILE}`]: { Type: 'Pass', Next: 'Stop' },
    Stop: { Type: 'Fail', Error: `Bad${HOSTILE}`, Cause: `because${HOSTILE}\nStatus: SUCCEEDED` },
  },
};

describe('the escaping of text printed to a terminal', () => {
  it('escapes C0 (ESC, BEL, newline), DEL, C1 and bidi controls as \\u escapes, and keeps other text', () => {
    expect(printable(`a${HOSTILE}\n\tb é 日本`)).toBe(`a${ESCAPED}\\n\\tb é 日本`);
    expect(printableLines(`a${HOSTILE}\nb`)).toBe(`a${ESCAPED}\nb`);
    expect(JSON.parse(printableJson(JSON.stringify({ [HOSTILE]: HOSTILE })))).toEqual({ [HOSTILE]: HOSTILE });
    expect(printableJson(JSON.stringify(HOSTILE))).not.toMatch(CONTROL);
  });
});

describe('lone surrogates, which a UTF-8 terminal would show as U+FFFD', () => {
  /** A high surrogate without its low half, a low one without its high half, and a whole pair (an emoji) between them. */
  const LONE = '\ud800x\udc00\ud83d\ude00';

  it('are escaped as \\u escapes, and a whole surrogate pair is kept', () => {
    expect(printable(LONE)).toBe('\\ud800x\\udc00\ud83d\ude00');
    expect(printableLines(`${LONE}\n\udfff`)).toBe('\\ud800x\\udc00\ud83d\ude00\n\\udfff');
  });

  it('validate: a state named with them is printed with them escaped, never as U+FFFD', async () => {
    const unreachable = { StartAt: 'A', States: { A: { Type: 'Succeed' }, [`B${LONE}`]: { Type: 'Succeed' } } };
    const r = await cli('validate', file('lone.asl.json', unreachable));
    expect(r.code).toBe(1);
    expect(r.out).toContain("State 'B\\ud800x\\udc00\ud83d\ude00' is not reachable");
    expect(r.out).not.toContain('\ufffd');
  });

  it('explore: a state named with them is printed with them escaped, never as U+FFFD', async () => {
    const machine = { StartAt: `P${LONE}`, States: { [`P${LONE}`]: { Type: 'Pass', End: true } } };
    const r = await cli('explore', file('lone-explore.asl.json', machine));
    expect(r.code).toBe(0);
    expect(r.out).toContain('P\\ud800x\\udc00\ud83d\ude00');
    expect(r.out).not.toContain('\ufffd');
  });
});

describe('every command escapes others\' text it prints', () => {
  it('run: state names in the path and history, the error, and the cause, its later lines indented under it so none can pose as a line of the report', async () => {
    const r = await cli('run', file('run.asl.json', MACHINE), '--history');
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(CONTROL);
    expect(r.out).toContain(`Error:  Bad${ESCAPED}\n`);
    // A cause of several lines (a refused mock's) is printed as lines, never as a literal \n (issue 64).
    expect(r.out).toContain(`Cause:  because${ESCAPED}\n        Status: SUCCEEDED\n`);
    expect(r.out).not.toMatch(/^Status: SUCCEEDED/m);
    expect(r.out).toContain(`Path:   Go${ESCAPED} -> Stop\n`);
    expect(r.out).toContain(`PassStateEntered (Go${ESCAPED})`);
  });

  it('run --json: JSON whose strings hold C1 and bidi characters as \\u escapes, the same JSON value', async () => {
    const r = await cli('run', file('run-json.asl.json', MACHINE), '--json');
    expect(r.out).not.toMatch(CONTROL);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'FAILED', error: `Bad${HOSTILE}`, path: [`Go${HOSTILE}`, 'Stop'] });
  });

  it('validate: the file name, the finding location and its message', async () => {
    const unreachable = { StartAt: 'A', States: { A: { Type: 'Succeed' }, [`B${HOSTILE}`]: { Type: 'Succeed' } } };
    const named = file(`x${HOSTILE}.asl.json`, unreachable);
    const r = await cli('validate', named);
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(CONTROL);
    expect(r.out).toContain(`${path.join(dir, `x${ESCAPED}.asl.json`)}: invalid`);
    expect(r.out).toContain(`State 'B${ESCAPED}' is not reachable`);
    const json = await cli('validate', named, '--json');
    expect(json.out).not.toMatch(CONTROL);
    expect(JSON.parse(json.out)[0].source).toBe(named);
  });

  it('the error line of any command: a file name that cannot be read', async () => {
    const r = await cli('run', path.join(dir, `missing${HOSTILE}.json`));
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(CONTROL);
    expect(r.err).toContain(`missing${ESCAPED}.json: no such file`);
    expect((await cli(`nope${HOSTILE}`)).err).toContain(`unknown command 'nope${ESCAPED}'`);
  });

  it('replay: the file name and the difference, which quotes state names and causes', async () => {
    const rec = {
      format: 'stepwright-recording',
      version: 1,
      stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: JSON.stringify(MACHINE) },
      execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'FAILED', input: {}, error: 'Other', cause: `c${HOSTILE}` },
      events: [],
    };
    const recording = file(`rec${HOSTILE}.json`, rec);
    const r = await cli('replay', recording);
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(CONTROL);
    expect(r.out).toContain(`rec${ESCAPED}.json: DIFFERS`);
    expect(r.out).toContain(`entered Pass state 'Go${ESCAPED}'`);
    const json = await cli('replay', recording, '--json');
    expect(json.out).not.toMatch(CONTROL);
    expect(JSON.parse(json.out).file).toBe(recording);
  });

  it('diff: input file names in the progress and the table, and the errors AWS and the local run report', async () => {
    const env = await serve();
    try {
      const machineArn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'hostile', definition: asl(MACHINE), roleArn: ROLE }))).stateMachineArn!;
      const inputs = path.join(dir, 'inputs');
      fs.mkdirSync(inputs);
      fs.writeFileSync(path.join(inputs, `in${HOSTILE}.json`), '{}');
      const r = await cli('diff', '--state-machine', machineArn, '--inputs', inputs, '--endpoint', env.server.endpoint);
      expect(r.code).toBe(0);
      expect(r.out + r.err).not.toMatch(CONTROL);
      expect(r.out).toContain(`in${ESCAPED}.json  FAILED (Bad${ESCAPED})  FAILED (Bad${ESCAPED})  equal`);
      expect(r.err).toBe(`in${ESCAPED}.json: equal\n`);
    } finally {
      await env.stop();
    }
  });
});

describe('record --executions with an endpoint that names executions to escape --out', () => {
  let server: http.Server;
  let endpoint: string;
  const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';
  const names = ['../../escaped', `tty${HOSTILE}`, 'ok', 'ok'];
  const arnOf = (i: number): string => `arn:aws:states:us-east-1:123456789012:execution:m:e${i}`;

  beforeAll(async () => {
    // Answers the four calls record makes, as a hostile or broken endpoint could.
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += String(c); });
      req.on('end', () => {
        const op = String(req.headers['x-amz-target']).split('.')[1];
        const params = JSON.parse(body || '{}') as { executionArn?: string };
        const i = Number(/e(\d+)$/.exec(params.executionArn ?? '')?.[1] ?? -1);
        const answers: Record<string, unknown> = {
          ListExecutions: { executions: names.map((name, k) => ({ executionArn: arnOf(k), stateMachineArn: machine, name, status: 'SUCCEEDED', startDate: 0 })) },
          DescribeExecution: { executionArn: arnOf(i), stateMachineArn: machine, name: names[i], status: 'SUCCEEDED', input: '{}', output: '{}', startDate: 0 },
          DescribeStateMachineForExecution: { stateMachineArn: machine, name: 'm', definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', roleArn: ROLE, updateDate: 0 },
          GetExecutionHistory: { events: [] },
        };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(answers[op] ?? {}));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

  it('writes every recording inside --out under a safe name, one file each, and escapes the ARNs it prints', async () => {
    const out = path.join(dir, 'deep', 'er', 'out');
    const r = await cli('record', '--executions', machine, '--out', out, '--endpoint', endpoint);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(CONTROL);
    expect(fs.readdirSync(out).sort()).toEqual(['_._.._escaped.json', 'ok-2.json', 'ok.json', 'tty__0_pwned___2J_31m_evil_.json']);
    expect(fs.existsSync(path.join(dir, 'deep', 'escaped.json'))).toBe(false);
  });
});
