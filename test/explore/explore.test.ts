import { findingOf, machine, reaching, replays, runScenario } from './helpers';
import { exploreMachine } from '../../src/explore/engine';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const INVOKE = 'arn:aws:states:::lambda:invoke';

/** A machine of one Map state, `name` (with `fields`: ItemsPath, ItemBatcher, …), that runs `processor` on each item; `top`: the machine's own fields. */
const mapMachine = (fields: object, processor: object, name = 'Each', top: object = {}) =>
  machine({ ...top, StartAt: name, States: { [name]: { Type: 'Map', ...fields, End: true, ItemProcessor: processor } } });

/** The item processor's ProcessorConfig that runs each item as a DISTRIBUTED Map's child execution. */
const DISTRIBUTED = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };

/**
 * States of a Choice `name` whose one `rule` leads to the Pass state `taken`, its Default to the Pass
 * state `otherwise` (both end), started by the states `first` (whose first is the start) when given.
 */
const choosing = (name: string, rule: object, taken: string, otherwise: string, first: Record<string, object> = {}) => ({
  StartAt: Object.keys(first)[0] ?? name,
  States: {
    ...first,
    [name]: { Type: 'Choice', Choices: [{ ...rule, Next: taken }], Default: otherwise },
    [taken]: { Type: 'Pass', End: true },
    [otherwise]: { Type: 'Pass', End: true },
  },
});

describe('explore: Choice rules', () => {
  const numbers = machine({
    StartAt: 'Check',
    States: {
      Check: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.order.total', NumericGreaterThan: 100, Next: 'Review' },
          { Variable: '$.order.total', NumericLessThan: 0, Next: 'Refund' },
        ],
        Default: 'Ship',
      },
      Review: { Type: 'Succeed' },
      Refund: { Type: 'Succeed' },
      Ship: { Type: 'Succeed' },
    },
  });

  it('takes each rule of a Choice on a number from the input, and its Default', async () => {
    const report = await numbers.explore();
    expect(report.choiceRules).toMatchObject({ reached: 3, total: 3, unreachable: [], notReached: [] });
    expect((reaching(report, 'choiceRules', 'Check#0').input as any).order.total).toBeGreaterThan(100);
    expect((reaching(report, 'choiceRules', 'Check#1').input as any).order.total).toBeLessThan(0);
    const byDefault = reaching(report, 'choiceRules', 'Check#default').input as any;
    expect(byDefault.order.total >= 0 && byDefault.order.total <= 100).toBe(true);
    expect(report.states).toMatchObject({ reached: 4, total: 4 });
    for (const s of report.scenarios) await replays(numbers, s, { output: true });
  });

  it('takes a rule on a Task result field that reaches the Choice through ResultSelector and ResultPath', async () => {
    const wf = machine({
      StartAt: 'Charge',
      States: {
        'Charge': {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
          ResultSelector: { 'outcome.$': '$.Payload.status' },
          ResultPath: '$.charge',
          Next: 'Paid?',
        },
        'Paid?': { Type: 'Choice', Choices: [{ Variable: '$.charge.outcome', StringEquals: 'PAID', Next: 'Ship' }], Default: 'Cancel' },
        'Ship': { Type: 'Succeed' },
        'Cancel': { Type: 'Fail', Error: 'Unpaid' },
      },
    });
    const report = await wf.explore();
    const paid = reaching(report, 'choiceRules', 'Paid?#0');
    // The answer is the function's return value: the harness puts it in the invoke envelope's Payload.
    expect(paid.mocks).toEqual({ Charge: { Return: { status: 'PAID' } } });
    expect(paid.path).toEqual(['Charge', 'Paid?', 'Ship']);
    expect(reaching(report, 'choiceRules', 'Paid?#default').status).toBe('FAILED');
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('takes a rule on a variable that an earlier state assigned from its Task result', async () => {
    const wf = machine({
      StartAt: 'Lookup',
      States: {
        'Lookup': { Type: 'Task', Resource: LAMBDA, Assign: { 'tier.$': '$.customer.tier' }, ResultPath: null, Next: 'Gold?' },
        'Gold?': { Type: 'Choice', Choices: [{ Variable: '$tier', StringEquals: 'gold', Next: 'Upgrade' }], Default: 'Plain' },
        'Upgrade': { Type: 'Succeed' },
        'Plain': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(reaching(report, 'choiceRules', 'Gold?#0').mocks).toEqual({ Lookup: { Return: { customer: { tier: 'gold' } } } });
    expect(report.choiceRules.reached).toBe(2);
  });

  it('follows a value through Pass Parameters, InputPath and OutputPath to the input field it comes from', async () => {
    const wf = machine({
      StartAt: 'Shape',
      States: {
        'Shape': { Type: 'Pass', InputPath: '$.request', Parameters: { 'wanted.$': '$.qty' }, ResultPath: '$.shaped', OutputPath: '$.shaped', Next: 'Many?' },
        'Many?': { Type: 'Choice', Choices: [{ Variable: '$.wanted', NumericGreaterThanEquals: 5, Next: 'Bulk' }], Default: 'Single' },
        'Bulk': { Type: 'Succeed' },
        'Single': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect((reaching(report, 'choiceRules', 'Many?#0').input as any).request.qty).toBeGreaterThanOrEqual(5);
    expect(report.choiceRules.notReached).toEqual([]);
  });

  it('steers a value an intrinsic function computes through the field it reads', async () => {
    const wf = machine({
      StartAt: 'Count',
      States: {
        'Count': { Type: 'Pass', Parameters: { 'next.$': 'States.MathAdd($.attempt, 1)' }, Next: 'Last?' },
        'Last?': { Type: 'Choice', Choices: [{ Variable: '$.next', NumericEquals: 3, Next: 'GiveUp' }], Default: 'Again' },
        'GiveUp': { Type: 'Succeed' },
        'Again': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(reaching(report, 'choiceRules', 'Last?#0').input).toEqual({ attempt: 2 });
  });

  it('gives a field split by an intrinsic function the parts the items it takes need', async () => {
    const wf = machine({
      StartAt: 'Parse',
      States: {
        Parse: { Type: 'Pass', Parameters: { 'region.$': "States.ArrayGetItem(States.StringSplit($.arn, ':'), 3)" }, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 2, total: 2 });
    const arn = (report.scenarios[0].input as { arn: string }).arn;
    expect(arn.split(':').length).toBeGreaterThanOrEqual(4);
  });

  it('finds a JSONata Condition by guided search over the fields it reads', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Route',
      States: {
        Route: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.score >= 700 and $states.input.country = "NL" %}', Next: 'Approve' }], Default: 'Decline' },
        Approve: { Type: 'Succeed' },
        Decline: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const approve = reaching(report, 'choiceRules', 'Route#0').input as any;
    expect(approve.score).toBeGreaterThanOrEqual(700);
    expect(approve.country).toBe('NL');
    expect(report.choiceRules.reached).toBe(2);
  });

  it('proves a state unreachable when the rules leading to it contradict each other, and says which', async () => {
    const wf = machine({
      StartAt: 'Check',
      States: {
        Check: {
          Type: 'Choice',
          Choices: [{ And: [{ Variable: '$.n', NumericGreaterThan: 10 }, { Variable: '$.n', NumericLessThan: 5 }], Next: 'Never' }],
          Default: 'Done',
        },
        Never: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.unreachable).toEqual([{ state: 'Never', reason: expect.stringMatching(/^every way into it is closed: Check#0: .*> 10.*< 5/) }]);
    expect(report.choiceRules.unreachable).toEqual([{ rule: 'Check#0', reason: expect.stringContaining('$.n') }]);
    expect(report.transitions.unreachable.map((t) => t.transition).sort()).toEqual(['Check -> Never', 'Never -> Done']);
    expect(report.states.notReached).toEqual([]);
  });
});

describe('explore: Task outcomes', () => {
  const charge = machine({
    StartAt: 'Charge',
    States: {
      Charge: {
        Type: 'Task',
        Resource: LAMBDA,
        Next: 'Done',
        Retry: [{ ErrorEquals: ['Throttled'], MaxAttempts: 2, IntervalSeconds: 1 }],
        Catch: [{ ErrorEquals: ['Payment.Declined'], Next: 'Declined', ResultPath: '$.error' }],
      },
      Declined: { Type: 'Fail', Error: 'Declined' },
      Done: { Type: 'Succeed' },
    },
  });

  it('proves a state fails on every entry when a path its Parameters read is never in the Result a Pass state hands it, and what only it leads to unreachable', async () => {
    const report = await machine({
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Result: { bar: 'x' }, Next: 'Put' },
        Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { Item: { Flag: { 'BOOL.$': '$.foo' } }, TableName: 't' }, Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't' }, Retry: [{ ErrorEquals: ['States.ALL'] }], End: true },
      },
    }).explore();
    const why = '\'Put\' fails with States.Runtime on every entry, which no Retry or Catch takes: its Parameters.Item.Flag.BOOL.$ reads $.foo, '
      + 'which its input never holds: it is always {"bar":"x"} (the Result of Pass state \'Start\')';
    // 'Put' is entered, but a run that fails on entry does not reach it.
    expect(report.states).toMatchObject({
      reached: 1,
      total: 3,
      notReached: [],
      // The state's own reason names the run that shows it; what it closes keeps the proof's words.
      unreachable: [{ state: 'Put', reason: `${why}; as runs show: a run explore made: 'Put' fails with States.Runtime` }, { state: 'Get', reason: `every way into it is closed: ${why}` }],
    });
    expect(report.transitions.unreachable).toEqual([{ transition: 'Put -> Get', reason: why }]);
    expect(report.retries.unreachable).toEqual([{ retry: 'Get#0', reason: 'state \'Get\' is unreachable' }]);
    expect(report.scenarios.map((s) => s.error)).toEqual(['States.Runtime']);
  });

  it('proves a state fails on every entry when it reads a field the invoke envelope of every lambda:invoke Task before it lacks', async () => {
    const task = (next: string) => ({ Type: 'Task', Resource: INVOKE, Parameters: { 'FunctionName': 'f', 'Payload.$': '$' }, Next: next });
    const report = await machine({
      StartAt: 'Kind?',
      States: {
        'Kind?': { Type: 'Choice', Choices: [{ Variable: '$.pdf', BooleanEquals: true, Next: 'Pdf' }], Default: 'Text' },
        'Pdf': task('Head'),
        'Text': task('Head'),
        'Head': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:headObject', Parameters: { 'Bucket.$': '$.Bucket', 'Key.$': '$.Payload.key' }, Next: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    }).explore();
    expect(report.states.unreachable).toEqual([{
      state: 'Head',
      reason: '\'Head\' fails with States.Runtime on every entry, which no Retry or Catch takes: its Parameters.Bucket.$ reads $.Bucket, '
        + 'which its input never holds: it is always the result of the lambda:invoke Task \'Pdf\' or \'Text\': the invoke envelope, '
        + 'whose fields are ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode; as runs show: a run explore made: \'Head\' fails with States.Runtime',
    }, {
      state: 'Done',
      reason: 'every way into it is closed: \'Head\' fails with States.Runtime on every entry, which no Retry or Catch takes: its Parameters.Bucket.$ reads $.Bucket, '
        + 'which its input never holds: it is always the result of the lambda:invoke Task \'Pdf\' or \'Text\': the invoke envelope, '
        + 'whose fields are ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode',
    }]);
    expect(report.states.reached).toBe(3);
  });

  it('claims no state fails on every entry when a way into it is not fixed: a Catch, the execution input, or a field the envelope has', async () => {
    const envelope = await machine({
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, Next: 'Use' },
        Use: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'Message.$': '$.Payload.text' }, End: true },
      },
    }).explore();
    expect(envelope.states).toMatchObject({ reached: 2, total: 2, unreachable: [] });
    const caught = await machine({
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Result: { bar: 'x' }, Next: 'Try' },
        // Its result (the invoke envelope) has no Error, but the error output a Catch hands on has.
        Try: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Use' }], Next: 'Use' },
        Use: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'Message.$': '$.Error' }, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    }).explore();
    expect(caught.states.unreachable).toEqual([]);
    expect(caught.states.reached).toBe(4);
    const first = await machine({
      StartAt: 'Use',
      States: { Use: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'Message.$': '$.text' }, Next: 'Done' }, Done: { Type: 'Succeed' } },
    }).explore();
    expect(first.states).toMatchObject({ reached: 2, unreachable: [] });
  });

  it('takes a Retry with an error its ErrorEquals names, then lets the Task succeed', async () => {
    const report = await charge.explore();
    const retried = reaching(report, 'retries', 'Charge#0');
    expect(retried.mocks).toEqual({ Charge: [{ Throw: { Error: 'Throttled', Cause: expect.any(String) } }, { Return: {} }] });
    expect(retried.status).toBe('SUCCEEDED');
    expect(report.retries).toMatchObject({ reached: 1, total: 1 });
  });

  it('reaches a Retry of States.ALL with a run whose next attempt succeeds, not only with the unhandled failure that uses it up', async () => {
    // The run that fails every attempt ends as it would with no Retry (a test of it passes on a machine without it).
    const refund = { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'refund' }, Next: 'Release' };
    const wf = machine({
      StartAt: 'Refund',
      States: { Refund: { ...refund, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 5 }] }, Release: { Type: 'Succeed' } },
    });
    const report = await wf.explore();
    const retried = reaching(report, 'retries', 'Refund#0');
    expect(retried.status).toBe('SUCCEEDED');
    expect(retried.path).toEqual(['Refund', 'Release']);
    for (const s of report.scenarios) await replays(wf, s);
    // The test written from it fails on the machine without the Retry.
    const without = await runScenario(machine({ StartAt: 'Refund', States: { Refund: refund, Release: { Type: 'Succeed' } } }), retried);
    expect(without.status).toBe('FAILED');
  });

  it('takes a Catch with the error it names, failing every attempt the Retry makes', async () => {
    const report = await charge.explore();
    const caught = reaching(report, 'catches', 'Charge#0');
    expect(caught.mocks).toEqual({ Charge: { Throw: { Error: 'Payment.Declined', Cause: expect.any(String) } } });
    expect(caught.path).toEqual(['Charge', 'Declined']);
    expect(caught.error).toBe('Declined');
  });

  it('takes a Catch after the Retry of a Task whose calls interleave with those of other Map iterations running at once', async () => {
    const wf = machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.jobs',
          End: true,
          ItemProcessor: {
            StartAt: 'Run',
            States: {
              Run: {
                Type: 'Task',
                Resource: LAMBDA,
                Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 1 }],
                Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Record' }],
                Next: 'Done',
              },
              Record: { Type: 'Pass', End: true },
              Done: { Type: 'Pass', End: true },
            },
          },
        },
      },
    }, 'STANDARD');
    const report = await wf.explore({ input: { jobs: [1, 2, 3].map((n) => ({ n })) } });
    expect(report.catches).toMatchObject({ reached: 1, total: 1 });
    const caught = reaching(report, 'catches', 'Run#0');
    expect(caught.path).toContain('Record');
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('takes a Map\'s Catch by wearing out the Retry of a Task inside it, from a run that reached the Task, though the Map\'s first runs did not', async () => {
    // The first runs into Lines have no lines, then a line the Choice cannot read: Pick is called only later.
    const wf = machine({
      StartAt: 'Lines',
      States: {
        'Lines': {
          Type: 'Map',
          ItemsPath: '$.lines',
          ItemProcessor: {
            StartAt: 'In stock?',
            States: {
              'In stock?': { Type: 'Choice', Choices: [{ Variable: '$.qty', NumericGreaterThan: 0, Next: 'Pick' }], Default: 'Skip' },
              'Pick': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { 'FunctionName': 'pick', 'Payload.$': '$' },
                Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2, IntervalSeconds: 1 }],
                Catch: [{ ErrorEquals: ['Pick.OutOfStock'], Next: 'Backorder' }],
                End: true,
              },
              'Backorder': { Type: 'Pass', End: true },
              'Skip': { Type: 'Pass', End: true },
            },
          },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Pick failed' }],
          Next: 'Done',
        },
        'Pick failed': { Type: 'Fail', Error: 'Pick.Failed' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const caught = reaching(report, 'catches', 'Lines#0');
    expect(caught.path).toEqual(['Lines', 'In stock?', 'Pick', 'Pick failed']);
    // Every attempt fails: the first and the Retry's two.
    expect(caught.mocks.Pick).toEqual({ Throw: { Error: 'States.TaskFailed', Cause: expect.any(String) } });
    await replays(wf, caught);
    const run = await runScenario(wf, caught);
    expect(run.attempts('Pick').map((a) => a.error)).toEqual(['States.TaskFailed', 'States.TaskFailed', 'States.TaskFailed']);
  });

  it('reports each error nothing handles as a finding with a scenario that fails with it', async () => {
    const report = await charge.explore();
    const { finding, scenario: shown } = findingOf(report, 'unhandled-error');
    expect(finding).toMatchObject({
      state: 'Charge',
      error: 'States.TaskFailed',
      message: "unhandled: the execution fails with States.TaskFailed at state 'Charge' (as it does with Throttled)",
    });
    expect(shown).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', path: ['Charge'] });
    for (const s of report.scenarios) await replays(charge, s, { output: true });
  });

  it('does not report an error that a Catch of an enclosing Parallel handles', async () => {
    const wf = machine({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Next: 'Done',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
          Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Task', Resource: LAMBDA, End: true } } }],
        },
        Recover: { Type: 'Pass', End: true },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.findings.filter((f) => f.kind === 'unhandled-error')).toEqual([]);
    // The Parallel's Catch is taken by failing the Task inside its branch.
    expect(reaching(report, 'catches', 'Both#0').mocks).toEqual({ Inner: { Throw: { Error: 'States.TaskFailed', Cause: expect.any(String) } } });
  });

  it('reaches success, failure and timeout of a callback Task with a TimeoutSeconds', async () => {
    const wf = machine({
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          TimeoutSeconds: 3600,
          Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Expired' }, { ErrorEquals: ['Rejected'], Next: 'Refused' }],
          Next: 'Approved',
        },
        Approved: { Type: 'Succeed' },
        Expired: { Type: 'Fail', Error: 'Expired' },
        Refused: { Type: 'Fail', Error: 'Refused' },
      },
    });
    const report = await wf.explore();
    expect(report.callbacks).toMatchObject({ reached: 3, total: 3, notReached: [] });
    expect(reaching(report, 'callbacks', 'Approve#timeout').path).toEqual(['Approve', 'Expired']);
    expect(reaching(report, 'callbacks', 'Approve#failure').mocks).toEqual({ Approve: { Throw: { Error: 'Rejected', Cause: expect.any(String) } } });
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('gives a Task result the fields later states read, so the run goes on', async () => {
    const wf = machine({
      StartAt: 'Fetch',
      States: {
        Fetch: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, ResultSelector: { 'id.$': '$.Payload.order.id' }, Next: 'Store' },
        Store: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't', Item: { id: { 'S.$': '$.id' } } }, End: true },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 2, total: 2 });
    const ok = report.scenarios.find((s) => s.status === 'SUCCEEDED')!;
    expect(ok.mocks.Fetch).toEqual({ Return: { order: { id: 'id' } } });
  });
});

describe('explore: Map and Parallel', () => {
  it('gives a Map an item so its iterations run, and takes a Choice on the item inside', async () => {
    const wf = mapMachine({ ItemsPath: '$.lines' }, choosing('Kind?', { Variable: '$.sku', StringEquals: 'GIFT' }, 'Wrap', 'Pack'));
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 4, total: 4 });
    expect((reaching(report, 'choiceRules', 'Kind?#0').input as any).lines).toEqual([{ sku: 'GIFT' }]);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('reaches the states of every Parallel branch, and a Choice in one branch on what the branch reads', async () => {
    const wf = machine({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
            {
              StartAt: 'Rush?',
              States: {
                'Rush?': { Type: 'Choice', Choices: [{ Variable: '$.rush', BooleanEquals: true, Next: 'Courier' }], Default: 'Post' },
                'Courier': { Type: 'Succeed' },
                'Post': { Type: 'Succeed' },
              },
            },
          ],
        },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 5, total: 5 });
    expect(reaching(report, 'choiceRules', 'Rush?#0').input).toEqual({ rush: true });
  });

  it('takes both sides of a Choice inside a DISTRIBUTED Map\'s child executions, following the item back to the input', async () => {
    const wf = mapMachine({ ItemsPath: '$.orders' }, { ...DISTRIBUTED, ...choosing('Big?', { Variable: '$.total', NumericGreaterThan: 100 }, 'Review', 'Ship') });
    const report = await wf.explore();
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2 });
    expect(report.transitions).toMatchObject({ reached: 2, total: 2 });
    expect((reaching(report, 'choiceRules', 'Big?#0').input as any).orders[0].total).toBeGreaterThan(100);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('gives an item what a state inside reads when the Map tolerates the failure, so the run did not fail', async () => {
    const wf = mapMachine({ ItemsPath: '$.files', ToleratedFailurePercentage: 100 }, {
      ...DISTRIBUTED,
      StartAt: 'Fetch',
      States: {
        Fetch: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { 'Bucket': 'b', 'Key.$': '$.key' }, Next: 'Publish' },
        Publish: { Type: 'Pass', End: true },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 3, total: 3 });
    expect((reaching(report, 'states', 'Publish').input as any).files).toEqual([{ key: 'key' }]);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('gives a Task what its parameters read when a Catch took the failure on, so its Next is reached', async () => {
    const wf = machine({
      StartAt: 'Notify',
      States: {
        Notify: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Parameters: { 'Message.$': 'States.ArrayGetItem($.lines, 1)' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Report' }],
          Next: 'Done',
        },
        Report: { Type: 'Pass', End: true },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 3, total: 3 });
    // States.ArrayGetItem($.lines, 1) runs on two items or more, and on none (null, as AWS gives for an empty array).
    const done = reaching(report, 'states', 'Done');
    const lines = (done.input as any).lines as unknown[];
    expect(lines.length === 0 || lines.length >= 2).toBe(true);
    await replays(wf, done);
  });

  it('reports a scenario\'s cause as a test\'s run gives it, its event ids counted without a DISTRIBUTED Map\'s child executions', async () => {
    const wf = machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.orders',
          ResultPath: '$.done',
          Next: 'Notify',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Ship',
            States: { Ship: { Type: 'Task', Resource: LAMBDA, End: true } },
          },
        },
        // No input gives a Task that waits for no callback a token: this always fails, its cause naming the event id of its entry.
        Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'Message.$': '$$.Task.Token' }, End: true },
      },
    });
    const report = await wf.explore({ input: { orders: [{ id: 1 }, { id: 2 }] } });
    expect(report.scenarios.filter((s) => /entered at the event id #\d+/.test(s.cause ?? '') && s.path.includes('Ship')).length).toBe(1);
    for (const s of report.scenarios) {
      const run = await runScenario(wf, s);
      expect({ status: run.status, error: run.error, cause: run.cause }).toEqual({ status: s.status, error: s.error, cause: s.cause });
    }
  });

  it('follows the items of a batch (ItemBatcher) back to the items the Map reads', async () => {
    const wf = mapMachine(
      { ItemsPath: '$.rows', ItemBatcher: { MaxItemsPerBatch: 10, BatchInput: { 'source.$': '$.source' } } },
      { ...DISTRIBUTED, ...choosing('Kind?', { Variable: '$.Items[0].kind', StringEquals: 'refund' }, 'Refund', 'Sale') },
      'Batches',
    );
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 4, total: 4 });
    expect((reaching(report, 'choiceRules', 'Kind?#0').input as any).rows[0]).toEqual({ kind: 'refund' });
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });
});

describe('explore: the whole list of a batch', () => {
  it('writes the items a JSONata $filter over a batch\'s whole Items wants (one of a list an `in` names) into the items an ItemReader reads', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Lines',
      States: {
        Lines: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Arguments: { Bucket: 'events', Key: 'today.jsonl' } },
          ItemBatcher: { MaxItemsPerBatch: 25 },
          End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Any clicks?',
            States: {
              'Any clicks?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $count($filter($states.input.Items, function($e) { $e.type in ["click", "tap"] })) > 0 %}', Next: 'Count' }],
                Default: 'Skip',
              },
              'Count': { Type: 'Succeed' },
              'Skip': { Type: 'Succeed' },
            },
          },
        },
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules.notReached).toEqual([]);
    const items = (reaching(report, 'choiceRules', 'Any clicks?#0').mocks.Lines as { Return: Array<{ type: string }> }).Return;
    expect(items.map((i) => i.type)).toContain('click');
    for (const s of report.scenarios) await replays(wf, s);
  });
});

describe('explore: JSONata values that are missing', () => {
  it('gives a JSONata Map\'s Items path an array, and a field read through the items of a batch (Items.sku reads each item\'s)', async () => {
    const wf = mapMachine({ Items: '{% $states.input.orders %}', ItemBatcher: { MaxItemsPerBatch: 5 } }, {
      ...DISTRIBUTED,
      ...choosing('Gift?', { Condition: '{% $sku = "GIFT" %}' }, 'Wrap', 'Pack', { First: { Type: 'Pass', Assign: { sku: '{% $states.input.Items.sku %}' }, Next: 'Gift?' } }),
    }, 'Each', { QueryLanguage: 'JSONata' });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 5, total: 5 });
    expect((reaching(report, 'choiceRules', 'Gift?#0').input as any).orders).toEqual([{ sku: 'GIFT' }]);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('gives a JSONata Choice what its Output reads when it takes the Default, so a polling loop runs on', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Poll',
      States: {
        'Poll': { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'status' }, Output: '{% $states.result.Payload %}', Next: 'Done?' },
        'Done?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.state = "DONE" %}', Next: 'Finish' }],
          Default: 'Wait',
          Output: { job: '{% $states.input.job.id %}' },
        },
        'Wait': { Type: 'Wait', Seconds: 10, Next: 'Poll' },
        'Finish': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2 });
    expect(report.transitions).toMatchObject({ reached: 4, total: 4 });
    const waiting = reaching(report, 'choiceRules', 'Done?#default');
    expect(waiting.path.slice(0, 4)).toEqual(['Poll', 'Done?', 'Wait', 'Poll']);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });
});

describe('explore: values computed by what it cannot invert', () => {
  it('takes both sides of a Choice on a value a JSONata expression computes, by trying values near those it is computed from', async () => {
    const wf = machine({
      StartAt: 'Count',
      States: {
        'Count': { Type: 'Pass', Parameters: { 'count.$': 'States.MathAdd($.start, 1)' }, Next: 'Double' },
        'Double': { Type: 'Pass', QueryLanguage: 'JSONata', Output: { count: '{% $states.input.count * 3 + 1 %}' }, Next: 'Odd?' },
        'Odd?': {
          Type: 'Choice',
          QueryLanguage: 'JSONata',
          Choices: [{ Condition: '{% $states.input.count % 2 = 1 %}', Next: 'Odd' }],
          Default: 'Even',
        },
        'Odd': { Type: 'Succeed' },
        'Even': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2 });
    const starts = ['Odd?#0', 'Odd?#default'].map((k) => (reaching(report, 'choiceRules', k).input as any).start);
    expect(starts.map((n) => ((n + 1) * 3 + 1) % 2)).toEqual([1, 0]);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });
});

describe('explore: values built by JSONata, error outputs and loops', () => {
  it('follows a field through a JSONata $merge of the input with an object it builds, and aims a value computed from the input at what a rule wants', async () => {
    const wf = machine({
      StartAt: 'Total',
      States: {
        'Total': {
          Type: 'Pass',
          QueryLanguage: 'JSONata',
          Output: '{% $merge([$states.input, {"total": $sum($states.input.prices)}]) %}',
          Next: 'Express?',
        },
        'Express?': { Type: 'Choice', QueryLanguage: 'JSONata', Choices: [{ Condition: '{% $states.input.express = true %}', Next: 'Courier' }], Default: 'Big?' },
        'Big?': { Type: 'Choice', Choices: [{ Variable: '$.total', NumericGreaterThan: 1000, Next: 'Review' }], Default: 'Post' },
        'Courier': { Type: 'Succeed' },
        'Review': { Type: 'Succeed' },
        'Post': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules).toMatchObject({ reached: 4, total: 4 });
    expect((reaching(report, 'choiceRules', 'Express?#0').input as any).express).toBe(true);
    const big = reaching(report, 'choiceRules', 'Big?#0');
    expect(big.path).toEqual(['Total', 'Express?', 'Big?', 'Review']);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('gives a Task\'s error a Cause when a rule reads the Cause a Catch put in the state\'s input', async () => {
    const wf = machine({
      StartAt: 'Try',
      States: {
        'Try': {
          Type: 'Parallel',
          ResultPath: '$.result',
          Next: 'Done',
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Has cause?' }],
          Branches: [{ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA, End: true } } }],
        },
        'Has cause?': { Type: 'Choice', Choices: [{ Variable: '$.error.Cause', IsPresent: true, Next: 'Failed' }], Default: 'Failed without cause' },
        'Failed': { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
        'Failed without cause': { Type: 'Fail', ErrorPath: '$.error.Error' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 6, total: 6 });
    const withCause = reaching(report, 'choiceRules', 'Has cause?#0');
    expect((withCause.mocks.Work as { Throw: { Error: string; Cause?: string } }).Throw.Cause).toEqual(expect.any(String));
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('runs a loop on, its Task failing on every call as on the first, until a rule on the time it has taken changes (the budget on a clock that stands still)', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Undo',
      States: {
        'Undo': {
          Type: 'Task',
          Resource: LAMBDA,
          Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}', Next: 'Count' }],
          Next: 'Done',
        },
        'Count': {
          Type: 'Pass',
          Output: '{% $merge([$states.input, {"firstAt": $exists($states.input.firstAt) ? $states.input.firstAt : $states.context.State.EnteredTime}]) %}',
          Next: 'Again?',
        },
        'Again?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $toMillis($states.context.State.EnteredTime) < $toMillis($states.input.firstAt) + 300000 %}', Next: 'Wait' }],
          Default: 'Gave up',
        },
        'Wait': { Type: 'Wait', Seconds: 60, Next: 'Undo' },
        'Gave up': { Type: 'Fail', Error: 'Undo.GaveUp' },
        'Done': { Type: 'Succeed' },
      },
    });
    // The budget's clock stands still: the loop's time is the virtual clock's, and a busy machine must not cut the search.
    const report = await exploreMachine(new HarnessRunner(wf, 0), { now: () => 0 });
    expect(report.search.stoppedBy).toBeUndefined();
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2 });
    const gaveUp = reaching(report, 'choiceRules', 'Again?#default');
    expect(gaveUp).toMatchObject({ status: 'FAILED', error: 'Undo.GaveUp' });
    expect(gaveUp.path.filter((p) => p === 'Wait').length).toBeGreaterThanOrEqual(5);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });
});

describe('explore: a Map that reads its items with an ItemReader', () => {
  const definition = {
    StartAt: 'Files',
    States: {
      Files: {
        Type: 'Map',
        End: true,
        ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } },
        ItemSelector: { 'key.$': '$$.Map.Item.Value.Key' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Csv?',
          States: {
            'Csv?': { Type: 'Choice', Choices: [{ Variable: '$.key', StringMatches: '*.csv', Next: 'Parse' }], Default: 'Skip' },
            'Parse': { Type: 'Pass', End: true },
            'Skip': { Type: 'Pass', End: true },
          },
        },
      },
    },
  };

  it('makes up items shaped for what its item processor reads, reaches every state, and says so in the scenarios', async () => {
    const wf = machine(definition);
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 4, total: 4, notReached: [] });
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2 });
    const csv = reaching(report, 'choiceRules', 'Csv?#0');
    const items = (csv.mocks.Files as { Return: Array<{ Key: string }> }).Return;
    expect(items).toHaveLength(1);
    expect(items[0].Key).toMatch(/\.csv$/);
    // Every scenario whose reader explore answered says that its items are made up, in its name and its fields.
    for (const s of report.scenarios) {
      expect(s.inventedItems).toEqual(['Files']);
      expect(s.name).toMatch(/ \[S3 items made up by explore: (none|\d+) for Map 'Files'\]$/);
    }
    expect(csv.name).toContain("[S3 items made up by explore: 1 for Map 'Files']");
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('still asks, in one line, for the S3 objects its ItemReader reads', async () => {
    const report = await machine(definition).explore();
    expect(report.findings.filter((f) => f.kind === 'needs-data')).toEqual([{
      kind: 'needs-data',
      state: 'Files',
      message: 'Map \'Files\' reads its items with an ItemReader (arn:aws:states:::s3:listObjectsV2): explore cannot know your S3 objects, so the scenarios that run its items use items it made up (their names say so); give yours as mocks: { "Files": { "Return": [ ...items ] } }',
    }]);
    expect(report.findings.every((f) => !f.message.includes('\n'))).toBe(true);
  });

  it('uses the items given as mocks as they are: no made-up items, no request for them', async () => {
    const given = await machine(definition).explore({ mocks: { Files: { Return: [{ Key: 'a.txt' }] } } });
    expect(given.findings.filter((f) => f.kind === 'needs-data')).toEqual([]);
    expect(given.states).toMatchObject({ reached: 3, total: 4 });
    expect(given.states.notReached.map((n) => n.state)).toEqual(['Parse']);
    for (const s of given.scenarios) {
      expect(s.inventedItems).toBeUndefined();
      expect(s.name).not.toContain('made up');
      expect(s.mocks.Files).toEqual({ Return: [{ Key: 'a.txt' }] });
    }
  });
});

describe('explore: hazards', () => {
  it('shows a polling loop that runs into the 25,000-event history limit when the status never changes', async () => {
    const wf = machine({
      StartAt: 'Poll',
      States: {
        'Poll': { Type: 'Task', Resource: LAMBDA, ResultPath: '$.job', Next: 'Done?' },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.job.status', StringEquals: 'DONE', Next: 'Finish' }], Default: 'Wait' },
        'Wait': { Type: 'Wait', Seconds: 30, Next: 'Poll' },
        'Finish': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const { finding, scenario: loop } = findingOf(report, 'history-limit');
    expect(finding.message).toMatch(/can run until the execution fails at AWS's limit of 25,000 history events/);
    expect(loop).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (25000).' });
    expect(loop.path).toHaveLength(1000);
    expect(loop.pathLength).toBeGreaterThan(5000);
    // Every later call answers as the one that sent the loop round: one mock entry, not thousands.
    expect(Object.values(loop.mocks)).toHaveLength(1);
    expect(Array.isArray(loop.mocks.Poll)).toBe(false);
    // The loop that ends is reached too.
    expect(report.states).toMatchObject({ reached: 4, total: 4 });
  });

  it('shows a polling loop in a DISTRIBUTED Map\'s child execution that runs into the child\'s own 25,000-event history limit', async () => {
    const wf = machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.jobs',
          End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Poll',
            States: {
              'Poll': { Type: 'Task', Resource: LAMBDA, ResultPath: '$.job', Next: 'Done?' },
              'Done?': { Type: 'Choice', Choices: [{ Variable: '$.job.status', StringEquals: 'DONE', Next: 'Finish' }], Default: 'Wait' },
              'Wait': { Type: 'Wait', Seconds: 30, Next: 'Poll' },
              'Finish': { Type: 'Succeed' },
            },
          },
        },
      },
    });
    const report = await wf.explore();
    const { finding, scenario: shown } = findingOf(report, 'history-limit');
    expect(finding).toMatchObject({ state: expect.stringMatching(/^(Poll|Done\?|Wait)$/), error: 'States.Runtime' });
    expect(shown.cause).toBe('The execution reached the maximum number of history events (25000).');
  });

  it('shows a loop whose payload grows with each pass until it exceeds 256 KiB', async () => {
    const wf = machine({
      StartAt: 'Poll',
      States: {
        'Poll': { Type: 'Task', Resource: LAMBDA, ResultPath: '$.job', Next: 'Done?' },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.job.status', StringEquals: 'DONE', Next: 'Finish' }], Default: 'Keep' },
        'Keep': { Type: 'Pass', Parameters: { 'history.$': '$', 'note': 'x'.repeat(1000) }, Next: 'Poll' },
        'Finish': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const { finding, scenario } = findingOf(report, 'payload-limit');
    expect(finding).toMatchObject({
      error: 'States.DataLimitExceeded',
      message: 'the payload grows with each pass through Poll → Done? → Keep until it exceeds 256 KiB: the execution fails with States.DataLimitExceeded',
    });
    expect(scenario).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('flags an EXPRESS machine whose retries run past 5 minutes', async () => {
    const wf = machine({
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 5, BackoffRate: 2 }], End: true } },
    }, 'EXPRESS');
    const report = await wf.explore();
    const { finding, scenario } = findingOf(report, 'express-duration');
    expect(finding.message).toMatch(/AWS stops an EXPRESS execution after 5 minutes/);
    expect(scenario.status).toBe('TIMED_OUT');
  });
});

describe('explore: the search', () => {
  const definition = {
    StartAt: 'A',
    States: {
      A: { Type: 'Task', Resource: LAMBDA, ResultPath: '$.a', Next: 'B' },
      B: { Type: 'Choice', Choices: [{ Variable: '$.a.n', NumericGreaterThan: 3, Next: 'C' }, { Variable: '$.x', StringEquals: 'y', Next: 'D' }], Default: 'E' },
      C: { Type: 'Succeed' },
      D: { Type: 'Succeed' },
      E: { Type: 'Succeed' },
    },
  };

  it('gives byte-identical reports for the same machine and options', async () => {
    const first = JSON.stringify(await machine(definition).explore({ seed: 7 }));
    const second = JSON.stringify(await machine(definition).explore({ seed: 7 }));
    expect(second).toBe(first);
  });

  it('keeps at most maxScenarios scenarios and lists what only the dropped ones reached as not reached', async () => {
    const report = await machine(definition).explore({ maxScenarios: 1 });
    expect(report.scenarios).toHaveLength(1);
    expect(report.search).toMatchObject({ complete: false, stoppedBy: 'max-scenarios' });
    expect(report.states.notReached.length).toBeGreaterThan(0);
    expect(report.states.unreachable).toEqual([]);
  });

  it('keys mocks and values by names like __proto__ and toString as data, never through a prototype', async () => {
    const wf = Workflow.fromDefinition(JSON.stringify({
      StartAt: '__proto__',
      States: {
        PROTO: { Type: 'Task', Resource: LAMBDA, ResultPath: '$.constructor', Next: 'valueOf' },
        valueOf: { Type: 'Choice', Choices: [{ Variable: '$.constructor.toString', StringEquals: 'x', Next: 'hasOwnProperty' }], Default: 'End' },
        hasOwnProperty: { Type: 'Succeed' },
        End: { Type: 'Succeed' },
      },
    }).replace('"PROTO"', '"__proto__"'));
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 4, total: 4 });
    const taken = reaching(report, 'choiceRules', 'valueOf#0');
    expect(JSON.stringify(taken.mocks)).toBe('{"__proto__":{"Return":{"toString":"x"}}}');
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('refuses options that cannot bound a search, naming them', async () => {
    await expect(machine(definition).explore({ maxScenarios: 0 })).rejects.toThrow('explore: maxScenarios must be a positive integer, got 0');
    await expect(machine(definition).explore({ budgetSeconds: -1 })).rejects.toThrow('explore: budgetSeconds must be a positive number, got -1');
    await expect(machine(definition).explore({ seed: 1.5 })).rejects.toThrow('explore: seed must be an integer, got 1.5');
    await expect(machine(definition).explore({ mocks: { A: [] } })).rejects.toThrow("explore mocks: mock 'A' is an empty list");
  });
});

describe('explore: what to give for a Catch or a Retry it did not reach', () => {
  const definition = {
    StartAt: 'Charge',
    States: {
      Charge: {
        Type: 'Task',
        Resource: LAMBDA,
        Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Refund' }],
        Next: 'Done',
      },
      Refund: { Type: 'Pass', End: true },
      Done: { Type: 'Succeed' },
    },
  };

  it('names the Task that must answer which error as a --mocks line, and that line reaches the goal', async () => {
    const wf = machine(definition);
    // Charge's answer is given: explore does not make it fail, so neither the Retry nor the Catch is reached.
    const report = await exploreMachine(new HarnessRunner(wf, 0), { now: () => 0, mocks: { Charge: { Return: { ok: true } } } });
    const [retry] = report.retries.notReached;
    const [caught] = report.catches.notReached;
    // A Retry wants the call to fail once and then answer: one that fails every attempt ends as it would without it.
    expect(retry.reason).toMatch(/; to reach it, 'Charge' must answer Busy once, then a result: give --mocks '\{"Charge":\[\{"Throw":\{"Error":"Busy"\}\},\{"Return":\{\}\}\]\}'$/);
    expect(caught.reason).toMatch(/; to reach it, 'Charge' must answer States\.\w+: give --mocks '(\{"Charge":\{"Throw":\{"Error":"States\.\w+"\}\}\})'$/);
    // Each line, given, reaches its goal.
    for (const [reason, category] of [[retry.reason, 'retries'], [caught.reason, 'catches']] as const) {
      const mocks = JSON.parse(/--mocks '(.*)'$/.exec(reason)![1]);
      const again = await exploreMachine(new HarnessRunner(wf, 0), { now: () => 0, mocks });
      expect(again[category]).toMatchObject({ reached: 1, total: 1 });
    }
  });
});

describe('explore: answers AWS turns into a failure (issue 72)', () => {
  it('reaches a Catch on EventBridge.FailedEntry with the answer that fails the Task, failed entries, and a test written from it replays', async () => {
    const wf = machine({
      StartAt: 'Publish',
      States: {
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [{ Source: 's', DetailType: 'd', Detail: {} }] },
          Catch: [{ ErrorEquals: ['EventBridge.FailedEntry'], Next: 'Refund' }],
          Next: 'Done',
        },
        Refund: { Type: 'Pass', End: true },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const caught = reaching(report, 'catches', 'Publish#0');
    expect((caught.mocks.Publish as { Return: { FailedEntryCount: number } }).Return.FailedEntryCount).toBeGreaterThan(0);
    expect(caught.path).toEqual(['Publish', 'Refund']);
    // The answer it makes up for a call that succeeds has no failed entry.
    const ok = report.scenarios.find((s) => s.path.includes('Done'))!;
    expect((ok.mocks.Publish as { Return: { FailedEntryCount: number } }).Return.FailedEntryCount).toBe(0);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('reaches a Catch on States.TaskFailed after a .sync job with the job\'s failed answer', async () => {
    const wf = machine({
      StartAt: 'Train',
      States: {
        Train: {
          Type: 'Task',
          Resource: 'arn:aws:states:::glue:startJobRun.sync',
          Parameters: { JobName: 'etl' },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Alert' }],
          End: true,
        },
        Alert: { Type: 'Pass', End: true },
      },
    });
    const report = await wf.explore();
    const caught = reaching(report, 'catches', 'Train#0');
    expect(caught.mocks.Train).toEqual({ Return: { JobRunState: 'FAILED' } });
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });
});
