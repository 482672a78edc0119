import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { consoleApi, deeplyNestedCallback, manyCatchesIntoOne, type ConsoleApi } from './console-helpers';
import { ROLE, serve, until } from '../helpers';

describe('serve console: an execution whose definition render refuses to draw', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  let api: ConsoleApi;
  const get = (route: string) => api.get(route);
  beforeAll(async () => {
    s = await serve({ timeScale: 1000, handlers: { f: () => { throw Object.assign(new Error('no'), { name: 'Nope' }); } } });
    api = await consoleApi(s.server.endpoint);
  });
  afterAll(() => s.stop());

  it('Parallels nested 200 deep: answers status, states, history and visits, says why there is no diagram, and sends the callback', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'deep', definition: deeplyNestedCallback(200), roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const arn = encodeURIComponent(executionArn!);
    const view = await until(() => get(`execution?arn=${arn}`), (v) => v.waiting.length === 1);
    expect(view.execution.status).toBe('RUNNING');
    expect(view.diagram.svg).toBeUndefined();
    expect(view.diagram.refusal).toMatch(/nested 101 Parallel or Map states deep; at most 100 can be drawn/);
    expect(view.overlay).toBeUndefined();
    expect(view.states.find((x: { name: string }) => x.name === 'Level 200')).toMatchObject({ entered: 1 });
    expect(view.waiting[0].state).toBe('Approve');
    expect(view.events.events[0].type).toBe('ExecutionStarted');
    expect((await get(`visits?arn=${arn}&state=Approve`)).visits[0].parentState).toBe('Level 200');
    expect((await api.act({ action: 'success', taskToken: view.waiting[0].token, output: '{"ok":true}' })).status).toBe(200);
    const done = await until(() => get(`execution?arn=${arn}&limit=0`), (v) => v.execution.status !== 'RUNNING');
    expect(done.execution.status).toBe('SUCCEEDED');
  });

  it('a machine too large to lay out: answers with its path read against the graph, and render\'s reason for no diagram', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'wide', definition: manyCatchesIntoOne(400), roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    // 800 states: laid out in a worker thread, which refuses it.
    const view = await until(() => get(`execution?arn=${encodeURIComponent(executionArn!)}`), (v) => v.execution.status !== 'RUNNING' && !v.diagram.pending);
    expect(view.execution).toMatchObject({ status: 'FAILED', error: 'Handled' });
    expect(view.diagram.refusal).toMatch(/^the diagram is too large to lay out/);
    expect(view.states.find((x: { name: string }) => x.name === 'Step 0')).toMatchObject({ entered: 1, failed: true, caught: true });
  });
});
