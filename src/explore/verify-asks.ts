import { choicePaths, leversOf } from './choices';
import { describeSteps } from './context';
import { machineStates } from './goals';
import { Provenance } from './provenance';
import { parseBindingPath } from './solve';
import type { Source } from './sources';
import { readVisits } from './visits';
import type { ChoiceState, StateMachineDefinition } from '../asl';
import type { ExecutionResult } from '../interpreter';

/*
 * What an UNKNOWN asks for, where verify cannot read the property (a function of the run): the
 * value it asks about may be one no rule of the machine names, which the search cannot make up.
 * The reason then says where a user gives it: each place a Choice rule reads that a test writes
 * (a Task's answer, as its mocks give it, or a field of the execution input), followed back
 * through the run (explore's provenance), with the rule that reads it, which says what it is
 * compared with.
 */

/** Places named at most in one reason. */
const MAX_PLACES = 6;
/** A rule quoted up to this many characters. */
const RULE_CHARS = 80;

/** One place a Choice rule reads that a test writes, in words. */
interface Place {
  readonly where: string;
  readonly rule: string;
}

/** A rule as the reason quotes it: its JSONata Condition, else the JSONPath rule as JSON. @internal */
export function ruleText(rule: unknown): string {
  const r = rule as { Condition?: unknown; Next?: unknown };
  const text = typeof r.Condition === 'string' ? r.Condition : JSON.stringify({ ...r, Next: undefined });
  return text.length > RULE_CHARS ? `${text.slice(0, RULE_CHARS - 1)}…` : text;
}

/** Where a source is, in the words of what a test gives: a Task's mock (its envelope taken off) or the input. */
function placeOf(s: Source, prefixOf: (state: string) => readonly (string | number)[]): string | undefined {
  if (s.kind === 'input') return `the input at $${describeSteps(s.steps).replace('(the whole value)', '')}`;
  if (s.kind === 'cause') return `the ${s.field === 'Error' ? 'name' : 'Cause'} of the error '${s.state}' raises (its mock's Throw)`;
  if (s.kind !== 'task') return undefined;
  const prefix = prefixOf(s.state);
  const steps = prefix.every((p, i) => s.steps[i] === p) ? s.steps.slice(prefix.length) : s.steps;
  return `the answer of '${s.state}' at ${describeSteps(steps)} (its mock's Return)`;
}

/** A place a Choice rule reads that a test writes, followed back through a run. @internal */
export interface RulePlace {
  /** The Choice. */
  readonly choice: string;
  /** The rule's index in its Choices. */
  readonly rule: number;
  /** The rule as a reason quotes it. */
  readonly text: string;
  /** Where a test gives the value, in words. */
  readonly where: string;
  /** Where the value comes from: the input, or a Task call's answer. */
  readonly source: Source;
}

/**
 * Every place the Choice rules of `runs` read that a test writes (each Choice's first visit in
 * the first run that entered it), per rule, in the rules' order.
 * @internal
 */
export function rulePlaces(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], prefixOf: (resource: string) => readonly (string | number)[],
): RulePlace[] {
  const states = machineStates(def);
  const resourceOf = (state: string): readonly (string | number)[] => {
    const d = states.get(state)?.def;
    return d?.Type === 'Task' && typeof d.Resource === 'string' ? prefixOf(d.Resource) : [];
  };
  const out: RulePlace[] = [];
  const judged = new Set<string>();
  for (const run of runs) {
    if (run.history.length === 0) continue;
    const read = readVisits(run.history);
    const prov = new Provenance(states, prefixOf, read.visits);
    for (const [name, visits] of read.byState) {
      const info = states.get(name);
      if (judged.has(name) || info?.def.Type !== 'Choice' || visits.length === 0) continue;
      judged.add(name);
      const choice: ChoiceState = info.def;
      (choice.Choices ?? []).forEach((rule, i) => {
        const seen = new Set<string>();
        for (const path of choicePaths({ ...choice, Choices: [rule] }, 1, info.language)) {
          const parsed = parseBindingPath(path);
          if ('error' in parsed) continue;
          const source = prov.scope(visits[0], parsed.root.kind === 'variable' ? { variable: parsed.root.name } : parsed.root.kind, parsed.steps);
          for (const s of source.kind === 'fixed' ? leversOf(source) : [source]) {
            const where = placeOf(s, resourceOf);
            if (where === undefined || seen.has(where)) continue;
            seen.add(where);
            out.push({ choice: name, rule: i, text: ruleText(rule), where, source: s });
          }
        }
      });
    }
  }
  return out;
}

/**
 * The places the Choice rules of `runs` read that a test writes (each Choice's first visit in
 * the first run that entered it), each with the first rule that reads it: at most `MAX_PLACES`,
 * with the number left out. Empty when the rules read nothing a test gives.
 * @internal
 */
export function placesRulesRead(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], prefixOf: (resource: string) => readonly (string | number)[],
): { readonly places: readonly Place[]; readonly more: number } {
  const places = new Map<string, Place>();
  for (const p of rulePlaces(def, runs, prefixOf)) {
    if (!places.has(p.where)) places.set(p.where, { where: p.where, rule: `rule ${p.rule + 1} of '${p.choice}' (${p.text})` });
  }
  const all = [...places.values()];
  return { places: all.slice(0, MAX_PLACES), more: Math.max(0, all.length - MAX_PLACES) };
}

/**
 * What to give for a function of the run no run broke: where the machine's rules read the values a
 * test writes, else an input or mocks in general.
 * @internal
 */
export function whatToGiveFor(found: { readonly places: readonly Place[]; readonly more: number }): string {
  if (found.places.length === 0) {
    return 'give an input (--input, the input option) or mocks (--mocks) that hold it, the search starts from them';
  }
  const listed = found.places.map((p) => `${p.where}, which ${p.rule} reads`).join('; ');
  return `give it where the machine's rules read it, and the search starts from there: ${listed}${found.more > 0 ? `; and ${found.more} more` : ''}`;
}
