import * as fs from 'fs';
import * as path from 'path';
import { sagaDefinition, tryCatchDefinition } from './corpus-machines';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { normalizeProperty, Property, violationOf, type VerifyProperty } from '../../src/explore/properties';
import type { VerifyReport } from '../../src/explore/verify';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { runThroughCli } from './verify-setup';

/*
 * verify's corpus: machines built with the Saga and TryCatch builders and the CLI example, each
 * with properties that hold and copies with one seeded defect (a compensation removed, a Catch
 * narrowed, a Choice rule flipped, a Retry lowered, a Next changed). Every seeded violation must
 * be found with a counterexample that reproduces when run from its input and mocks as a test
 * runs it; a property that holds must never be VIOLATED.
 */

stopExploreClock();

type Props = Record<string, VerifyProperty<WorkflowRun>>;
type Expected = 'HOLDS' | 'VIOLATED' | 'UNKNOWN';

const clone = (d: StateMachineDefinition): StateMachineDefinition => JSON.parse(JSON.stringify(d)) as StateMachineDefinition;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the seeds edit the definition's JSON as a user's diff would
type Edit = (states: any) => void;
const seeded = (d: StateMachineDefinition, edit: Edit): StateMachineDefinition => {
  const c = clone(d);
  edit(c.States);
  return c;
};

const saga = sagaDefinition();
// The TryCatch as an app runs it, after a state that builds its input: its Catches write the error
// into the input (ResultPath '$.error'), which fails on an execution input that is not an object.
const tryCatchFirst = tryCatchDefinition();
const tryCatch = {
  ...tryCatchFirst,
  StartAt: 'Build order',
  States: { 'Build order': { Type: 'Pass', Parameters: { 'order.$': '$' }, Next: tryCatchFirst.StartAt }, ...tryCatchFirst.States },
} as StateMachineDefinition;
const order = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../examples/cli/order-processing.asl.json'), 'utf8')) as StateMachineDefinition;

const sagaProps: Props = {
  failedChargeCancelsFlight: Property.leadsTo('Booking: Payment', ['Booked', 'CancelFlight']),
  flightBookedBeforeCharge: Property.precedes('BookFlight', 'Charge'),
  bookedOnlyWhenPaid: Property.precedes('Booking: Payment result', 'Booked'),
  chargesOnce: Property.atMost('Charge', 1),
};
const tryCatchProps: Props = {
  endsDoneOrNotSent: Property.leadsTo('Send email', ['Done', 'Not sent']),
  failsOnlyAsNotSent: Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: ['Notify.Failed'] }),
  bouncedIsSkipped: (run) => !run.path.includes('Report failure') || run.attempts('Send email').every((a) => a.error !== 'Email.Bounced'),
};
const orderProps: Props = {
  declinedNeverShips: Property.precedes('ReserveItems', 'Shipped'),
  expressOnlyWhenAsked: (run) => !run.path.includes('ShipExpress') || (run.inputOf('ShippingSpeed') as { express?: unknown }).express === true,
  throttlingNeverFailsTheOrder: (run) => run.error !== 'Lambda.TooManyRequestsException',
  chargesOnce: Property.atMost('ChargeCard', 1),
  shipsOneWay: (run) => !(run.path.includes('ShipExpress') && run.path.includes('ShipStandard')),
};

interface Case {
  readonly name: string;
  readonly definition: StateMachineDefinition;
  readonly properties: Props;
  /** What each property must come to; absent: anything but VIOLATED. */
  readonly expected: Readonly<Record<string, Expected>>;
  /** Answers the search cannot make up itself (an error no rule names), or that fix a Task's: given as `--mocks` gives them. */
  readonly mocks?: Record<string, JsonValue>;
}

/** Send email answers Email.Bounced: no Catch of the narrowed machine names it, so explore would never raise it. */
const BOUNCE: Record<string, JsonValue> = { 'Send email': { Throw: { Error: 'Email.Bounced' } } };
/** ChargeCard is throttled twice, then answers: a Retry of 3 attempts rides it out, one of 1 does not. */
const THROTTLED_TWICE: Record<string, JsonValue> = {
  ChargeCard: [{ Throw: { Error: 'Lambda.TooManyRequestsException' } }, { Throw: { Error: 'Lambda.TooManyRequestsException' } }, { Return: { charged: true } }],
};

/**
 * ChargeCard retries Lambda.TooManyRequestsException three times, then gives up and the order
 * fails with it: with no mocks, verify wears the Retry out itself (a fourth throttle), as AWS
 * would fail the order, so throttlingNeverFailsTheOrder holds only where the throttling stops.
 */
const RETRY_WORN_OUT = { throttlingNeverFailsTheOrder: 'VIOLATED' } as const;

const CASES: Case[] = [
  { name: 'Saga as built', definition: saga, properties: sagaProps, expected: { failedChargeCancelsFlight: 'HOLDS', flightBookedBeforeCharge: 'HOLDS', bookedOnlyWhenPaid: 'HOLDS', chargesOnce: 'HOLDS' } },
  {
    name: 'Saga with the compensation removed',
    definition: sagaDefinition(false),
    properties: sagaProps,
    expected: { failedChargeCancelsFlight: 'VIOLATED' },
  },
  {
    name: 'Saga with its Catch narrowed',
    definition: seeded(saga, (s) => { s['Booking: Payment'].Catch[0].ErrorEquals = ['Payment.Declined']; }),
    properties: sagaProps,
    expected: { failedChargeCancelsFlight: 'VIOLATED' },
  },
  {
    name: 'Saga with a Next changed',
    definition: seeded(saga, (s) => { s['Booking: Undo Flight'].Next = 'Booked'; }),
    properties: sagaProps,
    expected: { bookedOnlyWhenPaid: 'VIOLATED' },
  },
  { name: 'TryCatch as built', definition: tryCatch, properties: tryCatchProps, expected: { endsDoneOrNotSent: 'HOLDS', failsOnlyAsNotSent: 'HOLDS', bouncedIsSkipped: 'UNKNOWN' } },
  // First in its machine, on an execution input that is not an object (AWS takes any JSON), the
  // Catch's ResultPath '$.error' fails (States.ResultPathMatchFailure) and the run ends there.
  {
    name: 'TryCatch first in its machine',
    definition: tryCatchFirst,
    properties: tryCatchProps,
    expected: { endsDoneOrNotSent: 'VIOLATED', failsOnlyAsNotSent: 'VIOLATED' },
  },
  { name: 'TryCatch as built, given a bounce', definition: tryCatch, properties: tryCatchProps, expected: { bouncedIsSkipped: 'UNKNOWN' }, mocks: BOUNCE },
  {
    name: 'TryCatch with its Catch narrowed',
    definition: seeded(tryCatch, (s) => { s.Notify.Catch[0].ErrorEquals = ['Email.Rejected']; }),
    properties: tryCatchProps,
    expected: { bouncedIsSkipped: 'VIOLATED' },
    mocks: BOUNCE,
  },
  {
    name: 'TryCatch with its catch-all narrowed',
    definition: seeded(tryCatch, (s) => { s.Notify.Catch[1].ErrorEquals = ['States.TaskFailed']; }),
    properties: tryCatchProps,
    expected: { endsDoneOrNotSent: 'VIOLATED', failsOnlyAsNotSent: 'VIOLATED' },
  },
  { name: 'order example as written', definition: order, properties: orderProps, expected: { chargesOnce: 'HOLDS', declinedNeverShips: 'HOLDS', ...RETRY_WORN_OUT } },
  { name: 'order example as written, throttled twice', definition: order, properties: orderProps, expected: { throttlingNeverFailsTheOrder: 'UNKNOWN' }, mocks: THROTTLED_TWICE },
  {
    name: 'order example with its Choice rule flipped',
    definition: seeded(order, (s) => { s.ShippingSpeed.Choices[0].BooleanEquals = false; }),
    properties: orderProps,
    expected: { expressOnlyWhenAsked: 'VIOLATED', ...RETRY_WORN_OUT },
  },
  {
    name: 'order example with its Retry lowered',
    definition: seeded(order, (s) => { s.ChargeCard.Retry[0].MaxAttempts = 1; }),
    properties: orderProps,
    expected: { throttlingNeverFailsTheOrder: 'VIOLATED' },
    mocks: THROTTLED_TWICE,
  },
  {
    name: 'order example with a Next changed',
    definition: seeded(order, (s) => { s.ShipExpress.Next = 'ShipStandard'; }),
    properties: orderProps,
    expected: { shipsOneWay: 'VIOLATED', ...RETRY_WORN_OUT },
  },
];

/** Runs a counterexample as a test would, from its input and mocks, and says whether it breaks the property again. */
async function reproduces(wf: Workflow, report: VerifyReport, name: string, property: VerifyProperty<WorkflowRun>): Promise<string | undefined> {
  const c = report.properties[name].counterexample!;
  const run = await wf.run(c.input, { mocks: mocksFromJson(c.mocks, name) });
  expect(run.path).toEqual(c.path);
  return violationOf(normalizeProperty<WorkflowRun>(name, property, new Set(Object.keys(wf.definition.States))), run);
}

const times: string[] = [];
const tally = { seeded: 0, found: 0, holds: 0, unknown: 0, violatedWhenHolding: 0, reran: 0 };

describe.each(CASES)('$name', ({ name: machineName, definition, properties, expected, mocks }) => {
  let wf: Workflow;
  let report: VerifyReport;
  beforeAll(async () => {
    wf = Workflow.fromDefinition(definition);
    const started = Date.now();
    report = await wf.verify(properties, mocks ? { mocks } : {});
    // Shown with the figures, never asserted: tests do not depend on the machine's speed.
    times.push(`  ${machineName}: ${Date.now() - started} ms`);
  });

  const seeds = Object.keys(expected).filter((k) => expected[k] === 'VIOLATED');
  if (seeds.length > 0) {
    it.each(seeds)('finds %s VIOLATED with a counterexample that reproduces', async (name) => {
      tally.seeded++;
      expect(report.properties[name]).toMatchObject({ verdict: 'VIOLATED' });
      expect(await reproduces(wf, report, name, properties[name])).toBeDefined();
      tally.found++;
    });
  }

  it('runs every VIOLATED counterexample again to its path and end through the harness and stepwright run', async () => {
    for (const [name, v] of Object.entries(report.properties)) {
      if (v.verdict !== 'VIOLATED') continue;
      const c = v.counterexample!;
      const run = await wf.run(c.input, { mocks: mocksFromJson(c.mocks, name) });
      expect({ name, path: run.path, status: run.status, error: run.error }).toEqual({ name, path: c.path, status: c.status, error: c.error });
      const printed = await runThroughCli<{ path: string[]; status: string; error?: string }>(definition, c.input, c.mocks);
      const again = { name, path: printed.path, status: printed.status, error: printed.error };
      expect(again).toEqual({ name, path: c.path, status: c.status, error: c.error });
      tally.reran++;
    }
  });

  it('never reports VIOLATED for a property the seed does not break, and earns each expected verdict', () => {
    for (const [name, v] of Object.entries(report.properties)) {
      const want = expected[name];
      if (want === 'VIOLATED') continue;
      if (want !== undefined) expect({ name, verdict: v.verdict, reason: v.reason }).toEqual({ name, verdict: want, reason: v.reason });
      if (v.verdict === 'VIOLATED') tally.violatedWhenHolding++;
      expect({ name, verdict: v.verdict }).not.toEqual({ name, verdict: 'VIOLATED' });
      if (v.verdict === 'HOLDS') tally.holds++;
      if (v.verdict === 'UNKNOWN') tally.unknown++;
    }
  });
});

afterAll(() => {
  // The figures the closing note gives.
  process.stdout.write(`verify corpus: ${tally.found}/${tally.seeded} seeded violations found; ${tally.reran} counterexamples re-run through the harness and stepwright run; non-violated verdicts: ${tally.holds} HOLDS, ${tally.unknown} UNKNOWN, ${tally.violatedWhenHolding} VIOLATED\n${times.join('\n')}\n`);
});
