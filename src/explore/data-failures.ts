import { applyWrites } from './apply-writes';
import { describeSteps, type Attempt, type Exploration, type RunRecord } from './context';
import { answerType } from './contract-answers';
import { planned } from './plan';
import { parseBindingPath } from './solve';
import type { Source } from './sources';
import { dataErrorsOf, type DataError } from './verify-data';
import type { Visit } from './visits';
import type { JsonValue, StateMachineDefinition } from '../asl';
import { errorMatches } from '../asl/error-rules';
import { INTRINSIC_FUNCTIONS, hasType } from '../asl/intrinsics/functions';
import { IntrinsicNames, isIntrinsicCall } from '../asl/intrinsics/names';
import { parseIntrinsic, type IntrinsicNode } from '../asl/intrinsics/parser';
import { sameJson } from '../asl/json-value';
import { followSteps } from '../asl/path';
import { seededRandom } from '../asl/random';
import { STATE_DATA_ERRORS, StatesErrors } from '../asl/states-errors';

/*
 * A state's own data errors as a way to its Catch: a ResultPath that does not fit the state's
 * input fails the state with States.ResultPathMatchFailure, which its Catch takes like any other
 * error (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html), with
 * no Task failing. Which states can raise which errors is verify's one reading of the definition
 * (verify-data.ts); here explore writes the input that raises one.
 */

const known = new WeakMap<StateMachineDefinition, Map<string, DataError[]>>();

function dataErrors(x: Exploration): Map<string, DataError[]> {
  let all = known.get(x.def);
  if (!all) known.set(x.def, all = dataErrorsOf(x.def));
  return all;
}

/**
 * The data errors of a state's own processing that its Catch[index] (or Retry[index]) is the
 * first to take, those explore can make first (a Catch on States.ALL takes a States.Runtime it
 * does not make as well), in the definition's order (Parameters, then ResultSelector). The
 * interpreter retries a state's data error as it retries a call's (src/interpreter/engine.ts,
 * by errorMatches), with the first Retrier whose ErrorEquals names it.
 */
export function caughtDataErrors(x: Exploration, state: string, index: number, category: 'catches' | 'retries' = 'catches'): DataError[] {
  const def = x.states.get(state)?.def;
  const rules = (category === 'catches' ? def?.Catch : def?.Retry) ?? [];
  return ownDataErrors(x, state, (e) => rules.findIndex((c) => errorMatches(c.ErrorEquals ?? [], e.error)) === index);
}

/** Whether a state's own processing (not its Catch's ResultPath) can raise `error`, as verify reads the definition. */
export function raisesOnOwnData(x: Exploration, state: string, error: string): boolean {
  return (dataErrors(x).get(state) ?? []).some((e) => e.own && e.error === error);
}

/**
 * A state's own data errors that `keep` keeps, those explore makes first; an intrinsic function's
 * failure once for each template whose argument explore can make refused (verify names one place
 * per error).
 */
function ownDataErrors(x: Exploration, state: string, keep: (e: DataError) => boolean): DataError[] {
  type Templates = { Parameters?: JsonValue; ResultSelector?: JsonValue };
  const def = x.states.get(state)?.def as Templates | undefined;
  const taken = (dataErrors(x).get(state) ?? []).filter((e) => e.own && keep(e));
  const sites = (['Parameters', 'ResultSelector'] as const).filter((f) => typedArguments(def?.[f]).length > 0);
  const perSite = (e: DataError): boolean => e.intrinsic === true && /of its (Parameters|ResultSelector)$/.test(e.where) && sites.length > 0;
  const made = taken.filter(isMade).flatMap((e) => (perSite(e) ? sites.map((f) => ({ ...e, where: `an intrinsic function of its ${f}` })) : [e]));
  return [...made, ...taken.filter((e) => !isMade(e))];
}

/** The most states inside a Parallel's or Map's visit {@link innerDataErrors} names. */
const INNER_LIMIT = 8;

/**
 * The states inside a Parallel's or Map's visit that can raise `error` on their own data and let
 * it out (no Catch on them, or on a Parallel or Map between, takes it), each with the data error
 * and the visit it would be made on: the Parallel or Map then fails with it, as a branch or an
 * iteration that fails does.
 */
export function innerDataErrors(x: Exploration, v: Visit, error: string): Array<{ readonly visit: Visit; readonly error: DataError }> {
  const out: Array<{ visit: Visit; error: DataError }> = [];
  const seen = new Set<string>();
  const walk = (p: Visit): void => {
    for (const c of p.children) {
      if (out.length >= INNER_LIMIT) return;
      const def = x.states.get(c.name)?.def;
      if (def === undefined || (def.Catch ?? []).some((k) => errorMatches(k.ErrorEquals ?? [], error))) continue;
      if (!seen.has(c.name)) {
        seen.add(c.name);
        for (const e of ownDataErrors(x, c.name, (d) => d.error === error)) out.push({ visit: c, error: e });
      }
      if (def.Type === 'Parallel' || def.Type === 'Map') walk(c);
    }
  };
  walk(v);
  return out.slice(0, INNER_LIMIT);
}

/** Whether {@link dataFailurePlan} makes a value for a data error: a ResultPath that does not fit, an intrinsic that refuses. */
function isMade(e: DataError): boolean {
  return e.intrinsic === true || e.error === StatesErrors.RESULT_PATH_MATCH_FAILURE;
}

/**
 * Whether AWS raises `error` only on a state's own data, never as a service's answer (the one list:
 * STATE_DATA_ERRORS). A call made to throw one is not a real answer.
 */
export function raisedOnData(error: string): boolean {
  return STATE_DATA_ERRORS.includes(error);
}

/** A string where a ResultPath needs an object: AWS cannot write a field into it. */
const NOT_AN_OBJECT = 'text';

/** The values tried where one that fails is wanted, the first that fails and that the place can hold coming first. */
const TRIED: readonly JsonValue[] = ['text', 0, 1.5, -1, true, '', {}, []];

/**
 * Makes a state's visit raise its data error `e`: for a JSONPath ResultPath, the input (or the
 * answer of the Task it came from) gets a scalar where the path's last field would be written;
 * for an intrinsic function of the Parameters or the ResultSelector, its argument, read from the
 * input or the Task's answer, gets a value the function refuses. A value that comes from a
 * Task's answer is one its service's contract lets it answer (the answer STRICT validation
 * takes); where the contract allows none that fails, the reason says so. Other data errors give a
 * reason naming what raises them.
 */
export async function dataFailurePlan(x: Exploration, rec: RunRecord, v: Visit, e: DataError): Promise<Attempt> {
  const info = x.states.get(v.name);
  const cannot = (why: string): Attempt => ({ reason: `'${v.name}' can fail with ${e.error} (${e.where}), and ${why}` });
  if (info !== undefined && e.intrinsic === true && info.language === 'JSONPath') {
    const made = await intrinsicFailurePlan(x, rec, v, e);
    if (made !== undefined) return made;
  }
  const rp = info?.def.ResultPath;
  if (info === undefined || e.error !== StatesErrors.RESULT_PATH_MATCH_FAILURE || info.language !== 'JSONPath' || typeof rp !== 'string') {
    return cannot('explore does not make the value that raises it');
  }
  const parsed = parseBindingPath(rp);
  if ('error' in parsed || parsed.root.kind !== 'input' || parsed.steps.length === 0) return cannot('explore cannot write under that path');
  const prefix = parsed.steps.slice(0, -1);
  const where = `$${describeSteps(prefix)}`;
  const made = await writeFailing(x, rec, x.provenanceOf(rec).rawInput(v, prefix), notAnObject, `a scalar at ${where} of its input`);
  if ('reason' in made) return cannot(made.reason);
  return { ...made, writes: `${made.writes}, so that the ResultPath ${rp} of '${v.name}' fails with ${e.error}` };
}

const notAnObject = (value: JsonValue | undefined): boolean => value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value));

/**
 * Writes the first of {@link TRIED} (after `first`) that `fails` at `source`. A value written into
 * a Task's answer is made to fit its contract, which may change it: the value read back decides.
 */
async function writeFailing(
  x: Exploration, rec: RunRecord, source: Source, fails: (value: JsonValue | undefined) => boolean, wanted: string, first?: JsonValue,
): Promise<Attempt> {
  let last: Attempt | undefined;
  for (const value of first === undefined ? TRIED : [first, ...TRIED.filter((t) => !sameJson(t, first))]) {
    if (!fails(value)) continue;
    const attempt = await applyWrites(x, rec, [{ source, value }]);
    if ('reason' in attempt) return attempt;
    if (source.kind !== 'task') return attempt;
    const answer = planned(attempt.plan, source.state, source.invocation);
    if (answer?.kind === 'return' && fails(followSteps(answer.value, source.steps))) return attempt;
    last = attempt;
  }
  if (last === undefined || source.kind !== 'task') return { reason: `explore found no value for ${wanted}` };
  const def = x.states.get(source.state)?.def as { Resource?: unknown } | undefined;
  const resource = typeof def?.Resource === 'string' ? def.Resource : 'its Resource';
  const type = typeof def?.Resource === 'string' ? answerType(def.Resource, source.steps) : undefined;
  return {
    reason: `it needs ${wanted}, which comes from ${describeSteps(source.steps)} of the answer of Task '${source.state}', where the contract of ${resource} `
      + `answers ${type === undefined ? 'another value' : `a ${type}`} (STRICT validation refuses another), so no answer of '${source.state}' raises it`,
  };
}

/**
 * An argument of an intrinsic function of a payload template that reads by path where the
 * function wants a typed value (States.StringToJson a string, States.ArrayGetItem an array and
 * an integer): a value of another type, or one the function refuses (a text that is not JSON for
 * States.StringToJson), makes the call fail (with States.Runtime, INTRINSIC_FAILURE)
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html gives each
 * function's argument types; the interpreter's one reading is src/asl/intrinsics).
 */
interface TypedArgument {
  readonly path: string;
  readonly fn: string;
  /** The value tried first: one of another type. */
  readonly value: JsonValue;
  readonly fails: (value: JsonValue | undefined) => boolean;
}

function typedArguments(template: JsonValue | undefined, out: TypedArgument[] = []): TypedArgument[] {
  if (template === null || typeof template !== 'object') return out;
  for (const [k, x] of Array.isArray(template) ? template.map((t, i) => [String(i), t] as const) : Object.entries(template)) {
    if (k.endsWith('.$') && typeof x === 'string' && isIntrinsicCall(x)) {
      let node: IntrinsicNode | undefined;
      try {
        node = parseIntrinsic(x);
      } catch {
        node = undefined;
      }
      if (node !== undefined) inCall(node, out);
    } else if (!k.endsWith('.$')) {
      typedArguments(x, out);
    }
  }
  return out;
}

function inCall(node: IntrinsicNode, out: TypedArgument[]): void {
  if (node.kind !== 'call') return;
  const spec = INTRINSIC_FUNCTIONS.get(node.name);
  for (const [i, arg] of node.args.entries()) {
    const type = spec?.params[i]?.type ?? spec?.rest?.type;
    if (arg.kind === 'path' && spec !== undefined && type !== undefined && type !== 'any' && /^\$[.[]/.test(arg.source)) {
      const others = node.args.map((a) => (a.kind === 'literal' ? a.value : undefined));
      // With its other arguments written out, the function itself says whether it refuses a value of the right type.
      const runnable = others.every((a, j) => j === i || a !== undefined);
      const fails = (value: JsonValue | undefined): boolean => {
        if (value === undefined) return false;
        if (!hasType(value, type)) return true;
        if (!runnable) return false;
        try {
          const ctx = { random: seededRandom(0), fail: (r: string): never => { throw new Error(r); }, unrecorded: () => undefined };
          spec.run(others.map((a, j) => (j === i ? value : a!)), ctx);
          return false;
        } catch {
          return true;
        }
      };
      out.push({ path: arg.source, value: type === 'string' ? 0 : NOT_AN_OBJECT, fn: node.name, fails });
    }
    inCall(arg, out);
  }
}

/**
 * Makes an intrinsic function fail: in the Parameters, its argument read from the input; in the
 * ResultSelector, read from the result (a Task's answer, a Parallel's or Map's results).
 */
async function intrinsicFailurePlan(x: Exploration, rec: RunRecord, v: Visit, e: DataError): Promise<Attempt | undefined> {
  const def = x.states.get(v.name)?.def as { Type?: string; InputPath?: unknown; Parameters?: JsonValue; ResultSelector?: JsonValue } | undefined;
  if (def === undefined) return undefined;
  const selector = /ResultSelector/.test(e.where);
  if (!selector && (def.Type === 'Map' || (def.InputPath !== undefined && def.InputPath !== '$'))) return undefined;
  const args = typedArguments(selector ? def.ResultSelector : def.Parameters);
  let reason: string | undefined;
  for (const arg of args) {
    const parsed = parseBindingPath(arg.path);
    if ('error' in parsed || parsed.root.kind !== 'input') continue;
    const prov = x.provenanceOf(rec);
    const source = selector ? prov.taskResult(v, parsed.steps) : prov.rawInput(v, parsed.steps);
    const made = await writeFailing(x, rec, source, arg.fails, `a value ${arg.fn} refuses at ${arg.path}`, arg.value);
    if ('reason' in made) {
      reason ??= `'${v.name}' can fail with ${e.error} (${e.where}), and ${made.reason}`;
      continue;
    }
    return { ...made, writes: `${made.writes}, so that ${arg.fn} in the ${selector ? 'ResultSelector' : 'Parameters'} of '${v.name}' fails with ${e.error}` };
  }
  return reason === undefined ? undefined : { reason };
}

/**
 * Why no run left a JSONPath state by its Next, when every run that entered it failed there with
 * States.ResultPathMatchFailure and the part of its input the ResultPath writes under comes from
 * a value explore cannot change (a Pass's Result, a string an intrinsic function built): then no
 * input or answer gets it past, and the reason says which value stands in the way. Undefined
 * otherwise.
 */
export function dataStuck(x: Exploration, state: string): string | undefined {
  const info = x.states.get(state);
  const rp = info?.def.ResultPath;
  const next = info?.def.Next;
  if (info === undefined || info.language !== 'JSONPath' || typeof rp !== 'string' || next === undefined) return undefined;
  const parsed = parseBindingPath(rp);
  if ('error' in parsed || parsed.root.kind !== 'input' || parsed.steps.length === 0) return undefined;
  const prefix = parsed.steps.slice(0, -1);
  const runs = (x.entered.get(state) ?? []).filter((r) => !r.dropped);
  const visits = runs.flatMap((r) => (x.visitsOf(r).byState.get(state) ?? []).map((v) => ({ r, v })));
  if (visits.length === 0 || visits.some(({ v }) => v.next?.name === next)) return undefined;
  // Every visit's input holds a scalar where the ResultPath writes a field, one no input or answer changes.
  let source: Source | undefined;
  for (const { r, v } of visits.slice(0, VISITS_READ)) {
    if (!notAnObject(followSteps(v.input, prefix))) return undefined;
    source = x.provenanceOf(r).rawInput(v, prefix);
    if (source.kind !== 'fixed' || !alwaysScalar(source)) return undefined;
  }
  if (source?.kind !== 'fixed' || visits.length > VISITS_READ) return undefined;
  return `every run that entered '${state}' failed there with ${StatesErrors.RESULT_PATH_MATCH_FAILURE} (ResultPath ${rp}): `
    + `$${describeSteps(prefix)} of its input is never an object, since ${source.computed ? source.reason : `it is ${source.reason}`}, and no input or answer changes that`;
}

/** The most visits {@link dataStuck} reads. */
const VISITS_READ = 16;

/** The most visits {@link catchPathMisfit} reads (each a short walk down the input). */
const MISFIT_VISITS = 2_000;

/**
 * Why a JSONPath Catch's ResultPath did not let the state go on in the runs explore made: in every
 * run that entered the state, its input holds a value that is not an object where the ResultPath
 * writes a field, and AWS fails the state with States.ResultPathMatchFailure there however the
 * call fails (a Task's error does not change its input). Said with the value, and, when every such
 * value is one explore cannot change (a constant of the machine), why (`fixed`); undefined otherwise.
 */
export function catchPathMisfit(x: Exploration, state: string, index: number): { reason: string; fixed?: string } | undefined {
  const info = x.states.get(state);
  const rp = info?.def.Catch?.[index]?.ResultPath;
  if (info === undefined || info.language !== 'JSONPath' || typeof rp !== 'string') return undefined;
  const parsed = parseBindingPath(rp);
  if ('error' in parsed || parsed.root.kind !== 'input' || parsed.steps.length === 0) return undefined;
  const steps = parsed.steps;
  const visits = (x.entered.get(state) ?? []).filter((r) => !r.dropped).flatMap((r) => x.visitsOf(r).byState.get(state) ?? []);
  let shown: string | undefined;
  let fixedAll = true;
  let why: string | undefined;
  for (const v of visits.slice(0, MISFIT_VISITS)) {
    const at = steps.map((_, k) => steps.slice(0, k)).find((prefix) => notAnObject(followSteps(v.input, prefix)));
    if (at === undefined) return undefined;
    shown ??= `$${at.length > 0 ? describeSteps(at) : ''} of its input is ${JSON.stringify(followSteps(v.input, at)).slice(0, 60)}`;
    if (fixedAll) {
      const r = (x.entered.get(state) ?? []).find((run) => x.visitsOf(run).byState.get(state)?.includes(v));
      const source = r ? x.provenanceOf(r).rawInput(v, at) : undefined;
      fixedAll = source?.kind === 'fixed' && source.deep && source.computed === undefined;
      if (source?.kind === 'fixed') why ??= source.reason;
    }
  }
  if (shown === undefined || visits.length > MISFIT_VISITS) return undefined;
  return {
    reason: `its Catch's ResultPath ${rp} writes a field where, in every run that entered '${state}', ${shown}, not an object, `
      + `so AWS fails '${state}' with ${StatesErrors.RESULT_PATH_MATCH_FAILURE} whatever error the Catch takes`,
    ...(fixedAll && why !== undefined ? { fixed: why } : {}),
  };
}

/** Intrinsic functions whose result is never an object: a text, a number or a boolean. */
const SCALAR_RESULTS: ReadonlySet<string> = new Set([
  IntrinsicNames.FORMAT, IntrinsicNames.JSON_TO_STRING, IntrinsicNames.ARRAY_CONTAINS, IntrinsicNames.ARRAY_LENGTH,
  IntrinsicNames.BASE64_ENCODE, IntrinsicNames.BASE64_DECODE, IntrinsicNames.HASH, IntrinsicNames.MATH_RANDOM,
  IntrinsicNames.MATH_ADD, IntrinsicNames.UUID,
]);

/** A value explore cannot change that is the same kind of value in every run: a Pass's Result, or one a function above computes. */
function alwaysScalar(source: Source & { kind: 'fixed' }): boolean {
  if (source.computed !== undefined) return source.computed.steps.length === 0 && SCALAR_RESULTS.has(source.computed.fn);
  return source.deep && /^the Result of Pass state '/.test(source.reason);
}
