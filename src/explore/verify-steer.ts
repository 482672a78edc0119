import type { Outcome } from './runner';
import type { Source } from './sources';
import { ruleText, type RulePlace } from './verify-asks';
import { valueAt } from './verify-boundaries';
import { endStatus, isEnd, type MachineGraph } from './verify-graph';
import type { JsonValue } from '../asl';

/*
 * What a path property's UNKNOWN asks for where the graph holds a path no run took: each turn of
 * that path a test decides (the Choice rule or Default that leads along it, a state failing with
 * an error its Catch sends along it or nothing catches, the run timing out), with the places a
 * rule reads that a test writes (an input field, a Task's answer as its mock returns it) and the
 * values the search already gave there, so that the next input or mocks are not ones it tried.
 */

/** Turns of a path named at most (its last ones: where the property breaks). */
const MAX_TURNS = 3;
/** Places named per turn at most. */
const MAX_PLACES = 2;
/** Values tried named per place at most. */
const MAX_VALUES = 5;
/** A value named up to this many characters. */
const VALUE_CHARS = 40;
/** Distinct inputs kept, and distinct answers kept per Task. */
const KEPT = 200;

/**
 * The inputs and Task answers the runs of the search were given, distinct, up to a bound: what
 * an UNKNOWN names as already tried at a place a rule reads.
 * @internal
 */
export class ValuesTried {
  private readonly inputs = new Map<string, JsonValue>();
  private readonly answers = new Map<string, Map<string, JsonValue>>();

  /** Keeps one run's input and the answers (not the errors) its Task calls got. */
  public add(input: JsonValue, calls: ReadonlyMap<string, readonly Outcome[]>): void {
    if (this.inputs.size < KEPT) this.inputs.set(JSON.stringify(input), input);
    for (const [state, outcomes] of calls) {
      let kept = this.answers.get(state);
      for (const o of outcomes) {
        if (o?.kind !== 'return') continue;
        if (!kept) this.answers.set(state, kept = new Map());
        if (kept.size >= KEPT) break;
        kept.set(JSON.stringify(o.value), o.value);
      }
    }
  }

  /**
   * The distinct values the runs gave at a place (`prefix`: the runner's envelope around a Task's
   * answer, taken off its steps), as JSON, absent ones named `nothing`; at most `MAX_VALUES`, with
   * the number left out.
   */
  public at(source: Source, prefix: readonly (string | number)[]): { readonly values: readonly string[]; readonly more: number } {
    let values: Iterable<JsonValue>;
    let steps: readonly (string | number)[];
    if (source.kind === 'input') {
      values = this.inputs.values();
      steps = source.steps;
    } else if (source.kind === 'task') {
      values = this.answers.get(source.state)?.values() ?? [];
      steps = prefix.every((p, i) => source.steps[i] === p) ? source.steps.slice(prefix.length) : source.steps;
    } else {
      return { values: [], more: 0 };
    }
    const seen = new Set<string>();
    for (const v of values) {
      const at = valueAt(v, steps);
      seen.add(at === undefined ? 'nothing' : shorten(JSON.stringify(at)));
    }
    const all = [...seen];
    return { values: all.slice(0, MAX_VALUES), more: Math.max(0, all.length - MAX_VALUES) };
  }
}

const shorten = (text: string): string => (text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text);

/** A place a rule reads, with the values the runs gave there. */
function placeWords(p: RulePlace, tried: ValuesTried, prefixOf: (state: string) => readonly (string | number)[]): string {
  const { values, more } = tried.at(p.source, p.source.kind === 'task' ? prefixOf(p.source.state) : []);
  if (values.length === 0) return p.where;
  return `${p.where}, where the runs gave ${values.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** The places rules `rules` of Choice `choice` read, in words with what the runs gave there; empty when none is known. */
function readsWords(
  places: readonly RulePlace[], choice: string, rules: ReadonlySet<number> | 'all', tried: ValuesTried,
  prefixOf: (state: string) => readonly (string | number)[],
): string {
  const read = places.filter((p) => p.choice === choice && (rules === 'all' || rules.has(p.rule)));
  const named = [...new Map(read.map((p) => [p.where, p])).values()];
  if (named.length === 0) return '';
  const shown = named.slice(0, MAX_PLACES).map((p) => placeWords(p, tried, prefixOf));
  return `; it reads ${shown.join('; and ')}${named.length > MAX_PLACES ? `; and ${named.length - MAX_PLACES} more` : ''}`;
}

/** The errors the Catches of `state` send to `to`. */
function caughtTo(graph: MachineGraph, state: string, to: string): string[] {
  const def = graph.definitionOf(state);
  const catches = def !== undefined && 'Catch' in def && Array.isArray(def.Catch) ? def.Catch : [];
  return catches.filter((c) => c.Next === to).flatMap((c) => (Array.isArray(c.ErrorEquals) ? c.ErrorEquals : []));
}

/** One turn of a path a test decides, in words; undefined where the graph leaves no choice there. */
function turnWords(
  graph: MachineGraph, from: string, to: string, places: readonly RulePlace[], tried: ValuesTried,
  prefixOf: (state: string) => readonly (string | number)[],
): string | undefined {
  const def = graph.definitionOf(from);
  if (def?.Type === 'Choice') {
    const steps = graph.waysOf(from, to).flat();
    const rules = new Set(steps.flatMap((s) => (s.kind === 'rule' && s.choice === from ? [s.index] : [])));
    if (rules.size > 0) {
      const choice = def.Choices ?? [];
      const quoted = [...rules].map((i) => (i < choice.length ? `rule ${i + 1} (${ruleText(choice[i])})` : `rule ${i + 1}`));
      return `'${from}' going to '${to}' by ${quoted.join(' or ')}${readsWords(places, from, rules, tried, prefixOf)}`;
    }
    if (steps.some((s) => s.kind === 'default' && s.choice === from)) {
      return `'${from}' going to '${to}' by its Default, no rule matching${readsWords(places, from, 'all', tried, prefixOf)}`;
    }
  }
  if (isEnd(to)) {
    const end = endStatus(to);
    if (end.status === 'TIMED_OUT') return `the run timing out in '${from}'`;
    if (end.status !== 'FAILED') return undefined;
    const error = end.error ?? 'an error nothing catches';
    const how = def?.Type === 'Task' ? ' (its mock\'s Throw)' : def?.Type === 'Choice' ? readsWords(places, from, 'all', tried, prefixOf) : '';
    return `'${from}' failing with ${error}${how}`;
  }
  const caught = caughtTo(graph, from, to);
  if (caught.length > 0) {
    return `'${from}' failing with ${caught.slice(0, 3).join(' or ')}${caught.length > 3 ? ' or another its Catch names' : ''}, which its Catch sends to '${to}'${def?.Type === 'Task' ? ' (its mock\'s Throw)' : ''}`;
  }
  return undefined;
}

/**
 * What to give to take a path of the graph no run took: its turns a test decides (the last
 * `MAX_TURNS`), each with the places its rule reads and the values the runs already gave there.
 * @internal
 */
export function pathAsks(
  graph: MachineGraph, path: readonly string[], places: readonly RulePlace[], tried: ValuesTried,
  prefixOf: (state: string) => readonly (string | number)[],
): string {
  const turns: string[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const words = turnWords(graph, path[i], path[i + 1], places, tried, prefixOf);
    if (words !== undefined) turns.push(words);
  }
  const end = path[path.length - 1];
  const to = path.length > 1 && isEnd(end) ? `to its end after '${path[path.length - 2]}'` : `to '${end}'`;
  if (turns.length === 0) return `No run took that path ${to}: give an input or mocks that take it to check it`;
  const shown = turns.slice(-MAX_TURNS);
  const before = turns.length - shown.length;
  const left = before > 0 ? ` (and ${before} turn${before === 1 ? '' : 's'} before these)` : '';
  return `No run took that path ${to}: to check it, give an input or mocks under which one run takes its turns${left}: ${shown.join('; then ')}`;
}
