import type { StateMachineDefinition } from '../../src/asl/definition-types';
import type { HistoryEvent } from '../../src/interpreter/history-recorder';
import { Workflow } from '../../src/testing/workflow';
import '../../src/testing/setup';
import { delay, fail } from '../../src/workbench/mocks/answers';

/*
 * A Task mocked as timing out takes the time AWS takes to time it out: AWS raises States.Timeout
 * itself, from the Task's clock, once TimeoutSeconds have passed since the task started (the Task
 * state page of the developer guide, https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html;
 * recorded: LocalStack's timeouts/test_fixed_timeout_service_lambda, a 60 s function under
 * TimeoutSeconds 5 ending TaskStarted, TaskTimedOut). So the TaskTimedOut event, the states
 * after it and the run's duration are that much later, and every bound checked on the virtual
 * clock sees it. The same cases go through `stepwright run`, serve and MCP in test/cases/corpus
 * (mocked-timeout-*).
 */

const INVOKE = 'arn:aws:states:::lambda:invoke';
const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:work';

function task(extra: Record<string, unknown>, resource = INVOKE): StateMachineDefinition {
  const parameters = resource === INVOKE ? { Parameters: { 'FunctionName': 'f', 'Payload.$': '$' } }
    : resource === CALLBACK ? { Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } } } : {};
  return {
    StartAt: 'Call',
    States: {
      Call: { Type: 'Task', Resource: resource, ...parameters, ...extra, Catch: [{ ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], Next: 'Late' }], End: true },
      Late: { Type: 'Pass', End: true },
    },
  } as StateMachineDefinition;
}

/** Seconds from the first event of type `from` to the first of type `to`, on the run's clock. */
function secondsBetween(history: readonly HistoryEvent[], from: string, to: string): number {
  const at = (type: string) => history.find((e) => e.type === type)!.timestamp.getTime();
  return (at(to) - at(from)) / 1000;
}

function seconds(run: { startDate: Date; stopDate: Date }): number {
  return (run.stopDate.getTime() - run.startDate.getTime()) / 1000;
}

describe('a Task mocked as timing out takes its TimeoutSeconds', () => {
  it('a mocked States.Timeout at a Task with TimeoutSeconds 30 times out 30 virtual seconds after the task started', async () => {
    const run = await Workflow.fromDefinition(task({ TimeoutSeconds: 30 })).run({}, { mocks: { Call: fail('States.Timeout') } });
    expect(run.path).toEqual(['Call', 'Late']);
    expect(secondsBetween(run.history, 'TaskStarted', 'TaskTimedOut')).toBe(30);
    expect(seconds(run)).toBe(30);
  });

  it('a TimeoutSecondsPath read from the input sets the time', async () => {
    const run = await Workflow.fromDefinition(task({ TimeoutSecondsPath: '$.limit' })).run({ limit: 45 }, { mocks: { Call: fail('States.Timeout') } });
    expect(secondsBetween(run.history, 'TaskStarted', 'TaskTimedOut')).toBe(45);
  });

  it('a JSONata TimeoutSeconds expression sets the time', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'f', Payload: '{% $states.input %}' }, TimeoutSeconds: '{% $states.input.limit * 2 %}', End: true },
      },
    } as unknown as StateMachineDefinition;
    const run = await Workflow.fromDefinition(definition).run({ limit: 10 }, { mocks: { Call: fail('States.Timeout') } });
    expect([run.status, run.error]).toEqual(['FAILED', 'States.Timeout']);
    expect(seconds(run)).toBe(20);
  });

  it('each retried attempt of a mocked timeout waits its TimeoutSeconds, with the retry intervals between them', async () => {
    const definition = task({ TimeoutSeconds: 30, Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 1 }] });
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: { Call: fail('States.Timeout') } });
    expect(run.attempts('Call').map((a) => [a.secondsSinceStart, a.status])).toEqual([[0, 'TIMED_OUT'], [32, 'TIMED_OUT'], [64, 'TIMED_OUT']]);
    expect(run.history.filter((e) => e.type === 'TaskTimedOut')).toHaveLength(3);
    expect(seconds(run)).toBe(3 * 30 + 2 * 2);
  });

  it('an execution TimeoutSeconds shorter than the Task\'s ends the execution first, as ExecutionTimedOut with no TaskTimedOut', async () => {
    const definition = { ...task({ TimeoutSeconds: 30 }), TimeoutSeconds: 10 } as StateMachineDefinition;
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: { Call: fail('States.Timeout') } });
    expect(run.status).toBe('TIMED_OUT');
    expect(run.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionTimedOut']);
    expect(seconds(run)).toBe(10);
  });

  it('an EXPRESS run whose mocked timeout outlasts its 5 minutes times out at 5 minutes', async () => {
    const run = await Workflow.fromDefinition(task({ TimeoutSeconds: 600 }), { type: 'EXPRESS' }).run({}, { mocks: { Call: fail('States.Timeout') } });
    expect(run.status).toBe('TIMED_OUT');
    expect(seconds(run)).toBe(300);
  });

  it('a Task with no TimeoutSeconds has AWS\'s default of 99,999,999 s, so its mocked timeout outlasts the execution, with advice saying so', async () => {
    const run = await Workflow.fromDefinition(task({})).run({}, { mocks: { Call: fail('States.Timeout') } });
    expect(run.status).toBe('TIMED_OUT');
    expect(seconds(run)).toBe(365 * 24 * 3600);
    expect(run.advice.map((a) => a.message).join('\n')).toMatch(/Call.*no TimeoutSeconds or HeartbeatSeconds.*99999999 seconds/);
  });

  it('a mocked States.HeartbeatTimeout of an activity takes its HeartbeatSeconds', async () => {
    const run = await Workflow.fromDefinition(task({ TimeoutSeconds: 600, HeartbeatSeconds: 20 }, ACTIVITY)).run({}, { mocks: { Call: fail('States.HeartbeatTimeout') } });
    expect(run.history.map((e) => e.type)).toContain('ActivityTimedOut');
    expect(secondsBetween(run.history, 'ActivityStarted', 'ActivityTimedOut')).toBe(20);
  });

  it('a callback Task mocked as timing out submits its work, then times out at its TimeoutSeconds', async () => {
    const run = await Workflow.fromDefinition(task({ TimeoutSeconds: 30 }, CALLBACK)).run({}, { mocks: { Call: fail('States.Timeout') } });
    expect(run.history.map((e) => e.type).slice(2, 6)).toEqual(['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskTimedOut']);
    expect(secondsBetween(run.history, 'TaskStarted', 'TaskTimedOut')).toBe(30);
  });

  it('a callback Task whose mock says it times out after a delay submits its work at once and times out at its TimeoutSeconds, not at the delay\'s end', async () => {
    const run = await Workflow.fromDefinition(task({ TimeoutSeconds: 30 }, CALLBACK)).run({}, { mocks: { Call: delay(5, fail('States.Timeout')) } });
    expect(run.path).toEqual(['Call', 'Late']);
    expect(run.history.map((e) => e.type).slice(2, 6)).toEqual(['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskTimedOut']);
    expect(secondsBetween(run.history, 'TaskStarted', 'TaskSubmitted')).toBe(0);
    expect(secondsBetween(run.history, 'TaskStarted', 'TaskTimedOut')).toBe(30);
    expect(seconds(run)).toBe(30);
  });

  it('a callback Task whose mock says it times out after a delay longer than its TimeoutSeconds times out at its TimeoutSeconds', async () => {
    const run = await Workflow.fromDefinition(task({ TimeoutSeconds: 30 }, CALLBACK)).run({}, { mocks: { Call: delay(100, fail('States.Timeout')) } });
    expect(secondsBetween(run.history, 'TaskStarted', 'TaskTimedOut')).toBe(30);
    expect(seconds(run)).toBe(30);
  });

  // A callback's lapsed heartbeat is States.Timeout on AWS (recorded: LocalStack's test_heartbeats).
  it('a callback Task whose mock says States.HeartbeatTimeout after a delay times out its HeartbeatSeconds after the last heartbeat, with States.Timeout', async () => {
    const definition = task({ TimeoutSeconds: 600, HeartbeatSeconds: 20 }, CALLBACK);
    const early = await Workflow.fromDefinition(definition).run({}, { mocks: { Call: delay(3, fail('States.HeartbeatTimeout')) } });
    expect([early.path, secondsBetween(early.history, 'TaskStarted', 'TaskTimedOut')]).toEqual([['Call', 'Late'], 20]);
    expect(early.history.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails?.error).toBe('States.Timeout');
    const beating = await Workflow.fromDefinition(definition).run({}, { mocks: { Call: delay(15, fail('States.HeartbeatTimeout'), { heartbeats: [10] }) } });
    expect(secondsBetween(beating.history, 'TaskStarted', 'TaskTimedOut')).toBe(30);
  });

  it('a timeout answered after a delay still times out at TimeoutSeconds, not at the delay\'s end', async () => {
    const run = await Workflow.fromDefinition(task({ TimeoutSeconds: 30 })).run({}, { mocks: { Call: delay(5, fail('States.Timeout')) } });
    expect(secondsBetween(run.history, 'TaskStarted', 'TaskTimedOut')).toBe(30);
  });

  it('a branch stopped while its sibling waits out a mocked timeout records nothing more for that Task', async () => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, TimeoutSeconds: 30, End: true } } },
            { StartAt: 'Breaks', States: { Breaks: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'g' }, End: true } } },
          ],
        },
      },
    } as StateMachineDefinition;
    const run = await Workflow.fromDefinition(definition).run({}, { mocks: { Slow: fail('States.Timeout'), Breaks: fail('Boom') } });
    expect([run.status, run.error]).toEqual(['FAILED', 'Boom']);
    expect(run.history.map((e) => e.type)).not.toContain('TaskTimedOut');
    expect(seconds(run)).toBe(0);
  });
});
