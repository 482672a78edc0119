import { loadRecordedCases } from './recorded-cases';
import type { JsonObject, JsonValue } from '../../src/asl/definition-types';
import { compileJsonataValue, expectType, JsonataEvaluationError, type JsonataBindings } from '../../src/asl/jsonata/compile';
import { seededRandom } from '../../src/asl/random';
import { StatesError } from '../../src/asl/states-errors';
import { sharedPath, describeWithShared } from '../shared-data';

/*
 * Replays the AWS-recorded executions whose JSONata can be evaluated without
 * the interpreter: a chain of Pass states (JSONata ones with Output and Assign,
 * JSONPath ones with a constant Assign) ending in a Pass state, or in a Map
 * state whose Items is an expression and whose items pass through a bare Pass
 * state. Cases that read the Context Object are left out (its values are
 * normalised per run). Failures are compared by error name and by cause,
 * less the "An error occurred while executing the state ..." prefix that the
 * interpreter adds.
 */

const CASES_DIR = sharedPath('conformance', 'cases');

interface RecordedCase {
  readonly file: string;
  readonly usable?: boolean;
  readonly definition: { StartAt: string; QueryLanguage?: string; States: Record<string, JsonObject> };
  readonly input: JsonValue;
  readonly expected: { status: string; output?: JsonValue; error?: string; cause?: string };
}

const JSONATA_PASS_FIELDS = new Set(['Type', 'QueryLanguage', 'Comment', 'Output', 'Assign', 'Next', 'End']);
const JSONPATH_PASS_FIELDS = new Set(['Type', 'QueryLanguage', 'Comment', 'Assign', 'Next', 'End']);
const MAP_FIELDS = new Set(['Type', 'QueryLanguage', 'Comment', 'Items', 'MaxConcurrency', 'ItemProcessor', 'End']);
const STATE_PREFIX = /^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /;

function languageOf(c: RecordedCase, state: JsonObject): string {
  return (state.QueryLanguage as string | undefined) ?? c.definition.QueryLanguage ?? 'JSONPath';
}

/** The states from StartAt along Next, or undefined when the chain loops. */
function chain(c: RecordedCase): JsonObject[] | undefined {
  const out: JsonObject[] = [];
  let name: string | undefined = c.definition.StartAt;
  while (name !== undefined) {
    const state: JsonObject | undefined = c.definition.States[name];
    if (state === undefined || out.includes(state)) return undefined;
    out.push(state);
    name = state.Next as string | undefined;
  }
  return out;
}

function isBarePassProcessor(processor: JsonValue): boolean {
  const p = processor as { StartAt?: string; States?: Record<string, JsonObject> } | null;
  const states = Object.values(p?.States ?? {});
  return states.length === 1 && Object.keys(states[0]).every((k) => ['Type', 'End'].includes(k)) && states[0].Type === 'Pass';
}

function isReplayable(c: RecordedCase): boolean {
  const text = JSON.stringify(c.definition);
  if (c.usable === false || !text.includes('{%') || text.includes('$states.context')) return false;
  const states = chain(c);
  if (states === undefined || states.length !== Object.keys(c.definition.States).length) return false;
  return states.every((s, i) => {
    const last = i === states.length - 1;
    const jsonata = languageOf(c, s) === 'JSONata';
    if (s.Type === 'Pass' && jsonata) return Object.keys(s).every((k) => JSONATA_PASS_FIELDS.has(k));
    if (s.Type === 'Pass') {
      return Object.keys(s).every((k) => JSONPATH_PASS_FIELDS.has(k)) && Object.keys((s.Assign as JsonObject | undefined) ?? {}).every((k) => !k.endsWith('.$'));
    }
    return last && jsonata && s.Type === 'Map' && typeof s.Items === 'string' && Object.keys(s).every((k) => MAP_FIELDS.has(k)) && isBarePassProcessor(s.ItemProcessor);
  });
}

function loadCases(): RecordedCase[] {
  return loadRecordedCases<RecordedCase>(CASES_DIR, isReplayable);
}

/** Runs the chain: Assign and Output both see the state's input and the variables as they were before the state. */
async function run(c: RecordedCase): Promise<JsonValue> {
  let input = c.input;
  let variables: Record<string, JsonValue> = {};
  const random = seededRandom(7);
  for (const state of chain(c)!) {
    const bindings: JsonataBindings = { states: { input, context: {} }, variables, random };
    if (state.Type === 'Map') {
      const items = compileJsonataValue(state.Items, 'Items');
      return expectType(await items.evaluate(bindings), 'array', items.expression!, 'Items');
    }
    const jsonata = languageOf(c, state) === 'JSONata';
    const assigned = state.Assign === undefined ? {} : jsonata ? await compileJsonataValue(state.Assign, 'Assign').evaluate(bindings) : state.Assign;
    if (jsonata && state.Output !== undefined) input = await compileJsonataValue(state.Output, 'Output').evaluate(bindings);
    variables = { ...variables, ...(assigned as JsonObject) };
  }
  return input;
}

describeWithShared('conformance/cases', 'JSONata evaluation against AWS recordings', () => {
  const cases = loadCases();

  it('finds at least 40 replayable JSONata recordings', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    if (c.expected.status === 'SUCCEEDED') {
      await expect(run(c)).resolves.toEqual(c.expected.output);
      return;
    }
    const error = await run(c).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StatesError);
    expect(error).toBeInstanceOf(JsonataEvaluationError);
    expect((error as StatesError).error).toBe(c.expected.error);
    expect((error as StatesError).cause).toBe(c.expected.cause!.replace(STATE_PREFIX, ''));
  });
});
