import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { consoleToken } from './console-helpers';
import { padLoop, raw, ROLE, until } from '../helpers';
import { kill9, spawnServer, type Child } from '../processes';

/**
 * A loop of 1,000 rounds carrying a 200 KiB input: 4,004 events, each state's input or output
 * the 200 KiB. In memory the history holds the string once (the interpreter keeps payloads by
 * reference); written out, each event is 200 KiB, 800 MB in all.
 */
const LOOP = padLoop(1000);
const INPUT = JSON.stringify({ pad: 'x'.repeat(200 * 1024), i: 0 });
/** A heap that cannot hold one such history written out. */
const SMALL_HEAP = ['--max-old-space-size=512'];

describe('serve console: two executions of 4,004 events carrying 200 KiB, in a server with a 512 MB heap', () => {
  let server: Child;
  let token: string;
  const arns: string[] = [];

  const get = async (route: string): Promise<{ status: number; body: Record<string, any> }> => {
    const answer = await raw(`${server.endpoint}/console/api/${route}`, { method: 'GET', body: '', headers: { 'x-stepwright-console-token': token } });
    return { status: answer.status, body: answer.body };
  };
  /** The server lives and answers the API. */
  const alive = async (sfn: SFNClient): Promise<void> => {
    expect(server.process.exitCode).toBeNull();
    expect(server.process.signalCode).toBeNull();
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arns[0] }))).status).toBe('SUCCEEDED');
  };

  beforeAll(async () => {
    server = await spawnServer(undefined, { node: SMALL_HEAP });
    token = await consoleToken(server.endpoint);
    const { stateMachineArn } = await server.sfn.send(new CreateStateMachineCommand({ name: 'loop', definition: LOOP, roleArn: ROLE }));
    for (const name of ['a', 'b']) arns.push((await server.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: INPUT }))).executionArn!);
    for (const executionArn of arns) {
      const done = await until(() => server.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 60_000);
      expect(done.status).toBe('SUCCEEDED');
    }
  }, 120_000);
  afterAll(async () => {
    if (server) await kill9(server);
  });

  it('opens the execution: status, diagram, states and a first page that ends at 8 MiB of payloads', async () => {
    const { status, body } = await get(`execution?arn=${encodeURIComponent(arns[0])}&limit=5000`);
    expect(status).toBe(200);
    expect(body.execution.status).toBe('SUCCEEDED');
    expect(body.eventCount).toBe(4004);
    expect(body.states.find((s: { name: string }) => s.name === 'Step')).toMatchObject({ entered: 1000 });
    expect(body.events).toMatchObject({ offset: 0, stopped: 'page-bytes', total: 4004 });
    // 40 events of 200 KiB make 8 MiB.
    expect(body.events.events.length).toBeLessThanOrEqual(42);
    expect(body.events.next).toBe(body.events.events.length);
    await alive(server.sfn);
  });

  it('sends each page of limit=5000 within 8 MiB of payloads, saying where the next starts, to the end', async () => {
    const page = async (offset: number): Promise<Record<string, any>> => {
      const { status, body } = await get(`events?arn=${encodeURIComponent(arns[0])}&offset=${offset}&limit=5000`);
      expect(status).toBe(200);
      expect(body.events[0].id).toBe(offset + 1);
      expect(body.next).toBe(offset + body.events.length);
      return body;
    };
    const first = await page(0);
    const second = await page(first.next);
    expect(second).toMatchObject({ stopped: 'page-bytes', total: 4004 });
    expect(second.events.length).toBeLessThanOrEqual(42);
    const last = await page(3990);
    expect(last.next).toBe(4004);
    expect(last.stopped).toBeUndefined();
    expect(last.events.map((e: { type: string }) => e.type).slice(-1)).toEqual(['ExecutionSucceeded']);
    await alive(server.sfn);
  });

  it('searches the whole history a budget at a time, saying where each request stopped, and finds what is at its end', async () => {
    const found: number[] = [];
    const stops = new Set<string>();
    let requests = 0;
    for (let offset = 0; offset < 4004; requests++) {
      const { status, body } = await get(`events?arn=${encodeURIComponent(arns[0])}&q=SucceedStateEntered&offset=${offset}`);
      expect(status).toBe(200);
      expect(body.searched.bytes).toBeLessThanOrEqual(32 * 1024 * 1024 + 2 * 256 * 1024);
      if (body.stopped) stops.add(body.stopped);
      found.push(...body.events.map((e: { id: number }) => e.id));
      offset = body.next;
    }
    expect(found).toEqual([4002]);
    // 800 MB of text, read 32 MiB at a time.
    expect([...stops]).toEqual(['search-bytes']);
    expect(requests).toBeGreaterThanOrEqual(20);
    await alive(server.sfn);
  }, 120_000);

  it('shows the 1,000 visits of a state, the first 200 with their payloads while they fit in 8 MiB', async () => {
    const { status, body } = await get(`visits?arn=${encodeURIComponent(arns[0])}&state=Step`);
    expect(status).toBe(200);
    expect(body.total).toBe(1000);
    expect(body.visits).toHaveLength(200);
    expect(JSON.parse(body.visits[0].input)).toEqual(JSON.parse(INPUT));
    expect(body.visits[199].payloadsLeftOut).toBe(true);
    await alive(server.sfn);
  });

  it('compares the two executions: the same path, outcome and output', async () => {
    const { status, body } = await get(`compare?a=${encodeURIComponent(arns[0])}&b=${encodeURIComponent(arns[1])}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ equal: true, differences: [] });
    await alive(server.sfn);
  });
});
