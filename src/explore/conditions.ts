import type { Binding } from './solve';
import type { JsonValue } from '../asl';
import { applyBindings, type BindingTarget } from './solve/paths';
import type { CompiledJsonata } from '../asl/jsonata/compile';
import { seededRandom } from '../asl/random';

const compiled = new Map<string, CompiledJsonata | Error>();
// Loaded on the first JSONata Condition: the coverage of every run reads this module, and most
// machines have none (the JSONata engine is a module body of its own in each jest test file).
let jsonataCompile: typeof import('../asl/jsonata/compile') | undefined;

function compile(condition: string, index: number): CompiledJsonata | Error {
  const key = `${index}\u0000${condition}`;
  let c = compiled.get(key);
  if (c === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
      jsonataCompile ??= require('../asl/jsonata/compile') as typeof import('../asl/jsonata/compile');
      c = jsonataCompile.compileJsonataValue(condition, `Choices[${index}]/Condition`);
    } catch (e) {
      c = e as Error;
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(key, c);
  }
  return c;
}

/**
 * Evaluates a JSONata Choice Condition on the values a state saw with
 * bindings applied: its boolean, or the Error it raised (a result that is
 * not a boolean is an Error too, as AWS fails the state then).
 * @param now - epoch milliseconds `$now()` reports: the run's virtual time
 * @param interrupt - asked at every step (see JsonataBindings.interrupt); what it throws is thrown
 */
export async function evaluateCondition(
  condition: string | boolean | undefined, index: number, bindings: readonly Binding[], target: BindingTarget, now: number,
  interrupt?: () => void,
): Promise<boolean | Error> {
  if (typeof condition === 'boolean') return condition;
  if (typeof condition !== 'string') return new Error(`Choices[${index}] has no Condition`);
  const c = compile(condition, index);
  if (c instanceof Error) return c;
  let values: BindingTarget;
  try {
    values = applyBindings(target, bindings);
  } catch (e) {
    return e as Error;
  }
  try {
    const v: JsonValue = await c.evaluate({
      states: { input: values.input ?? {}, context: values.context ?? {} },
      variables: values.variables ?? {},
      random: seededRandom(0),
      now,
      ...(interrupt ? { interrupt } : {}),
    });
    return typeof v === 'boolean' ? v : new Error(`the Condition returned ${JSON.stringify(v)}, not a boolean`);
  } catch (e) {
    // The evaluation failing is an answer; being cut short is not.
    interrupt?.();
    return e as Error;
  }
}

