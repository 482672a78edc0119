import { join, NOTHING, UNDEF, type AbstractValue } from './abstract-values';
import type { FlowEnd } from './report-types';
import type { JsonValue } from '../asl';
import { answerJudge, failRulesOf, refusedValues, statelessJob, unendedStatus } from '../asl/answer-outcomes';
import { followSteps } from '../asl/path';
import { StatesErrors } from '../asl/states-errors';
import { listedJobStates } from '../contracts';

/*
 * What a Run a Job (`.sync`) Task's answer can be on a run that goes on, for the flow proofs
 * (flow-proofs.ts). Step Functions answers such a Task once the job has ended, with the job as
 * the service describes it, its state and all (answer-outcomes.ts: `UnendedStatus`,
 * `StatelessJob`): the job's state is one of those the service's model lists, less those it
 * holds before it ends (the catalogue's `running`) and those that fail the Task (the rule's
 * test). Where the catalogue names the API whose model lists the states (`running.described`),
 * what is left is known exactly: a child execution that let the Task go on SUCCEEDED.
 */

/** `value` at a dotted path of an object whose other fields may be anything; `absent` top fields absent. */
function nested(path: string, value: AbstractValue, absent: readonly string[] = []): AbstractValue {
  const inner = path.split('.').reverse().reduce<AbstractValue>((v, name) => ({ ...NOTHING, obj: { fields: new Map([[name, v]]) } }), value);
  const fields = new Map(inner.obj!.fields);
  for (const name of absent) if (!fields.has(name)) fields.set(name, UNDEF);
  return { ...NOTHING, obj: { fields } };
}

/** Two objects' fields together (a field in both: both merged in turn). */
function merged(a: AbstractValue, b: AbstractValue): AbstractValue {
  const fields = new Map(a.obj?.fields ?? []);
  for (const [k, v] of b.obj?.fields ?? []) fields.set(k, fields.has(k) ? merged(fields.get(k)!, v) : v);
  return a.obj || b.obj ? { ...NOTHING, obj: { fields } } : b;
}

/**
 * The answer of a `.sync` Task whose job's state the catalogue can bound, with the ends of the
 * answers left out pushed to `ends`; undefined where it cannot (anything, then). Where the
 * catalogue gives the job's state at several paths (the describe call's answer, `Step.Status.State`,
 * or the job's own fields, `Status.State`), the answer is one of those forms, the other's top field
 * absent; where it names the states the job holds once ended at another field (ECS's `LastStatus`,
 * STOPPED), that field holds one of them.
 */
export function jobAnswer(state: string, resource: string, ends: FlowEnd[]): AbstractValue | undefined {
  for (const rule of failRulesOf(resource)) {
    const described = rule.running?.described;
    if (described === undefined || !('oneOf' in rule.test) || !('taskFailed' in rule.error) || rule.at.some((p) => p.includes('*'))) continue;
    const [service, action] = described.api;
    const listed = listedJobStates(described);
    if (listed === undefined) continue;
    const failing = rule.test.oneOf;
    const running = rule.running!.oneOf;
    const left = listed.filter((s) => !failing.includes(s) && !running.includes(s));
    const before = running.filter((s) => listed.includes(s));
    const ended = rule.running!.ended;
    // Where the job's lifecycle ends in a state of its own (ECS's LastStatus STOPPED), the proof names it: it is what a rule on it meets.
    const endedAt = ended !== undefined && ended.length > 0 ? `, its .${rule.running!.at.join(' or .')} then ${ended.join(' or ')}` : '';
    ends.push({
      state,
      field: `.${rule.at[0]}`,
      when: `'${state}' answers .${rule.at.join(' or .')} ${refusedValues(rule.test)} (its job ended so; a .sync Task answers only once the job has ended${endedAt}`
        + `${before.length > 0 ? `, never with ${before.join(' or ')}, the states ${service}:${action} lists before the end` : ''})`,
      error: StatesErrors.TASK_FAILED,
    });
    const status: AbstractValue = left.length > 0 ? { ...NOTHING, str: { only: left } } : NOTHING;
    const tops = rule.at.map((p) => p.split('.')[0]);
    const forms = rule.at.map((p) => nested(p, status, tops.filter((t) => t !== p.split('.')[0])));
    let answer = forms.reduce((a, b) => join(a, b));
    const final: AbstractValue = { ...NOTHING, str: { only: ended ?? [] } };
    if (ended !== undefined && ended.length > 0) for (const p of rule.running!.at) answer = merged(answer, nested(p, final));
    return answer;
  }
  return undefined;
}

/**
 * The states a `.sync` job's answer can hold at `at` (a path the catalogue reads its state at) on a
 * run that goes on: those the describe call's model lists, less those that fail the Task and those
 * it holds before the end; the one a job that succeeded ends in first (AWS's pages decide it),
 * then those no page decides (an EMR cluster TERMINATED after createCluster.sync), in `undecided`.
 * Undefined where no rule lists them.
 */
export function endedStates(resource: string, at: string): { readonly states: readonly string[]; readonly undecided: readonly string[] } | undefined {
  for (const rule of failRulesOf(resource)) {
    const described = rule.running?.described;
    if (described === undefined || !('oneOf' in rule.test) || !rule.at.includes(at) || at.includes('*')) continue;
    const listed = listedJobStates(described);
    if (listed === undefined) continue;
    const failing = rule.test.oneOf;
    const running = rule.running!.oneOf;
    const succeeded = followSteps(rule.succeeding as JsonValue, at.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)));
    const left = listed.filter((s) => !failing.includes(s) && !running.includes(s));
    const decided = left.filter((s) => s === succeeded);
    const undecided = left.filter((s) => s !== succeeded);
    return { states: [...decided, ...undecided], undecided };
  }
  return undefined;
}

/**
 * The job state a `.sync` answer holds that the model of the API describing the job does not list
 * (`"SUCCEEDEDx"` where a child execution's Status is read), at any path the catalogue reads it, or
 * a state where the catalogue reads the job's lifecycle that is none it names (ECS's `LastStatus`):
 * no answer AWS gives. Undefined when it holds listed ones, or the catalogue names no such list.
 */
function unlistedJobState(resource: string, answer: JsonValue): { read: string; value: JsonValue; listed: readonly string[] } | undefined {
  const at = (path: string) => path.split('.').reduce<JsonValue | undefined>((v, k) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v[k] : undefined), answer);
  // A job's lifecycle state (ECS's LastStatus) is always there; elsewhere null or nothing is no state (statelessJob judges it).
  const unlisted = (paths: readonly string[], listed: readonly string[], always = false) => {
    for (const read of paths) {
      if (read.includes('*')) continue;
      const value = at(read);
      if ((always || (value !== undefined && value !== null)) && !(typeof value === 'string' && listed.includes(value))) return { read, value: value ?? null, listed };
    }
    return undefined;
  };
  for (const rule of failRulesOf(resource)) {
    const ended = rule.running?.ended;
    // Judged on an answer that lets the Task go on (a RunTask that failed to place its task answers with its Failures alone).
    const lifecycle = ended !== undefined && answerJudge(resource)?.(answer) === undefined
      ? unlisted(rule.running!.at, [...rule.running!.oneOf, ...ended], true) : undefined;
    if (lifecycle) return lifecycle;
    const described = rule.running?.described;
    const listed = described !== undefined ? listedJobStates(described) : undefined;
    const found = listed !== undefined ? unlisted(rule.at, listed) : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Why explore cannot give a `.sync` Task an answer, when AWS never gives it: a state its job holds
 * before it ends (RUNNING), no state where the Task reads it, or a state the service does not list.
 */
export function jobAnswerRefusal(state: string, resource: string, value: JsonValue): string | undefined {
  const unended = unendedStatus(resource, value);
  if (unended) {
    return `it needs Task '${state}' to answer ${unended.read} = ${JSON.stringify(unended.value)}, a state its job holds before it ends, and a .sync Task `
      + `answers only once the job has ended${unended.failing.length > 0 ? ` (${unended.failing.join(', ')} fail the Task)` : ''}`;
  }
  const stateless = statelessJob(resource, value);
  if (stateless) {
    return `it needs Task '${state}' to answer no job state at ${stateless.read.join(' or ')}, and a .sync Task answers only once the job has ended, `
      + `with its state${stateless.failing.length > 0 ? ` (${stateless.failing.join(', ')} fail the Task)` : ''}`;
  }
  const unlisted = unlistedJobState(resource, value);
  if (unlisted) {
    return `it needs Task '${state}' to answer .${unlisted.read} = ${JSON.stringify(unlisted.value)}, which is none of the job states `
      + `the service lists (${unlisted.listed.join(', ')})`;
  }
  return undefined;
}

/** `over` laid on `under`: an object's fields merged in turn, any other value `over`'s. */
function laid(under: JsonValue, over: JsonValue): JsonValue {
  if (under === null || typeof under !== 'object' || Array.isArray(under) || over === null || typeof over !== 'object' || Array.isArray(over)) return over;
  const out: { [k: string]: JsonValue } = { ...under };
  for (const [k, v] of Object.entries(over)) out[k] = Object.hasOwn(out, k) ? laid(out[k], v) : v;
  return out;
}

/**
 * A `.sync` answer explore made that holds no job state (`{"ResponseBody": {"status": {"succeeded": 1}}}`
 * for a Choice on the Kubernetes Job's count), given the state a job that succeeded ends in where
 * the answer was not asked to lack one (`absent`: the dotted paths written absent): at the path
 * whose top field the answer already has first (the form it is in), else at another the catalogue
 * reads. Undefined when the answer holds a state, or no path is left.
 */
export function withEndedState(resource: string, answer: JsonValue, absent: ReadonlySet<string>): JsonValue | undefined {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer) || statelessJob(resource, answer) === undefined) return undefined;
  for (const rule of failRulesOf(resource)) {
    if (!('oneOf' in rule.test)) continue;
    const state = rule.at[0].includes('*') ? undefined : followSteps(JSON.parse(JSON.stringify(rule.succeeding)) as JsonValue, rule.at[0].split('.'));
    const paths = rule.at.filter((p) => !absent.has(p) && (p === rule.at[0] || (state !== undefined && !p.includes('*'))));
    const held = (p: string) => Object.hasOwn(answer, p.split('.')[0]);
    for (const p of [...paths.filter(held), ...paths.filter((q) => !held(q))]) {
      const example = p === rule.at[0] ? JSON.parse(JSON.stringify(rule.succeeding)) as JsonValue
        : p.split('.').reduceRight<JsonValue>((inner, key) => ({ [key]: inner }), state!);
      const filled = laid(example, answer);
      if (statelessJob(resource, filled) === undefined) return filled;
    }
  }
  return undefined;
}
