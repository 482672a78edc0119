/**
 * May this state machine be an Express workflow? AWS's rules ("Standard vs. Express
 * Workflows" and "Cost-optimization using Express Workflows" in the Developer Guide): no
 * activities, no `.waitForTaskToken` callbacks, no `.sync` jobs, and every execution done within
 * five minutes. The states are read from the definition (the validator's own rule decides);
 * durations and payloads from the observed runs.
 */
import type { RunUsage } from './usage';
import type { StateMachineDefinition } from '../asl';
import { AwsLimits, EXPRESS_DURATION_WORDS } from '../asl/limits';
import { forEachState, isDistributedMap } from '../asl/state-tree';
import { kindOf, validateDefinition } from '../asl/validate';

/** One thing that rules Express out, naming the state or the run. */
export interface EligibilityReason {
  /** What kind of rule: a state Express cannot run, or a run longer than Express allows. */
  readonly rule: 'activity' | 'callback' | 'sync' | 'distributed-map' | 'duration';
  /** The state at fault, when it is one. */
  readonly state?: string;
  /** The observed run at fault (0-based, in the order given), when it is one. */
  readonly run?: number;
  /** What is wrong and what to do, in one sentence. */
  readonly message: string;
}

/** AWS ends an Express execution after five minutes. */
export const EXPRESS_MAX_DURATION_MS = AwsLimits.EXPRESS_DURATION_SECONDS * 1000;

/** One observed run: what it used (with how it ended), and its place among the runs. */
export interface ObservedRun {
  readonly usage: RunUsage;
  readonly index: number;
  /**
   * How many runs had this usage, from `index` on (a coverage report counts runs of one usage together).
   * @default 1
   */
  readonly runs?: number;
}

/** Observed runs by their place, 1-based as people count: `run 3`, or `runs 4–15` for a usage that several runs had. */
export function runsLabel(index: number, runs = 1): string {
  const n = (i: number) => i.toLocaleString('en-US');
  return runs <= 1 ? `run ${n(index + 1)}` : `runs ${n(index + 1)}–${n(index + runs)}`;
}

function stateAt(pointer: string): string | undefined {
  // '/States/A/Branches/0/States/B/Resource' -> 'B': the last name after a 'States' segment.
  const parts = pointer.split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let name: string | undefined;
  for (let i = 0; i < parts.length - 1; i++) if (parts[i] === 'States') name = parts[i + 1];
  return name;
}

function distributedMaps(definition: StateMachineDefinition): string[] {
  const out: string[] = [];
  // Machines nested deeper than 100 in a definition from a user's file are not read.
  forEachState(definition, (name, s) => { if (s.Type === 'Map' && isDistributedMap(s)) out.push(name); }, { maxDepth: 100 });
  return out;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
}

/**
 * What rules Express out for a state machine and its observed runs; empty when nothing does.
 * A DISTRIBUTED Map is counted against Express: AWS documents it for Standard parents, and this
 * check chooses the conservative answer where the documentation leaves doubt.
 * @example
 * const reasons = expressEligibility(definition, []);
 * // [{ rule: 'callback', state: 'Approve', message: "Task 'Approve' waits for a callback ..." }]
 */
export function expressEligibility(definition: StateMachineDefinition, runs: readonly ObservedRun[]): EligibilityReason[] {
  const reasons: EligibilityReason[] = [];
  for (const f of validateDefinition(definition, { type: 'EXPRESS', warnings: false })) {
    if (f.code !== 'EXPRESS_UNSUPPORTED_FEATURE') continue;
    const state = stateAt(f.location);
    // The finding's facts, not its words: a state's name or a Resource in the message may hold either word.
    const kind = kindOf(f);
    const feature = kind?.kind === 'express-unsupported' ? kind.feature : '.sync';
    const rule = feature === 'activity' ? 'activity' : feature === '.waitForTaskToken' ? 'callback' : 'sync';
    const what = rule === 'activity' ? 'calls an activity' : rule === 'callback' ? 'waits for a callback (.waitForTaskToken)' : 'runs a job to completion (.sync)';
    reasons.push({
      rule,
      ...(state !== undefined ? { state } : {}),
      message: `Task '${state ?? f.location}' ${what}, which Express workflows do not support; keep it in a Standard workflow (and nest an Express one for the rest)`,
    });
  }
  for (const state of distributedMaps(definition)) {
    reasons.push({
      rule: 'distributed-map',
      state,
      message: `Map '${state}' is DISTRIBUTED: it starts child executions, which AWS documents for Standard parent workflows; run it in a Standard workflow`,
    });
  }
  // A payload past 256 KiB (States.DataLimitExceeded) fails Standard and Express alike: no reason here, a warning of the estimate's.
  for (const { usage, index, runs: count } of runs) {
    // A run that ran as Express and was ended at 5 minutes shows exactly 5 minutes.
    if (usage.durationMs > EXPRESS_MAX_DURATION_MS || (usage.durationMs === EXPRESS_MAX_DURATION_MS && usage.status === 'TIMED_OUT')) {
      const label = runsLabel(index, count);
      reasons.push({
        rule: 'duration',
        run: index,
        message: `${label} took ${seconds(usage.durationMs)}, past the ${EXPRESS_DURATION_WORDS} an Express execution may last`,
      });
    }
  }
  return reasons;
}

/** A Task whose Resource is left to the deploy, so that eligibility cannot tell what it is. */
export interface ExpressDoubt {
  readonly state?: string;
  readonly message: string;
}

/**
 * The Tasks eligibility cannot judge: a Resource left to a deploy-time substitution or a
 * CloudFormation function (`${ApproveArn}`, `{"Ref": ...}`) may be an activity, a callback or a
 * `.sync` job. A Resource whose literal parts tell (`arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken`)
 * is judged by {@link expressEligibility} instead.
 */
export function expressDoubts(definition: StateMachineDefinition): ExpressDoubt[] {
  return validateDefinition(definition, { type: 'EXPRESS', warnings: false })
    .filter((f) => f.code === 'EXPRESS_RESOURCE_UNKNOWN')
    .map((f) => {
      const state = stateAt(f.location);
      return { ...(state !== undefined ? { state } : {}), message: `${f.message} (Express eligibility takes it to be none of them)` };
    });
}
