import type { JsonObject, JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { CATALOGUE, type AnswerPath, type CatalogueFailRule, type CatalogueRow } from '../../src/asl/integrations';
import { AwsLimits } from '../../src/asl/limits';
import { StatesErrors } from '../../src/asl/states-errors';

/*
 * Runs AWS fails for their shape: a payload over its limit, a history past 25,000 events, a
 * timeout, a Map past its tolerated failures, an expression that fails, a Choice with no match;
 * and every way a Run a Job (`.sync`) Task's job ends badly, one final state a run. Each row is one run (definition, input, the Tasks' answers as `stepwright
 * run --mocks` reads them) with the way AWS ends it and the page or recording that says so;
 * answer-outcome-doors.test.ts runs every row through every door, none of which may end it green.
 */

/** One run AWS ends otherwise than SUCCEEDED. */
export interface FailingRun {
  /** What AWS does, in a sentence: the test's name. */
  readonly name: string;
  /** The AWS page or ../shared/conformance recording the expectation follows. */
  readonly aws: string;
  readonly definition: StateMachineDefinition;
  readonly input?: JsonValue;
  /** The Tasks' answers in the `--mocks` format (a Lambda invoke's answer is the function's payload). */
  readonly mocks?: JsonObject;
  readonly type?: 'STANDARD' | 'EXPRESS';
  readonly status: 'FAILED' | 'TIMED_OUT';
  readonly error?: string;
  /** Text AWS's cause holds (where a recording or page gives it). */
  readonly cause?: string;
  /** The state TestState runs alone, where AWS's TestState fails it the same way (the state is the whole run). */
  readonly testState?: string;
  /** Doors that cannot take the run, each with the reason. */
  readonly cannot?: Readonly<Partial<Record<FailingDoor, string>>>;
}

/** The doors a run goes through beside the jest harness, each of which can be named in `cannot`. */
export type FailingDoor = 'express' | 'explore' | 'verify' | 'replay';

const KIB = 1024;
const LIMIT = AwsLimits.PAYLOAD_BYTES;
const pad = (bytes: number): string => 'x'.repeat(bytes);
const QUOTAS = 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html';
const LAMBDA = 'arn:aws:states:::lambda:invoke';
const single = (name: string, state: JsonObject, queryLanguage?: 'JSONata'): StateMachineDefinition => ({
  ...(queryLanguage ? { QueryLanguage: queryLanguage } : {}), StartAt: name, States: { [name]: { ...state, ...(state.Type === 'Fail' ? {} : { End: true }) } },
} as StateMachineDefinition);
const branch = (name: string, state: JsonObject): JsonObject => ({ StartAt: name, States: { [name]: { ...state, End: true } } });
/** A Map's processor whose iteration fails on item 2 and succeeds on any other. */
const failsOnTwo = (mode: 'INLINE' | 'DISTRIBUTED'): JsonObject => ({
  ...(mode === 'DISTRIBUTED' ? { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } : {}),
  StartAt: 'Pick',
  States: {
    'Pick': { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad item' }], Default: 'Good item' },
    'Bad item': { Type: 'Fail', Error: 'Item.Bad', Cause: 'item 2' },
    'Good item': { Type: 'Succeed' },
  },
});
/** A Pass and a Choice that loop until `$.i` is over a billion: AWS's history limit ends it first. */
const endless: StateMachineDefinition = {
  StartAt: 'Step',
  States: {
    Step: { Type: 'Pass', Next: 'More' },
    More: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThan: 1e9, Next: 'Done' }], Default: 'Step' },
    Done: { Type: 'Succeed' },
  },
} as StateMachineDefinition;

/** A copy of `answer` holding `value` at a dotted path (`*`: the first entry of a list), the objects on the way made. */
function holding(answer: JsonObject, path: AnswerPath, value: JsonValue): JsonObject {
  const out = JSON.parse(JSON.stringify(answer)) as JsonObject;
  const steps = path.split('.');
  let here: JsonObject | JsonValue[] = out;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const key = step === '*' ? 0 : step;
    const into = (here as Record<string | number, JsonValue>)[key];
    const next: JsonValue = last ? value : (into !== null && typeof into === 'object' ? into : steps[i + 1] === '*' ? [] : {});
    (here as Record<string | number, JsonValue>)[key] = next;
    if (!last) here = next as JsonObject | JsonValue[];
  });
  return out;
}

/**
 * The answers of a `.sync` rule's job that ended badly: its failing example, then each other failing state
 * at the rule's first path, then the first at each other path it reads (the job given in the form of the
 * service's describe call and in its own fields, as EMR's `Cluster.Status.State` and `Status.State`).
 */
function jobEnds(rule: CatalogueFailRule): Array<{ at: AnswerPath; value: JsonValue; answer: JsonObject }> {
  const failing = rule.failing as JsonObject;
  const first = rule.at[0];
  const values: JsonValue[] = 'oneOf' in rule.test ? [...rule.test.oneOf] : [];
  // The value the example holds at the path (`*`: a list's first entry).
  const shown = first.split('.').reduce<JsonValue>((v, k) => (Array.isArray(v) ? v[0] : v !== null && typeof v === 'object' ? v[k] : null), failing);
  return [
    { at: first, value: shown, answer: failing },
    ...values.slice(1).map((value) => ({ at: first, value, answer: holding(failing, first, value) })),
    ...rule.at.slice(1).map((at) => ({ at, value: values[0], answer: holding({}, at, values[0]) })),
  ];
}

const RUN_A_JOB = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync';

/**
 * Every way the catalogue says a Run a Job (`.sync`, `.sync:2`) Task's job ends badly (src/asl/integrations.ts:
 * each rule's failing states, at each path it reads them, and its ECS container's exit code and failures), one
 * run each: the Task, answered with the job as it ended, fails the run with the rule's error and the answer as cause.
 */
function syncJobEnds(): FailingRun[] {
  const runs: FailingRun[] = [];
  const sync = (row: CatalogueRow, rule: CatalogueFailRule) => rule.patterns.filter((p) => p === 'sync' || p === 'sync:2').map((p) => `${row.resource}.${p}`);
  for (const row of CATALOGUE.values()) {
    if (!('fails' in row.outcome)) continue;
    for (const rule of row.outcome.fails) {
      const error = 'taskFailed' in rule.error ? StatesErrors.TASK_FAILED : 'name' in rule.error ? rule.error.name : undefined;
      if (error === undefined || rule.cause !== 'answer') continue;
      for (const resource of sync(row, rule)) {
        for (const end of jobEnds(rule)) {
          runs.push({
            name: `${resource} answered with ${end.at} ${JSON.stringify(end.value)} fails with ${error}`,
            aws: [RUN_A_JOB, ...rule.source.filter((s) => s !== RUN_A_JOB)].join(', '),
            definition: single('Job', { Type: 'Task', Resource: `arn:aws:states:::${resource}` }),
            mocks: { Job: { Return: end.answer } },
            status: 'FAILED',
            error,
            cause: JSON.stringify(end.answer),
            cannot: { express: "an Express machine takes no .sync Task: serve's CreateStateMachine refuses it, as AWS's does" },
          });
        }
      }
    }
  }
  return runs;
}

/** An ECS task as DescribeTasks gives it once stopped: the app exited 0, its log router was killed as the task stopped. */
const SIDECAR_KILLED: JsonObject = {
  LastStatus: 'STOPPED',
  StopCode: 'EssentialContainerExited',
  StoppedReason: 'Essential container in task exited',
  Containers: [{ Name: 'app', ExitCode: 0, LastStatus: 'STOPPED' }, { Name: 'log_router', ExitCode: 137, LastStatus: 'STOPPED' }],
};

const SEARCH_LOOP = 'explore\'s and verify\'s search runs each path it tries to its end: 25,000 events a try, past this test\'s time';

export const FAILING_RUNS: readonly FailingRun[] = [
  {
    name: 'a Pass state whose output is over 256 KiB fails with States.DataLimitExceeded',
    aws: `${QUOTAS} ("Maximum input or output size for a task, state, or execution", 256 KiB)`,
    definition: single('Grow', { Type: 'Pass', Result: pad(LIMIT) }),
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
    cause: "The state/task 'Grow' returned a result with a size exceeding the maximum number of bytes service limit.",
    testState: 'Grow',
  },
  {
    name: 'an output under 256 Ki characters but over 256 KiB of UTF-8 fails: AWS counts bytes',
    aws: 'conformance/cases/error_handling/TestStatesErrors_test_service_task_lambada_data_limit_exceeded_on_large_utf8_response',
    definition: single('Grow', { Type: 'Pass', Result: 'é'.repeat(LIMIT / 2) }),
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
    testState: 'Grow',
  },
  {
    name: 'a Task whose answer is over 256 KiB fails with States.DataLimitExceeded',
    aws: 'conformance/cases/error_handling/TestStatesErrors_test_service_task_lambada_data_limit_exceeded_on_large_utf8_response',
    definition: single('Call', { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'f' } }),
    mocks: { Call: { Return: pad(LIMIT) } },
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
    cause: "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.",
  },
  {
    name: 'a Task whose Parameters make an input over 256 KiB fails with States.DataLimitExceeded',
    aws: `${QUOTAS} (the limit holds for a task's input)`,
    definition: single('Call', { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'f', Payload: { 'a.$': '$.s', 'b.$': '$.s' } } }),
    input: { s: pad(150 * KIB) },
    mocks: { Call: { Return: {} } },
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
  },
  {
    name: 'a Parallel whose branches join into an output over 256 KiB fails with States.DataLimitExceeded',
    aws: `${QUOTAS}; a Parallel's output is the array of its branches' outputs (state-parallel.html)`,
    definition: single('Both', {
      Type: 'Parallel',
      Branches: [branch('Left', { Type: 'Pass', Result: pad(LIMIT / 2) }), branch('Right', { Type: 'Pass', Result: pad(LIMIT / 2) })],
    }),
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
  },
  {
    name: 'a Map whose iterations join into an output over 256 KiB fails with States.DataLimitExceeded',
    aws: `${QUOTAS}; a Map's output is the array of its iterations' outputs (state-map-inline.html)`,
    definition: single('Each', { Type: 'Map', ItemProcessor: branch('Half', { Type: 'Pass', Result: pad(LIMIT / 2) }) }),
    input: [1, 2],
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
  },
  {
    name: 'a Map whose ItemSelector makes an item over 256 KiB fails with States.DataLimitExceeded',
    aws: `${QUOTAS} (an iteration's input is a state's input)`,
    definition: single('Each', {
      Type: 'Map', ItemSelector: { 'a.$': '$$.Map.Item.Value', 'b.$': '$$.Map.Item.Value' }, ItemProcessor: branch('Take', { Type: 'Pass' }),
    }),
    input: [pad(150 * KIB)],
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
  },
  {
    name: 'an Assign whose variable is over 256 KiB fails with States.DataLimitExceeded',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html ("The size of a single variable" 256 KiB)',
    definition: single('Set', { Type: 'Pass', Assign: { big: pad(LIMIT) } }),
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
    testState: 'Set',
  },
  {
    name: 'an Assign whose variables together are over 256 KiB fails with States.DataLimitExceeded',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html ("The combined size of all variables in a single Assign field" 256 KiB)',
    definition: single('Set', { Type: 'Pass', Assign: { left: pad(150 * KIB), right: pad(150 * KIB) } }),
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
    testState: 'Set',
  },
  {
    name: 'variables stored past 10 MiB in one execution fail with States.DataLimitExceeded',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html ("The total size of stored variables" 10 MiB)',
    definition: {
      StartAt: 'Keep0',
      States: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`Keep${i}`, {
        Type: 'Pass', Assign: { [`copy${i}.$`]: '$.text' }, ...(i < 59 ? { Next: `Keep${i + 1}` } : { End: true }),
      }])),
    } as StateMachineDefinition,
    input: { text: pad(200 * KIB) },
    status: 'FAILED',
    error: 'States.DataLimitExceeded',
  },
  {
    name: 'a Standard execution past 25,000 history events fails',
    aws: `${QUOTAS} ("Maximum execution history size", 25,000 events)`,
    definition: endless,
    input: { i: 0 },
    status: 'FAILED',
    error: 'States.Runtime',
    cannot: {
      express: 'an Express execution keeps no history to limit: AWS ends its loop at 5 minutes, a row of its own',
      explore: SEARCH_LOOP,
      verify: SEARCH_LOOP,
    },
  },
  {
    name: 'a Task answered after its TimeoutSeconds fails with States.Timeout',
    aws: 'conformance/cases/timeouts/TestTimeouts_test_fixed_timeout_service_lambda (TaskTimedOut, ExecutionFailed States.Timeout)',
    definition: single('Call', { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'f' }, TimeoutSeconds: 5 }),
    mocks: { Call: { Delay: 10, Return: {} } },
    status: 'FAILED',
    error: 'States.Timeout',
  },
  {
    name: 'a Task answered after its TimeoutSecondsPath fails with States.Timeout',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html (TimeoutSecondsPath)',
    definition: single('Call', { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'f' }, TimeoutSecondsPath: '$.seconds' }),
    input: { seconds: 5 },
    mocks: { Call: { Delay: 10, Return: {} } },
    status: 'FAILED',
    error: 'States.Timeout',
  },
  {
    name: 'a .waitForTaskToken Task whose token is not answered before TimeoutSeconds fails with States.Timeout',
    aws: 'conformance/cases/callback/TestCallback_test_sqs_wait_for_task_token_timeout (TaskTimedOut, States.Timeout)',
    definition: single('Wait for token', {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      TimeoutSeconds: 5,
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } },
    }),
    mocks: { 'Wait for token': { Delay: 10, Return: {} } },
    status: 'FAILED',
    error: 'States.Timeout',
    cannot: { express: 'an Express machine takes no .waitForTaskToken: serve\'s CreateStateMachine refuses it, as AWS\'s does' },
  },
  {
    name: 'a callback Task that sends no heartbeat within HeartbeatSeconds fails with States.Timeout',
    aws: 'src/asl/error-rules.ts heartbeatLapseError (LocalStack\'s AWS-validated test_heartbeats: TaskTimedOut, States.Timeout)',
    definition: single('Wait for token', {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      TimeoutSeconds: 600,
      HeartbeatSeconds: 5,
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } },
    }),
    mocks: { 'Wait for token': { Delay: 10, Return: {} } },
    status: 'FAILED',
    error: 'States.Timeout',
    cannot: { express: 'an Express machine takes no .waitForTaskToken: serve\'s CreateStateMachine refuses it, as AWS\'s does' },
  },
  {
    name: 'an activity no worker polls fails with States.Timeout at its TimeoutSeconds',
    aws: 'conformance/cases/activities/TestActivities_test_activity_task_start_timeout (ActivityTimedOut, ExecutionFailed States.Timeout)',
    definition: single('Work', { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:nobody-polls', TimeoutSeconds: 5 }),
    // The jest harness, the CLI and MCP answer an activity from the mocks: no worker is one that answers too late. serve waits for a GetActivityTask.
    mocks: { Work: { Delay: 10, Return: {} } },
    status: 'FAILED',
    error: 'States.Timeout',
    cannot: { express: 'an Express machine takes no activity: serve\'s CreateStateMachine refuses it, as AWS\'s does' },
  },
  {
    name: 'an Express execution past 5 minutes times out',
    aws: `${QUOTAS} ("Maximum execution time", Express: 5 minutes); StartSyncExecution answers TIMED_OUT`,
    definition: single('Long', { Type: 'Wait', Seconds: 301 }),
    type: 'EXPRESS',
    status: 'TIMED_OUT',
    cannot: { express: 'the row is an Express execution already' },
  },
  {
    name: 'a Map past its ToleratedFailureCount fails with States.ExceedToleratedFailureThreshold',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html',
    definition: single('Each', { Type: 'Map', ToleratedFailureCount: 0, ItemProcessor: failsOnTwo('DISTRIBUTED') }),
    input: [1, 2, 3],
    status: 'FAILED',
    error: 'States.ExceedToleratedFailureThreshold',
    cause: 'The specified tolerated failure threshold was exceeded',
  },
  {
    name: 'a Map past its ToleratedFailurePercentage fails with States.ExceedToleratedFailureThreshold',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html',
    definition: single('Each', { Type: 'Map', ToleratedFailurePercentage: 40, ItemProcessor: failsOnTwo('DISTRIBUTED') }),
    input: [1, 2],
    status: 'FAILED',
    error: 'States.ExceedToleratedFailureThreshold',
  },
  {
    name: 'a Distributed Map whose child fails, with no tolerance declared, fails (AWS\'s error name is not recorded)',
    aws: 'maprun-fail-threshold.html ("the workflow fails if any one of its child workflow executions fails"); docs/fidelity.md, the open question',
    definition: single('Each', { Type: 'Map', ItemProcessor: failsOnTwo('DISTRIBUTED') }),
    input: [1, 2, 3],
    status: 'FAILED',
  },
  {
    name: 'an inline Map with MaxConcurrency 1 fails with the error of its failing iteration',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html (a failed iteration fails the Map)',
    definition: single('Each', { Type: 'Map', MaxConcurrency: 1, ItemProcessor: failsOnTwo('INLINE') }),
    input: [1, 2, 3],
    status: 'FAILED',
    error: 'Item.Bad',
    cause: 'item 2',
  },
  {
    name: 'an intrinsic function given what it cannot take fails with States.Runtime',
    aws: 'docs/fidelity.md (AWS raises States.Runtime for an intrinsic\'s bad argument, never States.IntrinsicFailure)',
    definition: single('Parse', { Type: 'Pass', Parameters: { 'value.$': 'States.StringToJson($.text)' } }),
    input: { text: '{' },
    status: 'FAILED',
    error: 'States.Runtime',
    testState: 'Parse',
  },
  {
    name: 'a JSONata Output that evaluates to nothing fails with States.QueryEvaluationError',
    aws: 'conformance/cases/evaluate_jsonata (69 recorded States.QueryEvaluationError failures)',
    definition: single('Out', { Type: 'Pass', Output: '{% $states.input.absent %}' }, 'JSONata'),
    status: 'FAILED',
    error: 'States.QueryEvaluationError',
    testState: 'Out',
  },
  {
    name: 'a ResultSelector path to a field the result lacks fails with States.Runtime',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html (a path that matches nothing fails)',
    definition: single('Call', { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'f' }, ResultSelector: { 'value.$': '$.Payload.absent' } }),
    mocks: { Call: { Return: {} } },
    status: 'FAILED',
    error: 'States.Runtime',
  },
  {
    name: 'an InputPath to a field the input lacks fails with States.Runtime',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html',
    definition: single('Take', { Type: 'Pass', InputPath: '$.absent' }),
    status: 'FAILED',
    error: 'States.Runtime',
    testState: 'Take',
  },
  {
    name: 'an OutputPath to a field the output lacks fails with States.Runtime',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html',
    definition: single('Give', { Type: 'Pass', OutputPath: '$.absent' }),
    status: 'FAILED',
    error: 'States.Runtime',
    testState: 'Give',
  },
  {
    name: 'a ResultPath into a string fails with States.ResultPathMatchFailure',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (States.ResultPathMatchFailure)',
    definition: single('Put', { Type: 'Pass', ResultPath: '$.text.value' }),
    input: { text: 'a string' },
    status: 'FAILED',
    error: 'States.ResultPathMatchFailure',
    testState: 'Put',
  },
  {
    name: 'a Choice no rule matches, with no Default, fails with States.NoChoiceMatched',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html (no Default: States.NoChoiceMatched)',
    definition: {
      StartAt: 'Route',
      States: { Route: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: 1, Next: 'One' }] }, One: { Type: 'Succeed' } },
    } as StateMachineDefinition,
    input: { x: 2 },
    status: 'FAILED',
    error: 'States.NoChoiceMatched',
    testState: 'Route',
  },
  {
    name: 'a Fail state whose ErrorPath selects a number fails with States.Runtime',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html ("the reference path must select a field that contains a string value")',
    definition: single('Stop', { Type: 'Fail', ErrorPath: '$.code', Cause: 'stopped' }),
    input: { code: 5 },
    status: 'FAILED',
    error: 'States.Runtime',
    testState: 'Stop',
  },
  {
    name: 'a Fail state whose CausePath selects an object fails with States.Runtime',
    aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html ("the reference path must select a field that contains a string value")',
    definition: single('Stop', { Type: 'Fail', Error: 'Stopped', CausePath: '$.why' }),
    input: { why: { code: 5 } },
    status: 'FAILED',
    error: 'States.Runtime',
    testState: 'Stop',
  },
  ...syncJobEnds(),
  {
    name: 'an ECS task whose essential container exited 0 and whose non-essential sidecar exited 137 fails its runTask.sync Task with States.TaskFailed',
    aws: `${RUN_A_JOB}, observed: https://github.com/wellcomecollection/catalogue-pipeline/pull/3377 (app container 0, non-essential log_router 137, StopCode EssentialContainerExited: States.TaskFailed)`,
    definition: single('Job', { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync' }),
    mocks: { Job: { Return: SIDECAR_KILLED } },
    status: 'FAILED',
    error: StatesErrors.TASK_FAILED,
    cause: JSON.stringify(SIDECAR_KILLED),
    cannot: { express: "an Express machine takes no .sync Task: serve's CreateStateMachine refuses it, as AWS's does" },
  },
];
