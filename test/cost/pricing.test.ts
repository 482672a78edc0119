import type { StateMachineDefinition } from '../../src/asl/definition-types';
import {
  billedMemoryMb, checkPriceTable, CostError, DEFAULT_PRICES, durationUsd, estimateCost, estimatedMemoryMb, expressEligibility, expressPrices,
  formatEstimate, runCost, usageOf, type CostedRun, type PriceTable,
} from '../../src/cost';
import { Workflow } from '../../src/testing';

/** A run of `ms` milliseconds that entered `transitions` Pass states, as a history. */
function run(ms: number, transitions = 1): CostedRun {
  const history = Array.from({ length: transitions }, (_, i) => ({
    id: i + 2, previousEventId: i + 1, type: 'PassStateEntered' as const, timestamp: new Date(0), stateEnteredEventDetails: { name: `S${i}`, input: '{}' },
  }));
  return { history, startDate: new Date(0), stopDate: new Date(ms), status: 'SUCCEEDED' };
}

const PASS: StateMachineDefinition = { StartAt: 'S0', States: { S0: { Type: 'Pass', End: true } } } as StateMachineDefinition;

describe("the worked examples of AWS's pricing pages", () => {
  it('reproduces the Express example of AWS Step Functions Pricing: 100 million 10-second workflows at 64 MB cost $100.00 + $382.97', () => {
    // Requests: 100M × $1.00 per million. Duration: 62,500,000 GB-s = 17,361.11 GB-hours,
    // 1,000 at $0.06, 4,000 at $0.03 and 12,361.11 at $0.01642.
    const e = estimateCost({ definition: PASS, runs: [run(10_000)] }, { perMonth: 100_000_000, expressMemoryMb: 64 });
    expect(e.express.requests).toBe(100_000_000);
    expect(e.express.gbSeconds).toBeCloseTo(62_500_000, 0);
    expect(durationUsd(expressPrices(DEFAULT_PRICES, 'us-east-1'), 17_361.11)).toBeCloseTo(382.97, 2);
    expect(e.express.usdPerMonth).toBeCloseTo(482.97, 2);
  });

  it("reproduces the pricing page's memory example: a 50 KB definition and 400 Map steps of 32 KB use 62.85 MB, billed as 64 MB", () => {
    const used = estimatedMemoryMb(50_000, 32_000, 400);
    expect(used).toBeCloseTo(62.85, 10);
    expect(billedMemoryMb(used)).toBe(64);
    expect(billedMemoryMb(64.01)).toBe(128);
  });

  it("reproduces the Step Functions Workshop's Standard example: 3 transitions × 1,000 executions cost $0.075 without the free tier", () => {
    const e = estimateCost({ definition: PASS, runs: [run(0, 3)] }, { perMonth: 1000, freeTier: false });
    expect(e.standard.stateTransitions).toBe(3000);
    expect(e.standard.usdPerMonth).toBeCloseTo(0.075, 10);
  });

  it("reproduces the Step Functions Workshop's Express example: 11,300 ms at 64 MB costs about $0.0000118 of duration and $0.000001 a request", () => {
    const cost = runCost(run(11_300), { expressMemoryMb: 64 });
    expect(cost.express!.billedDurationMs).toBe(11_300);
    // The workshop rounds the price of 100 ms at 64 MB to $0.0000001042: $0.0000117746.
    expect(cost.express!.usd - 0.000001).toBeCloseTo(0.0000117746, 8);
  });

  it('takes the free tier of 4,000 transitions a month off the Standard estimate', () => {
    const e = estimateCost({ definition: PASS, runs: [run(0, 5)] }, { perMonth: 1000 });
    expect(e.standard).toMatchObject({ stateTransitions: 5000, freeTransitions: 4000 });
    expect(e.standard.usdPerMonth).toBeCloseTo(0.025, 10);
  });

  it('prices a region by its own rate: 1,000 transitions in Sao Paulo cost $0.0375', () => {
    expect(runCost(run(0, 1000), { region: 'sa-east-1' }).standard.usd).toBeCloseTo(0.0375, 10);
  });
});

describe('the monthly estimate', () => {
  it('averages the observed runs, each path as likely as the others', () => {
    const e = estimateCost({ definition: PASS, runs: [run(100, 2), run(1_000, 6)] }, { perMonth: 10, freeTier: false, expressMemoryMb: 64 });
    expect(e.standard.stateTransitionsPerExecution).toBe(4);
    expect(e.express.billedDurationMsPerExecution).toBe(550);
    expect(e.runs).toBe(2);
  });

  it('names Express the cheaper type only when it is eligible', () => {
    const cheap = estimateCost({ definition: PASS, runs: [run(100, 20)] }, { perMonth: 1_000_000 });
    expect(cheap).toMatchObject({ cheaper: 'EXPRESS', express: { eligible: true, reasons: [] } });
    const callback = {
      StartAt: 'Approve',
      States: { Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'Token.$': '$$.Task.Token' } }, End: true } },
    } as unknown as StateMachineDefinition;
    const e = estimateCost({ definition: callback, runs: [run(100, 20)] }, { perMonth: 1_000_000 });
    expect(e.cheaper).toBe('STANDARD');
    expect(e.express.eligible).toBe(false);
    expect(e.express.reasons).toEqual([expect.objectContaining({ rule: 'callback', state: 'Approve' })]);
  });

  it('states its assumptions, the memory among them, and where its prices come from', () => {
    const e = estimateCost({ definition: PASS, runs: [run(100)] }, { perMonth: 1 });
    expect(e.assumptions.join('\n')).toMatch(/estimate .*64 MB/);
    expect(e.assumptions.join('\n')).toMatch(/virtual time/);
    expect(e.prices).toEqual({ source: DEFAULT_PRICES.source, retrieved: DEFAULT_PRICES.retrieved });
  });
});

describe('Express eligibility', () => {
  const task = (resource: string) => ({
    StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, ...(resource.includes('activity') ? {} : { Parameters: { FunctionName: 'f' } }), End: true } },
  } as unknown as StateMachineDefinition);

  it.each([
    ['an activity', 'arn:aws:states:us-east-1:123456789012:activity:approve', 'activity'],
    ['a .sync job', 'arn:aws:states:::ecs:runTask.sync', 'sync'],
    ['a .waitForTaskToken callback', 'arn:aws:states:::lambda:invoke.waitForTaskToken', 'callback'],
  ])('is ruled out by %s, naming the state', (_, resource, rule) => {
    const e = estimateCost({ definition: task(resource), runs: [run(100)] }, { perMonth: 1 });
    expect(e.express.reasons).toEqual([expect.objectContaining({ rule, state: 'T' })]);
  });

  it.each([
    ['activityLog', 'arn:aws:states:::ecs:runTask.sync', 'sync'],
    ['waitForTaskTokenLater', 'arn:aws:states:::ecs:runTask.sync', 'sync'],
    ['waitForTaskToken', 'arn:aws:states:us-east-1:123456789012:activity:approve', 'activity'],
  ])("names the rule by what the Task uses, not by the words of its state's name (%s, %s)", (name, resource, rule) => {
    const definition = { StartAt: name, States: { [name]: { Type: 'Task', Resource: resource, End: true } } } as unknown as StateMachineDefinition;
    const e = estimateCost({ definition, runs: [run(100)] }, { perMonth: 1 });
    expect(e.express.reasons).toEqual([expect.objectContaining({ rule, state: name })]);
  });

  it.each([
    ['arn:aws-cn:states:::lambda:invoke.waitForTaskToken', 'callback'],
    ['arn:aws-us-gov:states:::ecs:runTask.sync', 'sync'],
    ['arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken', 'callback'],
    ['arn:${AWS::Partition}:states:::states:startExecution.sync:2', 'sync'],
    ['arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:activity:approve', 'activity'],
  ])('is ruled out by %s, whatever the partition', (resource, rule) => {
    const e = estimateCost({ definition: task(resource), runs: [run(100)] }, { perMonth: 1 });
    expect(e.express.reasons).toEqual([expect.objectContaining({ rule, state: 'T' })]);
    expect(e.cheaper).toBe('STANDARD');
  });

  it('is ruled out by a callback Resource left as a CloudFormation Fn::Join', () => {
    const join = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::sqs:sendMessage.waitForTaskToken']] };
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: join, Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } } };
    const e = estimateCost({ definition: def as unknown as StateMachineDefinition, runs: [run(100)] }, { perMonth: 1 });
    expect(e.express.reasons).toEqual([expect.objectContaining({ rule: 'callback', state: 'T' })]);
  });

  it('says it cannot tell what a Resource left wholly to the deploy is, as a warning', () => {
    const e = estimateCost({ definition: task('${ApproveArn}'), runs: [run(100)] }, { perMonth: 1 });
    expect(e.express.eligible).toBe(true);
    expect(e.warnings).toEqual([{ kind: 'unresolved-resource', state: 'T', message: expect.stringMatching(/cannot tell whether "\$\{ApproveArn\}" is an activity/) }]);
    expect(formatEstimate(e, 'T')).toMatch(/ {2}Cannot tell: Task 'T': cannot tell whether/);
  });

  it('is not ruled out by a run that failed with States.DataLimitExceeded: a payload too large fails either type', () => {
    const tooLarge = { ...run(100), status: 'FAILED', error: 'States.DataLimitExceeded' };
    const e = estimateCost({ definition: PASS, runs: [run(100, 20), tooLarge] }, { perMonth: 1_000_000, includeFailed: true });
    expect(e.express).toMatchObject({ eligible: true, reasons: [] });
    expect(e.cheaper).toBe('EXPRESS');
    expect(e.warnings.map((w) => [w.kind, w.run])).toEqual([['data-limit', 1]]);
    expect(expressEligibility(PASS, [{ usage: usageOf(tooLarge), index: 0 }])).toEqual([]);
  });

  it('is ruled out by a run longer than 5 minutes, naming the run', async () => {
    const def = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 301, End: true } } } as StateMachineDefinition;
    const slow = await Workflow.fromDefinition(def).run({});
    const e = estimateCost({ definition: def, runs: [run(100), slow] }, { perMonth: 1 });
    expect(e.express.reasons).toEqual([expect.objectContaining({ rule: 'duration', run: 1, message: expect.stringContaining('301 s') })]);
  });

  it('is ruled out by a DISTRIBUTED Map, naming it', () => {
    const def = {
      StartAt: 'Fan',
      States: { Fan: { Type: 'Map', End: true, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } },
    } as unknown as StateMachineDefinition;
    const e = estimateCost({ definition: def, runs: [run(100)] }, { perMonth: 1 });
    expect(e.express.reasons).toEqual([expect.objectContaining({ rule: 'distributed-map', state: 'Fan' })]);
  });
});

describe('bad prices and options', () => {
  const table = (standard: unknown) => ({ source: 'my prices', retrieved: '2026-01-01', regions: { 'us-east-1': { standard } } });

  it('names an unknown region and the regions the table has', () => {
    expect(() => runCost(run(0), { region: 'mars-north-1' })).toThrow(CostError);
    expect(() => runCost(run(0), { region: 'mars-north-1' })).toThrow(/unknown region "mars-north-1".*us-east-1/);
  });

  it('names a region with no Express prices and how to give them', () => {
    expect(() => estimateCost({ definition: PASS, runs: [run(0)] }, { perMonth: 1, region: 'eu-west-1' }))
      .toThrow(/no Express prices for region 'eu-west-1'.*regions\.eu-west-1\.express/);
  });

  it('names a negative rate', () => {
    expect(() => checkPriceTable(table({ usdPer1000Transitions: -0.025, freeTransitionsPerMonth: 0 })))
      .toThrow('regions.us-east-1.standard.usdPer1000Transitions must not be negative, got -0.025');
  });

  it('names a rate that is not a number', () => {
    expect(() => checkPriceTable(table({ usdPer1000Transitions: '0.025', freeTransitionsPerMonth: 0 })))
      .toThrow('regions.us-east-1.standard.usdPer1000Transitions must be a number, got "0.025"');
  });

  it('names a field the table lacks', () => {
    let error: CostError | undefined;
    try {
      checkPriceTable(table({ usdPer1000Transitions: 0.025 }));
    } catch (e) {
      error = e as CostError;
    }
    expect(error).toBeInstanceOf(CostError);
    expect(error!.field).toBe('regions.us-east-1.standard.freeTransitionsPerMonth');
    expect(error!.message).toMatch(/has no regions\.us-east-1\.standard\.freeTransitionsPerMonth/);
  });

  it('names an Express duration band without its size, and a table without its source', () => {
    const express = { usdPerMillionRequests: 1, duration: [{ usdPerGbHour: 0.06 }, { usdPerGbHour: 0.03 }] };
    expect(() => checkPriceTable({ source: 's', retrieved: 'd', regions: { 'us-east-1': { express } } })).toThrow(/duration\[0\] has no gbHours/);
    expect(() => checkPriceTable({ retrieved: 'd', regions: {} })).toThrow(/source must say which page/);
  });

  it('uses a price table of the user over the built-in one, region by region', () => {
    const mine = checkPriceTable({ source: 'negotiated', retrieved: '2026-01-01', regions: { 'eu-west-1': { express: { usdPerMillionRequests: 2, duration: [{ usdPerGbHour: 0.1 }] } } } });
    const e = estimateCost({ definition: PASS, runs: [run(3_600_000 / 16)] }, { perMonth: 1_000_000, region: 'eu-west-1', prices: mine, expressMemoryMb: 64 });
    // 1M requests at $2 per million; 1M × 225 s × 1/16 GB = 14,062,500 GB-s = 3,906.25 GB-hours at $0.10.
    expect(e.express.usdPerMonth).toBeCloseTo(2 + 390.625, 6);
    expect(e.prices.source).toMatch(/^negotiated/);
  });

  it.each([[-1], [1.5], [Number.NaN], ['10']])('refuses %p executions a month', (perMonth) => {
    expect(() => estimateCost({ definition: PASS, runs: [run(0)] }, { perMonth: perMonth as number })).toThrow(/perMonth must be a whole number/);
  });

  it.each([
    ['a price past $1,000,000', { usdPer1000Transitions: 1e300, freeTransitionsPerMonth: 0 }, /usdPer1000Transitions must be at most 1,000,000 \(US dollars\), got 1e\+300/],
    ['a free tier past 2^53', { usdPer1000Transitions: 0.025, freeTransitionsPerMonth: 1e20 }, /freeTransitionsPerMonth must be at most 9,007,199,254,740,991, got 100000000000000000000/],
  ])('refuses %s in a price table, naming the field', (_, standard, message) => {
    expect(() => checkPriceTable(table(standard))).toThrow(message);
  });

  it('checks a price table given to the API without checkPriceTable', () => {
    const prices = table({ usdPer1000Transitions: Number.POSITIVE_INFINITY, freeTransitionsPerMonth: 0 }) as unknown as PriceTable;
    expect(() => estimateCost({ definition: PASS, runs: [run(0)] }, { perMonth: 1, prices })).toThrow(/usdPer1000Transitions must be a number, got Infinity/);
    expect(() => runCost(run(0), { prices })).toThrow(CostError);
  });

  it('quotes a number that is not finite as it is, not as JSON\'s null', () => {
    expect(() => estimateCost({ definition: PASS, runs: [run(0)] }, { perMonth: Number.POSITIVE_INFINITY })).toThrow(/perMonth must be .*, got Infinity$/);
    expect(() => estimateCost({ definition: PASS, runs: [run(0)] }, { perMonth: 1, expressMemoryMb: Number.NaN })).toThrow(/expressMemoryMb must be .*, got NaN$/);
    expect(() => estimateCost({ definition: PASS, usageCounts: [{ usage: usageOf(run(0)), runs: Number.POSITIVE_INFINITY }] }, { perMonth: 1 }))
      .toThrow(/usageCounts\[0\]\.runs must be a whole number of runs from 1, got Infinity$/);
  });

  it('refuses more executions a month than a number counts by ones', () => {
    expect(() => estimateCost({ definition: PASS, runs: [run(0)] }, { perMonth: 2 ** 60 })).toThrow(/perMonth must be a whole number of executions a month \(0 to 9,007,199,254,740,991\)/);
  });

  it('refuses a usage given to the API with a field that is not a count, naming it', () => {
    const usage = { ...usageOf(run(0)), retries: -3, stateTransitions: -2 };
    expect(() => estimateCost({ definition: PASS, usages: [usage] }, { perMonth: 1 })).toThrow(/usages\[0\]\.retries must be a whole number from 0/);
    expect(() => estimateCost({ definition: PASS, runs: [{ ...run(0), stopDate: new Date(Number.NaN) }] }, { perMonth: 1 }))
      .toThrow(/runs\[0\]\.durationMs must be a number of milliseconds .*, got NaN/);
  });

  it('refuses an Express memory estimate past 1,000,000 MB, saying how to give the memory instead', () => {
    const huge = { ...usageOf(run(100)), largestPayloadBytes: 262_144, parallelOrMapSteps: 9_000_000_000 };
    expect(() => estimateCost({ definition: PASS, usages: [huge] }, { perMonth: 1 })).toThrow(/memory estimate of run 1 .* is past 1,000,000 MB; give the memory to bill/);
    expect(estimateCost({ definition: PASS, usages: [huge] }, { perMonth: 1, expressMemoryMb: 128 }).express.billedMemoryMb).toBe(128);
  });

  it('weighs usages by their count of runs, as if each were repeated', () => {
    const [fast, slow] = [usageOf(run(100, 2)), usageOf(run(1_000, 6))];
    const options = { perMonth: 10, expressMemoryMb: 64 };
    const counted = estimateCost({ definition: PASS, usageCounts: [{ usage: fast, runs: 3 }, { usage: slow, runs: 1 }] }, options);
    const repeated = estimateCost({ definition: PASS, usages: [fast, fast, fast, slow] }, options);
    expect(counted).toEqual(repeated);
    expect(counted.standard.stateTransitionsPerExecution).toBe(3);
  });

  it('refuses an estimate of no runs, saying how to get some', () => {
    expect(() => estimateCost({ definition: PASS, runs: [] }, { perMonth: 1 })).toThrow(/at least one run/);
  });
});

describe('the cost of a run with DISTRIBUTED Map children', () => {
  it('bills the children by their own type in both columns: STANDARD children by transitions, EXPRESS ones by request and duration', () => {
    const base = run(1000, 1);
    const withChildren: CostedRun = {
      ...base,
      childExecutions: [
        { mapState: 'A', executionType: 'STANDARD', executions: 2, statesEntered: 4, retries: 0, durationsMs: [0, 0] },
        { mapState: 'B', executionType: 'EXPRESS', executions: 1, statesEntered: 1, retries: 0, durationsMs: [250] },
      ],
    };
    const plain = runCost(base, { expressMemoryMb: 64 });
    const c = runCost(withChildren, { expressMemoryMb: 64 });
    // The parent: 1 state and 3 children started; the STANDARD children's 4 transitions.
    expect(c.standard.stateTransitions).toBe(1 + 3 + 4);
    const expressChild = 1e-6 + 0.3 * (64 / 1024) * (0.06 / 3600);
    expect(c.standard.usd).toBeCloseTo((8 * 0.025) / 1000 + expressChild, 12);
    expect(c.express!.usd).toBeCloseTo(plain.express!.usd + expressChild + (4 * 0.025) / 1000, 12);
  });
});
