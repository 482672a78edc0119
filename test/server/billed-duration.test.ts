import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand,
  StartExecutionCommand, StartSyncExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, PASS, ROLE, serve, until } from './helpers';

/** How far the wall clock has jumped: `compileMs` (far more than the run of a Pass) each time serve compiles a machine. */
const mockWall = { skew: 0, compileMs: 600_000 };
const COMPILE_MS = mockWall.compileMs;

jest.mock('../../src/workbench/workflow/engine', () => {
  const actual = jest.requireActual('../../src/workbench/workflow/engine');
  return {
    ...actual,
    WorkflowEngine: class extends actual.WorkflowEngine {
      constructor(...args: any[]) {
        mockWall.skew += mockWall.compileMs;
        super(...args);
      }
    },
  };
});

/**
 * An execution's time, and an EXPRESS execution's billed duration, count the run, not serve's
 * loading and compiling of the machine: that takes longer the busier the machine is (240 ms on a
 * loaded one billed 300 ms where AWS recorded 100). Here each compile moves the wall clock on by
 * COMPILE_MS, and the run of a Pass, whose execution time is about 0, is billed AWS's minimum.
 */
describe('serve: an execution does not count the compile of its machine', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  const now = Date.now.bind(Date);
  beforeAll(async () => {
    jest.spyOn(Date, 'now').mockImplementation(() => now() + mockWall.skew);
    env = await serve();
  });
  afterAll(async () => {
    await env.stop();
    jest.restoreAllMocks();
  });

  async function machine(sfn: SFNClient, name: string, type?: 'EXPRESS'): Promise<string> {
    return (await sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE, type }))).stateMachineArn!;
  }

  it('bills the first StartSyncExecution of a machine for its run only', async () => {
    const arn = await machine(env.sfn, 'slow-compile-sync', 'EXPRESS');
    const before = mockWall.skew;
    const out = await env.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    expect(mockWall.skew).toBe(before + COMPILE_MS); // compiled by this start
    const ran = out.stopDate!.getTime() - out.startDate!.getTime();
    expect(ran).toBeGreaterThanOrEqual(0);
    expect(ran).toBeLessThan(COMPILE_MS);
    expect(out.billingDetails).toEqual({ billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(ran / 100) * 100) });
    expect(out.billingDetails!.billedDurationInMilliseconds).toBeLessThan(COMPILE_MS);
  });

  it("starts a STANDARD execution's history at its startDate, the compile before both", async () => {
    const arn = await machine(env.sfn, 'slow-compile-standard');
    const before = mockWall.skew;
    const { executionArn, startDate } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    expect(mockWall.skew).toBe(before + COMPILE_MS);
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events![0].type).toBe('ExecutionStarted');
    const late = events![0].timestamp!.getTime() - startDate!.getTime();
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(COMPILE_MS);
  });

  it('compiles a child a startExecution Task starts before its startDate: its time counts its run only', async () => {
    const child = await machine(env.sfn, 'slow-compile-child');
    const parent = (await env.sfn.send(new CreateStateMachineCommand({
      name: 'slow-compile-parent',
      roleArn: ROLE,
      definition: asl({ StartAt: 'Start', States: { Start: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, Input: {} }, End: true } } }),
    }))).stateMachineArn!;
    const before = mockWall.skew;
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: parent, input: '{}' }));
    await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(mockWall.skew).toBe(before + 2 * COMPILE_MS); // the parent's compile and the child's
    const [started] = (await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: child }))).executions!;
    const described = await env.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    const ran = described.stopDate!.getTime() - described.startDate!.getTime();
    expect(ran).toBeGreaterThanOrEqual(0);
    expect(ran).toBeLessThan(COMPILE_MS);
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(events![0].timestamp!.getTime() - described.startDate!.getTime()).toBeLessThan(COMPILE_MS);
  });
});
