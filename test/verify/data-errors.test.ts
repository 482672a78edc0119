import type { StateMachineDefinition } from '../../src/asl';
import { StatesErrors } from '../../src/asl/states-errors';
import { Property } from '../../src/explore/properties';
import { dataErrorsOf } from '../../src/explore/verify-data';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * verify's graph counts the data errors a state can raise on an input or answer the search did
 * not try: AWS accepts any JSON as an execution input, so a ResultPath into it, a Catch's
 * ResultPath, a path a field reads, a JSONata expression can fail where no run of the search did.
 * A HOLDS that forgot them was broken by a run verify never made.
 */

stopExploreClock();

const lambda = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': name, 'Payload.$': '$' }, ...extra,
});

// Reserve writes its result into the execution input, and its Catch writes the error there too:
// an input that is not an object fails both, and the run ends without Release.
const RESERVE = {
  StartAt: 'Reserve',
  States: {
    Reserve: lambda('reserve', { ResultPath: '$.reservation', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Release' }], Next: 'Done' }),
    Release: lambda('release', { ResultPath: null, Next: 'Failed' }),
    Failed: { Type: 'Fail', Error: 'Order.Failed' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('data errors in the graph of a HOLDS', () => {
  it('finds leadsTo VIOLATED by an input that is not an object, which fails a ResultPath, and the run reproduces', async () => {
    const wf = Workflow.fromDefinition(RESERVE);
    const report = await wf.verify({ reservedEnds: Property.leadsTo('Reserve', ['Done', 'Release']) });
    const v = report.properties.reservedEnds;
    expect(v).toMatchObject({ verdict: 'VIOLATED', counterexample: { status: 'FAILED', error: 'States.ResultPathMatchFailure', path: ['Reserve'] } });
    const input = v.counterexample!.input;
    expect(input !== null && typeof input === 'object' && !Array.isArray(input)).toBe(false);
    const run = await wf.run(input, { mocks: mocksFromJson(v.counterexample!.mocks, 'reservedEnds') });
    expect({ status: run.status, error: run.error, path: run.path }).toEqual({ status: 'FAILED', error: 'States.ResultPathMatchFailure', path: ['Reserve'] });
  });

  it('does not prove what an error inside a Parallel breaks when the Parallel\'s Catch writes into an input that may not be an object', () => {
    const def = {
      StartAt: 'Notify',
      States: {
        'Notify': {
          Type: 'Parallel',
          Next: 'Done',
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Not sent' }],
          Branches: [{ StartAt: 'Send', States: { Send: lambda('send', { End: true }) } }],
        },
        'Not sent': { Type: 'Fail', Error: 'Notify.Failed' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const facts = { unreachableStates: new Set<string>(), unreachableTransitions: new Set<string>(), failedAt: new Map(), express: false };
    const sendEnds = Property.leadsTo('Send', ['Done', 'Not sent']);
    // Without the data errors, every path from Send reaches Done or Not sent.
    expect(proveOnGraph(new MachineGraph(def, facts), sendEnds)).toMatchObject({ proved: true });
    const verdict = proveOnGraph(new MachineGraph(def, { ...facts, dataErrors: dataErrorsOf(def) }), sendEnds);
    expect(verdict).toMatchObject({ proved: false, reason: expect.stringContaining("'Notify' can fail with States.ResultPathMatchFailure: a Catch's ResultPath $.error") });
  });

  it('takes States.TaskFailed in a Catch as AWS does: every error but States.Timeout, a data error included', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Fan out',
      States: {
        'Fan out': {
          Type: 'Map',
          Items: '{% $states.input.accounts %}',
          Next: 'Done',
          ItemProcessor: { StartAt: 'Keep', States: { Keep: { Type: 'Pass', End: true } } },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Bad batch' }],
        },
        'Bad batch': { Type: 'Fail', Error: 'Batch.Invalid' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const facts = {
      unreachableStates: new Set<string>(),
      unreachableTransitions: new Set<string>(),
      failedAt: new Map(),
      express: false,
      dataErrors: dataErrorsOf(def),
    };
    // Items that are not an array fail with States.QueryEvaluationError, which the Catch takes to 'Bad batch'.
    expect(proveOnGraph(new MachineGraph(def, facts), Property.never('Bad batch'))).toMatchObject({ proved: false });
    // Allowing States.Runtime, the end of a run enough items take to the history limit (an INLINE Map).
    expect(proveOnGraph(new MachineGraph(def, facts), Property.endsWith({ errors: ['Batch.Invalid', StatesErrors.RUNTIME] }))).toMatchObject({ proved: true });
  });

  it('still proves it once the input is surely an object (a Pass builds it first)', async () => {
    const def = { ...RESERVE, StartAt: 'Wrap', States: { Wrap: { Type: 'Pass', Parameters: { 'order.$': '$' }, Next: 'Reserve' }, ...RESERVE.States } };
    const report = await Workflow.fromDefinition(def as unknown as StateMachineDefinition)
      .verify({ reservedEnds: Property.leadsTo('Reserve', ['Done', 'Release']) });
    expect(report.properties.reservedEnds).toMatchObject({ verdict: 'HOLDS' });
  });

  it('names a path read from data that may be absent, and not one a ResultPath or template surely wrote', () => {
    const errors = dataErrorsOf({
      StartAt: 'Wrap',
      States: {
        Wrap: { Type: 'Pass', Parameters: { 'order.$': '$', 'meta': { source: 'api' } }, ResultPath: '$.in', Next: 'Call' },
        Call: lambda('call', { Parameters: { 'FunctionName': 'f', 'Payload.$': '$.in.meta' }, ResultSelector: { 'body.$': '$.Payload' }, ResultPath: '$.in.call', Next: 'Pick' }),
        Pick: { Type: 'Pass', InputPath: '$.in.call.body', OutputPath: '$.missing', Next: 'Route' },
        Route: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.x', IsPresent: true }, { Variable: '$.x', StringEquals: 'a' }], Next: 'End' }], Default: 'End' },
        End: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition);
    // Wrap's ResultPath '$.in' on an input that may be a string.
    expect(errors.get('Wrap')).toEqual([expect.objectContaining({ error: 'States.ResultPathMatchFailure', own: true })]);
    // Call reads '$.in.meta' (written by Wrap's template), selects '$.Payload' (the invoke envelope), writes '$.in.call' into the object '$.in'.
    expect(errors.get('Call')).toBeUndefined();
    // Pick's OutputPath names nothing it surely has; Route's comparison is guarded by IsPresent.
    expect(errors.get('Pick')).toEqual([expect.objectContaining({ error: 'States.Runtime', where: 'OutputPath $.missing' })]);
    expect(errors.get('Route')).toBeUndefined();
  });

  it('takes an intrinsic\'s argument read from the context ($$.Execution.Name) whole, not as a path of the input', () => {
    const errors = dataErrorsOf({
      StartAt: 'Key',
      States: {
        Key: { Type: 'Pass', Parameters: { 'key.$': "States.Format('signed/{}.json', $$.Execution.Name)" }, Next: 'Missing' },
        Missing: { Type: 'Pass', Parameters: { 'key.$': "States.Format('{}-{}', $$.Execution.Name, $.id)" }, Next: 'Order' },
        Order: { Type: 'Pass', Parameters: { 'key.$': 'States.Format(\'{}\', $$.Execution.Input.order.id)' }, Next: 'Whole' },
        Whole: { Type: 'Pass', Parameters: { 'order.$': '$$.Execution.Input.order', 'all.$': '$$.Execution.Input' }, End: true },
      },
    } as unknown as StateMachineDefinition);
    expect(errors.get('Key')?.filter((e) => e.error === 'States.Runtime' && e.intrinsic !== true)).toEqual([]);
    // A field of the execution input read through the context may be absent, in an intrinsic or not.
    expect(errors.get('Order')).toContainEqual(expect.objectContaining({ error: 'States.Runtime', where: expect.stringContaining('$$.Execution.Input.order.id') }));
    expect(errors.get('Whole')).toEqual([expect.objectContaining({ error: 'States.Runtime', where: 'Parameters $$.Execution.Input.order' })]);
    // The input's $.id may be absent: still counted.
    expect(errors.get('Missing')).toContainEqual(expect.objectContaining({ error: 'States.Runtime', where: expect.stringContaining('$.id') }));
    expect(JSON.stringify(errors.get('Missing'))).not.toContain('$.Execution.Name');
  });

  it('counts a JSONata expression that may fail, and not a read of the state\'s input', () => {
    const errors = dataErrorsOf({
      QueryLanguage: 'JSONata',
      StartAt: 'Keep',
      States: {
        'Keep': { Type: 'Pass', Output: '{% $merge([$states.input, {"a": 1}]) %}', Next: 'Risky?' },
        'Risky?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.score > 80 %}', Next: 'Done' }], Default: 'Done' },
        'Done': { Type: 'Succeed', Output: '{% $states.input %}' },
      },
    } as unknown as StateMachineDefinition);
    expect(errors.get('Keep')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', own: true })]);
    expect(errors.get('Risky?')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError' })]);
    expect(errors.get('Done')).toBeUndefined();
  });

  it('counts a $merge with the state\'s input as unable to fail only where every path in gives an object', () => {
    // The Saga builder's Catch Output: the state's input with the error beside it. On the
    // execution input (any JSON) it fails (T0412); after a state whose Output is a $merge, never.
    const caught = (next: string) => [{ ErrorEquals: ['States.ALL'], Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}', Next: next }];
    const errors = dataErrorsOf({
      QueryLanguage: 'JSONata',
      StartAt: 'First',
      States: {
        'First': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'a' }, Output: '{% $merge([$states.input, {"a": 1}]) %}', Catch: caught('Failed'), Next: 'Second' },
        'Second': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'b' }, Output: '{% $states.input %}', Catch: caught('Failed'), Next: 'Which?' },
        'Which?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.a = 1 %}', Next: 'Third' }], Default: 'Raw' },
        'Raw': { Type: 'Pass', Output: '{% $states.input.a %}', Next: 'Third' },
        'Third': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'c' }, Output: '{% $states.input %}', Catch: caught('Failed'), Next: 'Done' },
        'Failed': { Type: 'Fail', Error: 'Order.Failed' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition);
    const catchErrors = (state: string) => (errors.get(state) ?? []).filter((e) => !e.own);
    expect(catchErrors('First')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', where: expect.stringContaining('a Catch') })]);
    expect(catchErrors('Second')).toEqual([]);
    // One path into Third gives what may be anything ($states.input.a): its Catch may fail.
    expect(catchErrors('Third')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', where: expect.stringContaining('a Catch') })]);
  });

  it('names what a JSONata expression that may fail reads, as what to give to settle it', () => {
    // bench:verify's largest UNKNOWN group: a leadsTo whose path may end failing on a JSONata
    // expression no run made fail. The reason names the values it reads (a Task's answer here, a
    // variable), which --input or --mocks give, so the run that fails there can be checked.
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Read',
      States: {
        'Read': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'read' }, Output: '{% $states.result.Payload %}', Assign: { flagged: '{% $states.result.Payload.flagged %}' }, Next: 'Long?' },
        'Long?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.pages > 20 and $flagged > 0 %}', Next: 'Split' }], Default: 'Done' },
        'Split': { Type: 'Pass', Next: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const none = { unreachableStates: new Set<string>(), unreachableTransitions: new Set<string>(), failedAt: new Map(), express: false };
    const facts = { ...none, dataErrors: dataErrorsOf(def) };
    const verdict = proveOnGraph(new MachineGraph(def, facts), Property.leadsTo('Long?', ['Done']));
    expect(verdict).toMatchObject({
      proved: false,
      reason: expect.stringContaining("'Long?' can fail with States.QueryEvaluationError: Condition {% $states.input.pages > 20 and $flagged > 0 %}, "
        + 'on an input or answer the search did not try; to settle it, give --input or --mocks under which what it reads ($states.input.pages, $flagged) makes it fail on this path, and verify checks that run)'),
    });
    // A path that fails on what reads nothing by name (a Map's input that must be an array) names nothing to give.
    const items = {
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'One', States: { One: { Type: 'Pass', End: true } } }, Next: 'Done' }, Done: { Type: 'Succeed' } },
    } as unknown as StateMachineDefinition;
    const mapVerdict = proveOnGraph(new MachineGraph(items, { ...facts, dataErrors: dataErrorsOf(items) }), Property.leadsTo('Each', ['Done']));
    expect(mapVerdict).toMatchObject({ proved: false, reason: expect.stringContaining("'Each' can fail with States.QueryEvaluationError: its input, which must be an array, on an input or answer the search did not try)") });
  });

  it('proves a run never fails on a Condition built of `=`, `and` and `$exists`, which JSONata evaluates on any value without failing', async () => {
    const def = (condition: string) => ({
      QueryLanguage: 'JSONata',
      StartAt: 'Paid?',
      States: {
        'Paid?': { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Ship' }], Default: 'Hold' },
        'Ship': { Type: 'Succeed', Output: { shipped: '{% $states.input.status = "PAID" %}' } },
        'Hold': { Type: 'Succeed', Output: { held: '{% "order " & $states.input.id %}' } },
      },
    }) as unknown as StateMachineDefinition;
    const succeeds = { succeeds: Property.endsWith({ statuses: ['SUCCEEDED'] }) };
    const safe = await Workflow.fromDefinition(def('{% $exists($states.input.status) and $states.input.status = "PAID" %}')).verify(succeeds);
    expect(safe.properties.succeeds).toMatchObject({ verdict: 'HOLDS' });
    // `>` fails on an input whose score is not a number: not proved, and the run that shows it reproduces.
    const wf = Workflow.fromDefinition(def('{% $states.input.score > 80 %}'));
    const risky = (await wf.verify(succeeds)).properties.succeeds;
    expect(risky).toMatchObject({ verdict: 'VIOLATED', counterexample: { status: 'FAILED', error: 'States.QueryEvaluationError' } });
    const run = await wf.run(risky.counterexample!.input, { mocks: mocksFromJson(risky.counterexample!.mocks, 'succeeds') });
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: 'States.QueryEvaluationError' });
  });

  it('counts a field of the execution input read through the context, which may be absent, and not the context AWS always gives', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Stamp',
      States: {
        Stamp: { Type: 'Pass', Output: { started: '{% $states.context.Execution.StartTime %}', input: '{% $states.context.Execution.Input %}' }, Next: 'Tag' },
        Tag: { Type: 'Pass', Output: { order: '{% $states.context.Execution.Input.order.id %}' }, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const errors = dataErrorsOf(def);
    expect(errors.get('Stamp')).toBeUndefined();
    expect(errors.get('Tag')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', own: true, where: expect.stringContaining('Execution.Input.order.id') })]);
    // AWS fails the state on an input without the field, and so does a run.
    const run = await Workflow.fromDefinition(def).run({ customer: 'c-1' });
    expect({ status: run.status, error: run.error, path: run.path }).toEqual({ status: 'FAILED', error: 'States.QueryEvaluationError', path: ['Stamp', 'Tag'] });
  });

  it('counts the Map item read outside a Map\'s ItemSelector, the task token outside a callback\'s Arguments, and Items that may not give an array', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Ask',
      States: {
        'Ask': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { token: '{% $states.context.Task.Token %}' } },
          Next: 'Each',
        },
        'Each': {
          Type: 'Map',
          Items: '{% $states.input %}',
          Next: 'Token?',
          ItemSelector: { value: '{% $states.context.Map.Item.Value %}', index: '{% $states.context.Map.Item.Index %}' },
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Tag', States: { Tag: { Type: 'Pass', Output: { i: '{% $states.context.Map.Item.Index %}' }, End: true } } },
        },
        'Token?': { Type: 'Pass', Output: { t: '{% $states.context.Task.Token %}' }, End: true },
      },
    } as unknown as StateMachineDefinition;
    const errors = dataErrorsOf(def);
    expect(errors.get('Ask')).toBeUndefined();
    // Its ItemSelector reads the item where the context has it; its Items may give what is not an array.
    expect(errors.get('Each')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', where: 'Items {% $states.input %}, which must give an array' })]);
    expect(errors.get('Tag')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', where: expect.stringContaining('Map.Item.Index') })]);
    expect(errors.get('Token?')).toEqual([expect.objectContaining({ error: 'States.QueryEvaluationError', where: expect.stringContaining('Task.Token') })]);
    // A run fails at the Map's iteration, where the item is not in the context.
    const run = await Workflow.fromDefinition(def).run({}, { mocks: mocksFromJson({ Ask: { Return: [1] } }, 'token') });
    expect({ status: run.status, error: run.error, path: run.path }).toEqual({ status: 'FAILED', error: 'States.QueryEvaluationError', path: ['Ask', 'Each', 'Tag'] });
  });
});
