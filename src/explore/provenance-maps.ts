import type { StateInfo } from './goals';
import type { JsonataEnv } from './jsonata-flow';
import { contextSource, viaPath, type ItemContext, type Roots } from './provenance-roots';
import { containerResults, itemsValue as itemsOf, MAX_OUTCOMES } from './run-values';
import { filteredFields } from './seeds';
import { fixed, throughArrays, type ComputedArg, type Source, type Step } from './sources';
import type { Visit } from './visits';
import type { JsonValue, StateDefinition } from '../asl';
import { parseFieldKey, parseJsonata } from './solve/jsonata-ast';

/*
 * Following values back through a Map (Provenance, provenance.ts, asks): an iteration's input
 * from the Map's items (its ItemReader's answer, its Items or ItemsPath) through its
 * ItemSelector or ItemBatcher, and its results as a whole as a computation of the items
 * explore can steer.
 */

/** Iterations of a Map, and fields of each one's result, whose sources its results as a whole follow. */
const MAX_RESULTS_FOLLOWED = 8;

/** The ways back through one visit that Provenance gives the Map's tracing. */
export interface Tracer {
  readonly states: ReadonlyMap<string, StateInfo>;
  info(v: Visit): StateInfo | undefined;
  language(v: Visit): 'JSONPath' | 'JSONata';
  /** A value in a visit's raw input. */
  raw(v: Visit, steps: readonly Step[]): Source;
  /** A value in a visit's input after its InputPath. */
  effective(v: Visit, steps: readonly Step[]): Source;
  output(v: Visit, steps: readonly Step[]): Source;
  variable(v: Visit, name: string, steps: readonly Step[]): Source;
  jsonPathRoots(v: Visit, input: (steps: readonly Step[]) => Source, item?: ItemContext): Roots;
  template(tpl: JsonValue | undefined, steps: readonly Step[], roots: Roots, where: string): Source;
  jsonataTemplate(tpl: JsonValue | undefined, steps: readonly Step[], roots: Roots, where: string): Source;
  envAt(v: Visit): () => JsonataEnv;
  readerCall(map: Visit): number | undefined;
  readerValue(map: Visit): JsonValue[] | undefined;
  outcomes(v: Visit): Array<{ index: number; item: JsonValue; result: JsonValue }>;
  otherOutcomes(map: string): ReadonlyArray<{ index: number; item: JsonValue; result: JsonValue }>;
  outputKeys(v: Visit): string[];
}

/**
 * A Map's results as a whole, as a computation explore can steer: from its items (the
 * ItemReader's answer, the Items, the ItemsPath), and, for the iterations the run had, from
 * where each field of their results comes (a Task's answer in the iteration).
 */
export function mapResults(t: Tracer, v: Visit): Source {
  const def = t.info(v)?.def;
  const reason = `the results of Map '${v.name}', one per item`;
  if (def?.Type !== 'Map') return fixed(reason, false);
  const jsonata = t.language(v) === 'JSONata';
  const invocation = def.ItemReader !== undefined ? t.readerCall(v) : undefined;
  let items: Source | undefined;
  if (invocation !== undefined) {items = { kind: 'task', state: v.name, invocation, steps: [] };} else if (def.ItemReader !== undefined) {items = undefined;} else if (!jsonata) {items = viaPath(def.ItemsPath ?? '$', [], t.jsonPathRoots(v, (s) => t.effective(v, s)), `the ItemsPath of Map '${v.name}'`);} else if (def.Items === undefined) {items = t.raw(v, []);} else {
    items = t.jsonataTemplate(def.Items, [], {
      input: (s) => t.raw(v, throughArrays(v.input, s)),
      context: (s) => contextSource(v, s, undefined),
      variable: (n, s) => t.variable(v, n, s),
      env: t.envAt(v),
    }, `the Items of Map '${v.name}'`);
  }
  if (items === undefined || (items.kind === 'fixed' && !items.computed)) return fixed(reason, false);
  // An item as the processor saw it: the fields the results do not hold are kept from it.
  const first = v.children.find((c) => c.parent === v);
  const args: ComputedArg[] = [{ kind: 'source', source: items }];
  const results: Array<{ index: number; steps: Step[]; arg: number }> = [];
  for (const [index, end] of [...v.iterationEnds].sort((a, b) => a[0] - b[0]).slice(0, MAX_RESULTS_FOLLOWED)) {
    const out = end.output;
    // The fields a result holds, and those its last state's Output writes when they have a value (JSONata drops the others).
    const keys = new Set([...(out !== null && typeof out === 'object' && !Array.isArray(out) ? Object.keys(out) : []), ...t.outputKeys(end)]);
    // And the fields filters compare that it lacks: a Task's answer it is (`$states.result.Payload`) may hold them.
    const filtered = filteredFields(t.states).filter((k) => !keys.has(k));
    for (const key of [...[...keys].slice(0, MAX_RESULTS_FOLLOWED), ...filtered.slice(0, MAX_RESULTS_FOLLOWED)]) {
      const source = t.output(end, [key]);
      if (source.kind === 'fixed') continue;
      results.push({ index, steps: [key], arg: args.length });
      args.push({ kind: 'source', source });
    }
  }
  // The items as the Map read them (before an ItemSelector), and what each iteration gave: an item whose result
  // was one wanted is the item to give for it again.
  const raw = itemsValue(t, v);
  const selects = def.ItemSelector !== undefined || def.ItemBatcher !== undefined || (!jsonata && def.Parameters !== undefined);
  const seen = raw !== undefined ? raw[0] : !selects && first !== undefined ? first.input : undefined;
  const outcomes = [...t.outcomes(v), ...t.otherOutcomes(v.name)].slice(0, MAX_OUTCOMES);
  // Batches of a constant size: each result is one batch of that many items (AWS fills a batch before it starts the next).
  const perBatch = def.ItemBatcher?.MaxItemsPerBatch;
  // An iteration that reads its index (`$states.context.Map.Item.Index`, `$$.Map.Item.Index`) may give another result for
  // the same item at another index.
  const indexed = JSON.stringify(def).includes('Map.Item.Index');
  const params = {
    ...(seen !== undefined ? { value: seen } : {}),
    ...(indexed ? { indexed } : {}),
    ...(typeof perBatch === 'number' && Number.isInteger(perBatch) && perBatch > 1 ? { perBatch } : {}),
    iterations: v.iterationEnds.size,
    ...(results.length > 0 ? { results } : {}),
    ...(outcomes.length > 0 ? { outcomes } : {}),
  };
  return { kind: 'fixed', deep: false, reason, computed: { fn: 'Map.results', args, steps: [], params } };
}

/**
 * A field a JSONata reader reads of a Map's results (`$sum($states.input.rows)`, the Map's
 * output read by the state after it): JSONata reads it of every result, so it is a
 * computation of the results as a whole, which explore steers by choosing the items and each
 * iteration's answers (see `mapResults`), not the field of one iteration the run happened to have.
 */
export function fieldOfResults(t: Tracer, v: Visit, steps: readonly Step[]): Source {
  const results = mapResults(t, v);
  const text = `$states.result${steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.\`${s}\``)).join('')}`;
  const parsed = parseJsonata(text);
  const ref = parseFieldKey('$states.result');
  const reason = `the field ${steps.join('.')} of each result of Map '${v.name}'`;
  if ('error' in parsed || ref === undefined || results.kind !== 'fixed' || !results.computed) return fixed(reason);
  const env = { result: containerResults(t.states, v) ?? [], variables: {} };
  const jsonata = { text, env: () => env, fields: [ref], node: parsed.ast, where: `Map '${v.name}'` };
  return { kind: 'fixed', deep: true, reason, computed: { fn: 'JSONata', args: [{ kind: 'source', source: results }], steps: [], params: { jsonata } } };
}

export function iterationInput(t: Tracer, map: Visit, index: number | undefined, steps: readonly Step[]): Source {
  const info = t.info(map);
  if (!info || info.def.Type !== 'Map') return fixed(`state '${map.name}' is not a Map`);
  const def = info.def;
  if (index === undefined) return fixed(`the history does not say which item of Map '${map.name}' this iteration got`);
  const jsonata = info.language === 'JSONata';
  const roots: Roots = jsonata
    ? {
      input: (s) => t.raw(map, throughArrays(map.input, s)),
      context: (s) => contextSource(map, s, undefined),
      variable: (n, s) => t.variable(map, n, s),
      env: t.envAt(map),
    }
    : t.jsonPathRoots(map, (s) => t.effective(map, s));
  // The items before ItemSelector (steps start with an item's index): the ItemReader's answer, the Items, or the ItemsPath.
  const items = (s: readonly Step[]): Source => {
    if (def.ItemReader !== undefined) return readerItems(t, map, s);
    if (jsonata) return def.Items === undefined ? t.raw(map, s) : t.jsonataTemplate(def.Items, s, roots, `the Items of Map '${map.name}'`);
    return viaPath(def.ItemsPath ?? '$', s, roots, `the ItemsPath of Map '${map.name}'`);
  };
  const item = (i: number, s: readonly Step[]): Source => items([i, ...s]);
  const selected = (i: number, s: readonly Step[]): Source => {
    const selector = jsonata ? def.ItemSelector : def.ItemSelector ?? def.Parameters;
    if (selector === undefined) return item(i, s);
    const where = `the ItemSelector of Map '${map.name}'`;
    const list = itemsValue(t, map);
    const itemOf: ItemContext = {
      value: (u) => item(i, u),
      index: i,
      items: () => items([]),
      ...(list ? { list } : {}),
      ...(def.ItemReader !== undefined ? { source: () => itemSource(t, map, roots) } : {}),
    };
    return jsonata
      ? t.jsonataTemplate(selector, s, { ...roots, context: (u) => contextSource(map, u, itemOf) }, where)
      : t.template(selector, s, t.jsonPathRoots(map, (u) => t.effective(map, u), itemOf), where);
  };
  if (def.ItemBatcher === undefined) return selected(index, steps);
  // A batch: { Items: [...selected items], BatchInput }. Explore follows the first batch, whose items start at item 0.
  const [head, at] = steps;
  if (head === 'BatchInput') {
    const batchInput = def.ItemBatcher.BatchInput;
    const where = `the BatchInput of Map '${map.name}'`;
    return jsonata ? t.jsonataTemplate(batchInput, steps.slice(1), roots, where) : t.template(batchInput, steps.slice(1), roots, where);
  }
  if (head === 'Items' && typeof at === 'number' && index === 0) return selected(at, steps.slice(2));
  // The first batch's Items whole, when no ItemSelector changes them: the first items, all of them when a list
  // wanted fits in one batch (a longer one is cut at MaxItemsPerBatch, which the run made of the plan shows).
  const selector = jsonata ? def.ItemSelector : def.ItemSelector ?? def.Parameters;
  if (head === 'Items' && steps.length === 1 && index === 0 && selector === undefined) return items([]);
  return fixed(steps.length < 2 ? `the batches Map '${map.name}' makes of its items` : `batch ${index} of Map '${map.name}', whose items explore does not follow`, steps.length >= 2);
}

/**
 * `$$.Map.Item.Source` of a Map that reads an S3 object (`s3://<bucket>/<key>`) or lists a
 * bucket (`s3://<bucket>`), as a computation of the Bucket and Key its ItemReader is given.
 */
function itemSource(t: Tracer, map: Visit, roots: Roots): Source {
  const def = t.info(map)?.def;
  const reader = def?.Type === 'Map' ? def.ItemReader : undefined;
  const reason = `the source of the items of Map '${map.name}' ($$.Map.Item.Source)`;
  if (!reader) return fixed(reason);
  const jsonata = t.language(map) === 'JSONata';
  const params = (jsonata ? reader.Arguments : reader.Parameters) as JsonValue | undefined;
  const at = (field: string): Source => (jsonata
    ? t.jsonataTemplate(params, [field], roots, `the ItemReader of Map '${map.name}'`)
    : t.template(params, [field], roots, `the ItemReader of Map '${map.name}'`));
  const listing = /:listObjectsV2$/.test(reader.Resource);
  const args: ComputedArg[] = [{ kind: 'source', source: at('Bucket') }, ...(listing ? [] : [{ kind: 'source' as const, source: at('Key') }])];
  return { kind: 'fixed', deep: true, reason, computed: { fn: 'Map.source', args, steps: [] } };
}

function itemsValue(t: Tracer, map: Visit): JsonValue[] | undefined {
  return itemsOf(t.states, map, (m) => t.readerValue(m));
}

/** The source of a value in what a Map visit's ItemReader answered (the list of its items: steps start with an item's index). */
export function readerItems(t: Tracer, map: Visit, steps: readonly Step[]): Source {
  const invocation = t.readerCall(map);
  if (invocation === undefined) return fixed(`the items the ItemReader of Map '${map.name}' reads`);
  return { kind: 'task', state: map.name, invocation, steps };
}

/**
 * Whether a Map's output is not its array of results: a ResultWriter that writes to S3 answers
 * with where it wrote (`MapRunArn`, `ResultWriterDetails`), and a WriterConfig whose
 * Transformation is NONE gives each child's output with its execution's details; one that only
 * formats them (COMPACT, FLATTEN) gives the results ("ResultWriter (Map)", Step Functions
 * developer guide, input-output-resultwriter.html).
 */
export function writesResults(def: StateDefinition): boolean {
  if (def.Type !== 'Map' || def.ResultWriter === undefined) return false;
  return def.ResultWriter.Resource !== undefined || (def.ResultWriter.WriterConfig as { Transformation?: unknown } | undefined)?.Transformation === 'NONE';
}
