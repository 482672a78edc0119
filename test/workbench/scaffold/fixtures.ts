import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import type { CategoryReport, ExploreReport, ExploreScenario } from '../../../src/explore/report-types';

/**
 * An order machine with one of each thing a test name mentions: two Choice
 * rules and a Default to two targets, a Retry, a Catch, a callback Task, and
 * Fail states.
 */
export const ORDER: StateMachineDefinition = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.vip', BooleanEquals: true, Next: 'Charge' },
        { Variable: '$.total', NumericGreaterThan: 100, Next: 'Charge' },
      ],
      Default: 'Approve',
    },
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'approve', Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 60,
      Next: 'Charge',
    },
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['Payment.Declined'], Next: 'Declined' }],
      End: true,
    },
    Declined: { Type: 'Fail', Error: 'Order.Declined', Cause: 'the card was declined' },
  },
} as StateMachineDefinition;

const category = <K extends string>(reached: number, total: number, extra: Partial<CategoryReport<K>> = {}): CategoryReport<K> => ({
  reached, total, unreachable: [], notReached: [], ...extra,
});

/** A scenario with the fields every one has. */
export function scenario(fields: Partial<ExploreScenario> & Pick<ExploreScenario, 'name' | 'path' | 'status'>): ExploreScenario {
  return { input: {}, mocks: {}, covers: {}, ...fields };
}

/** A report over {@link ORDER} with the given scenarios. */
export function report(scenarios: ExploreScenario[], extra: Partial<ExploreReport> = {}): ExploreReport {
  return {
    machine: 'Orders',
    states: category(4, 4),
    transitions: category(4, 5, { notReached: [{ transition: 'Approve -> Charge', reason: 'no scenario reached it' }] }),
    choiceRules: category(3, 3),
    catches: category(1, 1),
    retries: category(1, 1),
    callbacks: category(1, 3, {
      unreachable: [{ callback: 'Approve#failure', reason: 'nothing sends a failure' }],
      notReached: [{ callback: 'Approve#timeout', reason: 'the search ran out of time' }],
    }),
    scenarios,
    findings: [],
    search: { complete: true, runs: 7 },
    ...extra,
  };
}

/** A VIP order: throttled once, then declined and caught. */
export const THROTTLED_THEN_DECLINED = scenario({
  name: 'Charge#0 caught',
  input: { vip: true, total: 20 },
  mocks: {
    Charge: [
      { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      { Throw: { Error: 'Payment.Declined' } },
    ],
  },
  path: ['Check', 'Charge', 'Declined'],
  status: 'FAILED',
  error: 'Order.Declined',
  cause: 'the card was declined',
  covers: { states: ['Check', 'Charge', 'Declined'], choiceRules: ['Check#0'], retries: ['Charge#0'], catches: ['Charge#0'] },
});

/** A large order charged at once. */
export const LARGE_ORDER = scenario({
  name: 'Check#1',
  input: { vip: false, total: 101 },
  mocks: { Charge: { Return: { chargeId: 'ch_1', amount: 101 } } },
  path: ['Check', 'Charge'],
  status: 'SUCCEEDED',
  output: { chargeId: 'ch_1', amount: 101 },
  covers: { states: ['Check', 'Charge'], choiceRules: ['Check#1'] },
});

/** A small order approved by callback, then charged. */
export const APPROVED = scenario({
  name: 'Check#default',
  input: { vip: false, total: 5 },
  mocks: { Approve: { approved: true }, Charge: { Return: [1, 2] } },
  path: ['Check', 'Approve', 'Charge'],
  status: 'SUCCEEDED',
  output: [1, 2],
  covers: { states: ['Check', 'Approve', 'Charge'], choiceRules: ['Check#default'], callbacks: ['Approve#success'] },
});

/** The approval never comes. */
export const APPROVAL_TIMES_OUT = scenario({
  name: 'Approve#timeout',
  input: { vip: false, total: 5 },
  mocks: { Approve: { Throw: { Error: 'States.Timeout' } } },
  path: ['Check', 'Approve'],
  status: 'FAILED',
  error: 'States.Timeout',
  covers: { states: ['Check', 'Approve'], choiceRules: ['Check#default'], callbacks: ['Approve#timeout'] },
});
