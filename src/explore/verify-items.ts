import { EXPLORE_MAX_STATES } from './context';
import type { Outcome } from './runner';
import type { JsonValue, StateDefinition } from '../asl';
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

/** A run the probe made: its result and the answers its Task calls had. */
type Ran = { readonly result: ExecutionResult; readonly calls: Map<string, Outcome[]> };

/** A run of the search the probe starts from: its input and its Task answers. @internal */
export interface ProbeBase {
  readonly input: JsonValue;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
}

/**
 * The most items one run of a Map can have, and what in the definition sets it: an `Items` array
 * written in the definition (its length), or an ItemReader's `ReaderConfig.MaxItems` (AWS reads no
 * more items than that). Undefined when nothing does: `ItemsPath` or a JSONata `Items` reads them
 * from the run's data, whose arrays have no bound.
 * @internal
 */
export function mapItemBound(def: StateDefinition | undefined): { readonly items: number; readonly how: string } | undefined {
  if (def?.Type !== 'Map') return undefined;
  const items = (def as { Items?: unknown }).Items;
  if (Array.isArray(items)) return { items: items.length, how: `its Items is an array of ${items.length} written in the definition` };
  const max = (def.ItemReader as { ReaderConfig?: { MaxItems?: unknown } } | undefined)?.ReaderConfig?.MaxItems;
  if (typeof max === 'number' && Number.isInteger(max) && max >= 0) return { items: max, how: `its ItemReader's ReaderConfig.MaxItems is ${max}` };
  return undefined;
}

/** Where a Map reads its items, in words, for a reason that has no bound on them. @internal */
export function itemsSource(def: StateDefinition | undefined): string {
  const d = def as { Items?: unknown; ItemsPath?: unknown; ItemReader?: unknown } | undefined;
  if (typeof d?.Items === 'string') return `its Items is ${JSON.stringify(d.Items.length > 60 ? `${d.Items.slice(0, 57)}…` : d.Items)}`;
  if (d?.ItemReader !== undefined) return 'its ItemReader, with no ReaderConfig.MaxItems';
  return `its ItemsPath ${JSON.stringify(typeof d?.ItemsPath === 'string' ? d.ItemsPath : '$')}`;
}

/**
 * A state inside a Map is entered once per item (the run's path counts every iteration), and the
 * search's inputs have few items: for each `atMost` of such a state, the lightest run of the search
 * that entered it is run again with each array of its input, or of a Task's answer, grown past the
 * bound (its items repeated), each Task's further calls answered as its last call was. A run that enters the state
 * too often is told to verify as any run is, and is a counterexample only once its mocks reproduce it.
 * @internal
 */
export async function probeItems(
  properties: ReadonlyArray<{ readonly state: string; readonly times: number }>, visitors: ReadonlyMap<string, ProbeBase>,
  run: (input: JsonValue, known: ReadonlyMap<string, readonly Outcome[]>) => Promise<Ran | undefined>,
  observe: (input: JsonValue, calls: Map<string, Outcome[]>, result: ExecutionResult, partial: boolean) => void,
): Promise<void> {
  // A few runs a property (ITEMS_ARRAYS), like the other probes: not cut by the search's budget.
  const tried = new Set<string>();
  for (const p of properties) {
    const base = visitors.get(p.state);
    if (!base || p.times + 1 > ITEMS_MOST) continue;
    // The items come from the input, or from a Task's answer (a list a function returns, an ItemReader's).
    const variants: Array<{ input: JsonValue; known: ReadonlyMap<string, readonly Outcome[]> }> = grownArrays(base.input, p.times + 1)
      .map((input) => ({ input, known: base.calls }));
    for (const [state, outcomes] of base.calls) {
      outcomes.forEach((o, i) => {
        if (o?.kind !== 'return') return;
        for (const value of grownArrays(o.value, p.times + 1)) {
          if (variants.length >= 2 * ITEMS_ARRAYS) return;
          const grown = [...outcomes];
          grown[i] = { kind: 'return', value };
          variants.push({ input: base.input, known: new Map([...base.calls, [state, grown]]) });
        }
      });
    }
    for (const { input, known } of variants) {
      const key = JSON.stringify([input, [...known]]);
      if (tried.has(key)) continue;
      tried.add(key);
      const ran = await run(input, known);
      if (ran) observe(input, ran.calls, ran.result, ran.result.path.length >= EXPLORE_MAX_STATES);
    }
  }
}

/** `input` with each of its first few arrays (outermost first) grown to `length` items, its own items repeated. */
function grownArrays(input: JsonValue, length: number): JsonValue[] {
  const out: JsonValue[] = [];
  const grow = (v: JsonValue, depth: number, put: (w: JsonValue) => JsonValue): void => {
    if (out.length >= ITEMS_ARRAYS || depth > GROW_DEPTH || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      if (v.length > 0 && v.length < length) out.push(put(Array.from({ length }, (_, i) => v[i % v.length])));
      v.forEach((item, i) => grow(item, depth + 1, (w) => put([...v.slice(0, i), w, ...v.slice(i + 1)])));
      return;
    }
    for (const [k, item] of Object.entries(v)) grow(item, depth + 1, (w) => put({ ...v, [k]: w }));
  };
  grow(input, 0, (w) => w);
  return out;
}
