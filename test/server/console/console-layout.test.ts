import * as http from 'node:http';
import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { consoleApi, type ConsoleApi } from './console-helpers';
import { asl, ROLE, serve, until } from '../helpers';

/** A chain of `count` Pass states. */
function chain(count: number): string {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) states[`s${i}`] = i === count - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `s${i + 1}` };
  return asl({ StartAt: 's0', States: states });
}

/** The `change` events of a console live stream, as they come. */
function changes(url: string): { readonly seen: string[]; close(): void } {
  const seen: string[] = [];
  const req = http.get(url, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => { for (const m of chunk.matchAll(/event: change\ndata: (.*)\n/g)) seen.push(m[1]); });
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  return { seen, close: () => req.destroy() };
}

describe('serve console: the diagram of a large definition', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  let api: ConsoleApi;
  const get = (route: string) => api.get(route);
  beforeAll(async () => {
    s = await serve();
    api = await consoleApi(s.server.endpoint);
  });
  afterAll(() => s.stop());

  it('is laid out in a worker thread: the first view answers at once without it, the live view says when it is ready, and the next view has it', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'long-chain', definition: chain(400), roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const arn = encodeURIComponent(executionArn!);
    await until(() => get(`executions?machine=${encodeURIComponent(stateMachineArn!)}&status=RUNNING`), (p) => p.total === 0);
    const first = await get(`execution?arn=${arn}&limit=0`);
    expect(first.execution.status).toBe('SUCCEEDED');
    expect(first.diagram).toEqual({ id: expect.any(Number), pending: true });
    expect(first.states.find((x: { name: string }) => x.name === 's399')).toMatchObject({ entered: 1 });
    const stream = changes(`${s.server.endpoint}/console/api/watch?arn=${arn}&token=${api.token}`);
    try {
      // One change on connecting, one when the layout is done (the execution itself has ended).
      await until(async () => stream.seen.length, (n) => n >= 2);
      const ready = await get(`execution?arn=${arn}&limit=0`);
      expect(ready.diagram.pending).toBeUndefined();
      expect(ready.diagram.svg).toContain('data-state="s399"');
      expect(ready.overlay.visited).toHaveLength(400);
    } finally {
      stream.close();
    }
  });
});
