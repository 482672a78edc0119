import type { RecordedCase } from './recorded-run';
import { templateFieldOrder } from '../../src/asl/key-order';

/*
 * Reads, from AWS's recorded histories, every object a payload template built and compares its
 * key order with the order the rule of src/asl/key-order.ts predicts, at every level of the
 * template. A recording's documents (input, output, parameters) were JSON texts that LocalStack
 * parsed keeping their order (the events' own fields are sorted); JSON.parse puts integer-like
 * keys first, which no template of the recordings has (integerKeys counts them).
 *
 * Where a recording shows a template's object:
 * - TaskScheduled `parameters`, ActivityScheduled and LambdaFunctionScheduled `input`: the Task's
 *   Parameters (JSONPath) or Arguments (JSONata); the Task is found through previousEventId;
 * - a state's StateExited `output`: JSONata's Output; in JSONPath, Pass Parameters (or Result)
 *   and Task, Map and Parallel ResultSelector, read at the ResultPath (OutputPath `$` only);
 * - the input of the first state of a Map iteration or a Parallel branch: ItemSelector or
 *   Parameters (JSONPath), ItemSelector or Arguments (JSONata);
 * - a StateExited's `assignedVariables`: each variable an object of Assign gave.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/**
 * How a template's fields are written: JSONPath (`name.$` fields take a path's value), JSONata
 * (`{% %}` strings are expressions), or literal JSON (a Pass Result, copied as written).
 */
export type Syntax = 'JSONPath' | 'JSONata' | 'literal';

/** Where in a recording an order was read, the template behind it and what AWS recorded. */
export interface Site {
  readonly file: string;
  /** Which template built the object, and the event it was read from. */
  readonly kind: SiteKind;
  readonly where: string;
  readonly syntax: Syntax;
  readonly template: Json;
  readonly recorded: Json;
}

/** Which template built a recorded object, and where it shows. */
export type SiteKind =
  | 'Task parameters (TaskScheduled)' | 'Task input (ActivityScheduled, LambdaFunctionScheduled)' | 'Pass Parameters (output)' | 'Pass Result (output)' | 'ResultSelector (output)'
  | 'Map ItemSelector (iteration input)' | 'Parallel Parameters (branch input)' | 'Output (output)' | 'Assign (assignedVariables)';

/** One object of a template compared with the object AWS recorded for it. */
export interface ObjectComparison {
  readonly file: string;
  readonly kind: SiteKind;
  /** True for an object nested in the template, false for the template itself. */
  readonly nested: boolean;
  /** The site, then the field path inside the template. */
  readonly where: string;
  readonly syntax: Syntax;
  readonly definition: readonly string[];
  readonly predicted: readonly string[];
  readonly recorded: readonly string[];
  /** How many of the template's fields are `.$` fields (JSONPath) or `{% %}` expressions (JSONata). */
  readonly dynamicFields: number;
}

/** What the check found over a set of recordings. */
export interface KeyOrderReport {
  readonly sites: number;
  readonly objects: readonly ObjectComparison[];
  /** Template objects whose keys differ from the recorded object's (a merge, an error output): not compared. */
  readonly incomparable: number;
  /** Integer-like keys in templates (JSON.parse would reorder them). */
  readonly integerKeys: number;
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const isPathField = (k: string): boolean => k.length > 2 && k.endsWith('.$');
const isExpression = (v: Json): boolean => typeof v === 'string' && v.trim().startsWith('{%');

/** The fields of a template object in the order the rule predicts AWS gives them (names without `.$`). */
export type OrderRule = (keys: readonly string[], syntax: Syntax) => string[];

/** The rule of src/asl/key-order.ts: JSONPath fixed fields, then path fields in HashMap order; the others as written. */
export const awsRule: OrderRule = (keys, syntax) => {
  if (syntax !== 'JSONPath') return [...keys];
  const names = keys.map((k) => (isPathField(k) ? k.slice(0, -2) : k));
  return templateFieldOrder(names, keys.map(isPathField)).map((i) => names[i]);
};

/** Compares every object of `template` with the object AWS recorded for it, recursing into fixed fields. */
function compareTemplate(
  site: Site, template: Json, recorded: Json, at: string, rule: OrderRule, out: ObjectComparison[], skipped: { n: number },
): void {
  if (Array.isArray(template)) {
    if (!Array.isArray(recorded) || recorded.length !== template.length) {
      if (template.some((t) => isObject(t) || Array.isArray(t))) skipped.n++;
      return;
    }
    template.forEach((t, i) => compareTemplate(site, t, recorded[i], `${at}[${i}]`, rule, out, skipped));
    return;
  }
  if (!isObject(template)) return;
  const keys = Object.keys(template);
  const jsonPath = site.syntax === 'JSONPath';
  const names = keys.map((k) => (jsonPath && isPathField(k) ? k.slice(0, -2) : k));
  if (!isObject(recorded) || !sameSet(names, Object.keys(recorded))) {
    skipped.n++;
    return;
  }
  out.push({
    file: site.file,
    kind: site.kind,
    nested: at !== '',
    where: `${site.where}${at}`,
    syntax: site.syntax,
    definition: names,
    predicted: rule(keys, site.syntax),
    recorded: Object.keys(recorded),
    dynamicFields: keys.filter((k) => (jsonPath ? isPathField(k) : site.syntax === 'JSONata' && isExpression(template[k]))).length,
  });
  keys.forEach((k, i) => {
    if (jsonPath && isPathField(k)) return;
    compareTemplate(site, template[k], recorded[names[i]], `${at}.${names[i]}`, rule, out, skipped);
  });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((k) => set.has(k));
}

function countIntegerKeys(v: Json): number {
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + countIntegerKeys(x), 0);
  if (!isObject(v)) return 0;
  return Object.keys(v).reduce((n, k) => n + (/^(0|[1-9]\d*)$/.test(k.replace(/\.\$$/, '')) ? 1 : 0) + countIntegerKeys(v[k]), 0);
}

/** Checks `rule` against every site of every case. */
export function checkKeyOrder(cases: readonly RecordedCase[], rule: OrderRule = awsRule): KeyOrderReport {
  const objects: ObjectComparison[] = [];
  const skipped = { n: 0 };
  let sites = 0;
  let integerKeys = 0;
  for (const c of cases) {
    for (const site of sitesOf(c)) {
      sites++;
      integerKeys += countIntegerKeys(site.template);
      compareTemplate(site, site.template, site.recorded, '', rule, objects, skipped);
    }
  }
  return { sites, objects, incomparable: skipped.n, integerKeys };
}

interface StateInfo {
  readonly name: string;
  readonly state: JsonObject;
  readonly language: 'JSONPath' | 'JSONata';
  /** The Map or Parallel whose iteration or branch starts with this state. */
  readonly startOf?: StateInfo;
}

/** Every state of a definition by name, with its query language and the Map or Parallel it starts a branch of. */
function statesOf(definition: Json): Map<string, StateInfo> {
  const out = new Map<string, StateInfo>();
  const top = isObject(definition) && definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  const walk = (machine: Json, inherited: 'JSONPath' | 'JSONata', startOf: StateInfo | undefined): void => {
    if (!isObject(machine) || !isObject(machine.States)) return;
    for (const [name, state] of Object.entries(machine.States)) {
      if (!isObject(state)) continue;
      const language = state.QueryLanguage === 'JSONata' || state.QueryLanguage === 'JSONPath' ? state.QueryLanguage : inherited;
      const info: StateInfo = { name, state, language, ...(machine.StartAt === name && startOf ? { startOf } : {}) };
      out.set(name, info);
      for (const branch of Array.isArray(state.Branches) ? state.Branches : []) walk(branch, language, info);
      for (const inner of [state.ItemProcessor, state.Iterator]) if (inner) walk(inner, language, info);
    }
  };
  walk(definition, top, undefined);
  return out;
}

/** A JSON text as its value; anything else as it is. */
function document(v: unknown): Json {
  if (typeof v !== 'string') return v as Json;
  try {
    return JSON.parse(v) as Json;
  } catch {
    return v;
  }
}

/** The value at a ResultPath made of plain field names (`$`, `$.a.b`), or undefined for any other. */
function atResultPath(output: Json, resultPath: Json | undefined): Json | undefined {
  if (resultPath === undefined || resultPath === '$') return output;
  if (typeof resultPath !== 'string' || !/^\$(\.[A-Za-z_][A-Za-z0-9_-]*)+$/.test(resultPath)) return undefined;
  let v: Json | undefined = output;
  for (const field of resultPath.slice(2).split('.')) v = isObject(v) ? v[field] : undefined;
  return v;
}

/** The places of one recorded history that show an object a template built. */
export function sitesOf(c: RecordedCase): Site[] {
  const history = (c.history ?? []) as Array<Record<string, Json>>;
  const states = statesOf(c.definition as unknown as Json);
  const byId = new Map<number, Record<string, Json>>();
  for (const e of history) if (typeof e.id === 'number') byId.set(e.id, e);
  const out: Site[] = [];
  const add = (info: StateInfo, kind: SiteKind, where: string, template: Json | undefined, recorded: Json | undefined): void => {
    if (template === undefined || recorded === undefined || (!isObject(template) && !Array.isArray(template))) return;
    const syntax = kind === 'Pass Result (output)' ? 'literal' : info.language;
    out.push({ file: c.file, kind, where: `${info.name}.${where}`, syntax, template, recorded });
  };
  /** The state whose StateEntered an event follows, through previousEventId. */
  const stateBefore = (e: Record<string, Json>): StateInfo | undefined => {
    for (let p = byId.get(e.previousEventId as number), hops = 0; p && hops < 10; p = byId.get(p.previousEventId as number), hops++) {
      const entered = p.stateEnteredEventDetails;
      if (isObject(entered) && typeof entered.name === 'string') return states.get(entered.name);
    }
    return undefined;
  };
  for (const e of history) {
    const scheduled = [e.taskScheduledEventDetails, e.activityScheduledEventDetails, e.lambdaFunctionScheduledEventDetails].find(isObject);
    if (scheduled) {
      const task = stateBefore(e);
      if (task) {
        const field = task.language === 'JSONata' ? 'Arguments' : 'Parameters';
        const kind = isObject(e.taskScheduledEventDetails) ? 'Task parameters (TaskScheduled)' : 'Task input (ActivityScheduled, LambdaFunctionScheduled)';
        add(task, kind, field, task.state[field], document(scheduled.parameters ?? scheduled.input));
      }
      continue;
    }
    const entered = e.stateEnteredEventDetails;
    if (isObject(entered) && typeof entered.name === 'string') {
      const parent = states.get(entered.name)?.startOf;
      if (parent) {
        const fields = parent.state.Type === 'Map'
          ? (parent.language === 'JSONata' ? ['ItemSelector'] : ['ItemSelector', 'Parameters'])
          : (parent.language === 'JSONata' ? ['Arguments'] : ['Parameters']);
        const kind = parent.state.Type === 'Map' ? 'Map ItemSelector (iteration input)' : 'Parallel Parameters (branch input)';
        for (const f of fields) add(parent, kind, `${f} (input of ${entered.name})`, parent.state[f], document(entered.input));
      }
      continue;
    }
    const exited = e.stateExitedEventDetails;
    if (!isObject(exited) || typeof exited.name !== 'string') continue;
    const info = states.get(exited.name);
    if (!info) continue;
    const s = info.state;
    const output = document(exited.output);
    if (info.language === 'JSONata') {
      // A Catcher's Output gives the output of a state that caught an error: the one whose fields were recorded.
      const outputs = [s.Output, ...(Array.isArray(s.Catch) ? s.Catch : []).map((r) => (isObject(r) ? r.Output : undefined))];
      const fields = isObject(output) ? Object.keys(output) : [];
      add(info, 'Output (output)', 'Output', outputs.find((o) => isObject(o) && sameSet(Object.keys(o), fields)) ?? s.Output, output);
    } else if (s.OutputPath === undefined || s.OutputPath === '$') {
      const result = atResultPath(output, s.ResultPath);
      if (s.Type === 'Pass') {
        add(info, 'Pass Parameters (output)', 'Parameters', s.Parameters, result);
        add(info, 'Pass Result (output)', 'Result', s.Result, result);
      } else {
        add(info, 'ResultSelector (output)', 'ResultSelector', s.ResultSelector, result);
      }
    }
    const assigned = exited.assignedVariables;
    if (isObject(assigned)) {
      const assigns = [s.Assign, ...(Array.isArray(s.Choices) ? s.Choices : []).map((r) => (isObject(r) ? r.Assign : undefined)),
        ...(Array.isArray(s.Catch) ? s.Catch : []).map((r) => (isObject(r) ? r.Assign : undefined))].filter(isObject);
      // The Assign whose variables are the ones recorded (a Choice rule's or a Catcher's may be).
      const names = Object.keys(assigned);
      const assign = assigns.find((a) => sameSet(Object.keys(a).map((k) => (info.language === 'JSONPath' && isPathField(k) ? k.slice(0, -2) : k)), names));
      for (const [k, v] of Object.entries(assign ?? {})) {
        if (info.language === 'JSONPath' && isPathField(k)) continue;
        add(info, 'Assign (assignedVariables)', `Assign.${k}`, v, document(assigned[k]));
      }
    }
  }
  return out;
}
