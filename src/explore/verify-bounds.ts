import type { PathProperty } from './properties';
import { turnsWords } from './verify-counters';
import type { MachineGraph } from './verify-graph';
import { mapItemBound, type FolderBound } from './verify-items';
import { proveOnGraph, type GraphVerdict } from './verify-prove';
import type { StateMachineDefinition } from '../asl';
import { AwsLimits } from '../asl/limits';
import { forEachState } from '../asl/state-tree';

/*
 * The bounds a user gives on the runs verify judges (a loop's turns, a Map's items): what a proof
 * rests on, and the words a HOLDS that rests on them ends with.
 */

/**
 * Bounds on the runs verify judges, for loops and Maps the definition does not bound itself. A
 * `HOLDS` that rests on one holds for the runs within it, and says so: its reason names the
 * bound, and the report's `boundsHit` lists it. A run outside it that breaks a property is still
 * `VIOLATED`.
 */
export interface VerifyBounds {
  /**
   * The most times a run goes round a loop: it enters the state the loop goes back to at most
   * this many times per run of its branch or iteration. A loop a counter, the clock or a Map's
   * items bound needs none; a bound that still lets a run reach AWS's 25,000 history events
   * cuts nothing.
   * @default - none: a property whose proof needs a loop bounded stays UNKNOWN
   */
  readonly loopTurns?: number;
  /**
   * The most items a run of a Map has, where the definition does not bound them (no `Items`
   * array written in it, no `ReaderConfig.MaxItems`): `ItemsPath`, a JSONata `Items`, an
   * ItemReader reading the run's objects.
   * @default - none: a property whose proof needs such a Map's items bounded stays UNKNOWN
   */
  readonly mapItems?: number;
}

/** Which bounds are given: the graph drawn with those given, of `VerifyBounds`. */
type Given = { readonly loopTurns: number | undefined; readonly mapItems: number | undefined };

/**
 * The bounds a verify was given, and which of them its HOLDS verdicts rest on: a proof on the
 * graph drawn with them that fails on the graph drawn without one of them rests on that one.
 * @internal
 */
export class GivenBounds {
  /** The bounds some verdict rests on. */
  readonly hit = new Set<keyof VerifyBounds>();

  /**
   * @param loopsFound - explore found a loop a run goes round until the history limit: a proof
   *   that needs its turns bounded rests on loopTurns
   * @param graphOf - the machine's graph, drawn with the bounds given
   */
  constructor(
    private readonly given: Given,
    private readonly loopsFound: boolean,
    private readonly graphOf: (b: Partial<Given>) => MachineGraph,
  ) {}

  /** The given bounds `proof` rests on: those without which it fails (all given, where either alone earns it). */
  restsOn(p: PathProperty, proof: GraphVerdict): Array<keyof VerifyBounds> {
    const { loopTurns, mapItems } = this.given;
    if ((loopTurns === undefined && mapItems === undefined) || !proof.proved) return [];
    const free = proveOnGraph(this.graphOf({}), p);
    if (free.proved && (!this.loopsFound || free.anyTurns === true)) return [];
    const out: Array<keyof VerifyBounds> = [];
    if (loopTurns !== undefined) {
      const without = proveOnGraph(this.graphOf({ mapItems }), p);
      if (!without.proved || (this.loopsFound && without.anyTurns !== true)) out.push('loopTurns');
    }
    if (mapItems !== undefined && !proveOnGraph(this.graphOf({ loopTurns }), p).proved) out.push('mapItems');
    return out.length > 0 ? out : (['loopTurns', 'mapItems'] as const).filter((k) => this.given[k] !== undefined);
  }

  /** What a HOLDS resting on `hit` ends with, noting them as hit: '' for none. */
  words(hit: ReadonlyArray<keyof VerifyBounds>): string {
    for (const k of hit) this.hit.add(k);
    if (hit.length === 0) return '';
    const each = hit.map((k) => (k === 'loopTurns' ? turnsWords(this.given.loopTurns!) : mapItemsWords(this.given.mapItems!)));
    return `; it rests on ${each.join(' and ')}: it holds for the runs within ${hit.length === 1 ? 'it' : 'them'}, and a run past ${hit.length === 1 ? 'it' : 'them'} may break it`;
  }
}

/** The bound given on a Map's items, in words: a verdict resting on it says so. */
function mapItemsWords(most: number): string {
  return `the bound given on a Map's items (mapItems, --max-map-items: ${most} per run of it)`;
}

/**
 * The bounds on Maps' items the proofs take: the S3 folder's, and for each Map the definition
 * and the folder leave unbounded (or whose folder bounds nothing), the user's `mapItems`.
 * @internal
 */
export function withMapItems(
  def: StateMachineDefinition, folder: ReadonlyMap<string, FolderBound>, most: number | undefined,
): ReadonlyMap<string, FolderBound> {
  if (most === undefined) return folder;
  const out = new Map(folder);
  forEachState(def, (name, state) => {
    if (state.Type !== 'Map' || mapItemBound(state, folder.get(name)) !== undefined) return;
    out.set(name, { items: most, how: `bounded by ${mapItemsWords(most)}`, given: true });
  });
  return out;
}

/** The most items per run of a Map the search for a bound that proves a property tries (the Map-items probe's most). */
const ITEMS_TRIED = 1_000;

/**
 * The most items per run of each Map the definition leaves unbounded (the bound `mapItems` sets)
 * under which `p` is proved on the graph (`graphOf` draws it with that bound), searched by halves
 * up to ITEMS_TRIED; undefined where even one item does not prove it. Every bound it answers was
 * proved: a user who gives it gets the HOLDS it names.
 * @internal
 */
export function itemsThatProve(p: PathProperty, graphOf: (mapItems: number) => MachineGraph): number | undefined {
  const proved = (items: number): boolean => proveOnGraph(graphOf(items), p).proved;
  if (!proved(1)) return undefined;
  if (proved(ITEMS_TRIED)) return ITEMS_TRIED;
  // `low` proves it and `high` does not.
  let low = 1;
  let high = ITEMS_TRIED;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (proved(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/**
 * A bound on the turns of each loop the definition leaves unbounded (the bound `loopTurns` sets)
 * under which `p` is proved on the graph (`graphOf` draws it with that bound): the largest power
 * of two that proves it, up to AWS's history limit in events (no loop turns more often than the
 * run writes events; MCP's `maxLoopTurns` stops there too); undefined where even one turn does not
 * prove it. A smaller bound proves it too (its graph is a part of the larger one's), and a graph
 * unrolled over a loop's turns grows with them, so the search doubles and does not bisect: within
 * half of the largest, at the cost of proofs on graphs no larger than twice the answer's. Every
 * bound it answers was proved: a user who gives it gets the HOLDS it names.
 * @internal
 */
export function turnsThatProve(p: PathProperty, graphOf: (loopTurns: number) => MachineGraph): number | undefined {
  const proved = (turns: number): boolean => proveOnGraph(graphOf(turns), p).proved;
  if (!proved(1)) return undefined;
  let turns = 1;
  while (turns * 2 <= AwsLimits.HISTORY_EVENTS && proved(turns * 2)) turns *= 2;
  return turns;
}

/** What an UNKNOWN a loop's turns keep from a proof asks for: the bound on them that proves it, found by {@link turnsThatProve}. @internal */
export function turnsBoundAsks(turns: number): string {
  const each = `${turns} turn${turns === 1 ? '' : 's'}`;
  return `With at most ${each} of each loop the definition does not bound (per run of its branch or iteration), or fewer, it is proved: give that bound (loopTurns: ${turns}, --max-loop-turns ${turns}) to have it proved for those runs, or an input or mocks that take it round more often to check it`;
}

/** What an UNKNOWN a Map's items keep from a proof asks for: the bound on them that proves it, found by {@link itemsThatProve}. @internal */
export function itemsBoundAsks(items: number): string {
  const each = `${items} item${items === 1 ? '' : 's'}`;
  return `With at most ${each} a run of each Map whose items the run's data gives, it is proved: give that bound (mapItems: ${items}, --max-map-items ${items}) to have it proved for those runs, or an input or mocks with more items to check it`;
}
