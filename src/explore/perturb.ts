import { answerValue, applyWrites } from './apply-writes';
import { describeSteps, type Exploration, type RunRecord } from './context';
import type { Source } from './sources';
import type { JsonValue } from '../asl';
import { sameJson } from '../asl/json-value';
import { followSteps } from '../asl/path';

/*
 * Perturbation: when the solver cannot write its way to a Choice branch
 * because what the rules read is computed (a JSONata expression, a function
 * explore cannot invert), the values it is computed from (the levers: an input
 * field, a Task's answer) are given a few values near the ones a run had, and
 * the machine is run with each. Apart from the engine because it is a search of
 * its own, bounded per goal, that the engine only calls.
 */

/** How many of the values a computed value is made from a search changes, and how many values it gives each. */
const PERTURBED_LEVERS = 3;
const PERTURBED_VALUES = 8;
/** The most runs such a search makes for one goal. */
const PERTURBED_RUNS = 24;

/** The value a run had at a place explore can write. */
function leverValue(rec: RunRecord, lever: Source): JsonValue | undefined {
  if (lever.kind === 'input') return followSteps(rec.plan.input, lever.steps);
  if (lever.kind === 'task') return followSteps(answerValue(rec, lever.state, lever.invocation), lever.steps);
  return undefined;
}

function describeSource(s: Source): string {
  switch (s.kind) {
    case 'input': return `input $${describeSteps(s.steps)}`;
    case 'task': return `'${s.state}' call ${s.invocation + 1} ${describeSteps(s.steps)}`;
    case 'cause': return `the ${s.field === 'Error' ? 'name' : 'cause'} of the error of '${s.state}' call ${s.invocation + 1}`;
    case 'fixed': return s.reason;
  }
}

/** A few values near one (either side of a number, other kinds), for a search over what a computation reads. */
function nearby(now: JsonValue | undefined): JsonValue[] {
  let out: JsonValue[];
  if (typeof now === 'number') out = [now + 1, now - 1, now + 2, 0, 1, -1, now * 2 + 1];
  else if (typeof now === 'string') out = [`${now}x`, '', 'x', '0', '1', 'true'];
  else if (typeof now === 'boolean') out = [!now];
  else if (Array.isArray(now)) out = [[], [{}], [{}, {}]];
  else if (now === undefined || now === null) out = [0, 1, 2, -1, 'x', true, false];
  else out = [];
  return out;
}

/**
 * Searches for a goal the solver could not write its way to, because the
 * values its rules read are computed (by a JSONata expression or a function
 * explore cannot invert): each value they are computed from is given a few
 * values near the one it has, and the machine is run with each. True when
 * one reaches the goal; else what was changed, in words. `perturbed` counts
 * the runs made per goal, across calls (the engine keeps it).
 */
export async function perturb(
  x: Exploration, perturbed: Map<string, number>,
  id: string, parent: RunRecord, levers: readonly Source[], hints: readonly JsonValue[], origin: string,
): Promise<true | string> {
  const changed: string[] = [];
  for (const lever of levers.slice(0, PERTURBED_LEVERS)) {
    const now = leverValue(parent, lever);
    const values = [...hints, ...nearby(now)].filter((v, i, all) => !sameJson(v, now) && all.findIndex((w) => sameJson(w, v)) === i);
    for (const value of values.slice(0, PERTURBED_VALUES)) {
      if (x.stopped() || (perturbed.get(id) ?? 0) >= PERTURBED_RUNS) return changed.join(', ');
      perturbed.set(id, (perturbed.get(id) ?? 0) + 1);
      const attempt = await applyWrites(x, parent, [{ source: lever, value }]);
      if ('reason' in attempt) break;
      await x.execute(attempt.plan, origin);
      if (x.coveredBy.has(id)) return true;
    }
    changed.push(describeSource(lever));
  }
  return changed.join(', ');
}
