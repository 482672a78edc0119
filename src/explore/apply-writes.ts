import { describeSteps, type Attempt, type Exploration, type RunRecord } from './context';
import { conformAnswer, conformItems, fieldNeverReturned } from './contract-answers';
import { withSelected } from './filter-items';
import { clockAllows } from './goals';
import { invert, invertible } from './inverse';
import { jobAnswerRefusal, withEndedState } from './job-answers';
import { steerJsonata } from './jsonata-inverse';
import { neverRaised } from './never-raised';
import { setAt, withCall, withInput } from './plan';
import { attemptsFor } from './proofs';
import type { Write } from './reads';
import type { Outcome } from './runner';
import { textsOf } from './seeds';
import type { JsonValue, StateDefinition } from '../asl';
import { sameJson } from '../asl/json-value';
import { followSteps } from '../asl/path';
import { isStatesErrorName, StatesErrors } from '../asl/states-errors';
import { closestErrors, errorsOf } from '../contracts';

/*
 * Writes into a plan: values wanted where the execution input, a Task's
 * answer or its error come from, turned into the run to make (the input and
 * the calls' outcomes), or the reason no answer AWS gives holds them.
 */
/** The most retries of a Task a written error name is thrown again for (a Retry's MaxAttempts may be up to 99,999,999). */
const MAX_RETRIES_THROWN = 10;
/** The shortest part of a wanted name {@link raisedNear} looks for inside the names raised. */
const MIN_PART = 4;

/**
 * An error a Task's integration raises in place of one it never raises: one that begins with the
 * name (`DynamoDB` for a Condition on the text before the dot), else with the same prefix, else one
 * that holds the longest start or end of it (`SQS.RequestThrottledException` for `Throttlx`, which a
 * search for `$contains($error, 'Throttl')` made up), else the closest.
 */
function raisedNear(def: StateDefinition | undefined, name: string): string | undefined {
  if (def?.Type !== 'Task' || typeof def.Resource !== 'string') return undefined;
  const raised = errorsOf(def.Resource).names.filter((n) => !isStatesErrorName(n));
  const prefix = name.split('.')[0];
  return raised.find((n) => n.startsWith(name)) ?? raised.find((n) => n.split('.')[0] === prefix) ?? holdingPart(raised, name)
    ?? closestErrors(name, def.Resource, 1)[0];
}

/** The first of `names` that holds the longest start or end of `name`, at least MIN_PART long. */
function holdingPart(names: readonly string[], name: string): string | undefined {
  for (let k = name.length - 1; k >= MIN_PART; k--) {
    const found = names.find((n) => n.includes(name.slice(0, k))) ?? names.find((n) => n.includes(name.slice(name.length - k)));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What a write leaves where it lands: its value, or for a filter's selection (Write.select) the list there with the items the filter selects replaced. */
function selection(now: JsonValue | undefined, w: Write): JsonValue | undefined {
  return w.select !== undefined && Array.isArray(w.value) && Array.isArray(now) ? withSelected(now, w.select, w.value) : w.value;
}

/** What a Task's call answered in a run, or `{}` where it did not answer. */
export function answerValue(rec: RunRecord, state: string, invocation: number): JsonValue {
  const outcome = rec.calls.get(state)?.[invocation];
  return outcome?.kind === 'return' ? outcome.value : {};
}

/**
 * The run that holds `writes`: the execution input and the calls' answers and errors changed where each
 * comes from, each answer made to fit its service; else the reason no run can hold them.
 */
export async function applyWrites(x: Exploration, rec: RunRecord, writes: readonly Write[]): Promise<Attempt> {
  let input = rec.plan.input;
  const answers = new Map<string, { state: string; invocation: number; value: JsonValue; absent: Set<string> }>();
  const causes = new Map<string, { state: string; invocation: number; outcome: Outcome }>();
  const said: string[] = [];
  const all: Write[] = [];
  for (const w of writes) {
    const s = w.source;
    if (s.kind === 'fixed' && s.computed && invertible(s.computed)) {
      const steered = s.computed.fn === 'JSONata'
        ? await steerJsonata(x, s.computed, [{ steps: s.computed.steps, value: w.value }])
        : invert(s.computed, setAt(undefined, s.computed.steps, w.value));
      if (!('reason' in steered)) {
        all.push(...steered);
        continue;
      }
      if (s.computed.fn === 'JSONata') return { reason: `it needs ${w.value === undefined ? 'nothing' : JSON.stringify(w.value)} where ${steered.reason}` };
    }
    all.push(w);
  }
  for (const w of all) {
    const s = w.source;
    const shown = w.value === undefined ? '(absent)' : JSON.stringify(w.value);
    if (s.kind === 'fixed') return { reason: `it needs a value that comes from ${s.reason}` };
    if (s.kind === 'input') {
      if (s.steps.length === 0 && w.value === undefined) return { reason: 'it needs the execution input to be absent' };
      input = setAt(input, s.steps, selection(followSteps(input, s.steps), w)) ?? null;
      said.push(`input $${describeSteps(s.steps)} = ${shown}`);
      continue;
    }
    if (x.fixed.has(s.state)) return { reason: `it needs another answer from Task '${s.state}', whose answers are given` };
    if (s.kind === 'cause') {
      const failed = rec.calls.get(s.state)?.[s.invocation];
      // An error the state raised after the call answered (its Output failing on the answer, a `.sync` job's answer
      // saying the job failed): the call may as well fail, with the name or cause wanted, which the Catch then sees.
      const raised = failed?.kind === 'return' ? { kind: 'throw' as const, error: StatesErrors.TASK_FAILED } : failed;
      if (raised?.kind !== 'throw') return { reason: `it needs the ${s.field === 'Error' ? 'name' : 'cause'} of an error of '${s.state}' that its answer did not raise` };
      const key = `${s.state}\u0000${s.invocation}`;
      const before = causes.get(key)?.outcome ?? raised;
      const thrown = before.kind === 'throw' ? before : raised;
      let outcome: Outcome;
      if (s.field === 'Error') {
        // An error has a name: a Condition that wants it absent or not a text is not met by any error. An empty name is
        // what a rule that wants any name but one (`StringEquals` false) is solved to: States.TaskFailed, which every
        // Task may raise, is tried instead (a Catch on it takes any name), and the run says if it takes the branch.
        const named = w.value === '' && thrown.error !== StatesErrors.TASK_FAILED ? StatesErrors.TASK_FAILED : w.value;
        if (typeof named !== 'string' || named === '') return { reason: `it needs '${s.state}' to fail with an error whose name is ${shown}` };
        // A timeout comes from the Task's own clock: one with no TimeoutSeconds ends the run TIMED_OUT first.
        const def = x.states.get(s.state)?.def;
        if (def && !clockAllows(def, named)) {
          return { reason: `it needs '${s.state}' to fail with ${named}, which a Task raises only once its TimeoutSeconds or HeartbeatSeconds pass, and '${s.state}' has neither` };
        }
        // An error its integration never raises is refused as a mock (States.Runtime): the closest one it raises is
        // tried instead (`DynamoDB.x` for a Condition on the text before the dot), and the run says if it does.
        const never = def ? neverRaised(s.state, def, named) : undefined;
        const near = never === undefined ? named : raisedNear(def, named);
        if (near === undefined) return { reason: `it needs '${s.state}' to fail with ${named}: ${never}` };
        outcome = { kind: 'throw', error: near, ...(thrown.cause !== undefined ? { cause: thrown.cause } : {}) };
        // A Retry that takes the error runs the Task again: each retry fails the same way, so that the Catch sees it.
        const attempts = def ? Math.min(attemptsFor(def, near), MAX_RETRIES_THROWN + 1) : 1;
        for (let k = 1; k < attempts; k++) causes.set(`${s.state}\u0000${s.invocation + k}`, { state: s.state, invocation: s.invocation + k, outcome });
      } else {
        const cause = w.value === undefined ? undefined : typeof w.value === 'string' ? w.value : JSON.stringify(w.value);
        outcome = { kind: 'throw', error: thrown.error, ...(cause !== undefined ? { cause } : {}) };
      }
      causes.set(key, { state: s.state, invocation: s.invocation, outcome });
      said.push(`'${s.state}' call ${s.invocation + 1} fails with ${outcome.error}${outcome.cause !== undefined ? ` (cause ${JSON.stringify(outcome.cause)})` : ', no cause'}`);
      continue;
    }
    const key = `${s.state}\u0000${s.invocation}`;
    const base = answers.get(key)?.value ?? answerValue(rec, s.state, s.invocation);
    const absent = answers.get(key)?.absent ?? new Set<string>();
    if (w.value === undefined) absent.add(s.steps.join('.'));
    const value = setAt(base, s.steps, selection(followSteps(base, s.steps), w)) ?? null;
    answers.set(key, { state: s.state, invocation: s.invocation, value, absent });
    said.push(`'${s.state}' call ${s.invocation + 1} answers ${describeSteps(s.steps)} = ${shown}`);
  }
  let plan = withInput(rec.plan, input);
  for (const a of answers.values()) {
    const def = x.states.get(a.state)?.def;
    const resource = def?.Type === 'Task' && typeof def.Resource === 'string' ? def.Resource : undefined;
    if (resource !== undefined) a.value = conformAnswer(resource, a.value, textsOf(x.def));
    // An answer with a field the service never returns is refused (STRICT): the value cannot come from there.
    const refused = resource !== undefined ? fieldNeverReturned(resource, a.value) : undefined;
    if (refused) {
      const field = refused.path.replace(/^\$\.?/, '') || 'a value';
      return {
        reason: `it needs Task '${a.state}' to answer ${field}, which ${resource} never returns: fix what the machine reads, `
          + `or give --mocks for '${a.state}' with the answer it gets`,
      };
    }
    // A `.sync` Task answers once its job has ended, with the job's state as the service lists it: any other is no answer AWS gives.
    // One that holds none where it was not asked to lack one gets the state a job that succeeded ends in.
    if (resource !== undefined) a.value = withEndedState(resource, a.value, a.absent) ?? a.value;
    const refusal = resource !== undefined ? jobAnswerRefusal(a.state, resource, a.value) : undefined;
    if (refusal !== undefined) return { reason: refusal };
    // A Map's ItemReader answers with rows as its reader reads them: a CSV's fields are text, S3 objects are the S3 API's.
    if (def?.Type === 'Map' && def.ItemReader !== undefined) a.value = conformItems(def.ItemReader, a.value);
    plan = withCall(plan, a.state, a.invocation, { kind: 'return', value: a.value });
  }
  for (const c of causes.values()) plan = withCall(plan, c.state, c.invocation, c.outcome);
  if (sameJson(plan.input, rec.plan.input) && [...answers.values()].every((a) => sameJson(a.value, answerValue(rec, a.state, a.invocation)))
    && [...causes.values()].every((c) => sameJson(c.outcome, rec.calls.get(c.state)?.[c.invocation]))) {
    return { reason: said.length > 0 ? `the values it needs (${said.join(', ')}) are already there` : 'unknown: explore found nothing to write for it' };
  }
  return { plan, writes: said.join(', ') };
}

