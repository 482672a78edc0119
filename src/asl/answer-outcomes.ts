/**
 * Answers AWS turns into a Task's failure: the catalogue's outcome rules (asl/integrations.ts)
 * compiled, once per Resource, into a judge every answer a Task gets passes through, whoever
 * gave it (a mock, a MockConfigFile, a handler, an endpoint, a child execution), and the
 * answers those rules fail or let through, for those who make answers up (explore, the
 * advice's examples).
 */
import type { JsonObject, JsonValue } from './definition-types';
import { type AnswerPath, type AnswerTest, type CatalogueFailRule, type CataloguePattern, type CatalogueRow, type CatalogueRunning } from './integrations';
import { remember } from './memo';
import { cutCause } from './shorten';
import { StatesError, StatesErrors } from './states-errors';
import { taskResource } from './task-resource';

/** The error AWS fails a Task with for this answer, or undefined when the answer is the Task's result. */
export type AnswerJudge = (answer: JsonValue) => StatesError | undefined;

/**
 * The catalogue row a Resource calls and the pattern it calls it with (the one parse of a
 * Resource, asl/task-resource.ts); undefined for any other Resource, and for a suffix that
 * names no pattern.
 */
function entryOf(resource: string): { row: CatalogueRow; pattern: CataloguePattern } | undefined {
  const r = taskResource(resource);
  if (r.kind !== 'optimized' || r.row === undefined || (r.suffix !== undefined && r.pattern === 'request')) return undefined;
  return { row: r.row, pattern: r.pattern };
}

const rulesByResource = new Map<string, readonly CatalogueFailRule[]>();

/** The rules that judge the answers of a Task with this Resource (those of its pattern); none for most. */
export function failRulesOf(resource: string): readonly CatalogueFailRule[] {
  return remember(rulesByResource, resource, (key) => {
    const entry = entryOf(key);
    if (!entry || !('fails' in entry.row.outcome)) return [];
    return entry.row.outcome.fails.filter((rule) => rule.patterns.includes(entry.pattern));
  });
}

/** The values a fail rule's test refuses, in words: `a number outside [200, 299]`. @internal */
export function refusedValues(t: AnswerTest): string {
  if ('outside' in t) return `a number outside [${t.outside[0]}, ${t.outside[1]}]`;
  if ('above' in t) return `a number above ${t.above}`;
  if ('present' in t) return 'a value other than null';
  if ('oneOf' in t) return `one of ${t.oneOf.join(', ')}`;
  return 'a list with an entry';
}

/** A compiled path: its fields, `*` for every entry of a list. */
type Steps = readonly string[];

function stepsOf(path: string): Steps {
  return path.split('.');
}

/** A value read on the way that holds JSON text (Lambda's raw payload): read as the JSON it holds. */
function opened(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string' || !value.startsWith('{')) return value;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

/** Calls `found` with each value at `steps` in `value` (several through a `*`) until it returns true. */
function anyAt(value: JsonValue | undefined, steps: Steps, i: number, found: (v: JsonValue | undefined) => boolean): boolean {
  if (i === steps.length) return found(value);
  const here = i === 0 ? value : opened(value);
  if (here === null || typeof here !== 'object') return false;
  const step = steps[i];
  if (step === '*') return Array.isArray(here) && here.some((entry) => anyAt(entry, steps, i + 1, found));
  if (Array.isArray(here) || !Object.prototype.hasOwnProperty.call(here, step)) return i + 1 === steps.length ? found(undefined) : false;
  return anyAt(here[step], steps, i + 1, found);
}

/** The first value at `steps` that `test` takes, or undefined. */
function firstAt(value: JsonValue, steps: Steps, test: (v: JsonValue | undefined) => boolean): JsonValue | undefined {
  let hit: JsonValue | undefined;
  anyAt(value, steps, 0, (v) => (test(v) ? (hit = v, true) : false));
  return hit;
}

function testOf(test: AnswerTest): (v: JsonValue | undefined) => boolean {
  if ('oneOf' in test) {
    const values = new Set(test.oneOf);
    return (v) => typeof v === 'string' && values.has(v);
  }
  if ('above' in test) return (v) => typeof v === 'number' && v > test.above;
  if ('present' in test) return (v) => v !== undefined && v !== null;
  if ('nonEmpty' in test) return (v) => Array.isArray(v) && v.length > 0;
  const [low, high] = test.outside;
  return (v) => typeof v === 'number' && (v < low || v > high);
}

/** A field's value as a cause: a string as it is, any other value as JSON, nothing for none. */
function asText(value: JsonValue | undefined): string | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

/** One rule, compiled: the error for an answer it fails, else undefined. */
function compileRule(rule: CatalogueFailRule, row: CatalogueRow): AnswerJudge {
  const paths = rule.at.map(stepsOf);
  const fails = testOf(rule.test);
  const spec = rule.error;
  const errorOf: (answer: JsonValue, hit: JsonValue | undefined) => string =
    'taskFailed' in spec ? () => StatesErrors.TASK_FAILED
      : 'name' in spec ? () => spec.name
        : 'from' in spec ? ((from) => (answer: JsonValue) => {
          const named = firstAt(answer, from, (v) => typeof v === 'string' && v !== '');
          return typeof named === 'string' ? named : spec.otherwise;
        })(stepsOf(spec.from))
          : (_answer, hit) => `${row.errorPrefix}${spec.infix}${String(hit)}`;
  const causeSteps = rule.cause === 'answer' ? undefined : stepsOf(rule.cause.field);
  // The whole answer as the cause is Step Functions' own text (a failed child's description holds the
  // child's cause and input): it is cut to what the field holds. A field of the answer is the
  // service's text, kept whole as every cause a service gives (docs/limits.md).
  const causeOf = (answer: JsonValue): string | undefined =>
    (causeSteps === undefined ? cutCause(JSON.stringify(answer)) : asText(firstAt(answer, causeSteps, () => true)));
  return (answer) => {
    for (const steps of paths) {
      // No test takes a missing field or null: a value it takes is one.
      const hit = firstAt(answer, steps, fails);
      if (hit !== undefined) return new StatesError(errorOf(answer, hit), causeOf(answer));
    }
    return undefined;
  };
}

const judges = new Map<string, AnswerJudge | null>();

/**
 * The judge of the answers of a Task with this Resource, compiled once per Resource: the
 * error AWS fails the Task with for an answer (EventBridge's failed entries, Lambda's
 * FunctionError, a `.sync` job that ended FAILED), or undefined when the answer is the
 * Task's result. Undefined when no answer of the Resource fails its Task (most Resources),
 * so that a caller does nothing for them.
 */
export function answerJudge(resource: string): AnswerJudge | undefined {
  return remember(judges, resource, (key): AnswerJudge | null => {
    const rules = failRulesOf(key);
    if (rules.length === 0) return null;
    const row = entryOf(key)!.row;
    const compiled = rules.map((rule) => compileRule(rule, row));
    if (compiled.length === 1) return compiled[0];
    return (answer) => {
      for (const judge of compiled) {
        const error = judge(answer);
        if (error) return error;
      }
      return undefined;
    };
  }) ?? undefined;
}

/**
 * A status that would fail a Task, found in its answer away from where the Task reads it: a
 * `.sync` job's answer given as the service's describe call wraps it (Glue's GetJobRun answers
 * `{ JobRun: { JobRunState } }`, Batch's DescribeJobs `{ Jobs: [{ Status }] }`), where the
 * Task's answer is the job itself (`{ JobRunState }`). AWS reads the job's end at the rule's
 * path alone, so such an answer fails nothing; whoever wrote it most likely meant the job to end
 * that way.
 */
export interface MisplacedStatus {
  /** Where the answer holds it, fields and list indices (`JobRun.JobRunState`, `Jobs[0].Status`). */
  readonly found: string;
  readonly value: string | number;
  /** Where the Task reads it (the rule's first path). */
  readonly read: AnswerPath;
  /** The smallest answer that fails the Task with it. */
  readonly failing: JsonValue;
}

/** How far past a rule's own depth a status is looked for: a wrapper or two, not the job's own data. */
const MISPLACED_EXTRA_DEPTH = 2;
/** The most values looked at in one answer: an answer is walked at most this far, however large. */
const MISPLACED_VISITS = 2_000;
/** Fields of an answer that carry a caller's data, where any text may stand (a child execution's Input and Output). */
const CALLER_DATA: ReadonlySet<string> = new Set(['Input', 'Output']);

/**
 * The first value one of a `.sync` Resource's rules would fail (a job's terminal state, `oneOf`;
 * an ECS container's exit code, `above`) that `answer` holds somewhere the rule does not read,
 * under the field the rule reads it by (`JobRunState`, `Status`, `ExitCode`), within a wrapper or
 * two of where it reads it; undefined when there is none, for any other pattern, and for an
 * answer the judge fails (it reads its status where AWS does). For advice only: the answer stays
 * the Task's result, as it would on AWS.
 */
export function misplacedStatus(resource: string, answer: JsonValue): MisplacedStatus | undefined {
  const pattern = entryOf(resource)?.pattern;
  if (pattern !== 'sync' && pattern !== 'sync:2') return undefined;
  const rules = failRulesOf(resource).filter((rule) => 'oneOf' in rule.test || 'above' in rule.test);
  if (rules.length === 0 || answer === null || typeof answer !== 'object' || answerJudge(resource)?.(answer) !== undefined) return undefined;
  for (const rule of rules) {
    const fails = testOf(rule.test);
    const read = rule.at.map(stepsOf);
    const field = read[0][read[0].length - 1];
    const depth = Math.max(...read.map((steps) => steps.filter((s) => s !== '*').length)) + MISPLACED_EXTRA_DEPTH;
    let visits = 0;
    const walk = (value: JsonValue, where: readonly string[], keys: readonly string[]): MisplacedStatus | undefined => {
      if (++visits > MISPLACED_VISITS || keys.length >= depth || value === null || typeof value !== 'object') return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const hit = walk(value[i], [...where, `[${i}]`], keys);
          if (hit) return hit;
        }
        return undefined;
      }
      for (const key of Object.keys(value)) {
        if (CALLER_DATA.has(key)) continue;
        const here = [...where, key];
        const v = value[key];
        if (key === field && (typeof v === 'string' || typeof v === 'number') && fails(v) && !read.some((steps) => sameWalk(steps, [...keys, key]))) {
          return { found: here.join('.').replace(/\.\[/g, '['), value: v, read: rule.at[0], failing: answerAt(rule.at[0], v) };
        }
        const hit = walk(v, here, [...keys, key]);
        if (hit) return hit;
      }
      return undefined;
    };
    const hit = walk(answer, [], []);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A status a job's answer gives where the Task reads it, in a form the service never writes it in:
 * a `.sync` rule's failing state (`FAILED`, SageMaker's `Failed`) given as `failed` or `Failed`,
 * an ECS container's failing exit code given as text (`"1"`).
 * The services write their states in one case (each rule's `oneOf` lists them as the API reference
 * does), so AWS never answers so; the judge, reading the state as AWS writes it, lets the answer
 * through. Whoever wrote it most likely meant the job to end that way.
 */
export interface MistypedStatus {
  /** Where the Task reads it (the rule's path that holds it). */
  readonly read: AnswerPath;
  readonly value: string;
  /** The state as the service writes it (an ECS exit code: the number). */
  readonly meant: string | number;
}

/**
 * The first value at a `.sync` Resource's status paths that is one of its rules' failing states in
 * another case, or a failing exit code as text; undefined when there is none, for any other pattern, and for an answer the judge
 * fails. For advice only: the answer stays the Task's result, as the judge AWS applies would let it.
 */
export function mistypedStatus(resource: string, answer: JsonValue): MistypedStatus | undefined {
  const pattern = entryOf(resource)?.pattern;
  if (pattern !== 'sync' && pattern !== 'sync:2') return undefined;
  if (answer === null || typeof answer !== 'object' || answerJudge(resource)?.(answer) !== undefined) return undefined;
  for (const rule of failRulesOf(resource)) {
    const test = rule.test;
    let meantOf: (v: JsonValue | undefined) => string | number | undefined;
    if ('oneOf' in test) {
      meantOf = (v) => (typeof v === 'string' ? test.oneOf.find((s) => s !== v && s.toLowerCase() === v.toLowerCase()) : undefined);
    } else if ('above' in test) {
      // A number the service writes as a number (an exit code), given as its text.
      meantOf = (v) => (typeof v === 'string' && /^-?\d+$/.test(v) && Number(v) > test.above ? Number(v) : undefined);
    } else {
      continue;
    }
    for (const path of rule.at) {
      const value = firstAt(answer, stepsOf(path), (v) => meantOf(v) !== undefined);
      if (typeof value === 'string') return { read: path, value, meant: meantOf(value)! };
    }
  }
  return undefined;
}

/**
 * A `.sync` job's state, given where the Task reads it, that is one the job passes through before
 * it ends (Batch's `RUNNABLE`, a child execution's `RUNNING`, the catalogue's `running`): Step
 * Functions waits for the job to end before the Task answers, so AWS never gives such an answer.
 */
export interface UnendedStatus {
  /** Where the Task reads it. */
  readonly read: AnswerPath;
  readonly value: string;
  /** The smallest answer of a job that ended as it succeeds there. */
  readonly ended: JsonValue;
  /** The states there that end the job and fail the Task (none when the rule reads its failure elsewhere, as ECS's StopCode). */
  readonly failing: readonly string[];
}

/**
 * The first state a `.sync` Resource's answer gives where the Task reads its job's state that is
 * one the job holds before it ends; undefined when there is none, for any other pattern, and for
 * an answer the judge fails. For advice only: the answer stays the Task's result, since what AWS
 * would do with an answer it never gives is no question to settle by failing a run.
 */
export function unendedStatus(resource: string, answer: JsonValue): UnendedStatus | undefined {
  const pattern = entryOf(resource)?.pattern;
  if (pattern !== 'sync' && pattern !== 'sync:2') return undefined;
  if (answer === null || typeof answer !== 'object' || answerJudge(resource)?.(answer) !== undefined) return undefined;
  for (const rule of failRulesOf(resource)) {
    const running = rule.running;
    if (running === undefined) continue;
    const states = new Set(running.oneOf);
    for (const path of running.at) {
      const value = firstAt(answer, stepsOf(path), (v) => typeof v === 'string' && states.has(v));
      if (typeof value !== 'string') continue;
      const succeeded = firstAt(copy(rule.succeeding), stepsOf(running.at[0]), () => true) ?? null;
      const sameField = running.at.every((p, i) => p === rule.at[i]);
      return { read: path, value, ended: answerAt(path, succeeded), failing: sameField && 'oneOf' in rule.test ? rule.test.oneOf : [] };
    }
  }
  return undefined;
}

/**
 * A `.sync` job's end that no page ties to the Task's outcome: a state the model of the service's
 * describe call lists where the Task reads its job's state (the catalogue's `running.described`)
 * that is none of the rule's failing ends, none it holds before it ends, and not the end its
 * succeeding example has (an EMR cluster `TERMINATED`, a SageMaker job `Deleting`, an ECS task
 * stopped as `UserInitiated`). What AWS does with it is unknown, so the answer stays the Task's
 * result and the run is told (never failed on a guess).
 */
export interface UndecidedEnd {
  /** Where the Task reads it. */
  readonly read: AnswerPath;
  readonly value: string;
  /** The smallest answer of a job that ended as it succeeds there. */
  readonly succeeded: JsonValue;
  /** The states there that fail the Task. */
  readonly failing: readonly string[];
}

/**
 * The first undecided end a `.sync` Resource's answer gives, `listed` reading the states a
 * rule's describe call lists (contracts/job-states.ts: asl/ reads no model); undefined when there
 * is none, for any other pattern, and for an answer the judge fails.
 */
export function undecidedEnd(resource: string, answer: JsonValue,
  listed: (described: NonNullable<CatalogueRunning['described']>) => readonly string[] | undefined): UndecidedEnd | undefined {
  const pattern = entryOf(resource)?.pattern;
  if (pattern !== 'sync' && pattern !== 'sync:2') return undefined;
  if (answer === null || typeof answer !== 'object' || answerJudge(resource)?.(answer) !== undefined) return undefined;
  for (const rule of failRulesOf(resource)) {
    const test = rule.test;
    const described = rule.running?.described;
    const states = described !== undefined && 'oneOf' in test ? listed(described) : undefined;
    if (states === undefined || !('oneOf' in test)) continue;
    const success = firstAt(copy(rule.succeeding), stepsOf(rule.at[0]), () => true) ?? null;
    const decided = new Set<JsonValue>([...test.oneOf, ...rule.running?.oneOf ?? [], success]);
    for (const path of rule.at) {
      const value = firstAt(answer, stepsOf(path), (v) => typeof v === 'string' && states.includes(v) && !decided.has(v));
      if (typeof value === 'string') return { read: path, value, succeeded: answerAt(path, success), failing: test.oneOf };
    }
  }
  return undefined;
}

/**
 * A `.sync` answer that holds no job state at all where the Task reads its job's state (Glue's
 * `{ "JobRunId": "jr_1" }`, the `{}` of a mock written for the call alone): Step Functions answers a
 * Run a Job Task once the job has ended, with the job as the service describes it, state and all,
 * so AWS never gives such an answer, and a run answered so is green without saying how the job ended.
 */
export interface StatelessJob {
  /** Where the Task reads its job's state: the first rule's paths first, then where the states before the end stand. */
  readonly read: readonly AnswerPath[];
  /** The smallest answer of a job that ended as it succeeds. */
  readonly ended: JsonValue;
  /** The states at `read[0]` that end the job and fail the Task. */
  readonly failing: readonly string[];
}

/**
 * The job state a `.sync` Resource's answer lacks, when it holds none (a value other than null) at
 * any path its state rules read: undefined when it holds one, for any other pattern, for a Resource
 * whose rules read no state (a `.sync` call that only waits, as `terminateCluster`), and for an
 * answer the judge fails. For advice only: the answer stays the Task's result, since what AWS would
 * do with an answer it never gives is no question to settle by failing a run.
 */
export function statelessJob(resource: string, answer: JsonValue): StatelessJob | undefined {
  const pattern = entryOf(resource)?.pattern;
  if (pattern !== 'sync' && pattern !== 'sync:2') return undefined;
  const rules = failRulesOf(resource).filter((rule) => 'oneOf' in rule.test && rule.test.oneOf.length > 0);
  if (rules.length === 0 || answerJudge(resource)?.(answer) !== undefined) return undefined;
  const read = [...new Set(rules.flatMap((rule) => [...rule.at, ...(rule.running?.at ?? [])]))];
  const holds = (v: JsonValue | undefined): boolean => v !== undefined && v !== null;
  if (read.some((path) => firstAt(answer, stepsOf(path), holds) !== undefined)) return undefined;
  const rule = rules[0];
  return { read, ended: copy(rule.succeeding), failing: (rule.test as { readonly oneOf: readonly string[] }).oneOf };
}

/** True when the fields walked (list indices left out) are a rule's path, each `*` a list it went through. */
function sameWalk(steps: Steps, keys: readonly string[]): boolean {
  const fields = steps.filter((s) => s !== '*');
  return fields.length === keys.length && fields.every((s, i) => s === keys[i]);
}

/** A nested object holding `value` at a dotted path, a list of one at each `*`. */
function answerAt(path: AnswerPath, value: JsonValue): JsonValue {
  return stepsOf(path).reduceRight<JsonValue>((inner, step) => (step === '*' ? [inner] : { [step]: inner }), value);
}

/** A JSON copy of a catalogue example (data the catalogue holds as plain records). */
function copy(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/**
 * An answer that fails a Task of this Resource with exactly `error`, from the rule that raises
 * it (its failing example; for a status-named error, the example with that status), or
 * undefined when no rule of the Resource raises that name.
 */
export function failingAnswer(resource: string, error: string): JsonValue | undefined {
  const rules = failRulesOf(resource);
  if (rules.length === 0) return undefined;
  const judge = answerJudge(resource)!;
  for (const rule of rules) {
    const spec = rule.error;
    let answer: JsonValue | undefined;
    if ('status' in spec) {
      const status = Number(error.slice(error.lastIndexOf('.') + 1));
      if (!Number.isInteger(status)) continue;
      answer = copy(rule.failing);
      setAt(answer, stepsOf(spec.status), status);
    } else if ('from' in spec) {
      answer = copy(rule.failing);
      if (error !== spec.otherwise) setAt(answer, stepsOf(spec.from), error);
      else deleteAt(answer, stepsOf(spec.from));
    } else {
      answer = copy(rule.failing);
    }
    if (judge(answer)?.error === error) return answer;
  }
  return undefined;
}

/**
 * `answer` as the service would give it for a Task that does not fail: where a rule fails it,
 * the fields the rule looks at take the values its succeeding example has there (a child
 * execution's `Status: "FAILED"` becomes `"SUCCEEDED"`), and a field that example lacks is
 * left out. What the rules do not look at is kept.
 */
export function withoutFailure(resource: string, answer: JsonValue): JsonValue {
  const judge = answerJudge(resource);
  if (!judge || !judge(answer)) return answer;
  const out = copy(answer);
  for (const rule of failRulesOf(resource)) {
    const fails = testOf(rule.test);
    for (const path of rule.at) {
      const steps = stepsOf(path);
      if (!anyAt(out, steps, 0, fails)) continue;
      const instead = firstAt(copy(rule.succeeding), steps, () => true);
      if (instead === undefined) deleteAt(out, steps);
      else setAt(out, steps, instead);
    }
  }
  return out;
}

/**
 * `answer` with the fields the Resource's rules look at set as their succeeding examples have
 * them (a child execution's `Status` as `"SUCCEEDED"`), and a `.sync` job's state where its
 * answer holds one (an ECS task's `LastStatus` as `"STOPPED"`: the job has ended when AWS
 * answers), for an answer made up to stand for a Task that succeeds; a field an example does not
 * give, or gives inside a list, is kept.
 */
export function asSucceeding(resource: string, answer: JsonValue): JsonValue {
  const rules = failRulesOf(resource);
  if (rules.length === 0) return answer;
  const out = copy(answer);
  for (const rule of rules) {
    for (const path of new Set([...rule.at, ...rule.running?.at ?? []])) {
      const steps = stepsOf(path);
      if (steps.includes('*')) continue;
      const value = firstAt(copy(rule.succeeding), steps, () => true);
      if (value !== undefined) setAt(out, steps, value);
    }
  }
  return out;
}

/** Sets the value at `steps` (every entry of a list at a `*`), making the objects on the way. */
function setAt(value: JsonValue, steps: Steps, to: JsonValue): void {
  let here: JsonValue = value;
  for (let i = 0; i < steps.length - 1; i++) {
    if (here === null || typeof here !== 'object') return;
    if (steps[i] === '*') {
      if (Array.isArray(here)) for (const entry of here) setAt(entry, steps.slice(i + 1), to);
      return;
    }
    if (Array.isArray(here)) return;
    const next: JsonValue | undefined = here[steps[i]];
    if (next === null || typeof next !== 'object') here[steps[i]] = {};
    here = (here as JsonObject)[steps[i]];
  }
  const last = steps[steps.length - 1];
  if (here !== null && typeof here === 'object' && !Array.isArray(here)) here[last] = to;
  else if (Array.isArray(here) && last === '*') here.fill(to);
}

function deleteAt(value: JsonValue, steps: Steps): void {
  let here: JsonValue | undefined = value;
  for (let i = 0; i < steps.length - 1; i++) {
    if (here === null || typeof here !== 'object') return;
    if (steps[i] === '*') {
      if (Array.isArray(here)) for (const entry of here) deleteAt(entry, steps.slice(i + 1));
      return;
    }
    here = Array.isArray(here) ? undefined : here[steps[i]];
  }
  if (here !== null && typeof here === 'object' && !Array.isArray(here)) delete here[steps[steps.length - 1]];
}
