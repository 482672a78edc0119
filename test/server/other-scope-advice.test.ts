import * as sdk from '@aws-sdk/client-sfn';
import { PASS, raw, ROLE, serve } from './helpers';

/*
 * A request naming a Step Functions resource of another region or account than serve's (its
 * --region and --account) is answered as one serve does not have, and serve's log says why, once
 * for each region and account: AWS's answer to such an ARN is not recorded, and the usual cause
 * is a client or template building ARNs for another region than serve was started with.
 */
describe('serve: an ARN of another region or account', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  const advice = (): string[] => env.logs.filter((l) => l.startsWith('advice:'));
  beforeEach(async () => {
    env = await serve({ region: 'eu-west-1', account: '111122223333' });
    await env.sfn.send(new sdk.CreateStateMachineCommand({ name: 'm', definition: PASS, roleArn: ROLE }));
  });
  afterEach(() => env.stop());

  it('answers a state machine of another region as one it does not have, and advises once, naming the region and the fix', async () => {
    const arn = 'arn:aws:states:us-east-1:111122223333:stateMachine:m';
    const described = env.sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: arn }));
    await expect(described).rejects.toThrow(`State Machine Does Not Exist: '${arn}'`);
    await expect(env.sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: arn }))).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
    expect(advice()).toEqual([
      `advice: DescribeStateMachine: stateMachineArn '${arn}' names region us-east-1, but serve holds the resources of region eu-west-1 and account `
      + '111122223333 (--region, --account): it answers as for a resource it does not have, and AWS\'s answer to an ARN of another region or account '
      + 'is not recorded; build the ARN in region eu-west-1 and account 111122223333, or start serve with --region us-east-1',
    ]);
  });

  it('advises on an execution of another account, naming the account', async () => {
    const arn = 'arn:aws:states:eu-west-1:999999999999:execution:m:e';
    const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.DescribeExecution', body: JSON.stringify({ executionArn: arn }) });
    expect(answer.body.__type).toMatch(/#ExecutionDoesNotExist$/);
    expect(advice()).toEqual([expect.stringContaining(`advice: DescribeExecution: executionArn '${arn}' names account 999999999999, but serve holds`)]);
    expect(advice()[0]).toContain('or start serve with --account 999999999999');
  });

  it('gives no advice for an ARN of its own region and account, nor for a role\'s or what is not a Step Functions ARN', async () => {
    await env.sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:m' }));
    await env.sfn.send(new sdk.UpdateStateMachineCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:m', roleArn: ROLE }));
    await expect(env.sfn.send(new sdk.DescribeActivityCommand({ activityArn: 'arn:aws:lambda:us-east-1:111122223333:function:f' }))).rejects.toBeInstanceOf(sdk.InvalidArn);
    expect(advice()).toEqual([]);
  });
});
