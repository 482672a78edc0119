import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesErrors } from '../../src/asl/states-errors';
import { Workflow } from '../../src/testing';
import '../../src/testing/setup';
import type { BehaviourCase } from '../cases/case-format';
import { definitionOf, expectedCause, expectedError, ROWS, STATE } from '../cases/catalogue-rows';
import { mockConfigFile, TEST_CASE } from '../cases/doors/case-files';
import { MACHINE_NAME } from '../cases/doors/door';

/*
 * Never green where AWS fails, as a script and a test read a run: for every kind of failure AWS
 * gives (each failure row of the integration catalogue, the payload limit, a Distributed Map's
 * tolerated failures, the intrinsic functions' bounds, a path that cannot be applied, a JSONata
 * expression that yields nothing), `stepwright run` exits 1 (its --help: "1 FAILED, TIMED_OUT or
 * ABORTED") and prints the status, the error and the cause, never SUCCEEDED; `--json` reports
 * status FAILED with the error; and the harness's `expect(run).toSucceed()` fails naming the error.
 */

interface Kind {
  readonly id: string;
  readonly definition: StateMachineDefinition;
  readonly input: JsonValue;
  /** MockConfigFile answers, by state and invocation. */
  readonly mockConfig?: BehaviourCase['mockConfig'];
  readonly error: string;
  /** The cause, where the kind's source gives it whole. */
  readonly cause?: string;
  readonly aws: string;
}

const BIG = 'x'.repeat(270_000);
const HALF = 'y'.repeat(150_000);
const LIMITS = 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html';
const INTRINSICS = 'https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html';
const pass = (fields: Record<string, unknown>): StateMachineDefinition =>
  ({ StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...fields } } }) as StateMachineDefinition;
const failingItems = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Item.Failed', Cause: 'item' } } };
const distributedMap = (fields: Record<string, unknown>, executionType = 'STANDARD'): StateMachineDefinition => ({
  StartAt: 'M',
  States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType }, ...failingItems }, End: true, ...fields } },
}) as StateMachineDefinition;
const childSync = (status: string): Kind => ({
  id: `child-${status.toLowerCase()}`,
  definition: { StartAt: 'S', States: { S: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child' }, End: true } } } as StateMachineDefinition,
  input: {},
  mockConfig: { S: { 0: { Return: { Status: status, ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:child:1' } } } },
  error: StatesErrors.TASK_FAILED,
  aws: 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html',
});

const KINDS: Kind[] = [
  ...ROWS.map((r): Kind => ({
    id: `catalogue-${r.id}`,
    definition: definitionOf(r),
    input: {},
    mockConfig: { [STATE]: { 0: { Return: r.rule.failing as JsonValue } } },
    error: expectedError(r),
    cause: expectedCause(r),
    aws: r.rule.source.join('; '),
  })),
  childSync('TIMED_OUT'),
  childSync('ABORTED'),
  {
    id: 'task-result-over-limit',
    definition: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } } as StateMachineDefinition,
    input: {},
    mockConfig: { T: { 0: { Return: { StatusCode: 200, Payload: BIG } } } },
    error: StatesErrors.DATA_LIMIT_EXCEEDED,
    aws: 'recording: error_handling/TestStatesErrors_test_service_task_lambada_data_limit_exceeded_on_large_utf8_response',
  },
  { id: 'pass-output-over-limit', definition: pass({ Result: BIG }), input: {}, error: StatesErrors.DATA_LIMIT_EXCEEDED, aws: LIMITS },
  { id: 'assigned-variable-over-limit', definition: pass({ Assign: { v: BIG } }), input: {}, error: StatesErrors.DATA_LIMIT_EXCEEDED, aws: LIMITS },
  {
    id: 'parallel-output-over-limit',
    definition: {
      StartAt: 'Par',
      States: { Par: { Type: 'Parallel', End: true, Branches: ['A', 'B'].map((n) => ({ StartAt: n, States: { [n]: { Type: 'Pass', Result: HALF, End: true } } })) } },
    } as StateMachineDefinition,
    input: {},
    error: StatesErrors.DATA_LIMIT_EXCEEDED,
    aws: LIMITS,
  },
  {
    id: 'distributed-map-tolerated-count-exceeded',
    definition: distributedMap({ ToleratedFailureCount: 1 }),
    input: { items: [1, 2, 3] },
    error: StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD,
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html',
  },
  {
    id: 'distributed-map-tolerated-percentage-exceeded',
    definition: distributedMap({ ToleratedFailurePercentage: 50 }),
    input: { items: [1, 2, 3] },
    error: StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD,
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html',
  },
  {
    // What AWS names the Map's error then is not recorded (docs/fidelity.md); that it fails is the page's.
    id: 'distributed-map-express-child-failed',
    definition: distributedMap({}, 'EXPRESS'),
    input: { items: [1] },
    error: 'Item.Failed',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html',
  },
  { id: 'array-range-over-1000', definition: pass({ Parameters: { 'v.$': 'States.ArrayRange(1, $.n, 1)' } }), input: { n: 1001 }, error: StatesErrors.RUNTIME, aws: INTRINSICS },
  { id: 'base64-encode-over-10000', definition: pass({ Parameters: { 'v.$': 'States.Base64Encode($.s)' } }), input: { s: 'a'.repeat(10_001) }, error: StatesErrors.RUNTIME, aws: INTRINSICS },
  { id: 'string-to-json-not-json', definition: pass({ Parameters: { 'v.$': 'States.StringToJson($.s)' } }), input: { s: '{bad' }, error: StatesErrors.RUNTIME, aws: INTRINSICS },
  {
    id: 'result-path-into-text',
    definition: pass({ Result: 1, ResultPath: '$.a.b' }),
    input: { a: 'text' },
    error: StatesErrors.RESULT_PATH_MATCH_FAILURE,
    aws: 'https://states-language.net/spec.html#appendix-a',
  },
  {
    id: 'jsonata-output-undefined',
    definition: { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } } } as StateMachineDefinition,
    input: {},
    error: StatesErrors.QUERY_EVALUATION_ERROR,
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html',
  },
  { id: 'fail-state', definition: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Order.Rejected', Cause: 'no stock' } } } as StateMachineDefinition, input: {}, error: 'Order.Rejected', cause: 'no stock', aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html' },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-failure-summary-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The command line of `stepwright run` for a kind: its machine, input and MockConfigFile in files. */
function runArgs(k: Kind): string[] {
  const at = path.join(dir, k.id);
  fs.mkdirSync(at, { recursive: true });
  fs.writeFileSync(path.join(at, 'machine.asl.json'), JSON.stringify(k.definition));
  fs.writeFileSync(path.join(at, 'input.json'), JSON.stringify(k.input));
  const args = ['run', path.join(at, 'machine.asl.json'), '--input', `@${path.join(at, 'input.json')}`];
  if (k.mockConfig) {
    fs.writeFileSync(path.join(at, 'mocks.json'), JSON.stringify(mockConfigFile(asCase(k), MACHINE_NAME)));
    args.push('--mocks', path.join(at, 'mocks.json'), '--test-case', TEST_CASE);
  }
  return args;
}

function asCase(k: Kind): BehaviourCase {
  return { id: k.id, description: k.id, definition: k.definition, input: k.input, mockConfig: k.mockConfig, expect: {} };
}

/** A line of the text summary, the label padded as the CLI pads it. */
const line = (label: string, value: string): RegExp => new RegExp(`^${label}:\\s+${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');

it('takes every failure row of the catalogue and every kind beside them', () => {
  expect(KINDS.length).toBeGreaterThanOrEqual(ROWS.length + 15);
  expect(new Set(KINDS.map((k) => k.id)).size).toBe(KINDS.length);
});

describe('stepwright run exits 1 and prints the status, error and cause of every failure AWS gives, never SUCCEEDED', () => {
  it.each(KINDS.map((k) => [k.id, k] as const))('%s', async (_id, k) => {
    const text = await cli(...runArgs(k));
    expect(text.err).toBe('');
    expect(text.code).toBe(1);
    expect(text.out).toMatch(line('Status', 'FAILED'));
    expect(text.out).toMatch(line('Error', k.error));
    if (k.cause !== undefined && !k.cause.includes('\n')) expect(text.out).toContain(`Cause:  ${k.cause.slice(0, 60)}`);
    else expect(text.out).toMatch(/^Cause: {2}\S/m);
    expect(text.out).not.toMatch(/^Status:\s+SUCCEEDED/m);

    const json = await cli(...runArgs(k), '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as { status: string; error?: string; cause?: string };
    expect(report).toMatchObject({ status: 'FAILED', error: k.error });
    if (k.cause !== undefined) expect(report.cause).toBe(k.cause);
  });
});

describe('the harness\'s toSucceed fails on every failure AWS gives, naming the error', () => {
  it.each(KINDS.map((k) => [k.id, k] as const))('%s', async (_id, k) => {
    const wf = Workflow.fromDefinition(k.definition, { name: MACHINE_NAME });
    const run = await wf.run(k.input, k.mockConfig ? { mockConfig: { config: mockConfigFile(asCase(k), MACHINE_NAME), testCase: TEST_CASE } } : {});
    expect(run).toFail(k.error);
    expect(() => expect(run).toSucceed()).toThrow('expected the execution to succeed, but it FAILED');
    expect(() => expect(run).toSucceed()).toThrow(`error:  ${k.error}`);
  });
});
