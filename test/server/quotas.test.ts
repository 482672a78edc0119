/*
 * The account's quotas of resources ("Step Functions service quotas", Quotas related to accounts
 * and to task executions): "Maximum number of registered state machines" and "Maximum number of
 * registered activities", 10,000 each by default, and "Maximum number of pollers per Activity ARN",
 * 1,000 GetActivityTask calls. Past them CreateStateMachine answers StateMachineLimitExceeded,
 * CreateActivity ActivityLimitExceeded and GetActivityTask ActivityWorkerLimitExceeded (the model),
 * in the words of the model's documentation of each. The server is given quotas of 2 here, as AWS
 * raises an account's; each answer is checked through @aws-sdk/client-sfn and as raw HTTP.
 */
import * as sdk from '@aws-sdk/client-sfn';
import { errorTypeOf, PASS, raw, ROLE, serve, until } from './helpers';
import { AwsLimits } from '../../src/asl/limits';
import { checkQuota } from '../../src/server/quotas';

const A = 'arn:aws:states:us-east-1:123456789012:';

describe('serve: the quotas of state machines, activities and pollers', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve({ quotas: { stateMachines: 2, activities: 2 } }); });
  afterAll(() => env.stop());

  /** Whether `request` is refused with `error` in `words`, through the SDK and as raw HTTP. */
  async function refused(operation: string, request: Record<string, unknown>, error: string, words: RegExp): Promise<void> {
    const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListActivitiesCommand>)[`${operation}Command`];
    await expect(env.sfn.send(new Command(request))).rejects.toMatchObject({ name: error, message: expect.stringMatching(words) });
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(request) });
    expect([answer.status, errorTypeOf(answer.headers), answer.body.__type]).toEqual([400, error, `com.amazonaws.swf.service.v2.model#${error}`]);
    expect(answer.body.message).toMatch(words);
  }

  it("are AWS's default quotas unless given: 10,000 state machines, 10,000 activities, 1,000 pollers of an activity", () => {
    expect([AwsLimits.STATE_MACHINES, AwsLimits.ACTIVITIES, AwsLimits.ACTIVITY_POLLERS]).toEqual([10_000, 10_000, 1_000]);
    for (const [kind, limit, error] of [['stateMachines', 10_000, 'StateMachineLimitExceeded'], ['activities', 10_000, 'ActivityLimitExceeded'],
      ['activityPollers', 1_000, 'ActivityWorkerLimitExceeded']] as const) {
      expect(() => checkQuota(kind, limit - 1, undefined, 'Region us-east-1')).not.toThrow();
      expect(() => checkQuota(kind, limit, undefined, 'Region us-east-1')).toThrow(expect.objectContaining({ type: error }));
      expect(() => checkQuota(kind, limit, { [kind]: limit + 1 }, 'Region us-east-1')).not.toThrow();
    }
  });

  it('refuses a state machine past the quota with StateMachineLimitExceeded, answers one there is again, and takes one once one is deleted', async () => {
    const { sfn } = env;
    const { stateMachineArn: first } = await sfn.send(new sdk.CreateStateMachineCommand({ name: 'one', definition: PASS, roleArn: ROLE }));
    await sfn.send(new sdk.CreateStateMachineCommand({ name: 'two', definition: PASS, roleArn: ROLE }));
    await refused('CreateStateMachine', { name: 'three', definition: PASS, roleArn: ROLE }, 'StateMachineLimitExceeded',
      /^The maximum number of state machines has been reached\. Existing state machines must be deleted before a new state machine can be created\. Region us-east-1 has 2, .*"Maximum number of registered state machines", 2\)$/);
    await expect(sfn.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: `${A}stateMachine:three` }))).rejects.toBeInstanceOf(sdk.StateMachineDoesNotExist);
    // CreateStateMachine is idempotent: the same request again is the state machine there is.
    expect(await sfn.send(new sdk.CreateStateMachineCommand({ name: 'one', definition: PASS, roleArn: ROLE }))).toMatchObject({ stateMachineArn: first });
    await sfn.send(new sdk.DeleteStateMachineCommand({ stateMachineArn: first }));
    await until(() => sfn.send(new sdk.ListStateMachinesCommand({})), (l) => l.stateMachines!.length === 1);
    await sfn.send(new sdk.CreateStateMachineCommand({ name: 'three', definition: PASS, roleArn: ROLE }));
  });

  it('refuses an activity past the quota with ActivityLimitExceeded, answers one there is again, and takes one once one is deleted', async () => {
    const { sfn } = env;
    const { activityArn: first } = await sfn.send(new sdk.CreateActivityCommand({ name: 'one' }));
    await sfn.send(new sdk.CreateActivityCommand({ name: 'two' }));
    await refused('CreateActivity', { name: 'three' }, 'ActivityLimitExceeded',
      /^The maximum number of activities has been reached\. Existing activities must be deleted before a new activity can be created\. Region us-east-1 has 2, .*"Maximum number of registered activities", 2\)$/);
    expect(await sfn.send(new sdk.CreateActivityCommand({ name: 'one' }))).toMatchObject({ activityArn: first });
    await sfn.send(new sdk.DeleteActivityCommand({ activityArn: first }));
    await sfn.send(new sdk.CreateActivityCommand({ name: 'three' }));
    expect((await sfn.send(new sdk.ListActivitiesCommand({}))).activities!.map((a) => a.name)).toEqual(['two', 'three']);
  });

  it('refuses a GetActivityTask past the pollers one activity may have with ActivityWorkerLimitExceeded; their polls end when it is deleted', async () => {
    const polling = await serve({ quotas: { activityPollers: 2 } });
    try {
      const { sfn } = polling;
      const { activityArn } = await sfn.send(new sdk.CreateActivityCommand({ name: 'polled' }));
      const words = new RegExp('^The maximum number of workers concurrently polling for activity tasks has been reached\\. '
        + `Activity '${activityArn}' has 2, .*"Maximum number of pollers per Activity ARN", 2\\)$`);
      // Three polls at once: whichever arrives third is refused at once, the other two wait.
      const polls = [0, 1, 2].map((i) => sfn.send(new sdk.GetActivityTaskCommand({ activityArn, workerName: `w${i}` })).then(
        (answer) => ({ answer }), (error: unknown) => ({ error: error as sdk.SFNServiceException })));
      const first = await Promise.race(polls);
      expect('error' in first && first.error).toMatchObject({ name: 'ActivityWorkerLimitExceeded', message: expect.stringMatching(words) });
      const answer = await raw(polling.server.endpoint, { target: 'AWSStepFunctions.GetActivityTask', body: JSON.stringify({ activityArn, workerName: 'w3' }) });
      expect([answer.status, errorTypeOf(answer.headers), answer.body.__type])
        .toEqual([400, 'ActivityWorkerLimitExceeded', 'com.amazonaws.swf.service.v2.model#ActivityWorkerLimitExceeded']);
      expect(answer.body.message).toMatch(words);
      // Deleting the activity ends its polls with no task.
      await sfn.send(new sdk.DeleteActivityCommand({ activityArn }));
      const outcomes = await Promise.all(polls);
      expect(outcomes.filter((o) => 'answer' in o).map((o) => 'answer' in o && o.answer.taskToken)).toEqual([undefined, undefined]);
      expect(outcomes.filter((o) => 'error' in o)).toHaveLength(1);
    } finally {
      await polling.stop();
    }
  });
});
