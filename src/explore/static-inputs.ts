import type { StateInfo } from './goals';
import type { Step } from './sources';
import type { JsonValue, StateDefinition } from '../asl';
import { compilePath, followSteps } from '../asl/path';
import { isLambdaInvoke, taskResource } from '../asl/task-resource';

/*
 * States that fail on every entry, proved from the definition alone: the
 * input a state gets is fixed by what runs before it (a Pass state's Result,
 * a Lambda invoke envelope), and a path the state must read before it does
 * anything is not in it. A missing path fails the state with States.Runtime,
 * which no Retry or Catch takes, so nothing after the state, nor its Catches,
 * Retries and branches, can be reached that way.
 */

/** The fields of the result of a `lambda:invoke` Task: the envelope around the function's answer. */
const INVOKE_ENVELOPE = ['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode'];

/** What is known of a state's input on one way into it: all of it, or the names of its fields. */
type Shape =
  | { readonly kind: 'value'; readonly value: JsonValue; readonly from: string }
  | { readonly kind: 'fields'; readonly fields: readonly string[]; readonly task: string };

/** How far back the input of a state is followed through states that pass it on. */
const MAX_DEPTH = 32;

function plainPath(text: unknown): readonly Step[] | undefined {
  if (typeof text !== 'string' || !text.startsWith('$') || text.startsWith('$$')) return undefined;
  try {
    const path = compilePath(text);
    return path.root.kind === 'input' && path.definite && path.steps ? path.steps : undefined;
  } catch {
    return undefined;
  }
}

/** True for a payload template with no path, intrinsic function or other value computed when it runs. */
function constant(tpl: JsonValue): boolean {
  if (tpl === null || typeof tpl !== 'object') return true;
  if (Array.isArray(tpl)) return tpl.every(constant);
  return Object.keys(tpl).every((k) => !k.endsWith('.$') && constant(tpl[k]));
}

/** Whether a state passes its input on unchanged: no InputPath, OutputPath or ResultPath to move it. */
function passesInput(def: StateDefinition): boolean {
  return (def.InputPath === undefined || def.InputPath === '$') && (def.OutputPath === undefined || def.OutputPath === '$');
}

class InputShapes {
  private readonly memo = new Map<string, Shape[] | undefined>();
  private readonly busy = new Set<string>();
  /** The states that lead to each state (by Next, a Choice rule or Default, or a Catch), in definition order: found once, not per state. */
  private readonly before = new Map<string, Array<[string, StateInfo]>>();

  constructor(private readonly states: ReadonlyMap<string, StateInfo>) {
    for (const [from, info] of states) {
      const def = info.def;
      const targets = new Set<string>();
      if (typeof def.Next === 'string') targets.add(def.Next);
      if (def.Type === 'Choice') {
        for (const c of def.Choices ?? []) if (typeof c.Next === 'string') targets.add(c.Next);
        if (typeof def.Default === 'string') targets.add(def.Default);
      }
      for (const c of def.Catch ?? []) if (typeof c.Next === 'string') targets.add(c.Next);
      for (const to of targets) {
        let list = this.before.get(to);
        if (!list) this.before.set(to, list = []);
        list.push([from, info]);
      }
    }
  }

  /** Every shape the input of a state can have when it is entered, one per way in; `undefined` when any way in is not known. */
  inputs(name: string, depth = 0): Shape[] | undefined {
    if (this.memo.has(name)) return this.memo.get(name);
    if (this.busy.has(name) || depth > MAX_DEPTH) return undefined;
    this.busy.add(name);
    const result = this.compute(name, depth);
    this.busy.delete(name);
    this.memo.set(name, result);
    return result;
  }

  private compute(name: string, depth: number): Shape[] | undefined {
    const info = this.states.get(name);
    // The first state of the machine, a branch or an item processor gets an input from outside.
    if (!info || info.scopeStart === name) return undefined;
    const out: Shape[] = [];
    for (const [from, other] of this.before.get(name) ?? []) {
      if (other.container !== info.container || other.branch !== info.branch) continue;
      const def = other.def;
      // A Catch hands on an error output, which this does not follow.
      if ((def.Catch ?? []).some((c) => c.Next === name)) return undefined;
      let shapes: Shape[] | undefined;
      if (def.Type === 'Choice') {
        const leads = def.Default === name || (def.Choices ?? []).some((c) => c.Next === name);
        if (!leads) continue;
        // A JSONata Choice hands on its input unless its Output says otherwise.
        if (other.language === 'JSONPath' ? !passesInput(def) : def.Output !== undefined) return undefined;
        shapes = this.inputs(from, depth + 1);
      } else {
        if (def.Next !== name) continue;
        shapes = this.output(from, other, depth);
      }
      if (!shapes) return undefined;
      out.push(...shapes);
    }
    return out.length > 0 ? out : undefined;
  }

  /** The shapes of what a state hands on when it succeeds. */
  private output(name: string, info: StateInfo, depth: number): Shape[] | undefined {
    const def = info.def;
    if (info.language === 'JSONata') return this.jsonataOutput(name, info, depth);
    if (def.Type === 'Wait' && passesInput(def)) return this.inputs(name, depth + 1);
    if (def.Type === 'Pass') {
      if (def.OutputPath !== undefined && def.OutputPath !== '$') return undefined;
      if (def.ResultPath === null) return def.InputPath === undefined || def.InputPath === '$' ? this.inputs(name, depth + 1) : undefined;
      if (def.ResultPath !== undefined && def.ResultPath !== '$') return undefined;
      if (def.Result !== undefined) return [{ kind: 'value', value: def.Result, from: `the Result of Pass state '${name}'` }];
      if (def.Parameters !== undefined && constant(def.Parameters)) return [{ kind: 'value', value: def.Parameters, from: `the Parameters of Pass state '${name}'` }];
      return undefined;
    }
    if (def.Type === 'Task' && answersWithEnvelope(def)
      && def.ResultSelector === undefined && (def.ResultPath === undefined || def.ResultPath === '$') && (def.OutputPath === undefined || def.OutputPath === '$')) {
      return [{ kind: 'fields', fields: INVOKE_ENVELOPE, task: name }];
    }
    return undefined;
  }

  /**
   * The shapes of what a JSONata state hands on when it succeeds: with no Output, a Pass or Wait its
   * input and a Task its result, which for a `lambda:invoke` Task is the invoke envelope (the
   * recording outputdecl/TestArgumentsBase_test_base_task_lambda shows `$states.result` is
   * {ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}); an Output with
   * no expression in it, that value.
   */
  private jsonataOutput(name: string, info: StateInfo, depth: number): Shape[] | undefined {
    const def = info.def;
    if (def.Output !== undefined) {
      return (def.Type === 'Pass' || def.Type === 'Task') && fixedJsonata(def.Output)
        ? [{ kind: 'value', value: def.Output, from: `the Output of state '${name}'` }] : undefined;
    }
    if (def.Type === 'Pass' || def.Type === 'Wait') return this.inputs(name, depth + 1);
    if (def.Type === 'Task' && answersWithEnvelope(def)) return [{ kind: 'fields', fields: INVOKE_ENVELOPE, task: name }];
    return undefined;
  }
}

/** True for a JSONata value with no expression in it (no string that starts with `{%`). */
function fixedJsonata(value: JsonValue): boolean {
  if (typeof value === 'string') return !value.trimStart().startsWith('{%');
  if (value === null || typeof value !== 'object') return true;
  return Array.isArray(value) ? value.every(fixedJsonata) : Object.values(value).every(fixedJsonata);
}

/** A path that a shape shows is missing, or `undefined` when it may be there. */
function missing(shape: Shape, steps: readonly Step[]): boolean {
  if (shape.kind === 'value') return followSteps(shape.value, steps) === undefined;
  const first = steps[0];
  return typeof first === 'string' && !shape.fields.includes(first);
}

/**
 * A path a shape shows JSONata finds nothing at: a field of no object on the way. An array on the
 * way or an index is not followed (JSONata maps a name over an array's items, and `[0]` of a single
 * value is that value).
 */
function missingInJsonata(shape: Shape, steps: readonly Step[]): boolean {
  if (shape.kind === 'fields') return missing(shape, steps);
  let at: JsonValue = shape.value;
  for (const step of steps) {
    if (typeof step !== 'string' || Array.isArray(at)) return false;
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, step)) return true;
    at = at[step];
  }
  return false;
}

/** The paths a state reads on every entry before it can do anything, each with the field that reads it. */
function mandatoryReads(def: StateDefinition): Array<{ readonly steps: readonly Step[]; readonly field: string; readonly afterInputPath: boolean }> {
  const out: Array<{ steps: readonly Step[]; field: string; afterInputPath: boolean }> = [];
  if (def.InputPath !== undefined && def.InputPath !== null && def.InputPath !== '$') {
    const steps = plainPath(def.InputPath);
    if (steps) out.push({ steps, field: 'InputPath', afterInputPath: false });
  }
  firstPathField(def, (value, field) => {
    const steps = plainPath(value);
    if (steps) out.push({ steps, field, afterInputPath: true });
    return undefined;
  });
  return out;
}

/**
 * The first path a state reads before it does anything (its InputPath, a path of its Parameters)
 * with a filter that does not parse: such a path fails on every document.
 */
function unparsedRead(def: StateDefinition): { readonly field: string; readonly path: string; readonly reason: string } | undefined {
  const check = (text: unknown, field: string) => {
    if (typeof text !== 'string' || !text.startsWith('$')) return undefined;
    let reason: string | undefined;
    try {
      reason = compilePath(text).unparsed;
    } catch {
      return undefined;
    }
    return reason === undefined ? undefined : { field, path: text, reason };
  };
  return check(def.InputPath, 'InputPath') ?? firstPathField(def, check);
}

/** Whether a state's Task token is in the Context Object: only a callback or `.sync` Task (or an activity) is given one. */
function hasTaskToken(def: StateDefinition): boolean {
  if (def.Type !== 'Task' || typeof def.Resource !== 'string') return false;
  const r = taskResource(def.Resource);
  return r.pattern !== 'request' || r.kind === 'activity';
}

/**
 * A `lambda:invoke` Task without `.waitForTaskToken`: its result is the invoke envelope (with one, the callback's answer).
 * One that asks for the log (`LogType`) is left out: Lambda's Invoke answers a LogResult besides
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html), which the envelope's fields here do not name.
 */
function answersWithEnvelope(def: StateDefinition): boolean {
  if (def.Type !== 'Task' || typeof def.Resource !== 'string') return false;
  const r = taskResource(def.Resource);
  const request = def.Arguments ?? def.Parameters;
  const asksLog = request !== null && typeof request === 'object' && !Array.isArray(request) && Object.keys(request).some((k) => k.startsWith('LogType'));
  return isLambdaInvoke(r) && r.pattern === 'request' && !asksLog;
}

/** The first path of a state's Parameters that reads `$$.Task` (directly or in an intrinsic's arguments) where the Context Object has no Task. */
function missingTaskRead(def: StateDefinition): { readonly field: string; readonly path: string } | undefined {
  if (hasTaskToken(def)) return undefined;
  return firstPathField(def, (value, field) => (typeof value === 'string' && /\$\$\.Task(?![\w$])/.test(value) ? { field, path: value } : undefined));
}

/**
 * The first answer `found` gives for a path field (`key.$`) of the Parameters a state evaluates,
 * in document order, each given with where it stands (`Parameters.a[0].b.$`); a `found` that
 * answers nothing visits them all. A Pass with a Result evaluates none.
 */
function firstPathField<T>(def: StateDefinition, found: (value: JsonValue, field: string) => T | undefined): T | undefined {
  const parameters = def.Type === 'Task' || def.Type === 'Parallel' || (def.Type === 'Pass' && def.Result === undefined) ? def.Parameters : undefined;
  const walk = (tpl: JsonValue | undefined, field: string): T | undefined => {
    if (tpl === null || typeof tpl !== 'object') return undefined;
    const places: Array<[string, JsonValue]> = Array.isArray(tpl)
      ? tpl.map((t, i) => [`${field}[${i}]`, t])
      : Object.entries(tpl).map(([key, value]) => [`${field}.${key}`, value]);
    for (const [at, value] of places) {
      const hit = at.endsWith('.$') ? found(value, at) : walk(value, at);
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  return walk(parameters, 'Parameters');
}

/**
 * The states that fail with States.Runtime each time they end well, each with the proof: their
 * ResultSelector or OutputPath holds a filter that does not parse. They are entered (a Task makes
 * its call) and their Catches and Retries take the call's errors, but their Next is never taken.
 */
export function failingOnExit(states: ReadonlyMap<string, StateInfo>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, info] of states) {
    if (info.language !== 'JSONPath') continue;
    const def = info.def as StateDefinition & { ResultSelector?: JsonValue };
    let found: { field: string; path: string; reason: string } | undefined;
    const check = (text: unknown, field: string): void => {
      if (found || typeof text !== 'string' || !text.startsWith('$')) return;
      try {
        const reason = compilePath(text).unparsed;
        if (reason !== undefined) found = { field, path: text, reason };
      } catch {
        // A path that does not compile at all is refused when the definition loads.
      }
    };
    const walk = (tpl: JsonValue | undefined, field: string): void => {
      if (tpl === null || typeof tpl !== 'object') return;
      const entries: Array<[string, JsonValue]> = Array.isArray(tpl) ? tpl.map((t, i) => [`[${i}]`, t]) : Object.entries(tpl);
      for (const [key, value] of entries) {
        const at = key.startsWith('[') ? `${field}${key}` : `${field}.${key}`;
        if (key.endsWith('.$')) check(value, at);
        else walk(value, at);
      }
    };
    walk(def.ResultSelector, 'ResultSelector');
    check(def.OutputPath, 'OutputPath');
    if (found) {
      out.set(name, `'${name}' fails with States.Runtime each time it ends well, which no Retry or Catch takes: its ${found.field} is ${found.path}, `
        + `and ${found.reason}, which fails it on any result (quote the value in the definition to reach what follows)`);
    }
  }
  return out;
}

/** The words for what a state's input always is, one shape per way in: the values and the lambda:invoke Tasks' envelopes. */
function describeShapes(inputs: readonly Shape[]): string {
  const values = [...new Set(inputs.flatMap((s) => (s.kind === 'value' ? [`${JSON.stringify(s.value)} (${s.from})`] : [])))];
  const tasks = [...new Set(inputs.flatMap((s) => (s.kind === 'fields' ? [`'${s.task}'`] : [])))];
  if (tasks.length > 0) {
    const named = tasks.length === 1 ? tasks[0] : `${tasks.slice(0, -1).join(', ')} or ${tasks[tasks.length - 1]}`;
    values.push(`the result of the lambda:invoke Task ${named}: the invoke envelope, whose fields are ${INVOKE_ENVELOPE.join(', ')}`);
  }
  return values.join(', or ');
}

/**
 * The fields of a state's input that are absent on every way into it, each with the proof: asked
 * by the path under the input (`tier` for `$states.input.tier`), it answers what the input always
 * is, or undefined when the field may be there. One per definition: the shapes are found once.
 */
export function absentInputFields(states: ReadonlyMap<string, StateInfo>): (state: string, steps: readonly Step[]) => string | undefined {
  const shapes = new InputShapes(states);
  return (state, steps) => {
    const inputs = shapes.inputs(state);
    if (!inputs || steps.length === 0 || !inputs.every((shape) => missingInJsonata(shape, steps))) return undefined;
    return `nowhere: it is absent on every way into '${state}', whose input is always ${describeShapes(inputs)}`;
  };
}

function describePath(steps: readonly Step[]): string {
  return `$${steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
}

/**
 * The states that fail with States.Runtime on every entry, each with the proof:
 * a path it must read first has a filter that does not parse, or on every way
 * into it, its input lacks a path it must read first.
 */
export function alwaysFailing(states: ReadonlyMap<string, StateInfo>): Map<string, string> {
  const shapes = new InputShapes(states);
  const out = new Map<string, string>();
  for (const [name, info] of states) {
    if (info.language !== 'JSONPath') continue;
    const unparsed = unparsedRead(info.def);
    if (unparsed) {
      out.set(name, `'${name}' fails with States.Runtime on every entry, which no Retry or Catch takes: its ${unparsed.field} is ${unparsed.path}, and ${unparsed.reason}, `
        + 'which fails it on any input (quote the value in the definition to reach what follows)');
      continue;
    }
    const task = missingTaskRead(info.def);
    if (task) {
      out.set(name, `'${name}' fails with States.Runtime on every entry, which no Retry or Catch takes: its ${task.field} reads ${task.path}, `
        + 'and the Context Object holds a Task token only in a callback (.waitForTaskToken) or .sync Task');
      continue;
    }
    const reads = mandatoryReads(info.def);
    if (reads.length === 0) continue;
    const inputs = shapes.inputs(name);
    if (!inputs) continue;
    const ip = info.def.InputPath === undefined || info.def.InputPath === '$' ? [] : plainPath(info.def.InputPath);
    if (ip === undefined || info.def.InputPath === null) continue;
    // The first read that every way in lacks.
    const read = reads.find((r) => inputs.every((shape) => missing(shape, r.afterInputPath ? [...ip, ...r.steps] : r.steps)));
    if (!read) continue;
    const from = describeShapes(inputs);
    out.set(name, `'${name}' fails with States.Runtime on every entry, which no Retry or Catch takes: its ${read.field} reads ${describePath(read.steps)}, `
      + `which its input never holds: it is always ${from}`);
  }
  return out;
}
