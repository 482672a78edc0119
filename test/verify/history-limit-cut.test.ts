import type { StateMachineDefinition } from '../../src/asl';
import { StatesErrors } from '../../src/asl/states-errors';
import { Property, violationOf } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * A loop no bound limits can run until the history limit, where AWS fails the execution with
 * States.Runtime wherever it is (25,000 events, Step Functions quotas, "Maximum execution history
 * size"). A leadsTo or an endsWith proved over the graph's ends held only for runs that reach an
 * end, and rested on explore having found the answers that keep the loop going (its
 * history-limit finding). bench:verify found the wrong HOLDS: TodayInvoicePaging with 'More?'
 * rule 2 flipped, where `leadsTo More? -> Summarise | Too many pages | Fetch page` held, broken by
 * a run whose 'Fetch page' answers {"items": [], "next": null} every time: it stops at 'More?'
 * with States.Runtime.
 */

stopExploreClock();

/** bench/modern-corpus's TodayInvoicePaging with 'More?' rule 2 flipped: it fetches again when there is no next page. */
const PAGING_FLIPPED = {
  QueryLanguage: 'JSONata',
  StartAt: 'Begin',
  States: {
    'Begin': { Type: 'Pass', Assign: { pages: [], token: '{% $states.input.startToken %}' }, Next: 'Fetch page' },
    'Fetch page': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:list-invoices', Payload: { token: '{% $token %}' } },
      Assign: { pages: '{% $append($pages, [$states.result.Payload.items]) %}', token: '{% $states.result.Payload.next %}' },
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 3 }],
      Next: 'More?',
    },
    'More?': {
      Type: 'Choice',
      Choices: [{ Condition: '{% $count($pages) >= 4 %}', Next: 'Too many pages' }, { Condition: '{% $not($token != null) %}', Next: 'Fetch page' }],
      Default: 'Summarise',
    },
    'Too many pages': { Type: 'Fail', Error: 'Paging.Limit', Cause: 'more than four pages' },
    'Summarise': { Type: 'Pass', Output: { pages: '{% $count($pages) %}', invoices: '{% $count($reduce($pages, $append, [])) %}' }, Next: 'Any invoices?' },
    'Any invoices?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.invoices > 0 %}', Next: 'Send digest' }], Default: 'Nothing due' },
    'Send digest': { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:digest', Message: '{% $string($states.input) %}' }, End: true },
    'Nothing due': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

const MORE_LEADS_ON = Property.leadsTo('More?', ['Summarise', 'Too many pages', 'Fetch page']);

const facts = { unreachableStates: new Set<string>(), unreachableTransitions: new Set<string>(), failedAt: new Map(), express: false };
const graphOf = (def: StateMachineDefinition): MachineGraph => new MachineGraph(def, facts);

describe('a loop no bound limits, which the history limit can cut', () => {
  it('is a run that stops at More? with States.Runtime, breaking the leadsTo', async () => {
    const wf = Workflow.fromDefinition(PAGING_FLIPPED);
    const run = await wf.run({ startToken: 't0' }, { mocks: mocksFromJson({ 'Fetch page': { Return: { items: [], next: null } } }, 'paging') });
    expect({ status: run.status, error: run.error, last: run.path[run.path.length - 1] }).toEqual({ status: 'FAILED', error: StatesErrors.RUNTIME, last: 'More?' });
    expect(violationOf(MORE_LEADS_ON, run)).toMatch(/^enters 'More\?' \(state \d+ of the path\) and then ends FAILED with States.Runtime without entering/);
  });

  it('does not prove the leadsTo that run breaks, through verify or on the graph', async () => {
    const report = await Workflow.fromDefinition(PAGING_FLIPPED).verify({ moreLeadsOn: MORE_LEADS_ON });
    expect(report.properties.moreLeadsOn.verdict).not.toBe('HOLDS');
    expect(proveOnGraph(graphOf(PAGING_FLIPPED), MORE_LEADS_ON)).toMatchObject({
      proved: false,
      reason: expect.stringMatching(/^'(Fetch page|More\?)' sits on a loop no bound limits \(.*\): a run can go round it until the history limit \(25,000 events\), where AWS fails the run with States.Runtime wherever it is/),
    });
  });

  it('does not prove an endsWith that refuses States.Runtime, and still proves one that allows it', () => {
    // With {"again": true} the run waits and checks again until the history limit.
    const waiting = {
      StartAt: 'Check?',
      States: {
        'Check?': { Type: 'Choice', Choices: [{ Variable: '$.again', BooleanEquals: true, Next: 'Pause' }], Default: 'Done' },
        'Pause': { Type: 'Wait', Seconds: 1, Next: 'Check?' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const graph = graphOf(waiting);
    expect(proveOnGraph(graph, Property.endsWith({ statuses: ['SUCCEEDED'] }))).toMatchObject({
      proved: false,
      reason: expect.stringMatching(/sits on a loop no bound limits .*, where AWS fails the run with States.Runtime wherever it is$/),
    });
    expect(proveOnGraph(graph, Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: [StatesErrors.RUNTIME] }))).toMatchObject({ proved: true });
  });

  it('does not prove a leadsTo whose state comes after such a loop: the limit can fall just after it', () => {
    const pollThenShip = {
      StartAt: 'Ready?',
      States: {
        'Ready?': { Type: 'Choice', Choices: [{ Variable: '$.ready', BooleanEquals: false, Next: 'Pause' }], Default: 'Pack' },
        'Pause': { Type: 'Wait', Seconds: 1, Next: 'Ready?' },
        'Pack': { Type: 'Pass', Next: 'Ship' },
        'Ship': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(proveOnGraph(graphOf(pollThenShip), Property.leadsTo('Pack', 'Ship'))).toMatchObject({
      proved: false,
      reason: expect.stringMatching(/; 'Pack' comes after it, so the limit can fall just after 'Pack', before 'Ship'$/),
    });
  });

  it('still proves a leadsTo whose loops a run meets only after entering its target', () => {
    // A failed charge refunds, then retries the refund a minute apart: the loop starts with 'Refund'.
    const refundLoop = {
      StartAt: 'Charge',
      States: {
        'Charge': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'charge' }, QueryLanguage: 'JSONata', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Refund' }], Next: 'Done' },
        'Refund': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'refund' }, QueryLanguage: 'JSONata', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Wait to refund' }], Next: 'Done' },
        'Wait to refund': { Type: 'Wait', Seconds: 60, Next: 'Refund' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(proveOnGraph(graphOf(refundLoop), Property.leadsTo('Charge', ['Done', 'Refund']))).toMatchObject({ proved: true });
    // Without 'Refund' among the targets, the loop runs on with none of them entered.
    expect(proveOnGraph(graphOf(refundLoop), Property.leadsTo('Charge', 'Done'))).toMatchObject({ proved: false });
  });

  it('still proves a leadsTo with no loop after its state, and one whose loop a counter bounds', () => {
    const straight = {
      StartAt: 'Fetch page',
      States: {
        'Fetch page': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'page' }, OutputPath: '$.Payload', Next: 'More?' },
        'More?': { Type: 'Choice', Choices: [{ Variable: '$.next', IsPresent: true, Next: 'Again' }], Default: 'Done' },
        'Again': { Type: 'Pass', Next: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(proveOnGraph(graphOf(straight), Property.leadsTo('More?', ['Again', 'Done']))).toMatchObject({ proved: true });
    const counted = {
      QueryLanguage: 'JSONata',
      StartAt: 'Begin',
      States: {
        'Begin': { Type: 'Pass', Assign: { n: 0 }, Next: 'Fetch page' },
        'Fetch page': { Type: 'Pass', Assign: { n: '{% $n + 1 %}' }, Next: 'More?' },
        'More?': { Type: 'Choice', Choices: [{ Condition: '{% $n < 3 %}', Next: 'Fetch page' }], Default: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(proveOnGraph(graphOf(counted), Property.leadsTo('More?', ['Done']))).toMatchObject({ proved: true });
  });
  it('does not prove an endsWith over an INLINE Map whose items the input gives: enough of them reach the limit', async () => {
    const each = (mode: 'INLINE' | 'DISTRIBUTED'): StateMachineDefinition => ({
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: mode }, StartAt: 'Copy', States: { Copy: { Type: 'Pass', End: true } } }, End: true } },
    } as unknown as StateMachineDefinition);
    const succeeds = Property.endsWith({ statuses: ['SUCCEEDED'] });
    const run = await Workflow.fromDefinition(each('INLINE')).run({ items: Array(7_000).fill(0) });
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: StatesErrors.RUNTIME });
    expect(violationOf(succeeds, run)).toBeDefined();
    expect(proveOnGraph(graphOf(each('INLINE')), succeeds)).toMatchObject({
      proved: false,
      reason: expect.stringMatching(/^Map 'Each' runs its iteration once per item, .* or a DISTRIBUTED Map, .* a run given enough items reaches the history limit \(25,000 events\)/),
    });
    // A DISTRIBUTED Map's items run as child executions, each with a history of its own.
    expect(proveOnGraph(graphOf(each('DISTRIBUTED')), succeeds)).toMatchObject({ proved: true });
  });
});

describe('a Retry whose MaxAttempts is past what any history holds', () => {
  /** Every attempt fails until the history limit ends the run: AWS fails it there with States.Runtime. */
  const retried = (maxAttempts: number): StateMachineDefinition => ({
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { 'FunctionName': 'f', 'Payload.$': '$' },
        Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: maxAttempts, IntervalSeconds: 1, BackoffRate: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        Next: 'Done',
      },
      Handled: { Type: 'Fail', Error: 'Call.Failed' },
      Done: { Type: 'Succeed' },
    },
  });

  // Before, explore built the plan of N failing calls one copy per call (MaxAttempts 20,000: 17 s
  // of copying; 99,999,999 never ended), and every attempt left after the limit called again.
  it.each([20_000, 99_999_999])('finds the run the history limit ends, with MaxAttempts %d, within its budget', async (maxAttempts) => {
    const report = await Workflow.fromDefinition(retried(maxAttempts)).verify({ ends: Property.leadsTo('Call', ['Done', 'Handled']) }, { budgetSeconds: 280 });
    const ends = report.properties.ends;
    expect(ends.verdict).toBe('VIOLATED');
    expect(ends.counterexample).toMatchObject({ status: 'FAILED', error: StatesErrors.RUNTIME });
  }, 300_000);
});
