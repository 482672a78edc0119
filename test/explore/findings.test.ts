import { findingAt, findingOf, machine, pollForeverMachine, replays, runScenario } from './helpers';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { exploreMachine } from '../../src/explore/engine';
import type { ScenarioRunner } from '../../src/explore/runner';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';
import { stopExploreClock } from '../explore-clock';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';

describe('explore findings: unhandled errors', () => {
  it('reports the failure of a Task whose Parameters read the input, with a scenario that fails there', async () => {
    const wf = machine({
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$.message' },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    const { finding, run } = await findingAt(wf, report, 'unhandled-error', 'Send');
    // SQS's model names every error SendMessage raises: the scenario fails with one of them.
    expect(finding.error).toMatch(/^SQS\.\w+Exception$/);
    expect(run).toMatchObject({ status: 'FAILED', error: finding.error });
    expect(run.path).toEqual(['Send']);
  });
});

describe('explore findings: a Task inside a Distributed Map that tolerates failures', () => {
  // A Map Run fails with States.ExceedToleratedFailureThreshold once its failed items pass the
  // threshold; one item that fails is 100% of them (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html).
  const mapOf = (tolerance: Record<string, unknown>, mapCatch?: unknown[]): StateMachineDefinition => ({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.orders',
        ...tolerance,
        ...(mapCatch ? { Catch: mapCatch } : {}),
        End: true,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Charge',
          States: { Charge: { Type: 'Task', Resource: LAMBDA, End: true } },
        },
      },
      ...(mapCatch ? { Recover: { Type: 'Pass', End: true } } : {}),
    },
  } as unknown as StateMachineDefinition);

  it('reports a Task failure that a 5% tolerance lets end the execution, with a run that fails on the threshold', async () => {
    const wf = machine(mapOf({ ToleratedFailurePercentage: 5 }));
    const report = await wf.explore();
    const { finding, run } = await findingAt(wf, report, 'unhandled-error', 'Charge');
    expect(finding.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(finding.message).toMatch(/^unhandled: the execution fails with States\.ExceedToleratedFailureThreshold at state 'Charge' when it fails with \S+ \(the Map around it tolerates/);
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    for (const s of report.scenarios) await replays(wf, s);
  });

  it('reports a Task failure that a count of 0 lets end the execution', async () => {
    const wf = machine(mapOf({ ToleratedFailureCount: 0 }));
    const { finding } = await findingAt(wf, await wf.explore(), 'unhandled-error', 'Charge');
    expect(finding.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('reports none where one failed item stays within the threshold (100%, a count of 1 or more) or the Map catches the threshold error', async () => {
    for (const wf of [
      machine(mapOf({ ToleratedFailurePercentage: 100 })),
      machine(mapOf({ ToleratedFailureCount: 10 })),
      machine(mapOf({ ToleratedFailureCount: 0 }, [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Recover' }])),
    ]) {
      const report = await wf.explore();
      expect(report.findings.filter((f) => f.kind === 'unhandled-error')).toEqual([]);
    }
  });
});

describe('explore findings: a Task that fails the execution before it calls the service', () => {
  it('reports the States.QueryEvaluationError of a JSONata Task after a Catch that passes on only the error output, quoting why', async () => {
    // A Catch without Output passes on {Error, Cause} (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
    // the accountId the Task after it reads is never there, so it is never called and the execution fails there, unhandled.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Charge',
      States: {
        Charge: {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { accountId: '{% $states.input.accountId %}' },
          Catch: [{ ErrorEquals: ['Payment.Declined'], Next: 'Grace' }],
          End: true,
        },
        Grace: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Arguments: { TableName: 'subscriptions', Key: { accountId: { S: '{% $states.input.accountId %}' } }, UpdateExpression: 'SET #s = :g' },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    const { finding, run } = await findingAt(wf, report, 'unhandled-error', 'Grace');
    expect(finding.error).toBe('States.QueryEvaluationError');
    expect(finding.message).toMatch(/^unhandled: the execution fails with States\.QueryEvaluationError at state 'Grace' before it calls the service.*accountId/s);
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(run.path).toEqual(['Charge', 'Grace']);
  });

  it('gives no such finding to a Task a run called, whose own failure is the finding', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Send',
      States: { Send: { Type: 'Task', Resource: LAMBDA, Arguments: { id: '{% $states.input.id %}' }, End: true } },
    });
    const report = await wf.explore();
    const { finding } = findingOf(report, 'unhandled-error', 'Send');
    expect(finding.error).not.toBe('States.QueryEvaluationError');
    expect(report.findings.filter((f) => f.state === 'Send')).toHaveLength(1);
  });
});

describe('explore findings: a Task behind a state that fails on every entry', () => {
  it('proves a Task after a filter that does not parse unreachable, naming the state, its field and States.Runtime, and gives it no finding', async () => {
    const wf = machine({
      StartAt: 'Pick',
      States: {
        Pick: { Type: 'Pass', Parameters: { 'spanish.$': '$.texts[?(@.lang = es)].text' }, Next: 'Store' },
        Store: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$.spanish' }, End: true },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const proof = report.states.unreachable.find((u) => u.state === 'Store');
    expect(proof?.reason).toContain("'Pick' fails with States.Runtime on every entry");
    expect(proof?.reason).toContain("its Parameters.spanish.$ is $.texts[?(@.lang = es)].text, and the filter '@.lang = es' does not parse");
    expect(report.findings.filter((f) => f.state === 'Store')).toEqual([]);
    expect(report.search.complete).toBe(true);
  });

  it('reaches a Task after a filter with a bare word (@.lang == es), which AWS reads as the string', async () => {
    const wf = machine({
      StartAt: 'Pick',
      States: {
        Pick: { Type: 'Pass', Parameters: { 'spanish.$': '$.texts[?(@.lang == es)].text' }, Next: 'Store' },
        Store: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$.spanish' }, End: true },
      },
    });
    const report = await wf.explore();
    expect(report.states.unreachable).toEqual([]);
    expect(report.states.notReached).toEqual([]);
  });


  it('proves a Task after a request-response Task reading $$.Task.Token unreachable: only a callback or .sync Task has a token', async () => {
    const wf = machine({
      StartAt: 'Emit',
      States: {
        Emit: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Detail: { 'TaskToken.$': '$$.Task.Token' }, DetailType: 'd', Source: 's' }] }, Next: 'After' },
        After: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: 'x' }, End: true },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.states.unreachable.map((u) => u.state).sort()).toEqual(['After', 'Emit']);
    expect(report.states.unreachable.find((u) => u.state === 'Emit')?.reason)
      .toBe("'Emit' fails with States.Runtime on every entry, which no Retry or Catch takes: its Parameters.Entries[0].Detail.TaskToken.$ reads $$.Task.Token, "
        + 'and the Context Object holds a Task token only in a callback (.waitForTaskToken) or .sync Task; as runs show: a run explore made: \'Emit\' fails with States.Runtime');
    // The same read in a .sync Task is fine: AWS gives it a token.
    const sync = machine({
      StartAt: 'Start',
      States: { Start: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:c', Input: { 'TaskToken.$': '$$.Task.Token' } }, End: true } },
    });
    expect((await sync.explore()).states.unreachable).toEqual([]);
  });

  it('proves the Next of a Task whose ResultSelector filter does not parse never taken, while its call and Catch are reached', async () => {
    const wf = machine({
      StartAt: 'Detect',
      States: {
        Detect: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:rekognition:detectLabels',
          Parameters: { Image: { S3Object: { Bucket: 'b', Name: 'k' } } },
          ResultSelector: { 'receipt.$': '$.Labels[?(@.Name=Receipt)]' },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Failed' }],
          Next: 'Analyze',
        },
        Analyze: { Type: 'Pass', End: true },
        Failed: { Type: 'Pass', End: true },
      },
    });
    const report = await wf.explore();
    expect(report.states.unreachable).toEqual([{ state: 'Analyze', reason: expect.stringContaining("'Detect' fails with States.Runtime each time it ends well") }]);
    expect(report.transitions.unreachable[0]?.reason).toContain("its ResultSelector.receipt.$ is $.Labels[?(@.Name=Receipt)], and the filter '@.Name=Receipt' does not parse");
    expect(report.catches.reached).toBe(1);
    expect(report.states.notReached).toEqual([]);
    expect(report.search.complete).toBe(true);
  });
});

describe('explore reasons: unknown, with what to give', () => {
  it('says which field the service never returns, and what to give, when a Task inside a Map reads one', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          Items: "{% ['a', 'b'] %}",
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Get Data',
            States: {
              'Get Data': { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Arguments: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child' }, Assign: { count: '{% $states.result.resultCount %}' }, Next: 'Done' },
              'Done': { Type: 'Succeed' },
            },
          },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    const done = report.states.notReached.find((n) => n.state === 'Done');
    expect(done?.reason).toMatch(/^no scenario reached 'Done': 'Get Data' fails with States\.QueryEvaluationError \(.*'\$states\.result\.resultCount'.*\), and explore could not give it what it needs: it needs Task 'Get Data' to answer resultCount, which arn:aws:states:::states:startExecution\.sync:2 never returns: fix what the machine reads, or give --mocks for 'Get Data'/s);
    expect(report.transitions.notReached.find((n) => n.transition === 'Get Data -> Done')?.reason).toMatch(/^'Get Data' fails with States\.QueryEvaluationError .* never returns: fix what the machine reads, or give --mocks for 'Get Data'/s);
    expect(report.search.complete).toBe(false);
  });

  it('proves a Retry never taken when the error it names is one the integration never raises, naming the one it meant', async () => {
    const wf = machine({
      StartAt: 'Get',
      States: {
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 't', Key: { id: { S: 'x' } } },
          Retry: [{ ErrorEquals: ['DynamoDb.ThrottlingException'], MaxAttempts: 2 }],
          End: true,
        },
      },
    });
    const report = await wf.explore();
    // A mock failing with it is refused (States.Runtime): no run can show the Retry taken, and none need be tried.
    expect(report.retries.notReached).toEqual([]);
    expect(report.retries.unreachable).toEqual([{
      retry: 'Get#0',
      reason: expect.stringContaining("'Get' (arn:aws:states:::dynamodb:getItem) never raises DynamoDb.ThrottlingException (did you mean DynamoDB.ThrottlingException?)"),
    }]);
  });

  it('says to give --type EXPRESS when a state splits the execution ARN as an EXPRESS one and fails in a STANDARD run, and the EXPRESS run reaches past it', async () => {
    const definition = {
      StartAt: 'Split',
      States: {
        Split: { Type: 'Pass', Parameters: { 'id.$': "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), 8)" }, Next: 'Send' },
        Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$.id' }, End: true },
      },
    };
    const report = await machine(definition).explore();
    expect(report.states.notReached.find((n) => n.state === 'Split')?.reason)
      .toContain('$$.Execution.Id is the ARN of a STANDARD execution: if the machine is EXPRESS, give --type EXPRESS');
    const express = await Workflow.fromDefinition(definition as StateMachineDefinition, { type: 'EXPRESS' }).explore();
    expect(express.states.notReached).toEqual([]);
  });
});

describe('explore reasons: a later Parallel branch beside one that fails at once', () => {
  // The interpreter runs a Parallel's branches in order, each until it waits: a branch that fails
  // before any waits stops the later ones before they start. Whether AWS enters them is not recorded
  // (docs/fidelity.md), so explore says so instead of asking for an input that cannot help.
  const later = { StartAt: 'C', States: { C: { Type: 'Pass', Next: 'T' }, T: { Type: 'Task', Resource: LAMBDA, End: true } } };
  const parallel = (first: object) => machine({ StartAt: 'P', States: { P: { Type: 'Parallel', End: true, Branches: [first, later] } } });

  it('says, for every state of the later branch, that a branch before it failed before any waited and that AWS\'s order there is not recorded', async () => {
    const report = await parallel({ StartAt: 'X', States: { X: { Type: 'Fail', Error: 'Boom' } } }).explore();
    const reasons = Object.fromEntries(report.states.notReached.map((n) => [n.state, n.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['C', 'T']);
    for (const state of ['C', 'T']) {
      expect(reasons[state]).toBe(`no scenario reached '${state}': unknown: in every run, a branch of Parallel 'P' before this one failed before any branch waited, `
        + 'and the interpreter stops the later branches then, before they start; AWS starts every branch at once, and whether '
        + "it enters 'C' before the failure stops it is not recorded (docs/fidelity.md)");
    }
  });

  it('reaches the later branch when the branch before it waits first, though it then fails', async () => {
    const report = await parallel({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'X' }, X: { Type: 'Fail', Error: 'Boom' } } }).explore();
    expect(report.states.notReached).toEqual([]);
  });
});

describe('explore findings: answers written to fit the service model', () => {
  // Under the default STRICT mock validation, an answer of another type than the service's model
  // fails the run on the Task: a value a Choice needs is written as the model types its field.
  it('reaches a Task behind a Choice on an SDK answer\'s token and list of structures, and finds its failure', async () => {
    const wf = machine({
      StartAt: 'List',
      States: {
        'List': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sfn:listExecutions', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m' }, ResultPath: '$.page', Next: 'More?' },
        'More?': { Type: 'Choice', Choices: [{ Variable: '$.page.NextToken', IsPresent: true, Next: 'Moderate' }], Default: 'Done' },
        'Moderate': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:rekognition:detectModerationLabels',
          Parameters: { Image: { S3Object: { 'Bucket.$': '$.bucket', 'Name.$': '$.key' } } },
          ResultPath: '$.moderation',
          Next: 'Flagged?',
        },
        'Flagged?': { Type: 'Choice', Choices: [{ Variable: '$.moderation.ModerationLabels[0]', IsPresent: true, Next: 'Notify' }], Default: 'Done' },
        'Notify': { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'TopicArn': 'arn:aws:sns:us-east-1:123456789012:t', 'Message.$': '$.key' }, End: true },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const { scenario, run } = await findingAt(wf, report, 'unhandled-error', 'Notify');
    expect(run).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^SNS\./) });
    expect(run.path).toEqual(['List', 'More?', 'Moderate', 'Flagged?', 'Notify']);
    // The token is text and the label a structure, as the models say.
    expect(typeof (scenario.mocks.List as { Return: { NextToken: unknown } }).Return.NextToken).toBe('string');
    const labels = (scenario.mocks.Moderate as { Return: { ModerationLabels: unknown[] } }).Return.ModerationLabels;
    expect(labels[0]).toEqual(expect.any(Object));
  });
});

describe('explore findings: a value written inside the model\'s shape', () => {
  // DynamoDB's Item is a map of AttributeValues: a Choice that wants "Z" somewhere in the item's
  // text gets it as an attribute's S, not as an Item STRICT validation would refuse.
  it('reaches a Task behind a Choice on the text of a DynamoDB item, with the text inside an attribute value', async () => {
    const wf = machine({
      StartAt: 'Read',
      States: {
        'Read': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 't', Key: { id: { S: 'lock' } } },
          ResultSelector: { 'text.$': 'States.JsonToString($.Item)' },
          ResultPath: '$.lock',
          Next: 'Held?',
        },
        'Held?': { Type: 'Choice', Choices: [{ Variable: '$.lock.text', StringMatches: '*Z*', Next: 'Release' }], Default: 'Done' },
        'Release': { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:deleteItem', Parameters: { TableName: 't', Key: { id: { S: 'lock' } } }, End: true },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const { scenario, run } = await findingAt(wf, report, 'unhandled-error', 'Release');
    expect(run.path).toEqual(['Read', 'Held?', 'Release']);
    const item = (scenario.mocks.Read as { Return: { Item: Record<string, unknown> } }).Return.Item;
    expect(Object.values(item)).toContainEqual({ S: expect.stringContaining('Z') });
  });
});

describe('explore findings: unhandled errors, from any run and first', () => {
  it('finds the failure of a Task in a Parallel from a run where no other branch fails first into the Parallel\'s Catch', async () => {
    // Branch A ends in a Fail the Parallel catches when its check passes (as the first run's answers
    // make it): failing 'Record' from that run ends in the Catch, not in a failed execution.
    const wf = machine({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Catch: [{ ErrorEquals: ['Quorum.Met'], Next: 'Done' }],
          Branches: [
            {
              StartAt: 'Vote',
              States: {
                'Vote': { Type: 'Task', Resource: LAMBDA, ResultPath: '$.vote', Next: 'Met?' },
                'Met?': { Type: 'Choice', Choices: [{ Variable: '$.vote.late', IsPresent: false, Next: 'Quorum met' }], Default: 'Wait for others' },
                'Quorum met': { Type: 'Fail', Error: 'Quorum.Met' },
                'Wait for others': { Type: 'Pass', End: true },
              },
            },
            {
              StartAt: 'Record',
              States: { Record: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'TopicArn': 'arn:aws:sns:us-east-1:123456789012:t', 'Message.$': '$.text' }, End: true } },
            },
          ],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const { run } = await findingAt(wf, report, 'unhandled-error', 'Record');
    expect(run.status).toBe('FAILED');
    expect(run.path).toContain('Wait for others');
  });

  it('finds the failure of a Task in a Parallel whose every early run has another branch fail at once, from the later run where no branch fails', async () => {
    // The quorum pattern: each branch counts and fails into the Parallel's Catch once quorum is met.
    // The first runs (quorum 0) all meet it at once, so failing 'Get 2' there ends in the Catch; only
    // the run made for a Default (quorum 1) lets its failure end the execution.
    const branch = (i: number) => ({
      StartAt: `Get ${i}`,
      States: {
        [`Get ${i}`]: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: { id: { S: 'x' } } }, Next: `Count ${i}` },
        [`Count ${i}`]: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.Item.done.L)' }, Next: `Met ${i}?` },
        [`Met ${i}?`]: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEqualsPath: '$$.Execution.Input.quorum', Next: `Quorum met ${i}` }], Default: `Wait ${i}` },
        [`Quorum met ${i}`]: { Type: 'Fail', Error: 'Quorum.Met' },
        [`Wait ${i}`]: { Type: 'Pass', End: true },
      },
    });
    const wf = machine({
      StartAt: 'Log',
      States: {
        Log: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't', Item: { id: { S: 'x' } } }, Next: 'Race' },
        Race: { Type: 'Parallel', Branches: [branch(1), branch(2), branch(3)], Catch: [{ ErrorEquals: ['Quorum.Met'], Next: 'Done' }], Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    for (const state of ['Get 2', 'Get 3']) {
      const { finding, run } = await findingAt(wf, report, 'unhandled-error', state);
      expect(run).toMatchObject({ status: 'FAILED', error: finding.error });
    }
  });

  it('reports the failure of a Task the first run reached even when the budget ends the search before its other goals', async () => {
    const definition = {
      StartAt: 'Charge',
      States: {
        Charge: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$.order' }, ResultPath: '$.sent', Next: 'Kind' },
        Kind: {
          Type: 'Choice',
          Choices: [1, 2, 3, 4, 5, 6].map((n) => ({ Variable: '$.kind', NumericEquals: n, Next: `Kind ${n}` })),
          Default: 'Done',
        },
        ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`Kind ${n}`, { Type: 'Pass', Next: 'Done' }])),
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const inner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
    // Each run takes 1 s of a 5 s budget, whose search share (70%) ends with the fourth run: the first, the
    // runs that repair what it lacked, then one more, which goes to the Task's failure rather than to a Choice rule.
    let t = 0;
    const runner: ScenarioRunner = {
      definition: inner.definition,
      type: inner.type,
      run: async (input, answer, limits, interrupt) => {
        const r = await inner.run(input, answer, limits, interrupt);
        t += 1000;
        return r;
      },
      replay: (input: JsonValue, mocks, childEvents, interrupt) => inner.replay(input, mocks, childEvents, interrupt),
      resultPrefix: (r) => inner.resultPrefix(r),
    };
    const report = await exploreMachine(runner, { budgetSeconds: 5, now: () => t });
    expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget' });
    expect(report.states.reached).toBeLessThan(report.states.total);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'unhandled-error', state: 'Charge', error: expect.stringMatching(/^SQS\./) }));
  });
});

describe('explore findings: loops a fixed answer never ends', () => {
  it('reports a pagination loop on NextToken that runs into the history limit when every page has a next one', async () => {
    const wf = machine({
      StartAt: 'First page',
      States: {
        // A function that lists pages: explore makes its answers up, and a Lambda's payload takes
        // any shape (an aws-sdk answer must have its service's required fields under STRICT).
        'First page': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'list-page' }, ResultSelector: { 'NextToken.$': '$.Payload.NextToken' }, ResultPath: '$.page', Next: 'More?' },
        'Next page': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'list-page', Payload: { 'NextToken.$': '$.page.NextToken' } },
          ResultSelector: { 'NextToken.$': '$.Payload.NextToken' },
          ResultPath: '$.page',
          Next: 'More?',
        },
        'More?': { Type: 'Choice', Choices: [{ Variable: '$.page.NextToken', IsPresent: true, Next: 'Next page' }], Default: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const { finding, scenario } = findingOf(report, 'history-limit');
    expect(finding.message).toMatch(/the loop through .*Next page.* can run until the execution fails at AWS's limit of 25,000 history events/);
    const run = await runScenario(wf, scenario);
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (25000).' });
  });

  it('confirms a loop to the history limit with a run that records where it went, not with what, and finds it as a run with documents would', async () => {
    const inner = new HarnessRunner(Workflow.fromDefinition(pollForeverMachine()), 0);
    const toLimit: Array<{ history: boolean | 'outline' | undefined; events: number; documents: boolean }> = [];
    const runner: ScenarioRunner = {
      definition: inner.definition,
      type: inner.type,
      run: async (input, answer, limits, interrupt, history) => {
        const r = await inner.run(input, answer, limits, interrupt, history);
        if (r.cause?.startsWith('The execution reached the maximum number of history events')) {
          toLimit.push({ history, events: r.history.length, documents: r.history.some((e) => e.stateEnteredEventDetails?.input !== undefined) });
        }
        return r;
      },
      replay: (input: JsonValue, mocks, childEvents, interrupt) => inner.replay(input, mocks, childEvents, interrupt),
      resultPrefix: (r) => inner.resultPrefix(r),
    };
    const report = await exploreMachine(runner, {});
    const { finding, scenario } = findingOf(report, 'history-limit');
    expect(finding.message).toMatch(/the loop through .*Poll.* can run until the execution fails at AWS's limit of 25,000 history events/);
    // Its outcome and where it went are read: the 25,000 events are recorded without their documents, and
    // stand for the report's run of the scenario (test/explore/loop-replay.test.ts).
    expect(toLimit).toEqual([{ history: 'outline', events: 25_000, documents: false }]);
    expect(scenario).toMatchObject({ status: 'FAILED', error: 'States.Runtime', pathLength: expect.any(Number) });
    expect(scenario.covers.states).toEqual(expect.arrayContaining(['Poll', 'Done?']));
  });
});

describe('explore findings: a run cap is not a loop', () => {
  // Explore's budget reads a stopped clock here: the 1,600 cells take seconds of CPU, and this test
  // checks that the search ends by its run caps, which a loaded machine must not turn into a budget cut.
  stopExploreClock();

  it('runs a 40×40 nested Map with no loop to its end: no loop, no unconfirmed scenario, its Retry reached', async () => {
    const wf = machine({
      StartAt: 'Rows',
      States: {
        Rows: {
          Type: 'Map',
          ItemsPath: '$.rows',
          ResultPath: '$.cells',
          End: true,
          ItemProcessor: {
            StartAt: 'Cols',
            States: {
              Cols: {
                Type: 'Map',
                ItemsPath: '$.cols',
                End: true,
                ItemProcessor: {
                  StartAt: 'Cell',
                  States: {
                    Cell: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 2 }], Next: 'Save' },
                    Save: { Type: 'Pass', End: true },
                  },
                },
              },
            },
          },
        },
      },
    });
    const rows = Array.from({ length: 40 }, () => ({ cols: Array.from({ length: 40 }, (_, i) => i) }));
    const report = await wf.explore({ input: { rows } });
    expect(report.findings.filter((f) => f.kind !== 'unhandled-error')).toEqual([]);
    expect(report.retries).toMatchObject({ reached: 1, total: 1 });
    expect(JSON.stringify(report)).not.toMatch(/looped past|never ends/);
  });
});

describe('explore report: no two scenarios alike', () => {
  it('reports one scenario for a callback failure nothing catches, which its goal and its unhandled-error finding both ran, and the finding names it', async () => {
    const wf = machine({
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:Work', TimeoutSeconds: 300, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const keys = report.scenarios.map((s) => JSON.stringify([s.input, s.mocks]));
    expect(new Set(keys).size).toBe(keys.length);
    const { scenario, run } = await findingAt(wf, report, 'unhandled-error', 'Work');
    // The finding's run came first (findings are looked for as soon as a Task is reached): it is the one scenario, and it reaches the goal too.
    expect(scenario.name).toBe("'Work' fails with States.TaskFailed, which nothing handles");
    expect(scenario.covers.callbacks).toContain('Work#failure');
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(report.callbacks).toMatchObject({ reached: 3, total: 3 });
  });
});

describe('explore finds a Task failure nothing handles in a handler reached by a failure it would otherwise repair', () => {
  it('keeps the run that fails with the Task\'s error, rather than repairing the value the Catch before it took', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Try',
      States: {
        Try: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'work', Payload: { id: '{% $states.input.id %}' } }, End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Notify' }],
          End: true,
        },
        Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:ops', Message: 'failed' }, End: true },
      },
    });
    const report = await wf.explore();
    const { finding, scenario } = findingOf(report, 'unhandled-error', 'Notify');
    expect(finding.error).toMatch(/^SNS\./);
    expect(scenario).toMatchObject({ status: 'FAILED', error: finding.error });
    await replays(wf, scenario);
  });
});
