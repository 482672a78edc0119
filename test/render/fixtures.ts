import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { fail, succeed, Workflow, type WorkflowRun } from '../../src/testing';
import { coverageSummary, resetCoverage, type MachineCoverage } from '../../src/testing/coverage';

/**
 * A machine with every kind of state, a Parallel nested in a Map's item
 * processor, Retry and Catch, and names that need escaping.
 */
export const ORDER = {
  Comment: 'Order: every kind of state, nested scopes and awkward names',
  StartAt: 'Check "total" [€]',
  States: {
    'Check "total" [€]': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.total', NumericGreaterThan: 1000, Next: 'Wait for approval' },
        { And: [{ Variable: '$.country', StringEquals: 'DE' }, { Not: { Variable: '$.vat', IsPresent: true } }], Next: 'Add VAT' },
      ],
      Default: 'Charge card',
    },
    'Wait for approval': { Type: 'Wait', Seconds: 60, Next: 'Charge card' },
    'Add VAT': { Type: 'Pass', Result: 0.19, ResultPath: '$.vat', Next: 'Charge card' },
    'Charge card': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'Payload.$': '$' },
      ResultPath: '$.charge',
      Retry: [{ ErrorEquals: ['Card.Busy'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['Card.Declined'], ResultPath: '$.error', Next: 'Declined <b>#1</b>' }],
      Next: 'Pack items',
    },
    'Pack items': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Pack & label',
        States: {
          'Pack & label': {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Pack', States: { Pack: { Type: 'Pass', End: true } } },
              { StartAt: '印刷 label', States: { '印刷 label': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
            ],
            End: true,
          },
        },
      },
      ResultPath: '$.packed',
      Next: 'Done',
    },
    'Done': { Type: 'Succeed' },
    'Declined <b>#1</b>': { Type: 'Fail', Error: 'Order.Declined', Cause: 'the card was declined' },
  },
} as unknown as StateMachineDefinition;

export const ORDER_STATES = [
  'Check "total" [€]', 'Wait for approval', 'Add VAT', 'Charge card', 'Pack items', 'Pack & label', 'Pack', '印刷 label', 'Done', 'Declined <b>#1</b>',
];

export interface OrderRuns {
  /** Succeeds after two Card.Busy retries, with two items. */
  readonly succeeded: WorkflowRun;
  /** Declined card: caught into the Fail state. */
  readonly declined: WorkflowRun;
  /** Label printing fails inside the Parallel inside the Map: the execution fails there. */
  readonly broken: WorkflowRun;
  /** Coverage of the three runs. */
  readonly coverage: MachineCoverage;
}

/** Runs the ORDER machine three ways through the harness and reads its coverage. */
export async function orderRuns(): Promise<OrderRuns> {
  resetCoverage();
  const wf = Workflow.fromDefinition(ORDER, { name: 'Order' });
  const items = [{ sku: 'a' }, { sku: 'b' }];
  const succeeded = await wf.run({ total: 10, country: 'FR', items }, {
    mocks: { 'Charge card': [fail('Card.Busy'), fail('Card.Busy'), succeed({ id: 'ch_1' })], '印刷 label': succeed({ ok: true }) },
  });
  const declined = await wf.run({ total: 5000, items }, { mocks: { 'Charge card': fail('Card.Declined', 'no funds') } });
  const broken = await wf.run({ total: 10, country: 'FR', items: [{ sku: 'a' }] }, {
    mocks: { 'Charge card': succeed({ id: 'ch_2' }), '印刷 label': fail('Printer.Jammed', 'paper jam') },
  });
  const coverage = coverageSummary().find((m) => m.name === 'Order')!;
  resetCoverage();
  return { succeeded, declined, broken, coverage };
}

/**
 * A Map over five items, one at a time, whose Task fails on the second and fourth, tolerating
 * `tolerated` failures (one at a time, an iteration after the Map failed never starts).
 */
export function pricingMap(tolerated: number): StateMachineDefinition {
  return {
    StartAt: 'Price items',
    States: {
      'Price items': {
        Type: 'Map',
        MaxConcurrency: 1,
        ToleratedFailureCount: tolerated,
        ItemProcessor: { StartAt: 'Price', States: { Price: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
        End: true,
      },
    },
  } as unknown as StateMachineDefinition;
}

export interface MapRuns {
  /** 2 of 5 iterations fail, ToleratedFailureCount 2: the Map and the execution succeed. */
  readonly tolerated: WorkflowRun;
  /** The same failures with ToleratedFailureCount 1: the Map fails with States.ExceedToleratedFailureThreshold. */
  readonly exceeded: WorkflowRun;
}

/** Runs pricingMap twice over five items, the second and fourth failing. */
export async function mapRuns(): Promise<MapRuns> {
  const mocks = { Price: [succeed(1), fail('Price.Missing'), succeed(2), fail('Price.Missing'), succeed(3)] };
  const items = [1, 2, 3, 4, 5];
  const tolerated = await Workflow.fromDefinition(pricingMap(2), { name: 'Tolerated' }).run(items, { mocks });
  const exceeded = await Workflow.fromDefinition(pricingMap(1), { name: 'Exceeded' }).run(items, { mocks });
  return { tolerated, exceeded };
}

/** `n` Pass states, each leading to the next, the last ending the machine: S0 -> S1 -> ... */
export function linearChain(n: number): StateMachineDefinition {
  const States: Record<string, object> = {};
  for (let i = 0; i < n; i++) States[`S${i}`] = i + 1 < n ? { Type: 'Pass', Next: `S${i + 1}` } : { Type: 'Pass', End: true };
  return { StartAt: 'S0', States } as unknown as StateMachineDefinition;
}

/** `n` Tasks in a chain, each catching every error into one handler: the handler is drawn below them all. */
export function sharedHandler(n: number): StateMachineDefinition {
  const States: Record<string, object> = {};
  for (let i = 0; i < n; i++) {
    States[`T${i}`] = {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }], ...(i + 1 < n ? { Next: `T${i + 1}` } : { End: true }),
    };
  }
  States.Handle = { Type: 'Fail', Error: 'Order.Failed' };
  return { StartAt: 'T0', States } as unknown as StateMachineDefinition;
}

/** `n` Tasks in a chain, each catching an error of its own into every one of them: `n × n` transitions. */
export function catchIntoEveryOther(n: number): StateMachineDefinition {
  const States: Record<string, object> = {};
  for (let i = 0; i < n; i++) {
    States[`T${i}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Catch: Array.from({ length: n }, (_, j) => ({ ErrorEquals: [`E${j}`], Next: `T${j}` })),
      ...(i + 1 < n ? { Next: `T${i + 1}` } : { End: true }),
    };
  }
  return { StartAt: 'T0', States } as unknown as StateMachineDefinition;
}

/**
 * A machine whose states are named as Object.prototype's members: a Pass,
 * a Task that retries an error named `valueOf` and catches `__proto__`, a
 * Map and a Parallel with inner states, a Succeed and a Fail. Parsed from
 * JSON, as a file is, so `__proto__` is a state and not a prototype.
 */
export const PROTO = JSON.parse(`{
  "StartAt": "__proto__",
  "States": {
    "__proto__": { "Type": "Pass", "Next": "constructor" },
    "constructor": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": null,
      "Retry": [{ "ErrorEquals": ["valueOf"], "MaxAttempts": 2 }],
      "Catch": [{ "ErrorEquals": ["__proto__"], "Next": "propertyIsEnumerable" }],
      "Next": "toString"
    },
    "toString": {
      "Type": "Map", "ItemsPath": "$.items",
      "ItemProcessor": { "StartAt": "valueOf", "States": { "valueOf": { "Type": "Pass", "End": true } } },
      "ResultPath": null, "Next": "hasOwnProperty"
    },
    "hasOwnProperty": {
      "Type": "Parallel", "Branches": [{ "StartAt": "isPrototypeOf", "States": { "isPrototypeOf": { "Type": "Pass", "End": true } } }],
      "Next": "toLocaleString"
    },
    "toLocaleString": { "Type": "Succeed" },
    "propertyIsEnumerable": { "Type": "Fail", "Error": "constructor" }
  }
}`) as StateMachineDefinition;

/** The states PROTO's run enters: all but the Fail state. */
export const PROTO_VISITED = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString'];

/** PROTO run through the harness: `constructor` fails once with `valueOf` and is retried; the Map runs two items. */
export async function protoRun(): Promise<WorkflowRun> {
  return Workflow.fromDefinition(PROTO, { name: 'Proto' }).run({ items: [1, 2] }, { mocks: { constructor: [fail('valueOf'), succeed({})] } });
}

/**
 * A Parallel whose second branch's Task fails; the Parallel's Catch sends
 * the error to a Task that fails too and catches its own error into a Fail
 * state.
 */
export const CAUGHT = {
  Comment: 'Fan out, with every error caught on the way to the Fail state',
  StartAt: 'Fan out',
  States: {
    'Fan out': {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Log', States: { Log: { Type: 'Pass', End: true } } },
        { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Notify' }],
      Next: 'Done',
    },
    'Notify': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Give up' }], Next: 'Done' },
    'Give up': { Type: 'Fail', Error: 'Order.Failed', Cause: 'nothing worked' },
    'Done': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** CAUGHT run through the harness: Charge fails with Card.Declined, Notify with Mail.Down. */
export async function caughtRun(): Promise<WorkflowRun> {
  return Workflow.fromDefinition(CAUGHT, { name: 'Caught' }).run({}, { mocks: { Charge: fail('Card.Declined', 'no funds'), Notify: fail('Mail.Down') } });
}
