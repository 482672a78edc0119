/**
 * Prices for runs: the cost of one run as each workflow type, and the monthly estimate of a set
 * of runs at a number of executions a month, side by side for Standard and Express, with the
 * Express advisor's verdict and the assumptions it rests on.
 */
import { expressEligibility, type EligibilityReason } from './eligibility';
import { CostError, DEFAULT_PRICES, expressPrices, standardPrices, withPrices, type ExpressPrices, type PriceTable } from './prices';
import { usageOf, type CostedRun, type RunUsage } from './usage';
import type { StateMachineDefinition } from '../asl/types';

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
  /** How many runs the estimate averages. */
  readonly runs: number;
  readonly standard: StandardEstimate;
  readonly express: ExpressEstimate;
  /** The cheaper type of the two, `EXPRESS` only when it is eligible. */
  readonly cheaper: 'STANDARD' | 'EXPRESS';
  /** What the estimate assumes, in sentences. */
  readonly assumptions: readonly string[];
  /** Where the prices come from, and the day they were read. */
  readonly prices: { readonly source: string; readonly retrieved: string };
}

/** AWS bills Express memory in chunks of 64 MB. */
const MEMORY_CHUNK_MB = 64;

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
  if (typeof memory !== 'number' || !Number.isFinite(memory) || memory <= 0 || memory > 1_000_000) {
    throw new CostError('expressMemoryMb', `expressMemoryMb must be 'estimate' or a number of MB above 0, got ${JSON.stringify(memory)}`);
  }
  return memory;
}

function memoryFor(usage: RunUsage, definitionBytes: number, memory: MemoryAssumption): number {
  return billedMemoryMb(memory === 'estimate' ? estimatedMemoryMb(definitionBytes, usage.largestPayloadBytes, usage.parallelOrMapSteps) : memory);
}

function definitionBytesOf(definition: StateMachineDefinition | undefined): number {
  return definition === undefined ? 0 : Buffer.byteLength(JSON.stringify(definition));
}

function region(options: CostOptions): string {
  const r = options.region ?? 'us-east-1';
  if (typeof r !== 'string') throw new CostError('region', `region must be a region code like us-east-1, got ${JSON.stringify(r)}`);
  return r;
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
 * What one run would cost on AWS, as a Standard and as an Express workflow. One run's Express
 * duration is priced at the first band (the bands apply to a month's total).
 * @example
 * const cost = runCost(await wf.run(input), { definition: wf.definition });
 * console.log(cost.standard.stateTransitions, cost.express?.usd);
 */
export function runCost(run: CostedRun, options: CostOptions & { readonly definition?: StateMachineDefinition } = {}): RunCost {
  const where = region(options);
  const table = withPrices(DEFAULT_PRICES, options.prices);
  const standard = standardPrices(table, where);
  const memory = checkMemory(options.expressMemoryMb);
  const usage = usageOf(run, options.definition);
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
    const billedMemory = memoryFor(usage, definitionBytesOf(options.definition), memory);
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
  return out;
}

/** What {@link estimateCost} estimates from: the machine and its runs. */
export interface EstimateInput {
  /** The state machine, for the Express eligibility of its states and the memory estimate. */
  readonly definition: StateMachineDefinition;
  /** The observed runs: each counts once in the average. Give these, or `usages`. */
  readonly runs?: readonly CostedRun[];
  /** What observed runs used ({@link usageOf}), as a coverage report keeps them; instead of `runs`. */
  readonly usages?: readonly RunUsage[];
}

function checkPerMonth(perMonth: unknown): number {
  if (typeof perMonth !== 'number' || !Number.isFinite(perMonth) || perMonth < 0 || !Number.isInteger(perMonth)) {
    throw new CostError('perMonth', `perMonth must be a whole number of executions a month (0 or more), got ${JSON.stringify(perMonth)}`);
  }
  return perMonth;
}

/**
 * A monthly estimate of what a state machine would cost as a Standard and as an Express
 * workflow, from runs of it (its tests' runs, or runs of chosen inputs), at `perMonth`
 * executions a month; and whether it may be an Express workflow at all.
 * @example
 * const estimate = estimateCost({ definition: wf.definition, runs }, { perMonth: 1_000_000 });
 * console.log(estimate.standard.usdPerMonth, estimate.express.usdPerMonth, estimate.express.reasons);
 */
export function estimateCost(input: EstimateInput, options: EstimateOptions): CostEstimate {
  const perMonth = checkPerMonth(options.perMonth);
  const where = region(options);
  const table = withPrices(DEFAULT_PRICES, options.prices);
  const standard = standardPrices(table, where);
  const express = expressPrices(table, where);
  const memory = checkMemory(options.expressMemoryMb);
  const usages = [...(input.runs ?? []).map((r) => usageOf(r, input.definition)), ...(input.usages ?? [])];
  if (usages.length === 0) {
    throw new CostError('runs', 'an estimate needs at least one run of the state machine: run its tests under the stepwright reporter, or give --input files');
  }
  const n = usages.length;
  const mean = (f: (u: RunUsage) => number): number => usages.reduce((sum, u) => sum + f(u), 0) / n;
  const children = (u: RunUsage, type: 'STANDARD' | 'EXPRESS') => u.childExecutions.filter((c) => c.type === type);
  const definitionBytes = definitionBytesOf(input.definition);
  const memories = usages.map((u) => memoryFor(u, definitionBytes, memory));
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
  const parentGbSeconds = usages.reduce((sum, u, i) => sum + (u.billedDurationMs / 1000) * (memories[i] / 1024), 0) / n * perMonth;
  const requests = perMonth + childExpressRequests;
  const gbSeconds = parentGbSeconds + childExpressGbSeconds;
  const standardChildren = standardUsd(childStandardTransitions);
  const eligibility = expressEligibility(input.definition, usages.map((usage, index) => ({ usage, index })));

  const standardTotal = s.usd + expressChildrenUsd;
  const expressTotal = expressUsd(requests, gbSeconds) + standardChildren.usd;
  const memoryNote = memory === 'estimate'
    ? `Express memory is AWS's estimate (50 MB + the ${definitionBytes.toLocaleString('en-US')}-byte definition + the largest payload × the Parallel and Map steps run), billed in 64 MB chunks: ${billedMemory} MB; a local run cannot measure what AWS will`
    : `Express memory is taken as ${memory} MB, billed in 64 MB chunks: ${billedMemory} MB`;
  return {
    region: where,
    perMonth,
    runs: n,
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
      `${perMonth.toLocaleString('en-US')} executions a month, each following one of the ${n} observed run(s) equally often`,
      'durations are the runs\' virtual time: Waits, retry back-offs and the delays mocks gave (delay()); a Task whose mock gave none took no time',
      'each Express execution is billed its duration rounded up to the next 100 ms (at least 100 ms)',
      memoryNote,
      options.freeTier === false ? 'no free tier' : `the Standard free tier (${free.toLocaleString('en-US')} transitions a month) goes to this state machine alone; it is per account`,
      'Express executions run at least once: a restarted execution is billed again, which this estimate leaves out',
      'only Step Functions is priced: the Lambda functions, services and CloudWatch Logs a workflow uses are billed apart',
      ...(usages.some((u) => u.childExecutions.length > 0)
        ? ['the child executions of DISTRIBUTED Maps are billed by their own type in both columns, each at one transition to the parent; EXPRESS children at 64 MB']
        : []),
    ],
    prices: { source: table.source, retrieved: table.retrieved },
  };
}
