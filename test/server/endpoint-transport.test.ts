import * as net from 'node:net';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import { kill9, spawnServer } from './processes';
import { withoutNodeVersionWarning } from '../../src/workbench/mocks/endpoint-clients';

/**
 * A Lambda endpoint as fakes written for Step Functions Local are: a raw socket
 * answering each request with `answer` (bare LF line endings, no Content-Length)
 * and closing; it keeps each request's first line.
 */
async function rawEndpoint(answer: string): Promise<{ url: string; requestLines: string[]; close(): Promise<void> }> {
  const requestLines: string[] = [];
  const server = net.createServer((socket) => {
    let seen = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      seen = Buffer.concat([seen, d]);
      const text = seen.toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, head))?.[1] ?? 0);
      if (seen.length < head + 4 + length) return;
      requestLines.push(text.slice(0, text.indexOf('\r\n')));
      socket.end(answer);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requestLines, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:charge';

describe('serve: what a Lambda endpoint written for Step Functions Local gets and answers', () => {
  it('accepts an answer with bare LF line endings (HTTP/1.1 200 OK\\n\\n{…}), as Step Functions Local does', async () => {
    const lambda = await rawEndpoint('HTTP/1.1 200 OK\n\n{"charged":true}');
    const env = await serve({ endpoints: { lambda: lambda.url } });
    try {
      const definition = asl({ StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: FN, End: true } } });
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'lf', definition, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const d = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":true}' });
    } finally {
      await env.stop();
      await lambda.close();
    }
  });

  /** The request line the Lambda endpoint got for each Task, run in order through serve, one per function ARN Resource. */
  async function requestLines(name: string, resources: readonly string[]): Promise<string[]> {
    const lambda = await rawEndpoint('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    const env = await serve({ endpoints: { lambda: lambda.url } });
    try {
      const states = Object.fromEntries(resources.map((resource, i) => [`S${i}`, { Type: 'Task', Resource: resource, ...(i + 1 < resources.length ? { Next: `S${i + 1}` } : { End: true }) }]));
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name, definition: asl({ StartAt: 'S0', States: states }), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const d = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d.status).toBe('SUCCEEDED');
      return lambda.requestLines;
    } finally {
      await env.stop();
      await lambda.close();
    }
  }

  it('sends a function ARN Resource as Step Functions Local does: the function name in the Invoke path, a qualifier as Qualifier', async () => {
    expect(await requestLines('names', [FN, `${FN}:live`])).toEqual([
      'POST /2015-03-31/functions/charge/invocations HTTP/1.1',
      'POST /2015-03-31/functions/charge/invocations?Qualifier=live HTTP/1.1',
    ]);
  });

  // Lambda's Invoke takes names of letters, digits, `-`, `_` and `.` (NamespacedFunctionName, Lambda API
  // Reference, Invoke); pytest-stepfunctions names its fakes `tasks.list_items`. Step Functions Local sends the name.
  it('sends a function name with a dot by name, its qualifier as Qualifier, as Step Functions Local does', async () => {
    const dotted = 'arn:aws:lambda:us-east-1:123456789012:function:tasks.list_items';
    expect(await requestLines('dotted', [dotted, `${dotted}:live`, `${dotted}:$LATEST`])).toEqual([
      'POST /2015-03-31/functions/tasks.list_items/invocations HTTP/1.1',
      'POST /2015-03-31/functions/tasks.list_items/invocations?Qualifier=live HTTP/1.1',
      'POST /2015-03-31/functions/tasks.list_items/invocations?Qualifier=%24LATEST HTTP/1.1',
    ]);
  });
});

describe('serve: its log keeps to its own lines', () => {
  it('does not print the AWS SDK\'s NodeVersionSupportWarning when it calls a Lambda endpoint', async () => {
    const lambda = await rawEndpoint('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    const child = await spawnServer(undefined, { args: ['--endpoint', `lambda=${lambda.url}`], env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' } });
    try {
      const definition = asl({ StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, End: true } } });
      const { stateMachineArn } = await child.sfn.send(new CreateStateMachineCommand({ name: 'quiet', definition, roleArn: ROLE }));
      const { executionArn } = await child.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const d = await until(() => child.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d.status).toBe('SUCCEEDED');
      expect(lambda.requestLines).toHaveLength(1);
      expect(child.stderr.join('')).not.toContain('NodeVersionSupportWarning');
    } finally {
      await kill9(child);
      await lambda.close();
    }
  });

  it('leaves every other warning emitted while it makes an SDK client', () => {
    const emitted: string[] = [];
    const saved = process.emitWarning;
    process.emitWarning = ((w: string | Error) => { emitted.push(String(w)); }) as typeof process.emitWarning;
    try {
      const made = withoutNodeVersionWarning(() => {
        process.emitWarning('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3) ...');
        process.emitWarning('SomethingElse: keep me');
        return 42;
      });
      expect(made).toBe(42);
      process.emitWarning('after: keep me too');
    } finally {
      process.emitWarning = saved;
    }
    expect(emitted).toEqual(['SomethingElse: keep me', 'after: keep me too']);
  });
});
