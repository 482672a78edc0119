import { exploreClock } from '../../src/explore/context';
import { Property, PropertyError } from '../../src/explore/properties';
import { toHold } from '../../src/testing/matchers';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { ORDER } from './verify-setup';

/*
 * verify on the explore guide's order machine: each verdict and how it is earned. Audit is
 * unreachable (its Choice rule asks for a total above 1,000 and below 10); Review is reached
 * when the total is above 1,000.
 */

stopExploreClock();

const wf = Workflow.fromDefinition(ORDER);
const context = { equals: (a: unknown, b: unknown) => Object.is(a, b) };

describe('verify on the order machine', () => {
  let report: Awaited<ReturnType<Workflow['verify']>>;
  beforeAll(async () => {
    report = await wf.verify({
      neverAudit: Property.never('Audit'),
      neverReview: Property.never('Review'),
      reviewLeadsToShip: Property.leadsTo('Review', 'Ship'),
      shipAfterPaidCheck: Property.precedes('Paid?', 'Ship'),
      chargesOnce: Property.atMost('Charge', 1),
      endsDeclinedOrShipped: Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: ['Declined'] }),
      short: Property.maxTransitions(5),
      tooShort: Property.maxTransitions(4),
      quick: Property.maxSeconds(3600),
      neverTimesOut: (run) => run.status !== 'TIMED_OUT',
      typo: Property.never('Shpi'),
    });
  });

  it('proves a state explore proved unreachable is never entered', () => {
    expect(report.properties.neverAudit).toMatchObject({ verdict: 'HOLDS' });
    expect(report.complete).toBe(true);
  });

  it('reports a reachable state as VIOLATED with the input and mocks that reach it', async () => {
    const v = report.properties.neverReview;
    expect(v).toMatchObject({ verdict: 'VIOLATED', counterexample: { path: ['Charge', 'Paid?', 'Big order?', 'Review', 'Ship'] } });
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'neverReview') });
    expect(run.path).toContain('Review');
  });

  it('proves leadsTo, precedes, atMost and maxTransitions over every path of the graph', () => {
    for (const name of ['reviewLeadsToShip', 'shipAfterPaidCheck', 'chargesOnce', 'short']) {
      expect({ name, verdict: report.properties[name].verdict }).toEqual({ name, verdict: 'HOLDS' });
    }
  });

  it('finds the error nothing catches that breaks endsWith, and a path longer than a bound', () => {
    expect(report.properties.endsDeclinedOrShipped).toMatchObject({ verdict: 'VIOLATED', counterexample: { status: 'FAILED' } });
    expect(report.properties.endsDeclinedOrShipped.counterexample!.error).not.toBe('Declined');
    expect(report.properties.tooShort).toMatchObject({ verdict: 'VIOLATED', reason: expect.stringMatching(/^the run enters 5 states \(minimized: /) });
  });

  it('does not prove seconds a Task without TimeoutSeconds leaves unbounded, nor a function of the run, and says why', () => {
    expect(report.properties.quick).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('no TimeoutSeconds the definition fixes') });
    expect(report.properties.neverTimesOut).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('cannot tell what a function of the run reads') });
  });

  it('never proves a property that names no state of the machine, and names it', () => {
    expect(report.properties.typo).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining("'Shpi', which is no state") });
  });

  it('toHold fails naming each violated property with its counterexample, and passes on none', () => {
    const failed = toHold.call(context, report);
    expect(failed.pass).toBe(false);
    expect(failed.message()).toContain('neverReview');
    expect(failed.message()).toContain('input: {"total":1001}');
    expect(failed.message()).not.toContain('neverAudit');
    const held = { ...report, properties: { neverAudit: report.properties.neverAudit, neverTimesOut: report.properties.neverTimesOut } };
    expect(toHold.call(context, held).pass).toBe(true);
    expect(toHold.call(context, held, { proved: true }).pass).toBe(false);
  });
});

describe('verify when explore does not cover the machine', () => {
  it('answers UNKNOWN, not HOLDS, naming what was not covered', async () => {
    // A clock that jumps past any budget: the search stops before it covers anything.
    let t = 0;
    exploreClock.now = () => (t += 1_000_000);
    try {
      const report = await wf.verify({ neverAudit: Property.never('Audit') }, { budgetSeconds: 1 });
      expect(report.complete).toBe(false);
      expect(report.properties.neverAudit).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('time budget') });
    } finally {
      exploreClock.now = () => 0;
    }
  });
});

describe('properties that are not well formed', () => {
  it.each([
    ['a number', 42],
    ['an unknown kind', { kind: 'sometimes', state: 'Ship' }],
    ['a negative bound', Property.atMost('Ship', -1)],
    ['a fractional transition bound', Property.maxTransitions(2.5)],
    ['an empty leadsTo', { kind: 'leadsTo', from: 'Charge', to: [] }],
    ['an unknown status', Property.endsWith({ statuses: ['DONE' as 'SUCCEEDED'] })],
  ])('refuses %s with a PropertyError naming the property', async (_what, p) => {
    await expect(wf.verify({ bad: p as never })).rejects.toThrow(PropertyError);
    await expect(wf.verify({ bad: p as never })).rejects.toThrow(/property 'bad'/);
  });

  it('names an infinite bound as Infinity, not as the null JSON writes for it', async () => {
    await expect(wf.verify({ bad: Property.maxTransitions(1e309) })).rejects.toThrow('limit must be an integer >= 1, got Infinity');
    await expect(wf.verify({ bad: Property.maxSeconds(NaN) })).rejects.toThrow('limit must be a number >= 0, got NaN');
  });
});

describe('a function of the run that returns no boolean', () => {
  it.each([
    ['a Promise (an async function), false on every run', async () => false, /returned a Promise/],
    ['undefined (a block body without return)', () => undefined, /returned undefined/],
    ['a string', () => 'yes', /returned "yes"/],
  ])('refuses %s with a PropertyError naming the property, never taking it by truthiness', async (_what, test, message) => {
    const p = Property.run(test as never);
    await expect(wf.verify({ notBoolean: p })).rejects.toThrow(PropertyError);
    await expect(wf.verify({ notBoolean: p })).rejects.toThrow(message);
    await expect(wf.verify({ notBoolean: p })).rejects.toThrow(/property 'notBoolean'.*true or false/);
  });

  it('gives each refused function a reason of its own, naming only it and its fix, and the error every one', async () => {
    const refused = await wf.verify({
      list: (run) => run.path as never,
      later: (async () => true) as never,
      nothing: (() => undefined) as never,
      fine: (run) => run.status !== 'ABORTED',
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PropertyError);
    const { report, message } = refused as PropertyError;
    const reasons = report!.properties;
    expect(reasons.list.reason).toMatch(/^property 'list' returned \[.*\], not true or false: .*\(return true when the run keeps the property, false when it breaks it\)$/);
    expect(reasons.later.reason).toMatch(/^property 'later' returned a Promise, not true or false: .*\(drop async: .*\)$/);
    expect(reasons.nothing.reason).toMatch(/^property 'nothing' returned undefined, not true or false/);
    for (const [name, other] of [['list', 'later'], ['later', 'nothing'], ['nothing', 'list']]) expect(reasons[name].reason).not.toContain(`'${other}'`);
    expect(reasons.fine.reason).not.toContain('not true or false');
    for (const name of ['list', 'later', 'nothing']) expect(message).toContain(`property '${name}' returned`);
  });

  it('quotes what a predicate throws, whatever it is, in at most 1,000 characters, and never throws itself', async () => {
    const result = await wf.verify({
      bare: (run) => { if (run.path.includes('Review')) throw Object.create(null); return true; },
      trap: (run) => { if (run.path.includes('Review')) throw { toString() { throw new Error('toString boom'); } }; return true; },
      long: (run) => { if (run.path.includes('Review')) throw new Error('x'.repeat(100_000)); return true; },
    });
    expect(result.properties.bare).toMatchObject({ verdict: 'VIOLATED', reason: expect.stringContaining('makes the predicate throw: [object Object]') });
    expect(result.properties.trap).toMatchObject({ verdict: 'VIOLATED', reason: expect.stringContaining('makes the predicate throw: [object Object]') });
    expect(result.properties.long.verdict).toBe('VIOLATED');
    expect(result.properties.long.reason).toContain(`makes the predicate throw: ${'x'.repeat(999)}…`);
    expect(result.properties.long.reason).not.toContain('x'.repeat(1_000));
  });

  it('leaves no unhandled rejection behind an async predicate that throws', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown): void => { rejections.push(e); };
    process.on('unhandledRejection', onRejection);
    try {
      await expect(wf.verify({ throwsLater: (async () => { throw new Error('later'); }) as never })).rejects.toThrow(/returned a Promise/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

describe('verify on an EXPRESS workflow', () => {
  it('does not prove a run never times out: AWS ends an EXPRESS run at five minutes in any state', async () => {
    const express = Workflow.fromDefinition(ORDER, { type: 'EXPRESS' });
    const report = await express.verify({ endsSucceededOrFailed: Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'] }) });
    expect(report.properties.endsSucceededOrFailed).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringContaining('TIMED_OUT') });
  });
});
