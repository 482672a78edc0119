import { describeSteps, type Exploration, type RunRecord } from './context';
import { unreturnedField } from './contract-answers';
import type { StateInfo } from './goals';
import { addBranchProof, addExitProof, addFailingProof, type Proof, type ProofBase } from './proofs';
import { leavesOf, wholeReads } from './shapes';
import type { ChoiceState } from '../asl';
import { StatesErrors } from '../asl/states-errors';
import { taskResource } from '../asl/task-resource';

/*
 * Proofs by a field the service never returns. A request-response Task answers with its API's
 * answer, as the service's model gives it (the contracts: the answer STRICT validation and the
 * mock check refuse a field the model does not define); a machine that reads a field of it the
 * model does not define reads nothing:
 * - the Task's own ResultSelector path, or its JSONata Output or Assign written as the plain
 *   `$states.result` path, fails the Task each time its call returns (States.Runtime,
 *   States.QueryEvaluationError), so its Next is never taken;
 * - a JSONPath Choice rule whose Variable is that field, copied straight from the Task (every
 *   run into the Choice comes from it by one way), fails the Choice with States.Runtime
 *   ("Invalid path", https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html: a
 *   Variable must point at a value; IsPresent excepted), so neither that rule nor any after it,
 *   nor the Default, is ever taken, and the Choice fails on every entry when it is the first rule.
 * `.sync` jobs, callbacks, activities and Lambda functions answer with what their job or worker
 * gives, which no request model bounds: they are left out. The engine drops a proof a run
 * contradicts (a goal it closes that a run reached).
 */

/** Runs that entered a Choice looked at for where its rules' values come from. */
const PARENTS = 3;
/** Runs looked at for one that shows a Task failing on the field it reads. */
const WITNESS_RUNS = 200;
/** Fields of an answer named in a reason at most. */
const HOLDS_NAMED = 8;

/** A proof by a field never returned: a Task whose Next is closed, or a Choice's rules from `from` on. */
export type UnreturnedProof =
  | { readonly kind: 'exit'; readonly state: string; readonly proof: Proof }
  | { readonly kind: 'rules'; readonly state: string; readonly from: number; readonly proof: Proof };

/** The Resource of a Task whose answer its request model bounds (a request-response call explore does not take as given), or undefined. */
function boundedResource(x: Exploration, state: string): string | undefined {
  const def = x.states.get(state)?.def;
  if (def?.Type !== 'Task' || typeof def.Resource !== 'string' || x.fixed.has(state)) return undefined;
  return taskResource(def.Resource).pattern === 'request' ? def.Resource : undefined;
}

/** The fields an answer holds, as a reason names them. */
function holdsWords(holds: readonly string[]): string {
  if (holds.length === 0) return 'its answer holds no fields';
  const named = holds.slice(0, HOLDS_NAMED).join(', ');
  return `its answer holds ${named}${holds.length > HOLDS_NAMED ? ` and ${holds.length - HOLDS_NAMED} more` : ''}`;
}

/** Whether a run made so far failed at `state` with `error` after its call returned. */
function shownBy(x: Exploration, state: string, error: string): RunRecord | undefined {
  return x.runs.slice(0, WITNESS_RUNS).find((rec) => rec.result.status === 'FAILED' && rec.result.error === error
    && rec.calls.get(state)?.some((c) => c.kind === 'return') === true && x.visitsOf(rec).visits.at(-1)?.name === state);
}

/** The Tasks that fail each time their call returns, on a field of the answer their service never returns. */
export function unreturnedExits(x: Exploration): UnreturnedProof[] {
  const out: UnreturnedProof[] = [];
  for (const [name, info] of x.states) {
    const resource = boundedResource(x, name);
    if (resource === undefined || info.def.Next === undefined) continue;
    const prefix = x.runner.resultPrefix(resource);
    for (const read of wholeReads(info)) {
      const miss = unreturnedField(resource, [...prefix, ...read.steps]);
      if (miss === undefined) continue;
      const shown = shownBy(x, name, read.error) !== undefined ? ', as a run shows' : '';
      out.push({
        kind: 'exit',
        state: name,
        proof: {
          reason: `'${name}' fails with ${read.error} each time its call returns${shown}: its ${read.field} reads ${read.text}, and ${resource} never returns `
            + `${describeSteps(miss.at)} (${holdsWords(miss.holds)}): fix what the machine reads`,
          proof: { kind: 'fails', state: name, error: read.error, when: 'exit' },
        },
      });
      break;
    }
  }
  return out;
}

/**
 * The JSONPath Choices whose rule, from some rule on, reads a field of a Task's answer the service
 * never returns, each with the first such rule: no run takes that rule, a later one or the Default.
 */
export async function unreturnedRules(x: Exploration, isOpen: (choice: string) => boolean): Promise<UnreturnedProof[]> {
  const out: UnreturnedProof[] = [];
  for (const [name, info] of x.states) {
    if (info.def.Type !== 'Choice' || info.language !== 'JSONPath' || !isOpen(name) || x.stopped()) continue;
    const def: ChoiceState = info.def;
    const found = await firstUnreturned(x, name, def);
    if (found) out.push(found);
  }
  return out;
}

async function firstUnreturned(x: Exploration, name: string, def: ChoiceState): Promise<UnreturnedProof | undefined> {
  for (const parent of x.parentsFor(name).slice(0, PARENTS)) {
    if (x.stopped()) return undefined;
    await x.restore(parent);
    const v = x.visitsOf(parent).byState.get(name)?.[0];
    if (!v) continue;
    for (let i = 0; i < def.Choices.length; i++) {
      const rule = def.Choices[i] as { Variable?: unknown; IsPresent?: unknown };
      // IsPresent reads a missing field without failing; And, Or and Not hold their reads below.
      if (typeof rule.Variable !== 'string' || rule.IsPresent !== undefined) continue;
      const leaf = leavesOf(x, parent, v, [rule.Variable])?.[0];
      if (leaf?.source.kind !== 'task') continue;
      const resource = boundedResource(x, leaf.source.state);
      if (resource === undefined) continue;
      const miss = unreturnedField(resource, [...x.runner.resultPrefix(resource), ...leaf.source.steps]);
      if (miss === undefined) continue;
      // The runs that show it are named where the proof is witnessed (proof-witness.ts).
      const why = `Choices[${i}] reads ${rule.Variable}, the answer of '${leaf.source.state}' at ${describeSteps(leaf.source.steps)}, and ${resource} never returns `
        + `${describeSteps(miss.at)} (${holdsWords(miss.holds)}): every run that gets to Choices[${i}] fails '${name}' with States.Runtime; fix what the machine reads`;
      return {
        kind: 'rules',
        state: name,
        from: i,
        proof: i === 0
          ? { reason: `'${name}' fails on every entry: ${why}`, proof: { kind: 'fails', state: name, error: StatesErrors.RUNTIME, when: 'entry' } }
          : { reason: why, proof: { kind: 'rules', state: name } },
      };
    }
  }
  return undefined;
}

/** Adds a proof by a field never returned to a base: a Task's Next closed; a Choice's rules from the first that reads it (the Choice failing when that is its first). */
export function addUnreturned(base: ProofBase, states: ReadonlyMap<string, StateInfo>, u: UnreturnedProof): void {
  if (u.kind === 'exit') {
    addExitProof(base, states, u.state, u.proof);
    return;
  }
  const def = states.get(u.state)?.def;
  if (def?.Type !== 'Choice') return;
  const branches: Array<number | 'default'> = [...def.Choices.map((_c, i) => i).filter((i) => i >= u.from), ...(def.Default !== undefined ? ['default' as const] : [])];
  // A Choice that fails on every entry has every way out closed already: its rules are proved with it.
  if (u.from === 0) addFailingProof(base, states, u.state, u.proof);
  for (const b of branches) {
    if (u.from === 0) base.proofs.get('choiceRules')!.set(`${u.state}#${b}`, u.proof);
    else addBranchProof(base, states, `${u.state}#${b}`, u.proof);
  }
}
