import { loadRecordedCases } from './recorded-cases';
import type { JsonObject, JsonValue } from '../../src/asl/definition-types';
import { compilePath, type PathScope } from '../../src/asl/path';
import { compileDynamicValue, compilePayloadTemplate } from '../../src/asl/payload';
import { seededRandom } from '../../src/asl/random';
import { compileResultPath } from '../../src/asl/result-path';
import { StatesError } from '../../src/asl/states-errors';
import { VariableStore } from '../../src/asl/variables';
import { sharedPath, describeWithShared } from '../shared-data';

/*
 * Replays the AWS-recorded executions that call intrinsic functions, where the
 * state machine is simple enough to run without the interpreter: a chain of
 * Pass states ending in a Pass or a Fail state. Each state applies InputPath,
 * Parameters (or Result), ResultPath, OutputPath and Assign; a Fail state
 * fills ErrorPath/CausePath. Outputs are normalised as the conformance runner
 * does (names, ARNs, region, UUIDs), so generated UUIDs are checked for shape only.
 */

const CASES_DIR = sharedPath('conformance', 'cases');

interface RecordedCase {
  readonly id: string;
  readonly file: string;
  readonly usable?: boolean;
  readonly queryLanguage?: string;
  readonly definition: { StartAt: string; States: Record<string, JsonObject> };
  readonly input: JsonValue;
  readonly expected: { status: string; output?: JsonValue; error?: string; cause?: string };
  readonly snapshotTransformers?: ReadonlyArray<{ pattern: string | null; replacement: string }>;
}

const PASS_FIELDS = new Set(['Type', 'Comment', 'Next', 'End', 'Parameters', 'Result', 'InputPath', 'ResultPath', 'OutputPath', 'Assign']);
const FAIL_FIELDS = new Set(['Type', 'Comment', 'Error', 'Cause', 'ErrorPath', 'CausePath']);
const CALL = /States\.[A-Za-z0-9]+\(/;

/** A chain of Pass states ending in Pass or Fail, in JSONPath, that calls an intrinsic function somewhere. */
function isReplayable(c: RecordedCase): boolean {
  if (c.usable === false || c.queryLanguage === 'JSONata' || !CALL.test(JSON.stringify(c.definition))) return false;
  return Object.values(c.definition.States).every((s) => {
    if (s.QueryLanguage === 'JSONata') return false;
    const allowed = s.Type === 'Pass' ? PASS_FIELDS : s.Type === 'Fail' ? FAIL_FIELDS : undefined;
    return allowed !== undefined && Object.keys(s).every((k) => allowed.has(k));
  });
}

function loadCases(): RecordedCase[] {
  return loadRecordedCases<RecordedCase>(CASES_DIR, isReplayable);
}

const NAMES = { stateMachine: 'IntrinsicsMachine', execution: 'IntrinsicsExecution', region: 'us-east-1', account: '111111111111' };

function contextFor(input: JsonValue, stateName: string): JsonValue {
  const smArn = `arn:aws:states:${NAMES.region}:${NAMES.account}:stateMachine:${NAMES.stateMachine}`;
  return {
    Execution: {
      Id: `arn:aws:states:${NAMES.region}:${NAMES.account}:execution:${NAMES.stateMachine}:${NAMES.execution}`,
      Input: input,
      Name: NAMES.execution,
      RoleArn: `arn:aws:iam::${NAMES.account}:role/sfn-role`,
      StartTime: '2024-01-01T00:00:00.000Z',
    },
    StateMachine: { Id: smArn, Name: NAMES.stateMachine },
    State: { Name: stateName, EnteredTime: '2024-01-01T00:00:00.000Z' },
  };
}

type Outcome = { status: 'SUCCEEDED'; output: JsonValue } | { status: 'FAILED'; error?: string; cause?: string };

/** Runs the chain of Pass states with the compiled templates alone. */
function replay(c: RecordedCase): Outcome {
  const variables = new VariableStore();
  const random = seededRandom(7);
  let name = c.definition.StartAt;
  let data = c.input;
  for (let steps = 0; steps < 100; steps++) {
    const state = c.definition.States[name];
    const scopeOf = (input: JsonValue): PathScope => ({ input, context: contextFor(c.input, name), variables, random });
    if (state.Type === 'Fail') {
      const field = (literal: JsonValue | undefined, dynamic: JsonValue | undefined, key: string) =>
        dynamic !== undefined ? compileDynamicValue(dynamic as string, key)(scopeOf(data)) as string : literal as string | undefined;
      return { status: 'FAILED', error: field(state.Error, state.ErrorPath, 'ErrorPath'), cause: field(state.Cause, state.CausePath, 'CausePath') };
    }
    const effective = state.InputPath === undefined ? data : compilePath(state.InputPath as string).read(scopeOf(data)) ?? null;
    let result: JsonValue = effective;
    if (state.Parameters !== undefined) result = compilePayloadTemplate(state.Parameters)(scopeOf(effective));
    else if (state.Result !== undefined) result = state.Result;
    if (state.Assign !== undefined) variables.assign(compilePayloadTemplate(state.Assign)(scopeOf(result)) as Record<string, JsonValue>);
    const merged = compileResultPath(state.ResultPath as string | null | undefined)(data, result);
    data = state.OutputPath === undefined ? merged : compilePath(state.OutputPath as string).read(scopeOf(merged)) ?? null;
    if (state.End === true) return { status: 'SUCCEEDED', output: data };
    name = state.Next as string;
  }
  throw new Error(`${c.file}: more than 100 transitions`);
}

const UUID = /[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}/g;

function mapStrings(v: JsonValue | undefined, fn: (s: string) => string): JsonValue | undefined {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((e) => mapStrings(e, fn) as JsonValue);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [fn(k), mapStrings(x, fn) as JsonValue]));
  }
  return v;
}

function normaliseActual(v: JsonValue | undefined): JsonValue | undefined {
  return mapStrings(v, (s) => s
    .split(`:execution:${NAMES.stateMachine}:${NAMES.execution}`).join(':execution:<sm_name>:<exec_name>')
    .split(NAMES.stateMachine).join('<sm_name>')
    .split(NAMES.execution).join('<exec_name>')
    .split(NAMES.region).join('<region>')
    .replace(/arn:aws:/g, 'arn:<partition>:')
    .replace(UUID, '<uuid>'));
}

/** The recorder replaced generated ids by fixed words (for example 'generated-uuid'); those stand for a UUID. */
function normaliseExpected(c: RecordedCase, v: JsonValue | undefined): JsonValue | undefined {
  const uuidWords = new Set((c.snapshotTransformers ?? []).filter((t) => /uuid/i.test(t.replacement)).map((t) => t.replacement));
  return mapStrings(v, (s) => (uuidWords.has(s) ? '<uuid>' : s
    .replace(/<ArnPart_\d+idx>/g, '<sm_name>')
    .replace(/<ExecArnPart_\d+idx>/g, '<exec_name>')
    .replace(/<uuid:\d+>/g, '<uuid>')
    .replace(UUID, '<uuid>')));
}

describeWithShared('conformance/cases', 'intrinsic functions against the AWS recordings', () => {
  const cases = loadCases();
  it('finds the recorded intrinsic function cases', () => {
    expect(cases.filter((c) => c.file.startsWith('intrinsic_functions/')).length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s gives the recorded outcome', (_file, c) => {
    let outcome: Outcome;
    try {
      outcome = replay(c);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      outcome = { status: 'FAILED', error: e.error, cause: e.cause };
    }
    if (c.expected.status === 'SUCCEEDED') {
      expect(outcome.status).toBe('SUCCEEDED');
      expect(normaliseActual((outcome as { output: JsonValue }).output)).toEqual(normaliseExpected(c, c.expected.output));
    } else {
      expect(outcome).toEqual({ status: c.expected.status, error: c.expected.error, cause: c.expected.cause });
    }
  });
});
