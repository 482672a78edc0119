/*
 * The tools `stepwright mcp` offers, as data: name, what it is for, the input it takes (a zod schema: the JSON
 * Schema clients see is made from it, and the same schema checks every call) and the structured output it answers
 * with (a JSON Schema the SDK's client checks answers against). Adding a tool is one entry here and one call in calls.ts.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { pathProperty } from './property-schema';
import { MACHINE_TYPES } from '../asl/aws-defaults';
import { AwsLimits, EXPRESS_DURATION_WORDS, PAYLOAD_WORDS } from '../asl/limits';
import { DEFAULT_SEED } from '../asl/random';
import { withThousands } from '../asl/shorten';
import { DEFAULT_MAX_SCENARIOS } from '../explore/context';
import { VIRTUAL_CLOCK_START } from '../interpreter/clock';
import { EXPRESS_MAX_TRANSITIONS } from '../interpreter/execution-types';
import { PARAMETER_NAME, PARAMETER_NAME_MAX_CHARS } from '../workbench/common/parameter-overrides';
import { MOCK_FILE_DELAY_RULE, MOCK_FILE_LIST_RULE } from '../workbench/mocks/json';
import { MOCK_ADVICE_MODES, MOCK_VALIDATION_MODES, REQUEST_CHECK_MODES } from '../workbench/mocks/validation-mode';

/** One tool, named `N`, whose input schema is `S`: its arguments, as a call receives them, are what `S` parses to. */
export interface ToolSpec<N extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly name: N;
  readonly title: string;
  readonly description: string;
  readonly input: S;
  /** The JSON Schema of its structured answer, as tools/list gives it. */
  readonly output: NonNullable<Tool['outputSchema']>;
  /** Fields holding a path to read (checked against the root before anything is read). */
  readonly pathFields: ReadonlyArray<FieldOf<S>>;
  /** Fields of which at most one may be given, and (when `required`) exactly one. */
  readonly oneOf: ReadonlyArray<{ readonly fields: ReadonlyArray<FieldOf<S>>; readonly required: boolean }>;
  /** The tool may reach outside the machine (an endpoint, AWS). @default false */
  readonly openWorld?: boolean;
  /**
   * The field naming the folder the tool writes to when it is given (run's S3 folder): the tool
   * is then not read-only, and a write may replace or delete a file there. @default - it writes nothing
   */
  readonly writes?: FieldOf<S>;
}

/** A field of a tool's input. */
type FieldOf<S extends z.ZodObject> = keyof z.output<S> & string;

/** A tool, its name and input schema kept in its type. */
function tool<const N extends string, S extends z.ZodObject>(spec: ToolSpec<N, S>): ToolSpec<N, S> {
  return spec;
}

/** Largest text a field takes: the size of the largest definition or template file stepwright reads. */
const MAX_TEXT = 64 * 1_048_576;

const definition = z.union([z.string().max(MAX_TEXT), z.record(z.string(), z.unknown())]).optional().describe(
  'The state machine inline: its ASL definition as JSON or YAML text, or as a JSON object. A CloudFormation template '
  + '(JSON or YAML; short forms like !Ref and !GetAtt are read) works too. Give this or file, not both.');
const file = z.string().min(1).max(4096).optional().describe(
  'Path of an ASL file (.asl.json, .json, .yaml, .yml), a synthesized CloudFormation template, or a cdk.out folder '
  + '(run `cdk synth` first), relative to the folder the server runs in or absolute inside it; paths outside it are refused. '
  + 'Give this or definition, not both.');
const stack = z.string().min(1).max(1024).optional().describe(
  'In a cdk.out: the stack, by artifact id, stack name or display path (Stage/Stack). Needed when more than one stack holds state machines.');
const stateMachine = z.string().min(1).max(2048).optional().describe(
  'In a template or cdk.out: the state machine, by logical id, StateMachineName or construct path. Needed when there are several; '
  + 'list_state_machines lists them.');
const type = z.enum(MACHINE_TYPES).optional().describe(
  `The workflow type: EXPRESS forbids activities, .sync and .waitForTaskToken and ends at ${EXPRESS_DURATION_WORDS}. Default: the template's, else STANDARD.`);

const parameterName = z.string().regex(PARAMETER_NAME).max(PARAMETER_NAME_MAX_CHARS);
const parameters = z.union([
  z.record(parameterName, z.string().max(4096)),
  z.array(z.object({ ParameterKey: parameterName, ParameterValue: z.string().max(4096) }).strict()).max(200),
]).optional().describe(
  "In a template or cdk.out: values of its Parameters, by name, over each one's Default, as sam deploy --parameter-overrides gives them "
  + '(a parameter with no Default needs one): { "<name>": "<value>" }, or a CloudFormation parameters file\'s list '
  + '[{ "ParameterKey": "<name>", "ParameterValue": "<value>" }], as aws cloudformation create-stack --parameters reads it. Default: each Default.');

const configFile = z.string().min(1).max(4096).optional().describe(
  'With a template file: the SAM configuration file whose deploy parameter_overrides give its Parameters values below parameters, as sam deploy --config-file '
  + 'names it, inside the folder the server runs in. Default: samconfig.toml beside the template, when there is one.');
const configEnv = z.string().min(1).max(255).optional().describe(
  "With a template file: the environment of the SAM configuration file, as sam deploy --config-env names it. Default: 'default'.");

const SOURCE = { definition, file, parameters, configFile, configEnv };

/** A local S3 folder, as `--s3-dir` is to `stepwright run` and `explore`. */
const s3Dir = (use: string): z.ZodOptional<z.ZodString> => z.string().min(1).max(4096).optional().describe(
  `A local S3: a folder per bucket, a file per key, inside the server's folder (a path that leaves it, or a symbolic link that leads out, is refused). ${use} `
  + 'The same folder as `stepwright run --s3-dir`. Default: none.');
const SOURCE_ONE_OF = { fields: ['definition', 'file'] as const, required: true };

const string = { type: 'string' };
const finding = {
  type: 'object',
  required: ['code', 'severity', 'location', 'message'],
  properties: {
    code: string,
    severity: { type: 'string', enum: ['error', 'warning'] },
    location: { ...string, description: 'JSON pointer to the offending value, e.g. /States/Charge/Retry/0' },
    message: { ...string, description: 'What is wrong and how to fix it' },
  },
};
/** Only in an answer cut to the 8 MiB an answer may be (see answer-bound.ts). */
const truncated = {
  type: 'object',
  required: ['message', 'leftOut'],
  description: 'Present when the answer was cut to the 8 MiB an answer may be: what was left out, and how to ask for less',
  properties: {
    message: string,
    leftOut: { type: 'array', items: string, description: 'What was left out, from the end: a field (machines[3].definition) or items (history[2000…24999])' },
  },
};
const permissionReport = { type: 'object', description: 'Each permission each Task needs, the role\'s answer, and the findings with their fixes' };

const validateTool = tool({
  name: 'validate',
  title: 'Validate a state machine',
  description: 'Checks state machine definitions as AWS checks them when a state machine is created (schema, states, transitions, '
    + 'paths, JSONata, Choice rules, Retry/Catch), plus best-practice warnings. Takes an ASL definition, a template or a cdk.out '
    + '(every state machine in it). Each finding has a code, a JSON-pointer location and a message saying how to fix it. '
    + 'Offline: no AWS account or credentials.',
  input: z.strictObject({
    ...SOURCE,
    type,
    warnings: z.boolean().optional().describe('Include best-practice warnings (Task without TimeoutSeconds, and so on). Default: true.'),
    iam: z.boolean().optional().describe("Also check each Task's IAM permissions against the state machine's role in the template; "
      + 'a missing or denied permission makes the machine invalid. Default: false.'),
  }),
  output: {
    type: 'object',
    required: ['valid', 'reports'],
    properties: {
      valid: { type: 'boolean', description: 'True when no state machine has an error' },
      truncated,
      reports: {
        type: 'array',
        items: {
          type: 'object',
          required: ['source', 'valid', 'findings'],
          properties: { source: string, valid: { type: 'boolean' }, findings: { type: 'array', items: finding }, permissions: permissionReport },
        },
      },
    },
  },
  pathFields: ['file'],
  oneOf: [SOURCE_ONE_OF],
});

const limits = z.strictObject({
  maxTransitions: z.number().int().positive().optional().describe('Most states the run may enter; past it the run fails with States.Runtime. '
    + `Guards against an endless loop. Default: none for STANDARD (the history limit applies), ${withThousands(EXPRESS_MAX_TRANSITIONS)} for EXPRESS.`),
  maxHistoryEvents: z.number().int().positive().optional().describe(`Most history events, as AWS limits a Standard execution. Default: ${withThousands(AwsLimits.HISTORY_EVENTS)}.`),
  maxPayloadBytes: z.number().int().positive().optional().describe(`Largest state input or output in UTF-8 bytes. Default: ${withThousands(AwsLimits.PAYLOAD_BYTES)}, as on AWS.`),
}).optional().describe('Limits of the run. A run that goes past the server\'s time bound is stopped anyway.');

/**
 * The check options of a run, as the run tool takes them; explore and verify take the same, for
 * the answers their caller gives (mocks) and every Task's request, so that a scenario ends as the
 * caller's own run ends (the answers the search makes up are always checked STRICT and fail on advice).
 */
const CHECK_OPTIONS = {
  mockValidation: z.enum(MOCK_VALIDATION_MODES).optional().describe('How mock answers are checked against the AWS service models, '
    + 'as TestState\'s mock.fieldValidationMode: STRICT, required fields present and every field the model defines of its type, enum and '
    + 'bounds; PRESENT, the fields given only; NONE, nothing. An answer AWS\'s TestState refuses fails the run with States.Runtime naming '
    + 'the state, the field, the model version and the expected shape. Default: STRICT for a mocks table, PRESENT for a MockConfigFile '
    + '(Step Functions Local checks none), where a missing required field is advice.'),
  mockAdvice: z.enum(MOCK_ADVICE_MODES).optional().describe('What a mock\'s field the model does not define (a misspelt one), or a Throw '
    + 'naming an error the integration never raises, does: warn lists it in the answer\'s advice and the run goes on (AWS accepts such a '
    + 'mock); fail fails the run with States.Runtime. Default: warn.'),
  requestChecks: z.enum(REQUEST_CHECK_MODES).optional().describe('What a Task\'s request AWS refuses does, checked as the Task sends it: fail '
    + 'fails it as AWS does (States.Runtime for a member an aws-sdk call\'s model does not define, the service\'s error for a missing required '
    + 'member where it is known); warn lists it in the answer\'s advice and the run goes on. Default: fail.'),
};

const runTool = tool({
  name: 'run',
  title: 'Run a state machine locally',
  description: 'Runs a state machine in-process on a virtual clock (Wait, retries and timeouts take no real time) with mocked Task results, '
    + 'and answers its status, output or error and cause, the path of states entered, the retries and the errors each state '
    + 'raised or caught, and optionally the history. Behaves as AWS Step Functions does; no AWS account, network or cost. '
    + "The answer is `stepwright run`'s: a template's inline Lambda code (Code.ZipFile) runs for a Task no mock answers, as it does there; mock the Task to keep it from running.",
  input: z.strictObject({
    ...SOURCE,
    stack,
    stateMachine,
    type,
    input: z.unknown().optional().describe(`The execution input, any JSON value (at most ${PAYLOAD_WORDS}, as on AWS). Default: {}.`),
    mocks: z.unknown().optional().describe('Task results, keyed by state name or resource ARN: a value, {"Return": value}, '
      + `{"Throw": {"Error": "Name", "Cause": "text"}}, or a list of those (e.g. [{"Throw": {"Error": "Busy"}}, {"Return": 1}]). ${MOCK_FILE_LIST_RULE} ${MOCK_FILE_DELAY_RULE} `
      + 'An AWS MockConfigFile (StateMachines, MockedResponses) works too, with testCase. The same format as `stepwright run --mocks`. '
      + 'Give this or mocksFile.'),
    mocksFile: z.string().min(1).max(4096).optional().describe('Path of a mocks file (the format of mocks), inside the server\'s folder. Give this or mocks.'),
    testCase: z.string().min(1).max(1024).optional().describe('The MockConfigFile test case to use (required with a MockConfigFile).'),
    mockStateMachine: z.string().min(1).max(1024).optional().describe('The MockConfigFile state machine, when it has several.'),
    unmocked: z.enum(['error', 'input']).optional().describe('What a Task no mock answers does: error fails the run with States.Runtime '
      + 'naming the state and the mock to add; input returns the Task\'s input. Default: error.'),
    ...CHECK_OPTIONS,
    name: z.string().max(1024).optional().describe(`The execution name (1 to ${AwsLimits.NAME_CHARS} characters). Default: a generated UUID.`),
    startTime: z.string().max(64).optional().describe('When the run starts on its virtual clock, an RFC 3339 date-time (2025-03-01T09:00:00Z): '
      + '$$.Execution.StartTime, and where a Wait\'s Timestamp waits from. The same as `stepwright run --start-time`. '
      + `Default: ${VIRTUAL_CLOCK_START}.`),
    seed: z.number().int().optional().describe('Seed of the run\'s random source (States.UUID, States.MathRandom, $uuid, $random, task tokens, jitter): '
      + `the same machine, options and seed give the same answer, as the harness's seed and \`stepwright run --seed\`. Default: ${DEFAULT_SEED}.`),
    limits,
    s3Dir: s3Dir('Map ItemReaders read it, ResultWriters write their result files to it, and aws-sdk:s3 Tasks no mock answers '
      + 'read and write it (PutObject and DeleteObject change its files): the one thing the run tool writes, and only when given.'),
    history: z.boolean().optional().describe('Also answer the history\'s events (id, type, state). Default: false.'),
  }),
  output: {
    type: 'object',
    required: ['source', 'status', 'path', 'executionArn', 'retries', 'errors'],
    properties: {
      source: { ...string, description: 'The state machine run: the file, plus stack and construct path for a template' },
      status: { type: 'string', enum: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
      output: { description: 'The execution output, when it SUCCEEDED' },
      error: string,
      cause: string,
      path: { type: 'array', items: string, description: 'The states entered, in order (Parallel branches and Map iterations included)' },
      executionArn: string,
      startDate: { ...string, description: 'When the execution started on its virtual clock, ISO 8601' },
      stopDate: { ...string, description: 'When it stopped: a Wait, a retry, a Task\'s timeout (a mocked one too) all take virtual time' },
      history: {
        type: 'array',
        items: { type: 'object', required: ['id', 'type'], properties: { id: { type: 'integer' }, type: string, state: string } },
      },
      retries: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Retries per state (attempts after the first)' },
      errors: {
        type: 'object',
        description: 'Per state, its visits that ended in an error its Retry did not recover, and how many its Catch handled',
        additionalProperties: {
          type: 'object', required: ['count', 'caught'], properties: { count: { type: 'integer' }, caught: { type: 'integer' }, error: string },
        },
      },
      failedState: { ...string, description: 'The state the execution failed in' },
      advice: {
        type: 'array',
        description: 'What the checks of the mocks noticed and let through, as AWS would: a field the model does not define, an error never raised',
        items: { type: 'object', required: ['state', 'message'], properties: { state: string, message: string } },
      },
      childFailures: {
        type: 'array',
        description: 'The child executions of Distributed Maps that failed (the first 25 a Map state), each with its own error and cause, which '
          + 'the execution\'s error (States.ExceedToleratedFailureThreshold, the Map\'s) hides',
        items: {
          type: 'object',
          required: ['mapState', 'name', 'executionArn'],
          properties: { mapState: string, name: string, executionArn: string, input: {}, error: string, cause: string },
        },
      },
      truncated,
    },
  },
  pathFields: ['file', 'mocksFile', 's3Dir'],
  oneOf: [SOURCE_ONE_OF, { fields: ['mocks', 'mocksFile'], required: false }],
  writes: 's3Dir',
});

/** A TestState member AWS takes as JSON text; a value is accepted and sent as its JSON. */
const jsonMember = (what: string): z.ZodOptional => z.unknown().optional().describe(`${what}, as JSON text as AWS takes it (any other JSON value is sent as its JSON text).`);

const testStateTool = tool({
  name: 'test_state',
  title: 'Test one state (TestState)',
  description: "Tests one state as AWS's TestState API does, in its request and response shapes: the state's output or error, "
    + 'the next state, and with inspectionLevel DEBUG or TRACE each stage of its data flow (after InputPath, Parameters, '
    + 'ResultSelector, ResultPath, ...). Task states need a mock here (AWS would call the resource without one). Offline: no credentials, no call to AWS.',
  input: z.strictObject({
    definition: z.union([z.string().max(MAX_TEXT), z.record(z.string(), z.unknown())]).describe(
      'A state definition, or a whole state machine definition with stateName, as JSON text (an object is sent as its JSON).'),
    roleArn: z.string().max(2048).optional().describe('The execution role ARN; AWS requires one to test a Task state without a mock (any well-formed role ARN works here).'),
    input: jsonMember('The state\'s input (default {})'),
    inspectionLevel: z.enum(['INFO', 'DEBUG', 'TRACE']).optional().describe('INFO (default): status, output, error. DEBUG and TRACE add inspectionData.'),
    revealSecrets: z.boolean().optional().describe('Accepted as AWS accepts it; nothing is hidden locally.'),
    variables: jsonMember('Workflow variables visible to the state, a JSON object'),
    stateName: z.string().max(AwsLimits.NAME_CHARS).optional().describe('With a whole state machine as definition: the state to test.'),
    mock: z.strictObject({
      result: jsonMember('What the Task\'s resource returns'),
      errorOutput: z.strictObject({
        error: z.string().max(AwsLimits.ERROR_CHARS).optional().describe('The error name, e.g. States.TaskFailed or Lambda.ServiceException'),
        cause: z.string().max(AwsLimits.CAUSE_CHARS).optional().describe('The cause text'),
      }).optional().describe('Make the Task fail instead; give this or result.'),
      fieldValidationMode: z.enum(MOCK_VALIDATION_MODES).optional().describe('How the mock is checked against the API\'s model, as AWS does: '
        + 'STRICT (default), required fields present and every field the model defines of its type, enum and bounds; PRESENT, the fields given '
        + 'only; NONE, nothing. A field the model does not define passes, as on AWS, and is named in the answer\'s advice.'),
    }).optional().describe('The Task\'s mocked answer: result or errorOutput.'),
    context: jsonMember('The Context Object ($$) the state sees'),
    stateConfiguration: z.strictObject({
      retrierRetryCount: z.number().int().min(0).optional().describe('Retries already made by the retrier matching the error.'),
      errorCausedByState: z.string().max(AwsLimits.NAME_CHARS).optional().describe('For a Map or Parallel mocked with errorOutput: the state inside it that raised the error '
        + '(an error that state never raises is named in the answer\'s advice).'),
      mapIterationFailureCount: z.number().int().min(0).optional().describe('For a Map state: iterations already failed.'),
      mapItemReaderData: z.string().max(MAX_TEXT).optional().describe('For a Map with an ItemReader: the data it would read (the S3 object\'s JSON, JSON Lines '
        + 'or CSV text, or a JSON array of listed objects), parsed as its ReaderConfig says instead of reading; required with a mock.result.'),
    }).optional().describe('Where in a retry or Map run the state is tested.'),
  }),
  output: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['SUCCEEDED', 'FAILED', 'RETRIABLE', 'CAUGHT_ERROR'] },
      output: { ...string, description: 'The state\'s output, as JSON text' },
      error: string,
      cause: string,
      nextState: string,
      inspectionData: { type: 'object', description: 'Each stage of the data flow, as JSON text (errorDetails as an object)' },
      advice: {
        type: 'array',
        description: 'Not in AWS\'s answer: what the check of the mock noticed and TestState lets through (a field the model does not define)',
        items: { type: 'object', required: ['state', 'message'], properties: { state: string, message: string } },
      },
    },
  },
  pathFields: [],
  // Both mock.result and mock.errorOutput are refused by the TestState mapping itself, in AWS's words.
  oneOf: [],
});

const renderTool = tool({
  name: 'render',
  title: 'Draw a state machine (Mermaid)',
  description: 'Draws a state machine as a Mermaid flowchart, optionally with a run on it: the states entered and transitions taken, '
    + 'retries, and where an error started and which state caught it. Runs nothing.',
  input: z.strictObject({
    ...SOURCE,
    stack,
    stateMachine,
    run: z.record(z.string(), z.unknown()).optional().describe('A run to draw: the run tool\'s answer (with history: true for retries), '
      + 'or `aws stepfunctions get-execution-history` output ({"events": [...]}). Give this or runFile.'),
    runFile: z.string().min(1).max(4096).optional().describe('Path of a file holding such a run, inside the server\'s folder. Give this or run.'),
    title: z.string().max(1024).optional().describe('A title above the diagram.'),
    direction: z.enum(['TD', 'LR']).optional().describe('Top-down (default) or left-to-right.'),
  }),
  output: {
    type: 'object',
    required: ['source', 'mermaid'],
    properties: { source: string, mermaid: { ...string, description: 'The Mermaid flowchart source' } },
  },
  pathFields: ['file', 'runFile'],
  oneOf: [SOURCE_ONE_OF, { fields: ['run', 'runFile'], required: false }],
});

const checkIamTool = tool({
  name: 'check_iam',
  title: 'Check IAM permissions',
  description: "Checks that each state machine's role in a template or cdk.out allows every action its Tasks, Distributed Maps, "
    + 'ItemReaders and ResultWriters need: each missing or denied permission (the state would fail with AccessDenied on AWS), '
    + 'and over-broad grants, each with the statement or CDK grant that fixes it. For a plain definition, lists what it needs.',
  input: z.strictObject({ ...SOURCE, stack, stateMachine }),
  output: {
    type: 'object',
    required: ['ok', 'machines'],
    properties: {
      ok: { type: 'boolean', description: 'True when no state machine lacks a permission' },
      truncated,
      machines: {
        type: 'array',
        items: {
          type: 'object',
          required: ['source', 'ok'],
          properties: {
            source: string,
            ok: { type: 'boolean' },
            permissions: permissionReport,
            findings: { type: 'array', items: finding, description: 'For an invalid definition: its errors (permissions are not checked)' },
          },
        },
      },
    },
  },
  pathFields: ['file'],
  oneOf: [SOURCE_ONE_OF],
});

const listTool = tool({
  name: 'list_state_machines',
  title: 'List the state machines of a template or cdk.out',
  description: 'Lists the state machines a template or cdk.out holds (every stack, nested assemblies included): each one\'s stack, '
    + 'logical id, construct path, name, type and number of states, and optionally its definition with tokens resolved to placeholders. '
    + 'Use the stack and logical id or construct path as stack and stateMachine in the other tools.',
  input: z.strictObject({
    ...SOURCE,
    stack,
    definitions: z.boolean().optional().describe('Also answer each state machine\'s definition (ASL, as a JSON object). Default: false.'),
  }),
  output: {
    type: 'object',
    required: ['machines'],
    properties: {
      truncated,
      machines: {
        type: 'array',
        items: {
          type: 'object',
          required: ['source', 'type', 'states'],
          properties: {
            source: string,
            name: string,
            type: { type: 'string', enum: [...MACHINE_TYPES] },
            stack: string,
            logicalId: string,
            constructPath: string,
            states: { type: 'integer', description: 'Top-level states' },
            definition: { type: 'object' },
          },
        },
      },
    },
  },
  pathFields: ['file'],
  oneOf: [SOURCE_ONE_OF],
});

const category = {
  type: 'object',
  required: ['reached', 'total', 'unreachable', 'notReached'],
  properties: {
    reached: { type: 'integer' },
    total: { type: 'integer' },
    unreachable: { type: 'array', items: { type: 'object' }, description: 'Goals no input or Task answer can reach, each with the proof (reason)' },
    notReached: { type: 'array', items: { type: 'object' }, description: 'Goals neither reached nor proved unreachable, each with what stood in the way' },
  },
};

/**
 * Explore's and verify's budget when the call gives none, well inside the server's default 30 s bound
 * for a call (explore's own, for doors with no such bound, is DEFAULT_BUDGET_SECONDS): set and stated here only.
 * @internal
 */
export const EXPLORE_BUDGET_SECONDS = 10;
/** The most seconds a call may ask its search to take, and the most scenarios. */
const [MOST_BUDGET_SECONDS, MOST_SCENARIOS] = [3600, 1000];
/** The share of the server's time bound for a call a search may take, and its words in the tools' descriptions. */
const BUDGET_SHARE = { of: 0.75, words: 'three quarters' } as const;

/**
 * The budget an explore or verify call runs with: the one asked for (or {@link EXPLORE_BUDGET_SECONDS}),
 * lowered to three quarters of the server's time bound for a call (none: `Infinity`), so the search and
 * its report end, and the answer crosses back, before the call is stopped with nothing (the rest is a
 * margin for the worker and a busy machine).
 * @internal
 */
export function exploreBudgetSeconds(asked: unknown, timeoutMs: number): number {
  const wanted = typeof asked === 'number' ? asked : EXPLORE_BUDGET_SECONDS;
  return Math.min(wanted, (timeoutMs / 1000) * BUDGET_SHARE.of);
}

/**
 * The budgetSeconds field of explore and verify: what it bounds (`use`), then the bound every such
 * call has (ended by `why`, which closes its parenthesis and sentence) and the default.
 */
const budgetSeconds = (use: string, why: string): z.ZodOptional<z.ZodNumber> => z.number().positive().max(MOST_BUDGET_SECONDS).optional().describe(
  `${use} At most ${BUDGET_SHARE.words} of the server's --timeout (a larger value is lowered to it${why} Default: ${EXPLORE_BUDGET_SECONDS}.`);

const exploreTool = tool({
  name: 'explore',
  title: 'Find inputs and Task answers that reach every path',
  description: 'Searches for execution inputs and Task answers that together reach every state, transition, Choice rule (each '
    + 'true once, the Default once), Catch, Retry and callback outcome, solving the Choice rules rather than guessing. Answers '
    + 'per state machine: the scenarios (input, mocks in the run tool\'s format, path, status, output or error), the goals no '
    + 'input can reach with the proof, those not reached with the reason, and findings (errors nothing catches, loops that '
    + `hit the ${withThousands(AwsLimits.HISTORY_EVENTS)}-event history limit, payloads past ${PAYLOAD_WORDS}, `
    + `EXPRESS runs past ${EXPRESS_DURATION_WORDS}). Every scenario was run again `
    + 'with its mocks before it is answered: pass them to the run tool to see it. Explore answers every Task itself; no code runs.',
  input: z.strictObject({
    ...SOURCE,
    stack,
    stateMachine,
    type,
    input: z.unknown().optional().describe('The execution input the search starts from; explore changes only the fields the machine reads. Default: {}.'),
    mocks: z.record(z.string(), z.unknown()).optional().describe('Answers explore must not invent, keyed by state name, in the run tool\'s '
      + 'mocks format: the items a Map\'s ItemReader reads from S3, a Task whose results you know. An AWS MockConfigFile works too, '
      + 'with testCase: its responses answer the Tasks the test case names, explore the others (run the scenarios with the same test case). '
      + 'Checked as the run tool checks them, by mockValidation and mockAdvice.'),
    testCase: z.string().min(1).max(1024).optional().describe('The MockConfigFile test case to use (required with a MockConfigFile).'),
    mockStateMachine: z.string().min(1).max(1024).optional().describe('The MockConfigFile state machine, when it has several.'),
    ...CHECK_OPTIONS,
    maxScenarios: z.number().int().min(1).max(MOST_SCENARIOS).optional().describe(`The most scenarios to answer per state machine. Default: ${DEFAULT_MAX_SCENARIOS}.`),
    budgetSeconds: budgetSeconds('Real seconds the search may take per state machine; when they run out the answer holds what was found '
      + 'and lists the rest as not reached.', ', so the call answers what it found rather than being stopped); keep it below that '
      + 'for all the machines of a file together.'),
    s3Dir: s3Dir('Map ItemReaders read their items from it, and aws-sdk:s3 Tasks no mock answers read it; explore writes nothing '
      + 'to it (a ResultWriter\'s files and a PutObject are answered as stored, and dropped).'),
    seed: z.number().int().optional().describe(`Seed of the runs' random source. The same machine, options and seed give the same answer. Default: ${DEFAULT_SEED}.`),
    details: z.boolean().optional().describe('Answer the whole report: every scenario\'s path and the goals it reaches, every goal not reached. '
      + 'Default: false, the whole report when it is short (8,000 characters), else a summary (each path by its decisive states and length, the first 10 goals per list) that says in leftOut what it left out.'),
  }),
  output: {
    type: 'object',
    required: ['reports'],
    properties: {
      truncated,
      reports: {
        type: 'array',
        items: {
          type: 'object',
          required: ['source'],
          properties: {
            source: string,
            machine: string,
            states: category,
            transitions: category,
            choiceRules: category,
            catches: category,
            retries: category,
            callbacks: category,
            scenarios: {
              type: 'array',
              items: {
                type: 'object',
                // A summary too long for its bound keeps only the name and outcome of its last scenarios.
                required: ['name', 'status'],
                properties: {
                  name: string,
                  input: { description: 'Left out of the last scenarios of a summary too long to answer whole' },
                  mocks: { type: 'object', description: 'Left out with input' },
                  status: string,
                  path: { type: 'array', items: string, description: 'With details: true, every state entered' },
                  decisiveStates: { type: 'array', items: string, description: 'In a summary, the states that decide the run' },
                  pathLength: { type: 'integer' },
                },
              },
            },
            findings: { type: 'array', items: { type: 'object' }, description: 'Explore\'s findings; for an invalid definition, its validation findings instead' },
            search: { type: 'object', description: 'Whether the search was complete, what cut it short, how many runs it made' },
            leftOut: { type: 'string', description: 'What a summary leaves out, and how to ask for it' },
          },
        },
      },
    },
  },
  pathFields: ['file', 's3Dir'],
  oneOf: [SOURCE_ONE_OF],
});

/** Properties one verify call checks, and the most its bound on a Map's items may be (the tool's bound, as a run's input is). */
const [MAX_PROPERTIES, MAX_MAP_ITEMS] = [100, 1_000_000];

const verifyTool = tool({
  name: 'verify',
  title: 'Check properties over every path of a state machine',
  description: 'Checks properties over every path of one state machine: explore\'s search makes the runs (inputs and Task answers '
    + 'that reach every state, transition, Choice rule, Retry and Catch) and each property gets a verdict. VIOLATED comes with a '
    + 'counterexample (input, mocks in the run tool\'s format, path) that was run again from its mocks: pass them to the run tool to '
    + 'see it. HOLDS only when every goal was reached or proved unreachable and the property holds on every path of the machine\'s '
    + 'graph; UNKNOWN otherwise, saying what was not covered and what to give. The same verdicts as `stepwright verify --json`. '
    + 'Verify answers every Task itself; no code runs.',
  input: z.strictObject({
    ...SOURCE,
    stack,
    stateMachine,
    type,
    properties: z.record(
      z.string().min(1).max(256).refine((k) => k !== '__proto__', { message: 'a property may not be named __proto__' }),
      pathProperty,
    ).refine((ps) => Object.keys(ps).length >= 1 && Object.keys(ps).length <= MAX_PROPERTIES, {
      message: `give 1 to ${MAX_PROPERTIES} properties, keyed by name`,
    }).describe('The properties to check, keyed by name, each an object with one field naming its kind: '
      + '{"never": "State"}, {"leadsTo": ["A", ["B", "C"]]}, {"precedes": ["A", "B"]}, {"atMost": ["A", n]}, '
      + '{"endsWith": {"statuses": ["SUCCEEDED", "FAILED"], "errors": ["Payment.Declined"]}}, {"maxTransitions": n}, {"maxSeconds": n}.'),
    input: z.unknown().optional().describe('The execution input the search starts from; verify changes only the fields the machine reads. Default: {}.'),
    mocks: z.record(z.string(), z.unknown()).optional().describe('Answers verify must not invent, keyed by state name, in the run tool\'s '
      + 'mocks format: the items a Map\'s ItemReader reads from S3, a Task whose results you know. Checked as the run tool checks them, '
      + 'by mockValidation and mockAdvice.'),
    ...CHECK_OPTIONS,
    budgetSeconds: budgetSeconds('Real seconds the search may take; when they run out, a property no run broke is UNKNOWN.', ').'),
    s3Dir: s3Dir('Map ItemReaders read their items from it, and aws-sdk:s3 Tasks no mock answers read it; verify writes nothing to it.'),
    seed: z.number().int().optional().describe(`Seed of the runs' random source. The same machine, options and seed give the same answer. Default: ${DEFAULT_SEED}.`),
    maxLoopTurns: z.number().int().positive().max(AwsLimits.HISTORY_EVENTS).optional().describe('The most times a run goes round a loop the definition '
      + `does not bound: a HOLDS that rests on it says so in its reason and boundsHit. At most ${AwsLimits.HISTORY_EVENTS}, AWS's history events. Default: none.`),
    maxMapItems: z.number().int().positive().max(MAX_MAP_ITEMS).optional().describe('The most items a run of a Map has where the definition does not '
      + 'bound them: a HOLDS that rests on it says so, and no run is made with more. Default: none.'),
  }),
  output: {
    type: 'object',
    required: ['source', 'runs', 'complete', 'properties'],
    properties: {
      source: { ...string, description: 'The state machine checked' },
      runs: { type: 'integer', description: 'Executions checked: every run the search made' },
      complete: { type: 'boolean', description: 'True when every goal was reached or proved unreachable within the bounds' },
      stoppedBy: { type: 'string', enum: ['budget', 'max-scenarios', 'max-runs'], description: 'The bound that cut the search short' },
      boundsHit: { type: 'array', items: { type: 'string', enum: ['loopTurns', 'mapItems'] }, description: 'The bounds given that a HOLDS rests on' },
      properties: {
        type: 'object',
        description: 'What `stepwright verify --json` prints: per property name, its verdict, what it asks, why, and for VIOLATED a counterexample',
        additionalProperties: {
          type: 'object',
          required: ['verdict', 'property', 'reason'],
          properties: {
            verdict: { type: 'string', enum: ['HOLDS', 'VIOLATED', 'UNKNOWN'] },
            property: string,
            reason: string,
            counterexample: {
              type: 'object',
              required: ['input', 'mocks', 'path', 'status', 'minimized'],
              properties: {
                input: {},
                mocks: { type: 'object' },
                path: { type: 'array', items: string },
                status: string,
                error: string,
                minimized: {
                  type: 'object',
                  description: 'The fewest Task calls of the runs that broke it, its calls then cut and its input shrunk while it still breaks it',
                  required: ['taskCalls', 'inputCharacters', 'violatingRuns'],
                  properties: {
                    taskCalls: { type: 'integer' },
                    inputCharacters: { type: 'integer' },
                    violatingRuns: { type: 'integer' },
                    cutFromTaskCalls: { type: 'integer' },
                    shrunkFromCharacters: { type: 'integer' },
                  },
                },
              },
            },
          },
        },
      },
      truncated,
    },
  },
  pathFields: ['file', 's3Dir'],
  oneOf: [SOURCE_ONE_OF],
});

const parityTool = tool({
  name: 'parity',
  title: 'Check local runs against TestState',
  description: 'Sends each state visit of local runs to a TestState with the input, variables, Context Object and mock the state had '
    + 'there, and compares the answer with what stepwright did: status, output, next state, error and cause, and each stage of the '
    + 'data flow. The runs are made here (a definition or file, with mocks or a MockConfigFile, once per test case and input), read '
    + 'from a runs file (the jest reporter\'s parity.runsFile, or a recording), or are conformance case files. Offline, it compares '
    + 'with stepwright serve\'s TestState at a loopback endpoint, or with the AWS answers case files hold (recorded: true); AWS\'s own '
    + 'TestState only when the server was started with --allow-aws. Answers the counts, each visit that differs or was not compared, '
    + 'a case file (request and both answers) for each difference, and the table.',
  input: z.strictObject({
    ...SOURCE,
    file: file.describe('Run this state machine here first: an ASL file, a template or a cdk.out folder, inside the server\'s folder. '
      + 'Give this, definition, runsFile or casesFile.'),
    definition: definition.describe('Run this state machine here first, given inline (ASL or a template, JSON or YAML text, or an object). '
      + 'Give this, file, runsFile or casesFile.'),
    stack,
    stateMachine,
    mocks: z.unknown().optional().describe('With definition or file: the mocks of the run tool, or an AWS MockConfigFile (every test case '
      + 'of the machine is run, or those in testCases). Give this or mocksFile.'),
    mocksFile: z.string().min(1).max(4096).optional().describe('Path of a mocks file or MockConfigFile, inside the server\'s folder. Give this or mocks.'),
    testCases: z.array(z.string().min(1).max(1024)).max(100).optional().describe('The MockConfigFile test cases to run. Default: every one of the machine.'),
    mockStateMachine: z.string().min(1).max(1024).optional().describe('The MockConfigFile state machine, when it has several.'),
    inputs: z.array(z.unknown()).min(1).max(100).optional().describe('Execution inputs; each runs with each test case. Default: [{}].'),
    s3Dir: s3Dir('With definition or file: Map ItemReaders read their items from it, and aws-sdk:s3 Tasks no mock answers read it; '
      + 'parity writes nothing to it (a ResultWriter\'s files and a PutObject are checked and dropped).'),
    runsFile: z.string().min(1).max(4096).optional().describe('Path of a runs file: JSON Lines of recordings as the jest reporter\'s '
      + 'parity.runsFile writes them, or one recording of stepwright record. Give this, definition, file or casesFile.'),
    casesFile: z.string().min(1).max(4096).optional().describe('Path of a conformance case file, or a folder of them, as stepwright parity '
      + '--write-cases writes them. Give this, definition, file or runsFile.'),
    recorded: z.boolean().optional().describe('With casesFile: compare with the AWS answers the case files hold, and call nothing. Default: false.'),
    endpoint: z.string().min(1).max(2048).optional().describe('A loopback Step Functions endpoint to call TestState at, e.g. stepwright serve\'s '
      + 'http://127.0.0.1:8083. Without it, AWS\'s TestState, which needs the server started with --allow-aws.'),
    region: z.string().min(1).max(64).optional().describe('AWS\'s region (with --allow-aws). Default: the server\'s AWS_REGION or profile.'),
    profile: z.string().min(1).max(256).optional().describe('The shared-config profile for AWS\'s credentials (with --allow-aws, and no endpoint: a loopback endpoint is sent placeholder credentials).'),
    inspectionLevel: z.enum(['INFO', 'DEBUG']).optional().describe('DEBUG also compares each stage of the data flow. Default: DEBUG.'),
    fieldValidationMode: z.enum(MOCK_VALIDATION_MODES).optional().describe('Sent as each mocked result\'s mock.fieldValidationMode. '
      + 'Default: none, AWS\'s STRICT.'),
    concurrency: z.number().int().min(1).max(10).optional().describe('TestState calls at once. Default: 2.'),
    maxCalls: z.number().int().min(1).max(1000).optional().describe('TestState calls in all, retries after a throttle included; the visits '
      + 'past it are answered unchecked. Keep the calls inside the server\'s --timeout. Default: 200.'),
  }),
  output: {
    type: 'object',
    required: ['against', 'counts', 'calls', 'throttled', 'table', 'rows'],
    properties: {
      against: { ...string, description: 'What answered: the endpoint, AWS (region), or recorded answers' },
      counts: { type: 'object', description: 'Visits equal, differing, skipped (over a TestState limit, or not sendable) and unchecked' },
      calls: { type: 'integer' },
      throttled: { type: 'integer' },
      stopped: { ...string, description: 'Why the check stopped before the end (access denied, no credentials)' },
      table: { ...string, description: 'The report as stepwright parity prints it: a line per state, the first difference with both sides' },
      rows: { type: 'array', items: { type: 'object' }, description: 'Each visit that is not equal: where (machine, state, visit, attempt, run), its verdict, each field that differs with both sides, or why it was not compared' },
      cases: { type: 'array', items: { type: 'object' }, description: 'A conformance case file for each difference: the request and both answers' },
      failedRuns: {
        type: 'array',
        items: { type: 'object' },
        description: 'Each run made here that did not succeed: machine, run, status, error, cause, the Fail state it ended in, and unplanned: '
          + 'true when it failed on something neither the machine nor its mocks say (a Task no mock answers, an S3 object missing, a path '
          + 'that fails), so the states after the failure were never visited nor checked',
      },
      truncated,
    },
  },
  pathFields: ['file', 'mocksFile', 'runsFile', 'casesFile', 's3Dir'],
  oneOf: [{ fields: ['definition', 'file', 'runsFile', 'casesFile'], required: true }, { fields: ['mocks', 'mocksFile'], required: false }],
  openWorld: true,
});

/** Every tool, in the order clients list them. */
export const TOOLS = [validateTool, runTool, testStateTool, renderTool, checkIamTool, listTool, exploreTool, verifyTool, parityTool] as const;

/** The tools' names. */
export type ToolName = (typeof TOOLS)[number]['name'];

/** The arguments of tool `N` as its call receives them: what its input schema parses them to. */
export type ToolArgs<N extends ToolName> = z.output<Extract<(typeof TOOLS)[number], { readonly name: N }>['input']>;
