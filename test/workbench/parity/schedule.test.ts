import { faultProxy, type FaultProxy } from './fault-proxy';
import { ORDERS, ORDERS_INPUTS } from './orders';
import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { Workflow } from '../../../src/testing/workflow';
import { fail } from '../../../src/workbench/mocks/answers';
import { backoffMs, checkParity, runsOfRecordings, type ParityAnswer, type ParityRun, type TestStateEndpoint } from '../../../src/workbench/parity';
import { recordingOfExecution } from '../../../src/workbench/parity/runs';
import { serve } from '../../server/helpers';

/** A clock whose sleeps return at once and are kept: the back-offs a check waited, in virtual time. */
function virtualClock(): { sleep: (ms: number) => Promise<void>; slept: number[] } {
  const slept: number[] = [];
  return { slept, sleep: async (ms) => { slept.push(ms); } };
}

async function ordersRuns(): Promise<ParityRun[]> {
  const wf = Workflow.fromDefinition(ORDERS as unknown as StateMachineDefinition, { name: 'Orders' });
  const run = await wf.run(ORDERS_INPUTS[0], { mocks: { Charge: [fail('Busy', 'try again'), { chargeId: 'ch_1' }], Notify: { MessageId: 'm-1' } } });
  expect(run.status).toBe('SUCCEEDED');
  return runsOfRecordings([recordingOfExecution(wf.definition, run as never, 'Orders')]);
}

describe('parity against a throttling TestState (a proxy in front of serve)', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let proxy: FaultProxy;
  let runs: ParityRun[];

  beforeAll(async () => {
    env = await serve();
    proxy = await faultProxy(env.server.endpoint);
    runs = await ordersRuns();
  });
  afterAll(async () => {
    await proxy.close();
    await env.stop();
  });
  beforeEach(() => {
    proxy.seen.length = 0;
  });

  it('backs off on ThrottlingException on the given clock, retries, and reports nothing but equal visits', async () => {
    let throttles = 2;
    proxy.fault = (r) => (r.stateName === 'Items' && throttles-- > 0 ? { kind: 'throttle' } : undefined);
    const clock = virtualClock();
    const random = () => 0.5;
    const report = await checkParity({ runs }, { endpoint: proxy.endpoint, clock, random, concurrency: 1 });
    expect(report.counts).toEqual({ equal: report.rows.length, differs: 0, skipped: 0, unchecked: 0 });
    expect(report.throttled).toBe(2);
    expect(report.calls).toBe(report.rows.length + 2);
    expect(clock.slept).toEqual([backoffMs(0, random), backoffMs(1, random)]);
    expect(clock.slept).toEqual([750, 1500]);
  });

  it('leaves a visit throttled more often than maxThrottleRetries unchecked, naming the throttle, and checks the rest', async () => {
    proxy.fault = (r) => (r.stateName === 'Prepare' ? { kind: 'throttle' } : undefined);
    const clock = virtualClock();
    const report = await checkParity({ runs }, { endpoint: proxy.endpoint, clock, random: () => 0, maxThrottleRetries: 3 });
    const unchecked = report.rows.filter((r) => r.verdict === 'unchecked');
    expect(unchecked.map((r) => [r.site.state, r.reason])).toEqual([['Prepare', 'throttled 4 times (ThrottlingException); run again with a lower --concurrency']]);
    expect(report.counts).toEqual({ equal: report.rows.length - 1, differs: 0, skipped: 0, unchecked: 1 });
    expect(clock.slept).toEqual([500, 1000, 2000]);
  });
});

describe('parity against a TestState that fails one call', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let proxy: FaultProxy;
  beforeAll(async () => {
    env = await serve();
    proxy = await faultProxy(env.server.endpoint);
  });
  afterAll(async () => {
    await proxy.close();
    await env.stop();
  });

  it('leaves the visit of a call answered with a server error unchecked, naming it, and goes on with the rest', async () => {
    const runs = await ordersRuns();
    proxy.fault = (r) => (r.stateName === 'Both' ? { kind: 'refuse', type: 'ServiceUnavailable', message: 'try later' } : undefined);
    const report = await checkParity({ runs }, { endpoint: proxy.endpoint, clock: virtualClock() });
    expect(report.rows.filter((r) => r.verdict !== 'equal').map((r) => [r.site.state, r.verdict, r.reason]))
      .toEqual([['Both', 'unchecked', 'TestState did not answer: ServiceUnavailable: try later']]);
    expect(report.stopped).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles from 1 s to at most 30 s, half of it jittered', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    expect([0, 5, 9].map((n) => backoffMs(n, () => 0.999999))).toEqual([1000, 30000, 30000]);
  });
});

describe('parity calls', () => {
  /** A TestState that answers only when let go, and counts the calls in flight. */
  function heldEndpoint(): TestStateEndpoint & { inFlight: number; most: number; release: () => void } {
    const waiting: Array<() => void> = [];
    const e = {
      against: 'held',
      inFlight: 0,
      most: 0,
      release: () => { for (const w of waiting.splice(0)) w(); },
      async call(): Promise<ParityAnswer> {
        e.inFlight++;
        e.most = Math.max(e.most, e.inFlight);
        await new Promise<void>((resolve) => waiting.push(resolve));
        e.inFlight--;
        return { status: 'SUCCEEDED' };
      },
      close: () => undefined,
    };
    return e;
  }

  it('has at most `concurrency` calls in flight', async () => {
    const runs = await ordersRuns();
    const endpoint = heldEndpoint();
    const checking = checkParity({ runs }, { testStateEndpoint: endpoint, concurrency: 3 });
    // Let the held calls go as they come, until the check ends.
    let ended = false;
    void checking.finally(() => { ended = true; });
    while (!ended) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      endpoint.release();
    }
    expect(endpoint.most).toBe(3);
    expect((await checking).calls).toBe((await checking).rows.length);
  });

  it('makes at most maxCalls calls and reports the visits past them unchecked', async () => {
    const runs = await ordersRuns();
    let calls = 0;
    const endpoint: TestStateEndpoint = { against: 'counting', call: async () => { calls++; return { status: 'SUCCEEDED' }; }, close: () => undefined };
    const report = await checkParity({ runs }, { testStateEndpoint: endpoint, maxCalls: 4, concurrency: 1 });
    expect(calls).toBe(4);
    expect(report.calls).toBe(4);
    const unchecked = report.rows.filter((r) => r.verdict === 'unchecked');
    expect(unchecked).toHaveLength(report.rows.length - 4);
    expect(new Set(unchecked.map((r) => r.reason))).toEqual(new Set(['not sent: the check made the 4 calls it may (--max-calls)']));
  });

  it('stops at the first call no retry mends and reports the rest unchecked with its reason', async () => {
    const runs = await ordersRuns();
    const { EndpointFault } = await import('../../../src/workbench/parity');
    let calls = 0;
    const endpoint: TestStateEndpoint = {
      against: 'denied', call: async () => { calls++; throw new EndpointFault('fatal', 'AccessDeniedException: not authorized to perform states:TestState'); }, close: () => undefined,
    };
    const report = await checkParity({ runs }, { testStateEndpoint: endpoint, concurrency: 1 });
    expect(calls).toBe(1);
    expect(report.stopped).toBe('AccessDeniedException: not authorized to perform states:TestState');
    expect(report.counts.unchecked).toBe(report.rows.length);
    expect(report.counts.differs).toBe(0);
  });
});
