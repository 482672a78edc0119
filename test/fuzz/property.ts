/**
 * The properties the fuzzer checks, as plain functions: run one generated case
 * through the validator and the interpreter and say how it ended, or throw a
 * {@link PropertyViolation} naming what broke. The jest test and the long
 * runner (test/fuzz/run.ts) both call these.
 */
import { JSONPath } from 'jsonpath-plus';
import { CUSTOM_ERRORS, type FuzzCase, type HandlerBehaviour, type Json } from './arbitraries';
import { compilePath } from '../../src/asl/path';
import { validateDefinition } from '../../src/asl/validate';
import { compileStateMachine, InvalidDefinitionError, StatesError, type StateMachineDefinition, type TaskHandler } from '../../src/interpreter';

/** A broken property: the message says which, the case is in fast-check's report. */
export class PropertyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyViolation';
  }
}

/**
 * How long a case may go without recording a history event, in real time, before it counts as
 * a hang. Time in a run is virtual, so a healthy case records events every few milliseconds; a
 * hang records none. Progress, not the end, is what is timed: a case that loops to the
 * transition cap while its data grows to the payload limit takes 0.7 s alone and tens of
 * seconds on a loaded machine, and still records events all along.
 */
export const HANG_MS = Number(process.env.FUZZ_HANG_MS ?? 15_000);

/** States entered before a run is cut short: loops in generated machines are common and bounded this way. */
export const MAX_TRANSITIONS = 1_000;

const EXPECTED_ERRORS: ReadonlySet<string> = new Set(CUSTOM_ERRORS);

/**
 * The outcome class of a run, for the counts the long runner prints:
 * `validation-refused`, `SUCCEEDED`, `FAILED States.Runtime`, `FAILED custom`, `TIMED_OUT …`.
 */
export type OutcomeClass = string;

/** A task handler that answers from the case's behaviours, in turn. */
function handlerFor(behaviours: readonly HandlerBehaviour[]): TaskHandler {
  let calls = 0;
  return (_input, request) => {
    const b = behaviours[calls++ % behaviours.length];
    switch (b.kind) {
      case 'return': return b.value;
      case 'throw': throw new StatesError(b.error, 'generated failure');
      case 'async-return': return Promise.resolve().then(() => b.value);
      case 'async-throw': return Promise.resolve().then(() => { throw new StatesError(b.error, 'generated failure'); });
      case 'callback':
        if (request.taskToken === undefined) return b.value;
        request.execution.sendTaskSuccess(request.taskToken, b.value);
        return undefined as unknown as Json;
    }
  };
}

/** Fails when anything has appeared on Object.prototype. */
export function checkNoPollution(): void {
  const probe: Record<string, unknown> = {};
  const own = Object.getOwnPropertyNames(Object.prototype);
  if (probe.polluted !== undefined || own.length !== BASELINE_PROTO_KEYS) {
    throw new PropertyViolation(`Object.prototype was polluted: ${own.join(', ')}`);
  }
}
const BASELINE_PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).length;

/**
 * Validates, compiles and runs one case. Holds when: the validator returns
 * findings and never throws; compile refuses exactly what the validator
 * reports as errors (with InvalidDefinitionError); the run records a history
 * event at least every {@link HANG_MS} until it ends, with a result whose error, if any, is a `States.*` name or
 * one the case raised itself; and Object.prototype is untouched.
 */
export async function checkCase(c: FuzzCase, hangMs: number = HANG_MS): Promise<OutcomeClass> {
  let findings;
  try {
    findings = validateDefinition(c.definition, { type: c.type, warnings: false });
  } catch (e) {
    throw new PropertyViolation(`validateDefinition threw ${describe(e)}`);
  }
  const errors = findings.filter((f) => f.severity === 'error');
  let machine;
  try {
    machine = compileStateMachine(c.definition as unknown as StateMachineDefinition, {
      type: c.type,
      defaultTaskHandler: handlerFor(c.behaviours),
      limits: { maxTransitions: MAX_TRANSITIONS },
    });
  } catch (e) {
    if (errors.length > 0 && e instanceof InvalidDefinitionError) {
      checkNoPollution();
      return 'validation-refused';
    }
    throw new PropertyViolation(`compileStateMachine threw ${describe(e)} for a definition the validator found ${errors.length} error(s) in`);
  }
  if (errors.length > 0) throw new PropertyViolation(`compileStateMachine accepted a definition the validator refuses: ${errors[0].code} at ${errors[0].location}`);

  let timer: NodeJS.Timeout | undefined;
  let result;
  try {
    const execution = machine.start(c.input as Json);
    // Looked at every hangMs: a hang is a look that finds no event recorded since the last one.
    const hang = new Promise<'hang'>((resolve) => {
      let seen = -1;
      const look = (): void => {
        const now = execution.historyRecorder.length;
        if (now === seen) {
          resolve('hang');
          return;
        }
        seen = now;
        timer = setTimeout(look, hangMs);
      };
      look();
    });
    result = await Promise.race([execution.result, hang]);
    if (result === 'hang') {
      execution.stop();
      throw new PropertyViolation(`the execution recorded no history event for ${hangMs} ms of real time`);
    }
  } catch (e) {
    if (e instanceof PropertyViolation) throw e;
    throw new PropertyViolation(`the execution's result rejected with ${describe(e)}`);
  } finally {
    clearTimeout(timer);
  }
  checkNoPollution();
  if (result.status === 'SUCCEEDED') return 'SUCCEEDED';
  const error = result.error ?? '';
  const raised = failStateErrors(c.definition);
  if (error !== '' && !error.startsWith('States.') && !EXPECTED_ERRORS.has(error) && raised !== 'any' && !raised.has(error)) {
    throw new PropertyViolation(`the execution ended ${result.status} with the untyped error '${error}': ${result.cause ?? ''}`);
  }
  if (error === '' && result.status === 'FAILED') return 'FAILED (Fail state without Error)';
  return `${result.status} ${error.startsWith('States.') ? error : 'custom error'}`;
}

/**
 * The error names the definition's Fail states may raise: their literal `Error`
 * values (a mutated definition may name `{% 1 %}`, literal text in JSONPath),
 * or `'any'` when one computes its error (a JSONata expression, `ErrorPath`),
 * which the definition's author chooses and the property cannot predict.
 */
function failStateErrors(definition: Json): Set<string> | 'any' {
  const names = new Set<string>();
  let computed = false;
  const visit = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v !== null && typeof v === 'object') {
      if (v.Type === 'Fail') {
        if (typeof v.Error === 'string') names.add(v.Error);
        if (v.ErrorPath !== undefined || (typeof v.Error === 'string' && v.Error.startsWith('{%'))) computed = true;
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(definition);
  return computed ? 'any' : names;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : JSON.stringify(e);
}

/**
 * stepwright's JSONPath reads the same nodes as jsonpath-plus, for paths
 * without filter or script expressions: a definite path gives the node (or
 * nothing), an indefinite one the array of matches.
 */
export function checkJsonPathAgreement(path: string, input: Json): void {
  const compiled = compilePath(path);
  const ours = compiled.read({ input, context: {} });
  // jsonpath-plus indexes into strings (`$[0]` of "ab" is "a"); AWS paths select only from objects and arrays.
  const matches = JSONPath({ path, json: input as object, wrap: true, eval: false, resultType: 'all' }) as Array<{ value: Json; parent: unknown }> | undefined ?? [];
  const theirs = matches.filter((m) => m.parent === null || typeof m.parent === 'object').map((m) => m.value);
  if (compiled.definite) {
    const expected = theirs.length === 0 ? undefined : theirs[0];
    if (!sameJson(ours as Json | undefined, expected)) {
      throw new PropertyViolation(`definite path ${path}: stepwright read ${JSON.stringify(ours)}, jsonpath-plus ${JSON.stringify(expected)}`);
    }
  } else if (!sameJson(ours as Json, theirs)) {
    throw new PropertyViolation(`path ${path}: stepwright read ${JSON.stringify(ours)}, jsonpath-plus ${JSON.stringify(theirs)}`);
  }
}

function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
