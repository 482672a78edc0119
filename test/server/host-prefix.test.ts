import { CreateStateMachineCommand, SFNClient, StartSyncExecutionCommand, TestStateCommand } from '@aws-sdk/client-sfn';
import { PASS, ROLE, serve, streams, until } from './helpers';
import { serveCommand, syncHostHint } from '../../src/cli/serve-command';
import { client } from '../../src/server';
import { operationsByHostPrefix } from '../../src/server/door';

/** The host each command would be sent to; the request never leaves the process. */
async function hostOf(sfn: SFNClient, command: StartSyncExecutionCommand | TestStateCommand): Promise<string> {
  let host = '';
  sfn.middlewareStack.add(() => async (args) => {
    host = (args.request as { hostname: string }).hostname;
    throw new Error('stop before sending');
  }, { step: 'finalizeRequest', name: 'captureHost' });
  await expect(sfn.send(command as StartSyncExecutionCommand)).rejects.toThrow('stop before sending');
  sfn.destroy();
  return host;
}

const plain = (config: { disableHostPrefix?: boolean } = {}) => new SFNClient({
  endpoint: 'http://127.0.0.1:8083',
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  ...config,
});
const sync = () => new StartSyncExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m' });
const test = () => new TestStateCommand({ definition: '{"Type":"Pass","End":true}', roleArn: ROLE });

describe('the sync- host prefix of StartSyncExecution and TestState', () => {
  it('is where a plain SFNClient sends both operations: sync-127.0.0.1, which does not resolve', async () => {
    expect(await hostOf(plain(), sync())).toBe('sync-127.0.0.1');
    expect(await hostOf(plain(), test())).toBe('sync-127.0.0.1');
  });

  it('is turned off by disableHostPrefix: true, and by client()', async () => {
    expect(await hostOf(plain({ disableHostPrefix: true }), sync())).toBe('127.0.0.1');
    expect(await hostOf(plain({ disableHostPrefix: true }), test())).toBe('127.0.0.1');
    expect(await hostOf(client('http://127.0.0.1:8083'), sync())).toBe('127.0.0.1');
    expect(await hostOf(client('http://127.0.0.1:8083'), test())).toBe('127.0.0.1');
  });

  it('lets client() call TestState and StartSyncExecution on a running server', async () => {
    const env = await serve();
    try {
      const sfn = client(env.server.endpoint);
      expect((await sfn.send(test())).status).toBe('SUCCEEDED');
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'express', type: 'EXPRESS', roleArn: ROLE, definition: PASS }));
      expect((await sfn.send(new StartSyncExecutionCommand({ stateMachineArn }))).status).toBe('SUCCEEDED');
      sfn.destroy();
    } finally {
      await env.stop();
    }
  });

  it('is explained by stepwright serve at start, on standard error, with the fixes for the SDK and the AWS CLI', async () => {
    const { io, text } = streams();
    let stop!: () => void;
    const running = serveCommand(['--port', '0'], io, new Promise<void>((r) => { stop = r; }));
    try {
      await until(async () => text.out, (t) => t.endsWith('\n'));
    } finally {
      stop(); // the server stops whatever the expectations below find; what it printed at start stays
    }
    expect(await running).toBe(0);
    const err = text.err;
    const port = new URL(text.out.trim()).port;

    expect(err).toContain('StartSyncExecution and TestState: the AWS SDKs and the AWS CLI send them to sync-127.0.0.1, which does not resolve.');
    expect(err).toContain(`new SFNClient({ endpoint: 'http://127.0.0.1:${port}', disableHostPrefix: true })`);
    expect(err).toContain(`AWS_DISABLE_HOST_PREFIX_INJECTION=true, or --endpoint-url http://localhost:${port} with '127.0.0.1 sync-localhost' in /etc/hosts`);
    expect(text.out.trim().split('\n')).toEqual([`http://127.0.0.1:${port}`]); // standard output stays machine-readable
  });

  it('names at start the operations of each host prefix the model gives, not a list of its own', () => {
    expect(operationsByHostPrefix()).toEqual(new Map([['sync-', ['StartSyncExecution', 'TestState']]]));
    const byPrefix = operationsByHostPrefix({ StartExecution: 'sync-', StartSyncExecution: 'sync-', TestState: 'sync-', DescribeExecution: 'read-' });
    const hint = syncHostHint('http://127.0.0.1:8083', byPrefix);
    expect(hint).toContain('StartExecution, StartSyncExecution and TestState: the AWS SDKs and the AWS CLI send them to sync-127.0.0.1, which does not resolve.');
    expect(hint).toContain('DescribeExecution: the AWS SDKs and the AWS CLI send it to read-127.0.0.1, which does not resolve.');
    expect(hint).toContain("with '127.0.0.1 sync-localhost' and '127.0.0.1 read-localhost' in /etc/hosts");
    expect(syncHostHint('http://127.0.0.1:8083', new Map())).toBe('');
  });
});
