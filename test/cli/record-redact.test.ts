import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { cli } from './run-cli';
import type { JsonObject, JsonValue } from '../../src/asl/definition-types';
import { StatesError } from '../../src/asl/states-errors';
import { asl, ROLE, serve, until } from '../server/helpers';

// A quote, a backslash and a non-ASCII letter: JSON escapes them, so a leak could hide in escaped form.
const PASSWORD = 'hunter2-"quoted"\\slash-é-Pa55';
const TOKEN = 'tok_4f9c2b7e1a5d';
const OTHER_TOKEN = 'tok_88aa0c1d2e3f';

/** Every way a secret can be spelled inside the recording's JSON text: raw, escaped once, escaped twice, ASCII-only. */
function spellings(secret: string): string[] {
  const once = JSON.stringify(secret).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  const ascii = (s: string): string => s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [...new Set([secret, once, twice, ascii(once), ascii(twice), JSON.stringify(ascii(once)).slice(1, -1)])];
}

/**
 * Spreads the secrets everywhere a recording holds data: JSONata variables
 * (under keys the paths do not name), Map items and results under other keys,
 * a Task's parameters, an error cause that embeds the password in a message
 * and in JSON text, and the execution output, into which a Catch copies that cause.
 */
const MACHINE = {
  QueryLanguage: 'JSONata',
  StartAt: 'Remember',
  States: {
    Remember: {
      Type: 'Pass',
      Assign: { creds: '{% $states.input.password %}', firstAccount: '{% $states.input.accounts[0] %}' },
      Next: 'EachAccount',
    },
    EachAccount: {
      Type: 'Map',
      Items: '{% $states.input.accounts %}',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Use',
        States: {
          Use: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: 'use', Payload: '{% $states.input %}' },
            Output: '{% $states.result.Payload %}',
            End: true,
          },
        },
      },
      Output: '{% {"results": $states.result} %}',
      Next: 'Verify',
    },
    Verify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'verify', Payload: { login: '{% $creds %}', account: '{% $firstAccount %}' } },
      Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% {"results": $states.input.results, "failure": $states.errorOutput} %}', Next: 'Done' }],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

const handlers = {
  Use: (input: JsonValue): JsonValue => {
    const item = (input as JsonObject).Payload as JsonObject;
    return { StatusCode: 200, Payload: { account: item.id, bearer: item.token } };
  },
  Verify: (input: JsonValue): JsonValue => {
    const login = ((input as JsonObject).Payload as JsonObject).login as string;
    throw new StatesError('Auth.Rejected', JSON.stringify({ errorMessage: `login rejected for password ${login}`, request: { login } }));
  },
};

describe('record --redact is a pass over the whole recording', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let executionArn: string;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-redact-'));
    env = await serve({ handlers });
    const machineArn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'secrets', definition: asl(MACHINE), roleArn: ROLE }))).stateMachineArn!;
    const input = { user: 'ann', password: PASSWORD, accounts: [{ id: 1, token: TOKEN }, { id: 2, token: OTHER_TOKEN }] };
    executionArn = (await env.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input), name: 'leaky' }))).executionArn!;
    await until(() => env.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 })),
      (h) => /^Execution(Succeeded|Failed)$/.test(h.events?.[0]?.type ?? ''));
  });
  afterAll(async () => {
    await env.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('spreads the secrets into variables, Map results, a cause and the output when not redacted (the test sees what it must remove)', async () => {
    const file = path.join(dir, 'plain.json');
    expect((await cli('record', executionArn, '--endpoint', env.server.endpoint, '--out', file)).code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    const rec = JSON.parse(text);
    const exited = rec.events.filter((e: { type: string }) => e.type === 'PassStateExited')[0].stateExitedEventDetails;
    expect(JSON.parse(exited.assignedVariables.creds)).toBe(PASSWORD);
    expect(rec.execution.output.results).toEqual([{ account: 1, bearer: TOKEN }, { account: 2, bearer: OTHER_TOKEN }]);
    expect(JSON.parse(rec.execution.output.failure.Cause).errorMessage).toBe(`login rejected for password ${PASSWORD}`);
    for (const secret of [PASSWORD, TOKEN, OTHER_TOKEN]) expect(spellings(secret).some((s) => text.includes(s))).toBe(true);
  });

  it('leaves no secret selected by --redact anywhere in the recording bytes, in any spelling', async () => {
    const file = path.join(dir, 'redacted.json');
    const r = await cli('record', executionArn, '--endpoint', env.server.endpoint, '--out', file, '--redact', '$..password', '--redact', '$..token');
    expect(r).toMatchObject({ code: 0, err: '' });
    const text = fs.readFileSync(file, 'utf8');
    const leaks = [PASSWORD, TOKEN, OTHER_TOKEN].flatMap((secret) => spellings(secret).filter((s) => text.includes(s)).map((s) => `${secret} as ${s}`));
    expect(leaks).toEqual([]);
    const rec = JSON.parse(text);
    expect(rec.execution.input).toEqual({ user: 'ann', password: '<redacted>', accounts: [{ id: 1, token: '<redacted>' }, { id: 2, token: '<redacted>' }] });
    expect(rec.execution.output.results).toEqual([{ account: 1, bearer: '<redacted>' }, { account: 2, bearer: '<redacted>' }]);
    expect(JSON.parse(rec.execution.output.failure.Cause)).toEqual({ errorMessage: 'login rejected for password <redacted>', request: { login: '<redacted>' } });
    expect(rec.redacted).toEqual(['$..password', '$..token']);
  });

  it('keeps what is not secret: the user, the account ids, the error name, and the recording still replays', async () => {
    const file = path.join(dir, 'replayable.json');
    await cli('record', executionArn, '--endpoint', env.server.endpoint, '--out', file, '--redact', '$..password', '--redact', '$..token');
    const rec = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(rec.execution.output.failure.Error).toBe('Auth.Rejected');
    expect(rec.execution.input.user).toBe('ann');
    expect(await cli('replay', file)).toEqual({ code: 0, out: `${file}: equal\n`, err: '' });
  });
});
