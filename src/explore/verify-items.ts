import { EXPLORE_MAX_STATES } from './context';
import { modelAllowsPlaced } from './contract-answers';
import type { Outcome } from './runner';
import type { JsonValue, MapState, StateDefinition } from '../asl';
import type { ExecutionResult } from '../interpreter';

/*
 * How many items a run of a Map can have, read from its definition, for the counts verify proves
 * over a Map's iterations (verify-counters). A run's path enters a state of a Map once per item,
 * so a count over the whole run is bounded only where the items are; where they are not, a run
 * given more items than the bound is the counterexample verify looks for.
 */

/** Arrays of one input or answer the Map-items probe grows, at most. */
const ITEMS_ARRAYS = 6;
/** The most items the Map-items probe gives an array: past it, an atMost bound is not probed so. */
const ITEMS_MOST = 1_000;
/** How deep into a value the probe looks for arrays. */
const GROW_DEPTH = 32;

/** An array of a run's input or answers the probe grows: its length, and the run's input and answers with it grown. */
type Site = { readonly from: number; readonly at: (length: number) => { input: JsonValue; known: ReadonlyMap<string, readonly Outcome[]> } };

/** A run the probe made: its result and the answers its Task calls had. */
type Ran = { readonly result: ExecutionResult; readonly calls: Map<string, Outcome[]> };

/** A run of the search the probe starts from: its input and its Task answers. @internal */
export interface ProbeBase {
  readonly input: JsonValue;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
}

/**
 * What the local S3 folder (`--s3-dir`, `s3Dir`) says of a Map whose ItemReader it answers
 * (verify-folder): the most iterations a run of it has as the folder holds its items, and where;
 * or why the folder bounds nothing (a state can write where the reader reads).
 * @internal
 */
export type FolderBound = { readonly items: number; readonly how: string; readonly given?: true } | { readonly unbounded: string };

/**
 * The most items one run of a Map can have, and what sets it: an `Items` array written in the
 * definition (its length), an ItemReader's `ReaderConfig.MaxItems` (AWS reads no more items than
 * that), or the items the S3 folder holds where the reader reads (`folder`, the smaller of it and
 * MaxItems, or the user's bound, `given`, where neither the definition nor the folder bounds it).
 * Undefined when nothing does: `ItemsPath` or a JSONata `Items` reads them from the
 * run's data, whose arrays have no bound.
 * @internal
 */
export function mapItemBound(
  def: StateDefinition | undefined, folder?: FolderBound,
): { readonly items: number; readonly how: string; readonly given?: true } | undefined {
  if (def?.Type !== 'Map') return undefined;
  const items = (def as { Items?: unknown }).Items;
  if (Array.isArray(items)) return { items: items.length, how: `its Items is an array of ${items.length} written in the definition` };
  const max = (def.ItemReader as { ReaderConfig?: { MaxItems?: unknown } } | undefined)?.ReaderConfig?.MaxItems;
  // MaxItems 0 limits nothing: the reader reads every item (the interpreter's readItems, whose runs verify's verdicts are about).
  const byMax = typeof max === 'number' && Number.isInteger(max) && max > 0 ? { items: max, how: `its ItemReader's ReaderConfig.MaxItems is ${max}` } : undefined;
  if (folder !== undefined && 'items' in folder && (byMax === undefined || folder.items < byMax.items)) return folder;
  return byMax;
}

/**
 * Why Map `name`'s items have no bound, in words: where it reads them, the two fields that would
 * bound them, that MaxConcurrency is not one of them, and why the S3 folder does not (`folder`).
 * @internal
 */
export function unboundedItemsWords(name: string, def: StateDefinition | undefined, folder?: FolderBound): string {
  const concurrency = (def as { MaxConcurrency?: unknown } | undefined)?.MaxConcurrency;
  const limited = typeof concurrency === 'number' && concurrency > 0
    ? ` (its MaxConcurrency of ${concurrency} bounds how many iterations run at once, not how many there are)` : '';
  return `Map '${name}' runs its iteration once per item, and nothing in the definition bounds its items: it reads them from the run's data (${itemsSource(def)}), so a run given more items enters more states and lasts longer. An Items array written in the definition, or an ItemReader's ReaderConfig.MaxItems, bounds them${limited}${folderWords(folder)}`;
}

/** Why the S3 folder bounds no Map's items, in words to follow a reason: empty where it was not asked. @internal */
export function folderWords(folder: FolderBound | undefined): string {
  return folder !== undefined && 'unbounded' in folder ? `; ${folder.unbounded}` : '';
}

/** Where a Map reads its items, in words, for a reason that has no bound on them. @internal */
export function itemsSource(def: StateDefinition | undefined): string {
  const d = def as { Items?: unknown; ItemsPath?: unknown; ItemReader?: unknown } | undefined;
  if (typeof d?.Items === 'string') return `its Items is ${JSON.stringify(d.Items.length > 60 ? `${d.Items.slice(0, 57)}…` : d.Items)}`;
  if (d?.ItemReader !== undefined) return 'its ItemReader, with no ReaderConfig.MaxItems above 0';
  return `its ItemsPath ${JSON.stringify(typeof d?.ItemsPath === 'string' ? d.ItemsPath : '$')}`;
}

/**
 * A bound the Map-items probe tries to break by giving a Map more items: the state whose lightest
 * visitor of the search is the run it grows, what the bound counts on a run (a state's entries,
 * the states entered, the seconds lasted), and the most that may be.
 * @internal
 */
export interface ItemsGoal {
  readonly state: string;
  readonly measure: (result: ExecutionResult) => number;
  readonly most: number;
  /**
   * The items one iteration of the Map around `state` takes: its ItemBatcher's
   * `MaxItemsPerBatch` ({@link itemsPerIteration}), so one more iteration than `most` needs
   * that many times more items. 1 (or absent) where each item is an iteration.
   */
  readonly perIteration?: number;
}

/**
 * The items one iteration of a Map takes: an ItemBatcher's `MaxItemsPerBatch` where the
 * definition fixes it (the interpreter fills each batch before it starts the next, so `n` items
 * make `ceil(n / MaxItemsPerBatch)` iterations), else 1. A `MaxInputBytesPerBatch` may cut a
 * batch shorter, which only makes more iterations.
 * @internal
 */
export function itemsPerIteration(def: StateDefinition | undefined): number {
  return def?.Type === 'Map' ? maxItemsPerBatch(def) ?? 1 : 1;
}

/** The most items a Map's ItemBatcher puts in one batch, where the definition fixes its MaxItemsPerBatch. @internal */
export function maxItemsPerBatch(state: MapState): number | undefined {
  const per = state.ItemBatcher?.MaxItemsPerBatch;
  return typeof per === 'number' && Number.isInteger(per) && per > 0 ? per : undefined;
}

/**
 * A state inside a Map is entered once per item (the run's path counts every iteration), and a
 * run lasts longer and enters more states the more items its Maps have; the search's inputs have
 * few items. For each goal, the lightest run of the search that entered its state is run again
 * with each array of its input, or of a Task's answer, grown (its items repeated), each Task's
 * further calls answered as its last call was: first to a few more items (enough for one
 * iteration more than `most`, a batch of `perIteration` items each, or twice the array's items
 * where it already holds that many), then, where that run counted more than the lightest
 * run did but not enough, to the length what each added item measured says breaks the bound;
 * never past `mostItems` (the user's bound on a Map's items, mapItems). A run that breaks a property
 * is told to verify as any run is, and is a counterexample only once its mocks reproduce it.
 * @internal
 */
export async function probeItems(
  goals: readonly ItemsGoal[], visitors: ReadonlyMap<string, ProbeBase>,
  run: (input: JsonValue, known: ReadonlyMap<string, readonly Outcome[]>) => Promise<Ran | undefined>,
  observe: (input: JsonValue, calls: Map<string, Outcome[]>, result: ExecutionResult, partial: boolean) => void,
  mostItems = ITEMS_MOST, resources: ReadonlyMap<string, string> = new Map(),
): Promise<void> {
  // At most the items the user's bound gives a Map (mapItems): a run with more is not one they asked about.
  const cap = Math.min(ITEMS_MOST, mostItems);
  // A few runs a goal (ITEMS_ARRAYS, twice), like the other probes: not cut by the search's budget.
  // Each run once, told to verify once: another goal on the same Map reads what it measured.
  const tried = new Map<string, Ran | undefined>();
  const once = async (input: JsonValue, known: ReadonlyMap<string, readonly Outcome[]>): Promise<Ran | undefined> => {
    const key = JSON.stringify([input, [...known]]);
    if (tried.has(key)) return tried.get(key);
    const ran = await run(input, known);
    tried.set(key, ran);
    if (ran) observe(input, ran.calls, ran.result, ran.result.path.length >= EXPLORE_MAX_STATES);
    return ran;
  };
  for (const goal of goals) {
    const base = visitors.get(goal.state);
    if (!base || !Number.isFinite(goal.most)) continue;
    // The items come from the input, or from a Task's answer (a list a function returns, an ItemReader's).
    // One iteration more than the bound allows: a batched Map's iterations take `unit` items each.
    const unit = Math.max(1, Math.floor(goal.perIteration ?? 1));
    const first = Math.min(cap, Math.floor(goal.most) * unit + 1);
    // Any array with room to grow: the run that entered the state may already hold more items
    // than the bound (only some of them enter it: the third, or each purchase after a start).
    const sites: Site[] = arraySites(base.input, cap)
      .map((site) => ({ from: site.from, at: (length: number) => ({ input: site.grow(length), known: base.calls }) }));
    for (const [state, outcomes] of base.calls) {
      outcomes.forEach((o, i) => {
        if (o?.kind !== 'return') return;
        for (const site of arraySites(o.value, cap)) {
          if (sites.length >= 4 * ITEMS_ARRAYS) return;
          sites.push({
            from: site.from,
            at: (length) => {
              const grown = [...outcomes];
              const value = site.grow(length);
              // An answer grown past what the service's model allows (a list's maximum) is no answer AWS gives: the base's kept.
              const resource = resources.get(state);
              grown[i] = resource === undefined || modelAllowsPlaced(resource, o.value, value) ? { kind: 'return', value } : o;
              return { input: base.input, known: new Map([...base.calls, [state, grown]]) };
            },
          });
        }
      });
    }
    let before: { measure: number; states: number } | undefined;
    for (const site of sites) {
      // A few more items first (at least twice as many, each item repeated as the array's own:
      // the items that entered the state do again): where that breaks the bound, done; else it
      // says what each item adds.
      const some = Math.min(cap, Math.max(Math.min(first, (2 * site.from + 2) * unit), 2 * site.from));
      if (some <= site.from) continue;
      const v = site.at(some);
      const ran = await once(v.input, v.known);
      if (!ran || goal.measure(ran.result) > goal.most || ran.result.path.length >= EXPLORE_MAX_STATES) continue;
      if (before === undefined) {
        const lightest = await run(base.input, base.calls);
        before = lightest ? { measure: goal.measure(lightest.result), states: lightest.result.path.length } : { measure: Infinity, states: Infinity };
      }
      const each = (goal.measure(ran.result) - before.measure) / (some - site.from);
      if (!(each > 0)) continue;
      const length = site.from + Math.ceil((goal.most - before.measure) / each) + 1;
      // Within the probe's most items, and the states a run may enter (a longer run is cut short, and proves nothing).
      const states = before.states + ((ran.result.path.length - before.states) / (some - site.from)) * (length - site.from);
      if (length <= some || length > cap || states >= EXPLORE_MAX_STATES) continue;
      const w = site.at(length);
      await once(w.input, w.known);
    }
  }
}

/**
 * The first few non-empty arrays of `input` shorter than `below` (outermost first), each with the
 * input it is in grown to a length, its own items repeated in turn, and (where it holds two or
 * more) its last item repeated.
 */
function arraySites(input: JsonValue, below: number): Array<{ from: number; grow: (length: number) => JsonValue }> {
  const out: Array<{ from: number; grow: (length: number) => JsonValue }> = [];
  let arrays = 0;
  const walk = (v: JsonValue, depth: number, put: (w: JsonValue) => JsonValue): void => {
    if (arrays >= ITEMS_ARRAYS || depth > GROW_DEPTH || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      if (v.length > 0 && v.length < below) {
        arrays++;
        out.push({ from: v.length, grow: (length) => put(Array.from({ length }, (_, i) => v[i % v.length])) });
        // Its last item repeated too: the items before it (a stream's header, an empty first row)
        // keep their places, where a copy of one at another place fails or goes elsewhere.
        if (v.length > 1) out.push({ from: v.length, grow: (length) => put(Array.from({ length }, (_, i) => v[Math.min(i, v.length - 1)])) });
      }
      v.forEach((item, i) => walk(item, depth + 1, (w) => put([...v.slice(0, i), w, ...v.slice(i + 1)])));
      return;
    }
    for (const [k, item] of Object.entries(v)) walk(item, depth + 1, (w) => put({ ...v, [k]: w }));
  };
  walk(input, 0, (w) => w);
  return out;
}
