/*
 * The tools `stepwright mcp` offers, as data: name, what it is for, the input it takes (a zod schema: the JSON
 * Schema clients see is made from it, and the same schema checks every call) and the structured output it answers
 * with (a JSON Schema the SDK's client checks answers against). Adding a tool is one entry here and one call in calls.ts.
 */
import { z } from 'zod';
import { exploreTool, verifyTool } from './search-tools';
import {
  CHECK_OPTIONS, definition, file, finding, MAX_TEXT, MOCK_CONFIG_CASE, permissionReport, s3Dir, SOURCE, SOURCE_ONE_OF,
  stack, stateMachine, string, tool, truncated, type,
} from './tool-fields';
import { INSPECTION_LEVELS, MACHINE_TYPES } from '../asl/aws-defaults';
import { AwsLimits, PAYLOAD_WORDS } from '../asl/limits';
import { DEFAULT_SEED } from '../asl/random';
import { withThousands } from '../asl/shorten';
import { VIRTUAL_CLOCK_START } from '../interpreter/clock';
import { EXPRESS_MAX_TRANSITIONS } from '../interpreter/execution-types';
import { MOCK_FILE_DELAY_RULE, MOCK_FILE_LIST_RULE } from '../workbench/mocks/json';
import { MOCK_VALIDATION_MODES } from '../workbench/mocks/validation-mode';
import { OPEN_EXECUTIONS_BOUND } from '../workbench/workflow/chains';


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
    ...MOCK_CONFIG_CASE,
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
    openExecutionLimit: z.number().int().min(1).max(AwsLimits.OPEN_EXECUTIONS).optional().describe('The most STANDARD executions the run may have open at once '
      + '(its own and the child executions its Tasks start), the most EXPRESS ones running that a Task may start one more of (AWS counts none), '
      + 'and the longest chain of executions each started by a Task of the one before: past it the '
      + 'states:startExecution Task that would start one more fails with StepFunctions.ExecutionLimitExceededException, as past AWS\'s quota of open executions '
      + `(${withThousands(AwsLimits.OPEN_EXECUTIONS)}). The same as \`stepwright run --open-executions\`. Default: ${OPEN_EXECUTIONS_BOUND}, so that a machine that starts itself ends.`),
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
    inspectionLevel: z.enum(INSPECTION_LEVELS).optional().describe('INFO (default): status, output, error. DEBUG and TRACE add inspectionData.'),
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
