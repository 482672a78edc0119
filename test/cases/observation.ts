import type { DoorName } from './case-format';
import type { JsonValue } from '../../src/asl/definition-types';
import type { RunReport } from '../../src/workbench/commands/run';
import type { MapRunItemCounts } from '../../src/workbench/workflow/workflow-run';

/** A Map Run as a door reports it, in DescribeMapRun's fields. */
export interface ObservedMapRun extends MapRunItemCounts {
  /** Only serve's DescribeMapRun says it. */
  readonly maxConcurrency?: number;
}

/**
 * What one door reported of one run, as the door gave it (normalise.ts makes it comparable).
 * A field a door does not report is absent; {@link REPORTS} says which each one reports.
 */
export interface Observation {
  readonly status: string;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  readonly path?: readonly string[];
  /** Every history event, `Type` or `Type:State`. */
  readonly events?: readonly string[];
  /** How long the run lasted on its clock, in whole seconds (the first event to the last). */
  readonly seconds?: number;
  /** Every history event in full, as GetExecutionHistory gives it. */
  readonly history?: readonly JsonValue[];
  readonly mapRuns?: readonly ObservedMapRun[];
  /** For each Map Run ARN the output names, in order: whether the door knows that Map Run. */
  readonly outputMapRuns?: readonly string[];
  readonly cost?: CostCounts;
  /** What `stepwright cost` estimates from the same run: its STANDARD state transitions per execution. */
  readonly costCommand?: { readonly stateTransitionsPerExecution: number } | { readonly refused: string };
  /** An explore case: the scenarios explore reported. */
  readonly scenarios?: readonly ObservedScenario[];
  /** An explore case: what jest said of the test file `stepwright explore --write-tests` wrote, run as written. */
  readonly writtenTests?: { readonly passed: number; readonly failed: number; readonly message: string };
  /** Test coverage: the items never exercised, per category. */
  readonly missed?: Readonly<Record<string, readonly string[]>>;
  /** The S3 folder after the run: the files it wrote or changed (JSON files parsed). */
  readonly s3?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /** The run's advice messages, in order (each door names its own options in them, so only the expectation compares them). */
  readonly advice?: readonly string[];
  /** Fields the door reports for other runs but not for this one, each with the reason (printed by the test). */
  readonly notReported?: Readonly<Partial<Record<ObservedField, string>>>;
}

/** A scenario as explore reports it. */
export interface ObservedScenario {
  readonly name: string;
  readonly input: JsonValue;
  readonly mocks: JsonValue;
  readonly path: readonly string[];
  readonly status: string;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
}

/** What a run costs as a STANDARD workflow, in the counts every door that prices it gives. */
export interface CostCounts {
  readonly stateTransitions: number;
  readonly statesEntered: number;
  readonly retries: number;
  readonly childExecutionsStarted: number;
}

/** The counts of a priced run (its other fields, prices and durations, left out). */
export function costCounts(c: CostCounts): CostCounts {
  const { stateTransitions, statesEntered, retries, childExecutionsStarted } = c;
  return { stateTransitions, statesEntered, retries, childExecutionsStarted };
}

/** A door's answer for one case: what it observed, or its refusal to run the case at all. */
export type DoorOutcome =
  | { readonly kind: 'ran'; readonly observation: Observation; readonly names: RunNames }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'cannot'; readonly reason: string };

/** The names and clock a door gave the run, which normalise.ts replaces by placeholders. */
export interface RunNames {
  readonly machine: string;
  readonly execution: string;
  /** When the run started on the door's clock (ms since the epoch). */
  readonly start: number;
}

export type ObservedField = Exclude<keyof Observation, 'notReported'>;

/**
 * The fields each door reports. The jest harness has them all but the cost command's; the CLI's
 * `run --json --history --cost` has no full history and no coverage, `stepwright cost` prices
 * the same run (for a case that expects a cost) and `explore --write-tests` writes a test file
 * that jest runs (for an explore case); serve has no coverage (an execution's history,
 * Map Runs and the `--cost` log line are its answers); MCP's `run` tool answers no full history,
 * no coverage and no cost (the files it wrote to its `s3Dir` are read from the folder).
 */
export const REPORTS: Readonly<Record<DoorName, ReadonlySet<ObservedField>>> = {
  jest: new Set<ObservedField>(['status', 'output', 'error', 'cause', 'path', 'seconds', 'events', 'history', 'mapRuns', 'outputMapRuns', 'cost', 'missed', 's3', 'scenarios', 'advice']),
  cli: new Set<ObservedField>(['status', 'output', 'error', 'cause', 'path', 'seconds', 'events', 'mapRuns', 'outputMapRuns', 'cost', 'costCommand', 's3', 'scenarios', 'writtenTests', 'advice']),
  serve: new Set<ObservedField>(['status', 'output', 'error', 'cause', 'path', 'seconds', 'events', 'history', 'mapRuns', 'outputMapRuns', 'cost', 's3', 'advice']),
  mcp: new Set<ObservedField>(['status', 'output', 'error', 'cause', 'path', 'seconds', 'events', 'mapRuns', 'outputMapRuns', 's3', 'scenarios', 'advice']),
};

/** What `stepwright run --json --history` and MCP's `run` answer (the same report), as an observation. */
export function observationOfReport(report: RunReport): Observation {
  const mapRuns: readonly ObservedMapRun[] = report.mapRuns ?? [];
  return {
    status: report.status,
    ...(report.output !== undefined ? { output: report.output } : {}),
    ...(report.error !== undefined ? { error: report.error } : {}),
    ...(report.cause !== undefined ? { cause: report.cause } : {}),
    path: report.path,
    seconds: secondsOf(report.startDate, report.stopDate),
    events: (report.history ?? []).map((e) => (e.state === undefined ? e.type : `${e.type}:${e.state}`)),
    mapRuns,
    outputMapRuns: outputMapRunsOf(report.output, mapRuns.map((r) => r.mapRunArn)),
    advice: (report.advice ?? []).map((a) => a.message),
  };
}

/** Whole seconds from `start` to `stop` (dates, ISO text or ms): a door's real work between two waits is a few ms. */
export function secondsOf(start: Date | string | number, stop: Date | string | number): number {
  return Math.floor((new Date(stop).getTime() - new Date(start).getTime()) / 1000);
}

/** The Map Run ARNs a value names (in outputs: a Distributed Map's `MapRunArn`, a ResultWriter's manifest). */
export function mapRunArnsIn(value: JsonValue | undefined): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue | undefined): void => {
    if (typeof v === 'string') for (const m of v.matchAll(/arn:aws[\w-]*:states:[^:\s"]*:\d*:mapRun:[^\s"]+/g)) out.push(m[0]);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** For each Map Run ARN of the output, 'listed' when the door's Map Runs hold it, else 'unknown: <arn>'. */
export function outputMapRunsOf(output: JsonValue | undefined, known: readonly string[]): string[] {
  return mapRunArnsIn(output).map((arn) => (known.includes(arn) ? 'listed' : `unknown: ${arn}`));
}
