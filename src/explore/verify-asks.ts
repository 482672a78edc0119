import { choicePaths, leversOf } from './choices';
import { describeSteps } from './context';
import { machineStates } from './goals';
import { Provenance } from './provenance';
import { parseBindingPath } from './solve';
import type { Source } from './sources';
import type { FieldRead } from './verify-answer-fields';
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

/** A rule as the reason quotes it: its JSONata Condition, else the JSONPath rule as JSON. */
function ruleText(rule: unknown): string {
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

/**
 * Each source a Choice rule of `runs` reads (each Choice's first visit in the first run that entered
 * it), followed back through the run (explore's provenance), told to `visit` with the Choice's
 * name, the rule's index and the rule.
 */
function eachSourceRead(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], prefixOf: (resource: string) => readonly (string | number)[],
  visit: (s: Source, choice: string, index: number, rule: unknown) => void,
): void {
  const states = machineStates(def);
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
        for (const path of choicePaths({ ...choice, Choices: [rule] }, 1, info.language)) {
          const parsed = parseBindingPath(path);
          if ('error' in parsed) continue;
          const source = prov.scope(visits[0], parsed.root.kind === 'variable' ? { variable: parsed.root.name } : parsed.root.kind, parsed.steps);
          for (const s of source.kind === 'fixed' ? leversOf(source) : [source]) visit(s, name, i, rule);
        }
      });
    }
  }
}

/** The runner's envelope of a Task state's answers (a Lambda function's `Payload`): none for another state. */
function envelopeOf(
  def: StateMachineDefinition, prefixOf: (resource: string) => readonly (string | number)[],
): (state: string) => readonly (string | number)[] {
  const states = machineStates(def);
  return (state) => {
    const d = states.get(state)?.def;
    return d?.Type === 'Task' && typeof d.Resource === 'string' ? prefixOf(d.Resource) : [];
  };
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
  const envelope = envelopeOf(def, prefixOf);
  const places = new Map<string, Place>();
  eachSourceRead(def, runs, prefixOf, (s, name, i, rule) => {
    const where = placeOf(s, envelope);
    if (where !== undefined && !places.has(where)) places.set(where, { where, rule: `rule ${i + 1} of '${name}' (${ruleText(rule)})` });
  });
  const all = [...places.values()];
  return { places: all.slice(0, MAX_PLACES), more: Math.max(0, all.length - MAX_PLACES) };
}

/**
 * The fields of the Tasks' answers (the runner's envelope taken off) the Choice rules of `runs`
 * read, followed back through the run, each with the rules that read it: a rule reading
 * `$states.input.profile.tags` after an Output that merged the answer in as `profile` reads the
 * answer's `tags`. At most `most` per Task.
 * @internal
 */
export function answerFieldsRulesRead(
  def: StateMachineDefinition, runs: readonly ExecutionResult[], prefixOf: (resource: string) => readonly (string | number)[], most: number,
): FieldRead[] {
  const envelope = envelopeOf(def, prefixOf);
  const out = new Map<string, { state: string; steps: Array<string | number>; rules: unknown[] }>();
  const perTask = new Map<string, number>();
  eachSourceRead(def, runs, prefixOf, (s, _name, _i, rule) => {
    if (s.kind !== 'task') return;
    // As placeOf reads it: provenance gives the answer's own steps, an envelope that is there taken off.
    const prefix = envelope(s.state);
    const steps = prefix.every((p, i) => s.steps[i] === p) ? s.steps.slice(prefix.length) : [...s.steps];
    if (steps.length === 0) return;
    const key = JSON.stringify([s.state, steps]);
    const known = out.get(key);
    if (known) {
      if (!known.rules.includes(rule)) known.rules.push(rule);
      return;
    }
    if ((perTask.get(s.state) ?? 0) >= most) return;
    perTask.set(s.state, (perTask.get(s.state) ?? 0) + 1);
    out.set(key, { state: s.state, steps, rules: [rule] });
  });
  return [...out.values()];
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
