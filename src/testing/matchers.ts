import type { CostLimits } from './cost';
import type { JsonValue } from '../asl';
import { factsOf } from '../asl/history-events';
import type { CostOptions } from '../cost';
import type { PropertyVerdict, VerifyReport } from '../explore';
import type { PermissionReport, PolicyStatement } from '../iam';
import type { ExecutionResult, HistoryEvent } from '../interpreter';
import type { ReplayResult } from '../workbench/replay';
import type { CheckableWorkflow } from '../workbench/template/iam-workflow';

/* eslint-disable @typescript-eslint/no-require-imports -- synchronous loads, deferred to first use */
// The setup file installs every matcher into every test file: the cost matcher (cost/ and the
// validator under it) and the permission check (cfn/ and iam/) are loaded by their first use.
let costMatcher: typeof import('./cost') | undefined;
let permissionCheck: typeof import('../workbench/template/iam-workflow') | undefined;

/**
 * The part of jest's matcher context the stepwright matchers use (`this` in a
 * matcher); declared here so that importing the matchers needs neither jest's
 * types nor jest.
 */
export interface MatcherContextLike {
  /** True under `.not`. */
  readonly isNot?: boolean;
  /** jest's deep equality, which understands asymmetric matchers. */
  equals(a: unknown, b: unknown): boolean;
}

/** Anything with `asymmetricMatch`, like `expect.stringContaining('x')`. */
export interface AsymmetricMatcherLike {
  asymmetricMatch(other: unknown): boolean;
}

/** A state name, or an asymmetric matcher a state name must match (`expect.stringMatching(/^Charge/)`). */
export type StateNameMatcher = string | AsymmetricMatcherLike;

/** The stepwright matchers on `expect(run)`, whichever `expect` a test uses. */
export interface StepwrightMatchers<R> {
  /** Passes when the execution SUCCEEDED. */
  toSucceed(): R;
  /**
   * Passes when the execution FAILED, TIMED_OUT or was ABORTED and, when
   * given, with this error and cause (strings, asymmetric matchers, or a RegExp for the cause).
   */
  toFail(error?: string | AsymmetricMatcherLike, cause?: string | RegExp | AsymmetricMatcherLike): R;
  /**
   * Passes when every one of these states was entered; with `.not`, when none was. A state may
   * be given as an asymmetric matcher (`expect.stringMatching(/^Charge/)`), met by any state entered that matches it.
   */
  toHaveVisited(...states: StateNameMatcher[]): R;
  /**
   * Passes when the states entered are exactly these, in order; a step may be an asymmetric
   * matcher, and the whole path one too (`expect.arrayContaining(['Charge', 'Ship'])`).
   */
  toHavePath(states: readonly StateNameMatcher[] | AsymmetricMatcherLike): R;
  /** Passes when the state (a Task, Parallel or Map) was retried exactly `times` times. */
  toHaveRetried(state: string, times: number): R;
  /** Passes when the execution SUCCEEDED with this output (deep equality, asymmetric matchers allowed). */
  toHaveOutput(output: unknown): R;
  /**
   * Passes when the state machine's role allows every action its Tasks
   * need (no error finding of `checkPermissions`); takes a workflow or a report.
   */
  toHaveTaskPermissions(options?: { readonly statements?: readonly PolicyStatement[] }): R;
  /**
   * Passes when a replay (`await replay(recording)`) equals its recording:
   * the same outcome, output and sequence of states, and every Task answered
   * from the recording. The failure message names the first divergence.
   */
  toMatchRecording(): R;
  /**
   * Passes when the run costs no more than each limit given: state transitions (as a Standard
   * workflow is billed), billed Express duration in ms, or US dollars as either type.
   * @example expect(run).toCostAtMost({ stateTransitions: 40 });
   */
  toCostAtMost(limits: CostLimits, options?: CostOptions): R;
  /**
   * On the result of `wf.verify(...)`: passes when no property is VIOLATED (with
   * `{ proved: true }`, only when every one HOLDS). The failure message names each violated
   * property with its counterexample (input, mocks, path), and each one not proved with why.
   * @example expect(await wf.verify({ chargesOnce: Property.atMost('Charge', 1) })).toHold();
   */
  toHold(options?: HoldOptions): R;
}

/** Options of `toHold`. */
export interface HoldOptions {
  /**
   * Pass only when every property HOLDS: an UNKNOWN fails the test too.
   * @default false
   */
  readonly proved?: boolean;
}

// The matchers' types live beside the matchers, so every file that imports
// 'stepwright/testing' (or the setup file, which imports this one) sees them:
// a project type-checking against the published declarations gets them
// without naming the setup file in its tsconfig. Two augmentations: jest's
// global `expect` (@types/jest) and `import { expect } from '@jest/globals'`,
// whose matchers are the `expect` package's.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-interface
    interface Matchers<R> extends StepwrightMatchers<R> {}
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface Matchers<R extends void | Promise<void>, T = unknown> extends StepwrightMatchers<R> {}
}

/** What a matcher returns to jest. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** How many pieces of a run's advice a failure message shows. */
const ADVICE_SHOWN = 3;

/** How many failed child executions of Distributed Maps a failure message shows. */
const CHILD_FAILURES_SHOWN = 3;

/** How many history events a failure message shows. */
const EVENTS_SHOWN = 8;
/** Longest cause (or error) shown on one event line. */
const CAUSE_WIDTH = 100;

/** Throws unless `received` looks like an execution result; says what it got instead. */
function asRun(received: unknown, matcher: string): ExecutionResult {
  if (received === null || typeof received !== 'object' || typeof (received as { status?: unknown }).status !== 'string'
    || !Array.isArray((received as { path?: unknown }).path)) {
    throw new TypeError(`${matcher}: expected an execution result (the value of wf.run(...) or execution.result), got ${preview(received)}`);
  }
  return received as ExecutionResult;
}

function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (value instanceof Promise) return 'a Promise (did you forget await?)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function clip(text: string, width = CAUSE_WIDTH): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > width ? `${oneLine.slice(0, width - 3)}...` : oneLine;
}

function json(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** Seconds since the execution started, as `+12s` (or `+0.5s`). */
function offset(event: HistoryEvent, start: number): string {
  const ms = new Date(event.timestamp).getTime() - start;
  return `+${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(3).replace(/0+$/, '')}s`;
}

/**
 * One history event on one line: id, time since start, type, and the state
 * name or error it carries.
 * @internal
 */
export function describeEvent(event: HistoryEvent, start: number): string {
  const parts = [`#${event.id}`, offset(event, start), event.type];
  const { name, index, error, cause } = factsOf(event);
  if (name !== undefined) parts.push(name + (index !== undefined ? `[${index}]` : ''));
  if (error !== undefined) parts.push(cause !== undefined ? `${error}: ${clip(cause)}` : error);
  return parts.join(' ');
}

function startOf(run: ExecutionResult): number {
  const start = run.startDate ? new Date(run.startDate).getTime() : NaN;
  if (!Number.isNaN(start)) return start;
  const first = run.history?.[0];
  return first ? new Date(first.timestamp).getTime() : 0;
}

/** Paths longer than this are printed by their first and last states. */
const PATH_PRINTED = 40;
/** States printed at each end of a long path. */
const PATH_ENDS = 15;

/**
 * A path as messages print it, `A → B → C`; a long one (a loop gone round
 * many times) by its first and last states and how many were left out
 * between them.
 * @internal
 */
export function pathText(path: readonly string[]): string {
  if (path.length <= PATH_PRINTED) return path.join(' → ');
  const left = path.length - 2 * PATH_ENDS;
  return [...path.slice(0, PATH_ENDS), `… ${left} states left out …`, ...path.slice(-PATH_ENDS)].join(' → ');
}

/**
 * The run, as failure messages show it: status, error and cause, the path
 * taken and the last few history events.
 * @internal
 */
export function describeRun(run: ExecutionResult): string {
  const lines = [`  status: ${run.status}`];
  if (run.error !== undefined) lines.push(`  error:  ${run.error}`);
  // A refused mock's cause names the field, the model and the fix over several lines: shown whole up to a bound.
  if (run.cause !== undefined) lines.push(`  cause:  ${clip(run.cause, 1500).replace(/\n/g, '\n          ')}`);
  if (run.status === 'SUCCEEDED') lines.push(`  output: ${clip(json(run.output), 300)}`);
  lines.push(`  path:   ${run.path.length ? `${pathText(run.path)}${run.path.length > PATH_PRINTED ? ` (${run.path.length} states)` : ''}` : '(no state entered)'}`);
  // A Distributed Map's children fail in histories of their own: their errors are what the parent's error hides.
  const failed = (run.childExecutions ?? []).flatMap((u) => u.failures ?? []);
  for (const f of failed.slice(0, CHILD_FAILURES_SHOWN)) {
    const error = f.error === undefined ? 'no error' : f.cause === undefined ? f.error : `${f.error}: ${f.cause}`;
    lines.push(`  child:  a child execution of Map '${f.mapState}' failed with ${clip(error, 300)} (input ${clip(json(f.input), 120)})`);
  }
  if (failed.length > CHILD_FAILURES_SHOWN) lines.push(`  … and ${failed.length - CHILD_FAILURES_SHOWN} more failed child executions (run.childFailures)`);
  // What the checks of the mocks noticed and let through: often why the output is not the one expected.
  const advice = (run as { advice?: readonly { message: string }[] }).advice ?? [];
  for (const a of advice.slice(0, ADVICE_SHOWN)) lines.push(`  advice: ${clip(a.message, 1500).replace(/\n/g, '\n          ')}`);
  if (advice.length > ADVICE_SHOWN) lines.push(`  … and ${advice.length - ADVICE_SHOWN} more pieces of advice (run.advice)`);
  const history = run.history ?? [];
  if (history.length) {
    const start = startOf(run);
    const shown = history.slice(-EVENTS_SHOWN);
    lines.push(`  last ${shown.length} of ${history.length} events:`);
    for (const e of shown) lines.push(`    ${describeEvent(e, start)}`);
  }
  const toMermaid = (run as { toMermaid?: () => string }).toMermaid;
  if (process.env[MERMAID_IN_FAILURES_ENV] && typeof toMermaid === 'function') {
    lines.push('  the path as Mermaid (paste into a Markdown file or mermaid.live):', '```mermaid', toMermaid.call(run).trimEnd(), '```');
  }
  return lines.join('\n');
}

/**
 * Set this environment variable (to anything) to have matcher failure
 * messages end with the run's path drawn as a Mermaid flowchart.
 */
export const MERMAID_IN_FAILURES_ENV = 'STEPWRIGHT_MERMAID';

function result(pass: boolean, text: () => string, run: ExecutionResult): MatcherResult {
  return { pass, message: () => `${text()}\n\n${describeRun(run)}` };
}

function matches(ctx: MatcherContextLike, actual: string | undefined, expected: unknown): boolean {
  if (expected instanceof RegExp) return actual !== undefined && expected.test(actual);
  return ctx.equals(actual, expected);
}

function describeExpected(expected: unknown): string {
  if (expected instanceof RegExp) return String(expected);
  const asym = expected as { asymmetricMatch?: unknown; toAsymmetricMatcher?: () => string } | null;
  if (asym !== null && typeof asym === 'object' && typeof asym.asymmetricMatch === 'function') {
    if (typeof asym.toAsymmetricMatcher === 'function') return asym.toAsymmetricMatcher();
    // As jest prints one: its name, then what it was given (`StringMatching /^Sh/`, `ArrayContaining ["a", "b"]`).
    const sample = (asym as { sample?: unknown }).sample;
    if (sample === undefined || typeof sample === 'function') return String(asym);
    return `${String(asym)} ${sample instanceof RegExp ? String(sample) : clip(sampleText(sample), 200)}`;
  }
  return json(expected);
}

/** A matcher's sample as jest prints it: a list's items (matchers among them) separated by `, `, anything else as JSON. */
function sampleText(sample: unknown): string {
  if (Array.isArray(sample)) return `[${sample.map((v) => (isAsymmetric(v) ? describeExpected(v) : json(v))).join(', ')}]`;
  try {
    return JSON.stringify(sample) ?? String(sample);
  } catch {
    return String(sample);
  }
}

/**
 * Passes when the execution SUCCEEDED.
 * @example expect(run).toSucceed();
 */
export function toSucceed(this: MatcherContextLike, received: unknown): MatcherResult {
  const run = asRun(received, 'toSucceed');
  const pass = run.status === 'SUCCEEDED';
  return result(pass, () => (pass
    ? 'expected the execution not to succeed, but it SUCCEEDED'
    : `expected the execution to succeed, but it ${run.status}`), run);
}

/**
 * Passes when the execution ended without succeeding (FAILED, TIMED_OUT or
 * ABORTED) and, when given, with this error and cause. `error` and `cause`
 * may be strings (exact), asymmetric matchers, and `cause` a RegExp.
 * @example expect(run).toFail('Payment.Declined', /insufficient funds/);
 */
export function toFail(this: MatcherContextLike, received: unknown, error?: unknown, cause?: unknown): MatcherResult {
  const run = asRun(received, 'toFail');
  const ended = run.status !== 'SUCCEEDED' && run.status !== 'RUNNING';
  const errorOk = error === undefined || matches(this, run.error, error);
  const causeOk = cause === undefined || matches(this, run.cause, cause);
  const pass = ended && errorOk && causeOk;
  const wanted = [
    'expected the execution to fail',
    error !== undefined ? ` with error ${describeExpected(error)}` : '',
    cause !== undefined ? ` and cause ${describeExpected(cause)}` : '',
  ].join('');
  return result(pass, () => {
    if (pass) return `${wanted.replace('to fail', 'not to fail')}, but it ${run.status}${error !== undefined ? ` with error ${json(run.error)}` : ''}`;
    if (!ended) return `${wanted}, but it ${run.status}`;
    const got = [!errorOk ? `error ${json(run.error)}` : '', !causeOk ? `cause ${json(run.cause)}` : ''].filter(Boolean).join(' and ');
    return `${wanted}, but it ${run.status} with ${got}`;
  }, run);
}

/**
 * Passes when the execution entered every one of these states (at any depth:
 * Parallel branches and Map iterations count). With `.not`, passes when it
 * entered none of them.
 * @example expect(run).toHaveVisited('ChargeCard', 'Ship');
 */
export function toHaveVisited(this: MatcherContextLike, received: unknown, ...states: StateNameMatcher[]): MatcherResult {
  const run = asRun(received, 'toHaveVisited');
  if (states.length === 0) throw new TypeError('toHaveVisited: name at least one state');
  for (const s of states) {
    if (typeof s !== 'string' && !isAsymmetric(s)) {
      throw new TypeError(`toHaveVisited: expected state names or asymmetric matchers (expect.stringMatching(...)), got ${preview(s)}`);
    }
  }
  const seen = new Set(run.path);
  const entered = (s: StateNameMatcher): boolean => (typeof s === 'string' ? seen.has(s) : run.path.some((p) => this.equals(p, s)));
  const visited = states.filter(entered);
  const missing = states.filter((s) => !entered(s));
  // `.not` means "none of them", so the negated form fails as soon as one was visited.
  const pass = this.isNot ? visited.length > 0 : missing.length === 0;
  return result(pass, () => (this.isNot
    ? `expected the execution not to visit ${list(states)}, but it visited ${list(visited)}`
    : `expected the execution to visit ${list(states)}, but it never entered ${list(missing)}`), run);
}

function list(names: readonly StateNameMatcher[]): string {
  return names.map(nameText).join(', ');
}

/** A state name quoted, or an asymmetric matcher as jest prints it. */
function nameText(name: StateNameMatcher): string {
  return typeof name === 'string' ? `'${name}'` : describeExpected(name);
}

function isAsymmetric(value: unknown): value is AsymmetricMatcherLike {
  return value !== null && typeof value === 'object' && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
}

/**
 * Passes when the states entered are exactly these, in this order
 * (`run.path`, which includes states inside Parallel and Map). A step may be an
 * asymmetric matcher, and so may the whole path (`expect.arrayContaining([...])`).
 * @example expect(run).toHavePath(['Validate', 'Charge', 'Ship']);
 */
export function toHavePath(
  this: MatcherContextLike, received: unknown, expected: readonly StateNameMatcher[] | AsymmetricMatcherLike,
): MatcherResult {
  const run = asRun(received, 'toHavePath');
  if (isAsymmetric(expected)) {
    const matched = this.equals(run.path, expected);
    return result(matched, () => (matched
      ? `expected the path not to match ${describeExpected(expected)}`
      : `expected the path to match ${describeExpected(expected)}\n  but it was ${run.path.length ? pathText(run.path) : '(no state entered)'}`), run);
  }
  if (!Array.isArray(expected)) {
    throw new TypeError(`toHavePath: expected an array of state names or an asymmetric matcher (expect.arrayContaining([...])), got ${preview(expected)}`);
  }
  const steps = expected as readonly StateNameMatcher[];
  const pass = this.equals(run.path, steps);
  const shown = (): string => pathText(steps.map((s) => (typeof s === 'string' ? s : describeExpected(s))));
  return result(pass, () => {
    if (pass) return `expected the execution not to take the path ${shown()}`;
    let i = 0;
    while (i < steps.length && i < run.path.length && this.equals(run.path[i], steps[i])) i++;
    const at = i < steps.length
      ? (i < run.path.length ? `step ${i + 1} was '${run.path[i]}', expected ${nameText(steps[i])}` : `it stopped after ${i} states, before ${nameText(steps[i])}`)
      : `it went on to '${run.path[i]}' after the ${i} expected states`;
    return `expected the path ${shown()}\n  but ${at}`;
  }, run);
}

/**
 * Passes when the state was retried exactly `times` times in the execution
 * (all its visits and retriers together), as counted from the history:
 * every attempt after the first of one state visit is a retry. A Parallel or
 * Map run again by its own Retry counts for itself, a Task retried inside one
 * of its branches for the Task, in a DISTRIBUTED Map's child executions too.
 * @example expect(run).toHaveRetried('ChargeCard', 2);
 */
export function toHaveRetried(this: MatcherContextLike, received: unknown, state: string, times: number): MatcherResult {
  const run = asRun(received, 'toHaveRetried');
  if (typeof state !== 'string') throw new TypeError(`toHaveRetried: expected a state name, got ${preview(state)}`);
  if (!Number.isInteger(times) || times < 0) throw new TypeError(`toHaveRetried: expected a count of retries (an integer >= 0), got ${preview(times)}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  const { retriesOfState } = require('../explore/trace') as typeof import('../explore/trace');
  const retried = retriesOfState(run, state);
  const pass = retried === times;
  const visited = run.path.includes(state);
  return result(pass, () => (pass
    ? `expected '${state}' not to be retried ${times} time${times === 1 ? '' : 's'}, but it was`
    : `expected '${state}' to be retried ${times} time${times === 1 ? '' : 's'}, but it was retried ${retried} time${retried === 1 ? '' : 's'}${visited ? '' : ' (it was never entered)'}`), run);
}

/**
 * Passes when the execution SUCCEEDED with this output (deep equality;
 * asymmetric matchers such as `expect.objectContaining` work).
 * @example expect(run).toHaveOutput({ status: 'SHIPPED', id: expect.any(String) });
 */
export function toHaveOutput(this: MatcherContextLike, received: unknown, expected: JsonValue | unknown): MatcherResult {
  const run = asRun(received, 'toHaveOutput');
  const succeeded = run.status === 'SUCCEEDED';
  const pass = succeeded && this.equals(run.output, expected);
  return result(pass, () => {
    if (pass) return `expected the execution not to output ${describeExpected(expected)}`;
    if (!succeeded) return `expected the execution to output ${describeExpected(expected)}, but it ${run.status} (no output)`;
    return `expected the execution to output\n    ${clip(describeExpected(expected), 300)}\n  but it output\n    ${clip(json(run.output), 300)}`;
  }, run);
}

/**
 * Passes when the role of the workflow's state machine allows every IAM
 * action its Tasks need, as `checkPermissions` finds it: no missing or denied
 * permission. Warnings (over-broad grants, "cannot check") do not fail it.
 * Takes a workflow from a stack or template, a `PermissionReport`, or a list
 * of them; `statements` checks a workflow against the given role statements.
 * @example expect(Workflow.fromStack(stack)).toHaveTaskPermissions();
 */
export function toHaveTaskPermissions(this: MatcherContextLike, received: unknown,
  options: { readonly statements?: readonly PolicyStatement[] } = {}): MatcherResult {
  const reports = asReports(received, options.statements);
  const errors = reports.flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => ({ report: r, finding: f })));
  const pass = errors.length === 0;
  const checked = reports.reduce((n, r) => n + r.checks.length, 0);
  return {
    pass,
    message: () => (pass
      ? `expected some Task to lack a permission, but the role allows all ${checked} permission${checked === 1 ? '' : 's'} checked`
      : [
        `expected the role to allow every Task's permissions, but ${errors.length} ${errors.length === 1 ? 'is' : 'are'} missing:`,
        ...errors.map(({ report, finding }) => `  ${report.logicalId ?? report.stateMachine}: ${finding.message}${finding.fix ? `\n    fix: ${finding.fix}` : ''}`),
      ].join('\n')),
  };
}

function asReports(received: unknown, statements: readonly PolicyStatement[] | undefined): PermissionReport[] {
  const isReport = (v: unknown): v is PermissionReport => v !== null && typeof v === 'object' && Array.isArray((v as PermissionReport).findings) && Array.isArray((v as PermissionReport).checks);
  if (isReport(received)) return [received];
  if (Array.isArray(received) && received.every(isReport)) return received;
  const wf = received as CheckableWorkflow | null;
  if (wf !== null && typeof wf === 'object' && typeof wf.arn === 'string' && wf.definition !== null && typeof wf.definition === 'object') {
    permissionCheck ??= require('../workbench/template/iam-workflow') as typeof import('../workbench/template/iam-workflow');
    return [permissionCheck.checkWorkflowPermissions(wf, statements)];
  }
  throw new TypeError(`toHaveTaskPermissions: expected a workflow (Workflow.fromStack / fromTemplate) or the result of checkPermissions, got ${preview(received)}`);
}

/**
 * Passes when a replay equals its recording (outcome, output, sequence of
 * states) and the recording answered every Task the replay called.
 * @example expect(await replay(recording)).toMatchRecording();
 */
export function toMatchRecording(this: MatcherContextLike, received: unknown): MatcherResult {
  const r = received as ReplayResult | null;
  if (r === null || typeof r !== 'object' || typeof r.equal !== 'boolean' || typeof r.describe !== 'function' || !Array.isArray(r.unanswered)) {
    throw new TypeError(`toMatchRecording: expected the result of replay(recording), got ${preview(received)}`);
  }
  const pass = r.equal && r.unanswered.length === 0;
  return {
    pass,
    message: () => (pass ? `expected the replay to differ from the recording, but it equals it
${r.describe()}` : `expected the replay to equal the recording
${r.describe()}`),
  };
}

/**
 * Passes when no property of a verify result is VIOLATED (with `{ proved: true }`, when every
 * one HOLDS); the message names each violated property and its counterexample.
 * @example expect(await wf.verify(properties)).toHold();
 */
export function toHold(this: MatcherContextLike, received: unknown, options: HoldOptions = {}): MatcherResult {
  const r = received as VerifyReport | null;
  if (r === null || typeof r !== 'object' || typeof r.properties !== 'object' || r.properties === null || typeof r.runs !== 'number') {
    throw new TypeError(`toHold: expected the result of wf.verify(properties), got ${preview(received)}`);
  }
  const entries = Object.entries(r.properties);
  const failing = entries.filter(([, v]) => v.verdict === 'VIOLATED' || (options.proved === true && v.verdict === 'UNKNOWN'));
  const pass = failing.length === 0;
  const line = ([name, v]: [string, PropertyVerdict]): string => {
    const head = `  ${name} (${v.property}): ${v.verdict}: ${v.reason}`;
    if (!v.counterexample) return head;
    const c = v.counterexample;
    return `${head}\n    input: ${JSON.stringify(c.input)}\n    mocks: ${JSON.stringify(c.mocks)}\n    path: ${c.path.join(' -> ')} (${c.status}${c.error ? ` ${c.error}` : ''})`;
  };
  return {
    pass,
    message: () => (pass
      ? `expected some property of ${r.machine} not to hold, but ${options.proved === true ? 'every one HOLDS' : 'none is VIOLATED'}:\n${entries.map(line).join('\n')}`
      : `expected every property of ${r.machine} to ${options.proved === true ? 'HOLD' : 'hold on every run'} (${r.runs} runs checked):\n${failing.map(line).join('\n')}`),
  };
}

/**
 * Passes when the run costs no more than each limit given: state transitions and US dollars as
 * a Standard workflow, billed duration and US dollars as an Express one. The failure names each
 * limit passed, with the run's transitions and retries.
 * @example expect(run).toCostAtMost({ stateTransitions: 40 });
 */
export function toCostAtMost(this: MatcherContextLike, received: unknown, limits: CostLimits, options: CostOptions = {}): MatcherResult {
  costMatcher ??= require('./cost') as typeof import('./cost');
  return costMatcher.costAtMost.call(this, received, limits, options);
}

/**
 * The stepwright matchers, for `expect.extend(matchers)`; the
 * `stepwright/testing/setup` file installs them.
 */
export const matchers = {
  toSucceed, toFail, toHaveVisited, toHavePath, toHaveRetried, toHaveOutput, toHaveTaskPermissions, toMatchRecording, toCostAtMost, toHold,
};
