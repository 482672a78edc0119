/*
 * The quota of open executions: "Maximum open executions per account: 1,000,000 executions per
 * AWS account in each AWS Region. Exceeding this will cause an ExecutionLimitExceeded error. This
 * quota doesn't apply to Express workflows" (Step Functions service quotas). StartExecution and
 * RedriveExecution declare ExecutionLimitExceeded, "The maximum number of running executions has
 * been reached. Running executions must end or be stopped before a new execution can be started"
 * (API reference). The server is given a quota of 2 here (openExecutionLimit), as AWS raises or
 * lowers an account's; each answer is checked through @aws-sdk/client-sfn and as raw HTTP.
 */
import * as sdk from '@aws-sdk/client-sfn';
import { asl, raw, ROLE, serve, until, errorTypeOf } from './helpers';
import { AwsLimits } from '../../src/asl/limits';

const WAIT = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86_400, End: true } } });
const FAIL = asl({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Broke' } } });
const MESSAGE = 'Execution Limit Exceeded: 2 executions are open, the most this account may have in us-east-1 (Step Functions quota "Maximum open executions per account"); '
  + 'running executions must end or be stopped before a new execution can be started';

describe('serve: the quota of open executions', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve({ openExecutionLimit: 2 }); });
  afterAll(() => env.stop());

  /** Whether `call` is refused with ExecutionLimitExceeded, through the SDK and as raw HTTP. */
  async function refusedForTheQuota(operation: string, request: Record<string, unknown>): Promise<void> {
    const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListActivitiesCommand>)[`${operation}Command`];
    await expect(env.sfn.send(new Command(request))).rejects.toMatchObject({ name: 'ExecutionLimitExceeded', message: MESSAGE });
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(request) });
    expect([answer.status, errorTypeOf(answer.headers), answer.body.__type, answer.body.message])
      .toEqual([400, 'ExecutionLimitExceeded', 'com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded', MESSAGE]);
  }

  it('is AWS\'s default quota unless given', () => {
    expect(AwsLimits.OPEN_EXECUTIONS).toBe(1_000_000);
  });

  it('refuses a start and a redrive past it, not an EXPRESS start, and takes them again once one ends', async () => {
    const { sfn } = env;
    const { stateMachineArn: waits } = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'waits', definition: WAIT, roleArn: ROLE }));
    const { stateMachineArn: fails } = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'fails', definition: FAIL, roleArn: ROLE }));
    const { stateMachineArn: express } = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'quick', type: 'EXPRESS', definition: WAIT, roleArn: ROLE }));
    const { executionArn: failed } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: fails! }));
    await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn: failed! })), (d) => d.status === 'FAILED');

    const { executionArn: first } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: waits!, name: 'first' }));
    await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: waits!, name: 'second' }));
    await refusedForTheQuota('StartExecution', { stateMachineArn: waits!, name: 'third' });
    await refusedForTheQuota('RedriveExecution', { executionArn: failed! });
    // Nothing was started or redriven by the refusals.
    await expect(sfn.send(new sdk.DescribeExecutionCommand({ executionArn: `${first!.slice(0, first!.lastIndexOf(':'))}:third` }))).rejects.toBeInstanceOf(sdk.ExecutionDoesNotExist);
    expect(await sfn.send(new sdk.DescribeExecutionCommand({ executionArn: failed! }))).toMatchObject({ status: 'FAILED', redriveCount: 0 });
    // The same start again is the running execution, not a new one: StartExecution is idempotent.
    expect(await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: waits!, name: 'first' }))).toMatchObject({ executionArn: first });
    // EXPRESS executions are not counted.
    await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: express! }));

    await sfn.send(new sdk.StopExecutionCommand({ executionArn: first! }));
    await sfn.send(new sdk.RedriveExecutionCommand({ executionArn: failed! }));
    await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn: failed! })), (d) => d.status === 'FAILED' && d.redriveCount === 1);
    await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: waits!, name: 'third' }));
    await refusedForTheQuota('StartExecution', { stateMachineArn: waits!, name: 'fourth' });
  });
});
