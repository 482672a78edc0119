/**
 * Prices for runs: the cost of one run as each workflow type, and the monthly estimate of a set
 * of runs at a number of executions a month, side by side for Standard and Express, with the
 * Express advisor's verdict and the assumptions it rests on.
 */
import { expressDoubts, expressEligibility, runsLabel, type EligibilityReason } from './eligibility';
import { checkPriceTable, CostError, DEFAULT_PRICES, expressPrices, show, standardPrices, withPrices, type ExpressPrices, type PriceTable } from './prices';
import { checkRunUsage, MAX_COUNT, type UsageCount } from './report';
import { usageOf, type CostedRun, type RunUsage } from './usage';
import type { StateMachineDefinition } from '../asl';
import { AwsDefaults, type MachineType } from '../asl/aws-defaults';
import { PAYLOAD_WORDS } from '../asl/limits';
import { shorten } from '../asl/shorten';
import { StatesErrors } from '../asl/states-errors';

/** Express memory: a number of MB, or AWS's own estimate from the definition and payloads. */
export type MemoryAssumption = number | 'estimate';

/** Options of {@link runCost} and {@link estimateCost}. */
export interface CostOptions {
  /**
   * The AWS region whose prices apply.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Prices of your own, laid over the table stepwright ships region by region (see
   * {@link checkPriceTable} for the shape). Never fetched: prices are data.
   * @default - the built-in table, {@link DEFAULT_PRICES}
   */
  readonly prices?: PriceTable;
  /**
   * The memory an Express execution is billed for, in MB (rounded up to 64 MB as AWS bills it).
   * AWS bills the memory an execution used, which a local run cannot measure; `'estimate'`
   * applies AWS's formula (50 MB + the definition + the largest payload × the Parallel and
   * Map steps run), which gives 64 MB for most machines.
   * @default 'estimate'
   */
  readonly expressMemoryMb?: MemoryAssumption;
}

/** Options of {@link estimateCost}. */
export interface EstimateOptions extends CostOptions {
  /** Executions a month to estimate for. */
  readonly perMonth: number;
  /**
   * Subtract AWS's free tier of Standard state transitions (4,000 a month, per account).
   * @default true
   */
  readonly freeTier?: boolean;
  /**
   * Price the runs that did not succeed (FAILED, TIMED_OUT, ABORTED) as they ran. By default they
   * are left out of the estimate and named in its `warnings`: a run that stopped at a Task
   * without a mock, say, shows the cost of a path that never finished.
   * @default false
   */
  readonly includeFailed?: boolean;
}

/** Something the reader of an estimate must know: a run left out or priced though it failed, or a state it cannot judge. */
export interface CostWarning {
  /**
   * `failed-run`: a run that did not succeed; `data-limit`: one that failed with
   * `States.DataLimitExceeded` (a payload too large for either workflow type); `unresolved-resource`:
   * a Task whose Resource is left to the deploy, so Express eligibility cannot judge it.
   */
  readonly kind: 'failed-run' | 'data-limit' | 'unresolved-resource';
  /** The first observed run it is about (0-based, in the order given), when it is about runs. */
  readonly run?: number;
  /** How many runs it is about (a coverage report counts runs of one usage together). */
  readonly runs?: number;
  /** The state it is about, when it is one. */
  readonly state?: string;
  /** Whether the runs it is about are in the estimate (failed runs only with `includeFailed`). */
  readonly priced?: boolean;
  /** What happened and what to do, in one sentence. */
  readonly message: string;
}

/** One run priced as a Standard workflow. */
export interface StandardRunCost {
  /** The execution's transitions and its STANDARD DISTRIBUTED Map children's. */
  readonly stateTransitions: number;
  /** Those transitions, and EXPRESS children billed as Express. */
  readonly usd: number;
}

/** One run priced as an Express workflow. */
export interface ExpressRunCost {
  readonly requests: number;
  readonly billedDurationMs: number;
  readonly billedMemoryMb: number;
  readonly gbSeconds: number;
  /**
   * At the first duration band's price (a month's volume may reach cheaper bands), with the
   * DISTRIBUTED Map children billed by their own type.
   */
  readonly usd: number;
}

/** What one run would cost on AWS, as each workflow type. */
export interface RunCost {
  readonly usage: RunUsage;
  readonly region: string;
  readonly standard: StandardRunCost;
  readonly express?: ExpressRunCost;
  /** Why `express` is absent: the table has no Express prices for the region. */
  readonly expressUnpriced?: string;
}

/** The Standard column of a monthly estimate. */
export interface StandardEstimate {
  /** Transitions of one execution, averaged over the runs (DISTRIBUTED Map children's STANDARD transitions included). */
  readonly stateTransitionsPerExecution: number;
  /** Transitions a month. */
  readonly stateTransitions: number;
  /** Transitions a month the free tier takes off (0 without it). */
  readonly freeTransitions: number;
  /** EXPRESS children of DISTRIBUTED Maps, billed as Express whatever the parent's type, in US dollars a month. */
  readonly expressChildrenUsdPerMonth: number;
  readonly usdPerMonth: number;
}

/** The Express column of a monthly estimate. */
export interface ExpressEstimate {
  /** Requests a month: one per execution (and per EXPRESS child of a DISTRIBUTED Map). */
  readonly requests: number;
  /** Billed duration of one execution, averaged over the runs, in ms. */
  readonly billedDurationMsPerExecution: number;
  readonly billedMemoryMb: number;
  /** GB-seconds a month. */
  readonly gbSeconds: number;
  /** STANDARD children of DISTRIBUTED Maps, billed by their transitions whatever the parent's type, in US dollars a month. */
  readonly standardChildrenUsdPerMonth: number;
  readonly usdPerMonth: number;
  /** True when every observed run could run as an Express workflow. */
  readonly eligible: boolean;
  /** What rules Express out, each naming the state or the run. */
  readonly reasons: readonly EligibilityReason[];
}

/** A monthly estimate for a state machine, Standard and Express side by side. */
export interface CostEstimate {
  readonly region: string;
  readonly perMonth: number;
  /** How many runs the estimate averages (with `includeFailed`, the failed ones among them). */
  readonly runs: number;
  /** How many of the observed runs did not succeed: left out of the estimate unless `includeFailed`. */
  readonly failedRuns: number;
  /** True when the failed runs are in the estimate (`includeFailed`). */
  readonly failedRunsPriced: boolean;
  /** What the reader must know about the runs and the states: each failed run, and states eligibility cannot judge. */
  readonly warnings: readonly CostWarning[];
  readonly standard: StandardEstimate;
  readonly express: ExpressEstimate;
  /** The cheaper type of the two, `EXPRESS` only when it is eligible. */
  readonly cheaper: MachineType;
  /** What the estimate assumes, in sentences. */
  readonly assumptions: readonly string[];
  /** Where the prices come from, and the day they were read. */
  readonly prices: { readonly source: string; readonly retrieved: string };
}

/** AWS bills Express memory in chunks of 64 MB. */
const MEMORY_CHUNK_MB = 64;
/** The most Express memory stepwright prices, given or estimated, in MB. */
const MAX_MEMORY_MB = 1_000_000;

/** Express memory, in MB, as AWS's pricing page estimates it; decimal units, as the page's example uses. */
export function estimatedMemoryMb(definitionBytes: number, largestPayloadBytes: number, parallelOrMapSteps: number): number {
  return 50 + definitionBytes / 1e6 + (largestPayloadBytes / 1e6) * parallelOrMapSteps;
}

/** Memory as AWS bills it: rounded up to the next 64 MB, at least 64 MB. */
export function billedMemoryMb(memoryMb: number): number {
  return Math.max(MEMORY_CHUNK_MB, Math.ceil(memoryMb / MEMORY_CHUNK_MB) * MEMORY_CHUNK_MB);
}

function checkMemory(memory: MemoryAssumption | undefined): MemoryAssumption {
  if (memory === undefined || memory === 'estimate') return 'estimate';
  if (typeof memory !== 'number' || !Number.isFinite(memory) || memory <= 0 || memory > MAX_MEMORY_MB) {
    throw new CostError('expressMemoryMb', `expressMemoryMb must be 'estimate' or a number of MB above 0 and at most ${MAX_MEMORY_MB.toLocaleString('en-US')}, got ${show(memory)}`);
  }
  return memory;
}

function memoryFor(usage: RunUsage, definitionBytes: number, memory: MemoryAssumption, label: string): number {
  if (memory !== 'estimate') return billedMemoryMb(memory);
  const estimated = estimatedMemoryMb(definitionBytes, usage.largestPayloadBytes, usage.parallelOrMapSteps);
  if (!(estimated <= MAX_MEMORY_MB)) {
    throw new CostError('expressMemoryMb', `the Express memory estimate of ${label} (50 MB + the definition + its largest payload of ${usage.largestPayloadBytes.toLocaleString('en-US')} bytes `
      + `× ${usage.parallelOrMapSteps.toLocaleString('en-US')} Parallel and Map steps) is past ${MAX_MEMORY_MB.toLocaleString('en-US')} MB; give the memory to bill (expressMemoryMb, --memory-mb)`);
  }
  return billedMemoryMb(estimated);
}

function definitionBytesOf(definition: StateMachineDefinition | undefined): number {
  return definition === undefined ? 0 : Buffer.byteLength(JSON.stringify(definition));
}

function region(options: CostOptions): string {
  const r = options.region ?? AwsDefaults.REGION;
  if (typeof r !== 'string') throw new CostError('region', `region must be a region code like us-east-1, got ${JSON.stringify(r)}`);
  return r;
}

/** The built-in prices with the caller's laid over them, the caller's checked first (it may not have come through {@link checkPriceTable}). */
function priceTable(options: CostOptions): PriceTable {
  return options.prices === undefined ? DEFAULT_PRICES : withPrices(DEFAULT_PRICES, checkPriceTable(options.prices));
}

/** The price of `gbHours` GB-hours in a month, band by band. */
export function durationUsd(prices: ExpressPrices, gbHours: number): number {
  let left = gbHours;
  let usd = 0;
  for (const tier of prices.duration) {
    const here = tier.gbHours === undefined ? left : Math.min(left, tier.gbHours);
    usd += here * tier.usdPerGbHour;
    left -= here;
    if (left <= 0) break;
  }
  return usd;
}

/**
 * Every figure of `figures` is finite and not negative. Inputs are bounded so that none can
 * overflow; this is the last word, so that no estimate ever shows `$∞`, `$NaN` or a negative amount.
 */
function checkFigures(figures: Record<string, number>, what: string): void {
  for (const [name, v] of Object.entries(figures)) {
    if (!Number.isFinite(v) || v < 0) {
      throw new CostError(name, `${what}: ${name} comes to ${v}, which is no amount; the runs, the volume or the prices are too large to price (each must be a finite number of 0 or more)`);
    }
  }
}

/**
 * What one run would cost on AWS, as a Standard and as an Express workflow. One run's Express
 * duration is priced at the first band (the bands apply to a month's total).
 * @example
 * const cost = runCost(await wf.run(input), { definition: wf.definition });
 * console.log(cost.standard.stateTransitions, cost.express?.usd);
 */
export function runCost(run: CostedRun, options: CostOptions & { readonly definition?: StateMachineDefinition } = {}): RunCost {
  const where = region(options);
  const table = priceTable(options);
  const standard = standardPrices(table, where);
  const memory = checkMemory(options.expressMemoryMb);
  const usage = checkRunUsage(usageOf(run, options.definition), 'the run');
  const childrenStandard = usage.childExecutions.filter((c) => c.type === 'STANDARD').reduce((n, c) => n + c.stateTransitions, 0);
  const transitions = usage.stateTransitions + childrenStandard;
  const out: { -readonly [K in keyof RunCost]: RunCost[K] } = {
    usage,
    region: where,
    standard: { stateTransitions: transitions, usd: (transitions * standard.usdPer1000Transitions) / 1000 },
  };
  let express: ExpressPrices | undefined;
  try {
    express = expressPrices(table, where);
  } catch (e) {
    if (!(e instanceof CostError)) throw e;
    out.expressUnpriced = e.message;
  }
  if (express) {
    const billedMemory = memoryFor(usage, definitionBytesOf(options.definition), memory, 'the run');
    const gbSeconds = (usage.billedDurationMs / 1000) * (billedMemory / 1024);
    const firstBand = express.duration[0].usdPerGbHour / 3600;
    // EXPRESS children of a DISTRIBUTED Map are billed as Express whatever the parent's type (at 64 MB),
    // STANDARD children by their transitions: in both columns.
    const expressChildren = usage.childExecutions.filter((c) => c.type === 'EXPRESS');
    const expressChildrenUsd = expressChildren.reduce((sum, c) => sum + (c.executions * express.usdPerMillionRequests) / 1e6
      + (c.billedDurationMs / 1000) * (MEMORY_CHUNK_MB / 1024) * firstBand, 0);
    out.standard = { ...out.standard, usd: out.standard.usd + expressChildrenUsd };
    out.express = {
      requests: 1,
      billedDurationMs: usage.billedDurationMs,
      billedMemoryMb: billedMemory,
      gbSeconds,
      usd: express.usdPerMillionRequests / 1e6 + gbSeconds * firstBand + expressChildrenUsd
        + (childrenStandard * standard.usdPer1000Transitions) / 1000,
    };
  }
  checkFigures({
    'standard.stateTransitions': out.standard.stateTransitions,
    'standard.usd': out.standard.usd,
    ...(out.express ? { 'express.gbSeconds': out.express.gbSeconds, 'express.usd': out.express.usd } : {}),
  }, 'the cost of the run');
  return out;
}

/** What {@link estimateCost} estimates from: the machine and its runs. */
export interface EstimateInput {
  /** The state machine, for the Express eligibility of its states and the memory estimate. */
  readonly definition: StateMachineDefinition;
  /** The observed runs: each counts once in the average. Give these, `usages` or `usageCounts`. */
  readonly runs?: readonly CostedRun[];
  /** What observed runs used ({@link usageOf}); each counts once in the average. */
  readonly usages?: readonly RunUsage[];
  /** What observed runs used, each with how many runs used it, as a coverage report keeps them; each counts `runs` times. */
  readonly usageCounts?: readonly UsageCount[];
}

function checkPerMonth(perMonth: unknown): number {
  if (typeof perMonth !== 'number' || !Number.isSafeInteger(perMonth) || perMonth < 0) {
    throw new CostError('perMonth', `perMonth must be a whole number of executions a month (0 to ${MAX_COUNT.toLocaleString('en-US')}), got ${show(perMonth)}`);
  }
  return perMonth;
}

/** One observed usage with its weight, its place among the runs and why it failed, if it did. */
interface Observed {
  readonly usage: RunUsage;
  readonly runs: number;
  readonly index: number;
  readonly cause?: string;
}

function failed(usage: RunUsage): boolean {
  return usage.status !== undefined && usage.status !== 'SUCCEEDED';
}

/** The runs given, checked, each with its weight and its 0-based place in the order given. */
function observedRuns(input: EstimateInput): Observed[] {
  const out: Observed[] = [];
  let index = 0;
  const add = (usage: RunUsage, runs: number, cause?: string): void => {
    out.push({ usage, runs, index, ...(cause !== undefined ? { cause } : {}) });
    index += runs;
    if (index > MAX_COUNT) throw new CostError('runs', `an estimate counts at most ${MAX_COUNT.toLocaleString('en-US')} runs`);
  };
  (input.runs ?? []).forEach((r, i) => add(checkRunUsage(usageOf(r, input.definition), `runs[${i}]`), 1, typeof r.cause === 'string' ? r.cause : undefined));
  (input.usages ?? []).forEach((u, i) => add(checkRunUsage(u, `usages[${i}]`), 1));
  (input.usageCounts ?? []).forEach((c, i) => {
    const runs = (c as Partial<UsageCount> | null)?.runs;
    if (typeof runs !== 'number' || !Number.isSafeInteger(runs) || runs < 1) {
      throw new CostError(`usageCounts[${i}].runs`, `usageCounts[${i}].runs must be a whole number of runs from 1, got ${show(runs)}`);
    }
    add(checkRunUsage(c.usage, `usageCounts[${i}].usage`), runs);
  });
  return out;
}

/** Characters of a failed run's cause a warning quotes: room for a whole "No mock for Task …" cause with its advice. */
const CAUSE_CHARACTERS = 600;

/** A warning about observed runs that did not succeed, priced or not. */
function failedRunWarning(o: Observed, priced: boolean): CostWarning {
  const u = o.usage;
  const label = runsLabel(o.index, o.runs);
  const what = `${label} ${u.status}${u.error !== undefined ? ` with ${u.error}` : ''}${o.cause !== undefined ? ` (${shorten(o.cause, CAUSE_CHARACTERS)})` : ''}`;
  const dataLimit = u.error === StatesErrors.DATA_LIMIT_EXCEEDED;
  const why = dataLimit
    ? `: a payload passed ${PAYLOAD_WORDS}, which fails an execution as Standard and Express alike; make it smaller (keep large data in S3)`
    : '';
  const fate = priced
    ? '; priced as it ran (includeFailed)'
    : '; left out of the estimate: give it what it needs to succeed (mocks for its Tasks), or price it as it ran with includeFailed (--include-failed)';
  return {
    kind: dataLimit ? 'data-limit' : 'failed-run',
    run: o.index,
    runs: o.runs,
    priced,
    message: `${what}${why}${fate}`,
  };
}

/**
 * A monthly estimate of what a state machine would cost as a Standard and as an Express
 * workflow, from runs of it (its tests' runs, or runs of chosen inputs), at `perMonth`
 * executions a month; and whether it may be an Express workflow at all. Runs that did not
 * succeed are named in `warnings` and left out unless `includeFailed`.
 * @throws CostError when no run is left to price, naming the runs that failed
 * @example
 * const estimate = estimateCost({ definition: wf.definition, runs }, { perMonth: 1_000_000 });
 * console.log(estimate.standard.usdPerMonth, estimate.express.usdPerMonth, estimate.express.reasons);
 */
export function estimateCost(input: EstimateInput, options: EstimateOptions): CostEstimate {
  const perMonth = checkPerMonth(options.perMonth);
  const where = region(options);
  const table = priceTable(options);
  const standard = standardPrices(table, where);
  const express = expressPrices(table, where);
  const memory = checkMemory(options.expressMemoryMb);
  const includeFailed = options.includeFailed === true;
  const observed = observedRuns(input);
  const failures = observed.filter((o) => failed(o.usage));
  const failedRuns = failures.reduce((n, o) => n + o.runs, 0);
  const priced = includeFailed ? observed : observed.filter((o) => !failed(o.usage));
  if (priced.length === 0) {
    if (failures.length > 0) {
      throw new CostError('runs', `no run to price: ${failures.slice(0, 5).map((o) => failedRunWarning(o, false).message).join('; ')}`
        + `${failures.length > 5 ? `; and ${failures.length - 5} more` : ''}`);
    }
    throw new CostError('runs', 'an estimate needs at least one run of the state machine: run its tests under the stepwright reporter, or give --input files');
  }
  const n = priced.reduce((sum, o) => sum + o.runs, 0);
  const mean = (f: (u: RunUsage) => number): number => priced.reduce((sum, o) => sum + f(o.usage) * o.runs, 0) / n;
  const children = (u: RunUsage, type: MachineType) => u.childExecutions.filter((c) => c.type === type);
  const definitionBytes = definitionBytesOf(input.definition);
  const memories = priced.map((o) => memoryFor(o.usage, definitionBytes, memory, runsLabel(o.index, o.runs)));
  const billedMemory = Math.max(...memories);

  // Children of DISTRIBUTED Maps are billed by their own type, whichever type the parent is.
  const childStandardTransitions = mean((u) => children(u, 'STANDARD').reduce((s, c) => s + c.stateTransitions, 0)) * perMonth;
  const childExpressRequests = mean((u) => children(u, 'EXPRESS').reduce((s, c) => s + c.executions, 0)) * perMonth;
  const childExpressGbSeconds = mean((u) => children(u, 'EXPRESS').reduce((s, c) => s + c.billedDurationMs, 0)) / 1000 * (MEMORY_CHUNK_MB / 1024) * perMonth;

  const free = options.freeTier === false ? 0 : standard.freeTransitionsPerMonth;
  const standardUsd = (transitions: number): { usd: number; freed: number } => {
    const freed = Math.min(free, transitions);
    return { usd: ((transitions - freed) * standard.usdPer1000Transitions) / 1000, freed };
  };
  const expressUsd = (requests: number, gbSeconds: number): number =>
    (requests * express.usdPerMillionRequests) / 1e6 + durationUsd(express, gbSeconds / 3600);

  // Standard column: the parent's transitions, its STANDARD children's; its EXPRESS children as Express.
  const perExecution = mean((u) => u.stateTransitions + children(u, 'STANDARD').reduce((sum, c) => sum + c.stateTransitions, 0));
  const standardTransitions = mean((u) => u.stateTransitions) * perMonth + childStandardTransitions;
  const s = standardUsd(standardTransitions);
  const expressChildrenUsd = expressUsd(childExpressRequests, childExpressGbSeconds);

  // Express column: the parent's requests and duration with its EXPRESS children's; its STANDARD children as Standard.
  const meanBilledMs = mean((u) => u.billedDurationMs);
  const parentGbSeconds = priced.reduce((sum, o, i) => sum + (o.usage.billedDurationMs / 1000) * (memories[i] / 1024) * o.runs, 0) / n * perMonth;
  const requests = perMonth + childExpressRequests;
  const gbSeconds = parentGbSeconds + childExpressGbSeconds;
  const standardChildren = standardUsd(childStandardTransitions);
  // Every observed run tells what the machine does, priced or not: a failed run of 6 minutes is still a path past Express's 5.
  const eligibility = expressEligibility(input.definition, observed.map((o) => ({ usage: o.usage, index: o.index, runs: o.runs })));
  const warnings: CostWarning[] = [
    ...failures.map((o) => failedRunWarning(o, includeFailed)),
    ...expressDoubts(input.definition).map((d): CostWarning => ({ kind: 'unresolved-resource', ...(d.state !== undefined ? { state: d.state } : {}), message: d.message })),
  ];

  const standardTotal = s.usd + expressChildrenUsd;
  const expressTotal = expressUsd(requests, gbSeconds) + standardChildren.usd;
  checkFigures({
    'standard.stateTransitions': standardTransitions,
    'standard.usdPerMonth': standardTotal,
    'express.requests': requests,
    'express.gbSeconds': gbSeconds,
    'express.usdPerMonth': expressTotal,
  }, `the estimate at ${perMonth.toLocaleString('en-US')} executions a month`);
  const memoryNote = memory === 'estimate'
    ? `Express memory is AWS's estimate (50 MB + the ${definitionBytes.toLocaleString('en-US')}-byte definition + the largest payload × the Parallel and Map steps run), billed in 64 MB chunks: ${billedMemory} MB; a local run cannot measure what AWS will`
    : `Express memory is taken as ${memory} MB, billed in 64 MB chunks: ${billedMemory} MB`;
  const failedNote = failedRuns === 0 ? ''
    : includeFailed ? `, of which ${failedRuns.toLocaleString('en-US')} did not succeed (priced as they ran)`
      : `; the ${failedRuns.toLocaleString('en-US')} run(s) that did not succeed are left out`;
  return {
    region: where,
    perMonth,
    runs: n,
    failedRuns,
    failedRunsPriced: includeFailed && failedRuns > 0,
    warnings,
    standard: {
      stateTransitionsPerExecution: perExecution,
      stateTransitions: standardTransitions,
      freeTransitions: s.freed,
      expressChildrenUsdPerMonth: expressChildrenUsd,
      usdPerMonth: standardTotal,
    },
    express: {
      requests,
      billedDurationMsPerExecution: meanBilledMs,
      billedMemoryMb: billedMemory,
      gbSeconds,
      standardChildrenUsdPerMonth: standardChildren.usd,
      usdPerMonth: expressTotal,
      eligible: eligibility.length === 0,
      reasons: eligibility,
    },
    cheaper: eligibility.length === 0 && expressTotal < standardTotal ? 'EXPRESS' : 'STANDARD',
    assumptions: [
      `${perMonth.toLocaleString('en-US')} executions a month, each following one of the ${n.toLocaleString('en-US')} observed run(s) equally often${failedNote}`,
      'durations are the runs\' virtual time: Waits, retry back-offs and the delays mocks gave (delay()); a Task whose mock gave none took no time',
      'each Express execution is billed its duration rounded up to the next 100 ms (at least 100 ms)',
      memoryNote,
      options.freeTier === false ? 'no free tier' : `the Standard free tier (${free.toLocaleString('en-US')} transitions a month) goes to this state machine alone; it is per account`,
      'Express executions run at least once: a restarted execution is billed again, which this estimate leaves out',
      'only Step Functions is priced: the Lambda functions, services and CloudWatch Logs a workflow uses are billed apart',
      ...(priced.some((o) => o.usage.childExecutions.length > 0)
        ? ['the child executions of DISTRIBUTED Maps are billed by their own type in both columns, each at one transition to the parent; EXPRESS children at 64 MB']
        : []),
    ],
    prices: { source: table.source, retrieved: table.retrieved },
  };
}
