/**
 * Generators for requests to a live `stepwright serve`: an operation (one of the
 * API's, or a hostile X-Amz-Target), a body (the operation's members with values
 * that are right, wrong, huge or hostile; or bytes that are not a JSON object),
 * a method and headers. Values come from small pools built around the resources
 * the fuzz run creates first (see {@link SETUP}), so that a request finds a state
 * machine, an execution or an activity often enough to get past the lookups.
 */
import fc from 'fast-check';
import { consoleRequestArb, type ConsoleRequest } from './console-arbitraries';
import { S3_MACHINES, s3RequestArb, type S3Case } from './s3-arbitraries';

const REGION_ACCOUNT = 'arn:aws:states:us-east-1:123456789012';
const ROLE = 'arn:aws:iam::123456789012:role/StepFunctionsRole';

/** One request as it goes on the wire. */
export interface HttpRequest {
  readonly method: string;
  /** The X-Amz-Target header; none when undefined. */
  readonly target?: string;
  readonly contentType: string;
  readonly body: string;
  /** A Host and Origin of the door family, and whether the door must let them in. */
  readonly door?: DoorHeaders;
  /** The hostile-file family: what the MockConfigFile is replaced with before the request (a StartExecution naming a test case). */
  readonly swap?: FileSwap;
  /** The console family: a request to the console API instead (its method, path and headers are the console's). */
  readonly console?: ConsoleRequest;
  /** The S3 family: a StartSyncExecution of a machine reading or writing serve's local S3 folder. */
  readonly s3?: S3Case;
}

/** Headers for the door: `{port}` in them stands for the server's port. */
export interface DoorHeaders {
  /** The Host header; the endpoint's own when undefined. */
  readonly host?: string;
  readonly origin?: string;
  /** What the request must get: in (answered as any request), or 403 AccessDeniedException. */
  readonly expected: 'in' | 'refused';
  /** For the counts: `host refused`, `origin refused`, `loopback`, `sync- prefix`. */
  readonly family: string;
}

/** What a hostile-file case puts where the MockConfigFile was. */
export type FileSwap = 'fifo' | 'link to /dev/zero' | 'directory' | 'sparse 300 MB' | 'not JSON' | 'byte order mark' | 'missing' | 'dangling link' | 'valid';

/** The MockConfigFile test case a hostile-file case starts (every valid version has it). */
export const MOCK_TEST_CASE = 'Happy';

/** A valid MockConfigFile: the callback machine's Task answered by the test case, with `marker` in its answer. */
export function mockConfigText(marker: number): string {
  return text({
    StateMachines: { 'fz-callback': { TestCases: { [MOCK_TEST_CASE]: { Ask: 'Answered' } } } },
    MockedResponses: { Answered: { 0: { Return: { marker } } } },
  });
}

const text = (value: unknown): string => JSON.stringify(value);

/** Definitions that run quickly at a large --time-scale, or wait for a callback or a worker, or are not definitions. */
const DEFINITIONS = {
  pass: text({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } }),
  wait: text({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 2, Next: 'D' }, D: { Type: 'Succeed' } } }),
  fail: text({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Custom.Failure', Cause: 'generated' } } }),
  choice: text({
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' },
      Big: { Type: 'Pass', Result: 'big', End: true },
      Small: { Type: 'Fail', Error: 'Too.Small' },
    },
  }),
  callback: text({
    StartAt: 'Ask',
    States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$' }, End: true } },
  }),
  activity: text({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: `${REGION_ACCOUNT}:activity:fz-work`, TimeoutSeconds: 30, End: true } } }),
  map: text({
    StartAt: 'Each',
    States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } },
  }),
  jsonata: text({ QueryLanguage: 'JSONata', StartAt: 'J', States: { J: { Type: 'Pass', Output: '{% $states.input %}', End: true } } }),
  protoStates: '{"StartAt":"constructor","States":{"constructor":{"Type":"Pass","Next":"__proto__"},"__proto__":{"Type":"Succeed"}}}',
} as const;

/** The resources a fuzz run creates before it sends random requests: requests name them, and them often. */
export const SETUP = {
  machines: [
    { name: 'fz-pass', definition: DEFINITIONS.pass, type: 'STANDARD' },
    { name: 'fz-wait', definition: DEFINITIONS.wait, type: 'STANDARD' },
    { name: 'fz-fail', definition: DEFINITIONS.fail, type: 'STANDARD' },
    { name: 'fz-choice', definition: DEFINITIONS.choice, type: 'STANDARD' },
    { name: 'fz-callback', definition: DEFINITIONS.callback, type: 'STANDARD' },
    { name: 'fz-activity', definition: DEFINITIONS.activity, type: 'STANDARD' },
    { name: 'fz-map', definition: DEFINITIONS.map, type: 'STANDARD' },
    { name: 'constructor', definition: DEFINITIONS.protoStates, type: 'STANDARD' },
    { name: 'fz-express', definition: DEFINITIONS.pass, type: 'EXPRESS' },
    ...S3_MACHINES,
  ],
  activity: 'fz-work',
  role: ROLE,
} as const;

/** Every operation of the API (as @aws-sdk/client-sfn names its commands), with the members its request takes. */
export const OPERATION_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  CreateActivity: ['name', 'tags', 'encryptionConfiguration'],
  CreateStateMachine: ['name', 'definition', 'roleArn', 'type', 'loggingConfiguration', 'tags', 'tracingConfiguration', 'publish', 'versionDescription', 'encryptionConfiguration'],
  CreateStateMachineAlias: ['description', 'name', 'routingConfiguration'],
  DeleteActivity: ['activityArn'],
  DeleteStateMachine: ['stateMachineArn'],
  DeleteStateMachineAlias: ['stateMachineAliasArn'],
  DeleteStateMachineVersion: ['stateMachineVersionArn'],
  DescribeActivity: ['activityArn'],
  DescribeExecution: ['executionArn', 'includedData'],
  DescribeMapRun: ['mapRunArn'],
  DescribeStateMachine: ['stateMachineArn', 'includedData'],
  DescribeStateMachineAlias: ['stateMachineAliasArn'],
  DescribeStateMachineForExecution: ['executionArn', 'includedData'],
  GetActivityTask: ['activityArn', 'workerName'],
  GetExecutionHistory: ['executionArn', 'maxResults', 'reverseOrder', 'nextToken', 'includeExecutionData'],
  ListActivities: ['maxResults', 'nextToken'],
  ListExecutions: ['stateMachineArn', 'statusFilter', 'maxResults', 'nextToken', 'mapRunArn', 'redriveFilter'],
  ListMapRuns: ['executionArn', 'maxResults', 'nextToken'],
  ListStateMachineAliases: ['stateMachineArn', 'nextToken', 'maxResults'],
  ListStateMachineVersions: ['stateMachineArn', 'nextToken', 'maxResults'],
  ListStateMachines: ['maxResults', 'nextToken'],
  ListTagsForResource: ['resourceArn'],
  PublishStateMachineVersion: ['stateMachineArn', 'revisionId', 'description'],
  RedriveExecution: ['executionArn', 'clientToken'],
  SendTaskFailure: ['taskToken', 'error', 'cause'],
  SendTaskHeartbeat: ['taskToken'],
  SendTaskSuccess: ['taskToken', 'output'],
  StartExecution: ['stateMachineArn', 'name', 'input', 'traceHeader'],
  StartSyncExecution: ['stateMachineArn', 'name', 'input', 'traceHeader', 'includedData'],
  StopExecution: ['executionArn', 'error', 'cause'],
  TagResource: ['resourceArn', 'tags'],
  TestState: ['definition', 'roleArn', 'input', 'inspectionLevel', 'revealSecrets', 'variables', 'stateName', 'mock', 'context', 'stateConfiguration'],
  UntagResource: ['resourceArn', 'tagKeys'],
  UpdateMapRun: ['mapRunArn', 'maxConcurrency', 'toleratedFailurePercentage', 'toleratedFailureCount'],
  UpdateStateMachine: ['stateMachineArn', 'definition', 'roleArn', 'loggingConfiguration', 'tracingConfiguration', 'publish', 'versionDescription', 'encryptionConfiguration'],
  UpdateStateMachineAlias: ['stateMachineAliasArn', 'description', 'routingConfiguration'],
  ValidateStateMachineDefinition: ['definition', 'type', 'severity', 'maxResults'],
};

/** The members the model requires (ListExecutions: one of two), always sent in a well-formed request and mostly in a hostile one. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  CreateActivity: ['name'],
  CreateStateMachine: ['name', 'definition', 'roleArn'],
  CreateStateMachineAlias: ['name', 'routingConfiguration'],
  DeleteActivity: ['activityArn'],
  DeleteStateMachine: ['stateMachineArn'],
  DeleteStateMachineAlias: ['stateMachineAliasArn'],
  DeleteStateMachineVersion: ['stateMachineVersionArn'],
  DescribeActivity: ['activityArn'],
  DescribeExecution: ['executionArn'],
  DescribeMapRun: ['mapRunArn'],
  DescribeStateMachine: ['stateMachineArn'],
  DescribeStateMachineAlias: ['stateMachineAliasArn'],
  DescribeStateMachineForExecution: ['executionArn'],
  GetActivityTask: ['activityArn'],
  GetExecutionHistory: ['executionArn'],
  ListExecutions: ['stateMachineArn'],
  ListMapRuns: ['executionArn'],
  ListStateMachineAliases: ['stateMachineArn'],
  ListStateMachineVersions: ['stateMachineArn'],
  ListTagsForResource: ['resourceArn'],
  PublishStateMachineVersion: ['stateMachineArn'],
  RedriveExecution: ['executionArn'],
  SendTaskFailure: ['taskToken'],
  SendTaskHeartbeat: ['taskToken'],
  SendTaskSuccess: ['taskToken', 'output'],
  StartExecution: ['stateMachineArn'],
  StartSyncExecution: ['stateMachineArn'],
  StopExecution: ['executionArn'],
  TagResource: ['resourceArn', 'tags'],
  TestState: ['definition', 'roleArn'],
  UntagResource: ['resourceArn', 'tagKeys'],
  UpdateMapRun: ['mapRunArn'],
  UpdateStateMachine: ['stateMachineArn'],
  UpdateStateMachineAlias: ['stateMachineAliasArn'],
  ValidateStateMachineDefinition: ['definition'],
};

/** Names that are properties of every plain object. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty', '__lookupGetter__', '__defineSetter__', 'isPrototypeOf'];

/** Execution names a run reuses, so that requests find the executions it started. */
const EXECUTION_NAMES = ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'constructor', '__proto__'];
const MACHINE_NAMES = [...SETUP.machines.map((m) => m.name), 'fz-gone', '__proto__', 'valueOf'];

const machineArn = (name: string): string => `${REGION_ACCOUNT}:stateMachine:${name}`;
const token = (listing: string, offset: unknown): string => Buffer.from(text({ l: listing, o: offset })).toString('base64');
const LONG = 'x'.repeat(1_048_577);

/** Strings a hostile client sends anywhere a string goes. */
const hostileString = fc.oneof(
  { arbitrary: fc.constantFrom('', ' ', '\u0000', 'null', '{}', '[]', '"', "'", '\\', '${x}', '%s', 'a\nb', '\ud800', 'é', '🎉', ...PROTOTYPE_NAMES), weight: 10 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 10 },
  { arbitrary: fc.integer({ min: 81, max: 3000 }).map((n) => 'a'.repeat(n)), weight: 3 },
  // Past every bound AWS sets on a string member; rare, as it costs a megabyte on the wire.
  { arbitrary: fc.constant(LONG), weight: 1 },
);

/** Any JSON value (small), including the wrong kind for a member. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small', withCrossShrink: true },
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2),
  hostileString,
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(
    fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 5 })), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 },
  ),
);

const executionArn = fc.oneof(
  fc.tuple(fc.constantFrom(...MACHINE_NAMES), fc.constantFrom(...EXECUTION_NAMES)).map(([m, e]) => `${REGION_ACCOUNT}:execution:${m}:${e}`),
  fc.constantFrom(`${REGION_ACCOUNT}:express:fz-express:e0:0`, `${REGION_ACCOUNT}:execution:fz-pass`, 'arn:aws:states:us-east-1:123456789012:execution:'),
);
const stateMachineArn = fc.oneof(
  fc.constantFrom(...MACHINE_NAMES).map(machineArn),
  fc.constantFrom(...MACHINE_NAMES).chain((m) => fc.constantFrom(`${machineArn(m)}:1`, `${machineArn(m)}:2`, `${machineArn(m)}:live`, `${machineArn(m)}:constructor`, `${machineArn(m)}#Happy`)),
  fc.constantFrom('arn:aws:states:us-east-1:123456789012:activity:fz-work', 'not-an-arn', `arn:aws:states:us-east-1:123456789012:stateMachine:${'m'.repeat(300)}`),
);
const activityArn = fc.constantFrom(`${REGION_ACCOUNT}:activity:fz-work`, `${REGION_ACCOUNT}:activity:constructor`, `${REGION_ACCOUNT}:activity:gone`, `${REGION_ACCOUNT}:stateMachine:fz-pass`);
const mapRunArn = fc.constantFrom(`${REGION_ACCOUNT}:mapRun:fz-map/Each:e0`, `${REGION_ACCOUNT}:mapRun:fz-map/Each:e1`, `${REGION_ACCOUNT}:mapRun:x`);
const inputs = fc.oneof(
  { arbitrary: fc.constantFrom('{}', '{"n":2}', '{"n":0}', '{"items":[1,2,3]}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}', '[]', '"s"', '1', 'null'), weight: 10 },
  { arbitrary: fc.constantFrom('not json', '', '{', `${'['.repeat(5000)}${']'.repeat(5000)}`), weight: 3 },
  { arbitrary: fc.constant(text({ big: 'b'.repeat(262_144) })), weight: 1 },
);
const tag = fc.oneof(
  fc.record({ key: fc.oneof(fc.constantFrom('k', 'team', ...PROTOTYPE_NAMES), hostileString), value: fc.oneof(fc.constantFrom('v', ''), hostileString) }, { requiredKeys: [] }),
  anyJson,
);
const routing = fc.oneof(
  fc.array(
    fc.record({ stateMachineVersionArn: stateMachineArn, weight: fc.oneof(fc.constantFrom(0, 50, 100, 101, -1), anyJson) }, { requiredKeys: [] }),
    { maxLength: 3 },
  ),
  anyJson,
);

/** A value AWS's model accepts for a member (the resource it names may still not exist). */
function validValue(member: string): fc.Arbitrary<unknown> {
  const knownMachine = fc.constantFrom(...SETUP.machines.map((m) => m.name));
  switch (member) {
    case 'stateMachineArn': return fc.oneof(
      { arbitrary: knownMachine.map(machineArn), weight: 6 },
      { arbitrary: knownMachine.map((m) => `${machineArn(m)}:1`), weight: 2 },
      { arbitrary: knownMachine.map((m) => `${machineArn(m)}:live`), weight: 2 },
    );
    case 'stateMachineVersionArn': return knownMachine.map((m) => `${machineArn(m)}:${m === 'fz-pass' ? 2 : 1}`);
    case 'stateMachineAliasArn': return knownMachine.map((m) => `${machineArn(m)}:live`);
    case 'executionArn': return fc.tuple(knownMachine, fc.constantFrom(...EXECUTION_NAMES)).map(([m, e]) => `${REGION_ACCOUNT}:execution:${m}:${e}`);
    case 'activityArn': return fc.constant(`${REGION_ACCOUNT}:activity:fz-work`);
    case 'resourceArn': return fc.oneof(knownMachine.map(machineArn), fc.constant(`${REGION_ACCOUNT}:activity:fz-work`));
    case 'mapRunArn': return mapRunArn;
    case 'roleArn': return fc.constant(ROLE);
    case 'name': return fc.constantFrom(...EXECUTION_NAMES, 'fz-new', 'fz-work', 'live', 'valueOf');
    case 'definition': return fc.constantFrom(...Object.values(DEFINITIONS));
    case 'type': return fc.constantFrom('STANDARD', 'EXPRESS');
    case 'input': case 'output': case 'context': return fc.constantFrom('{}', '{"n":2}', '{"n":0}', '{"items":[1,2,3]}', '{"__proto__":{"polluted":true}}', '"s"', '1');
    case 'variables': return fc.constantFrom('{}', '{"x":1}');
    case 'traceHeader': return fc.constant('Root=1-5759e988-bd862e3fe1be46a994272793');
    case 'tags': return fc.array(fc.record({ key: fc.constantFrom('k', 'team', ...PROTOTYPE_NAMES), value: fc.constantFrom('v', '') }), { maxLength: 5 });
    case 'tagKeys': return fc.array(fc.constantFrom('k', 'team', ...PROTOTYPE_NAMES), { maxLength: 3 });
    case 'routingConfiguration': return knownMachine.map((m) => [{ stateMachineVersionArn: `${machineArn(m)}:1`, weight: 100 }]);
    case 'maxResults': return fc.integer({ min: 0, max: 1000 });
    case 'nextToken': return fc.constantFrom('machines', 'activities').map((l) => token(l, 1));
    case 'statusFilter': return fc.constantFrom('RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED');
    case 'redriveFilter': return fc.constantFrom('REDRIVEN', 'NOT_REDRIVEN');
    case 'reverseOrder': case 'includeExecutionData': case 'publish': return fc.boolean();
    case 'revealSecrets': return fc.constant(false);
    case 'taskToken': return fc.uuid().map((u) => `${u}-0`);
    case 'error': return fc.constant('Custom.Failure');
    case 'cause': return fc.constant('because');
    case 'description': case 'versionDescription': return fc.constant('d');
    case 'workerName': return fc.constant('w');
    case 'revisionId': return fc.uuid();
    case 'clientToken': return fc.constant('c');
    case 'includedData': return fc.constantFrom('ALL_DATA', 'METADATA_ONLY');
    case 'severity': return fc.constantFrom('ERROR', 'WARNING');
    case 'inspectionLevel': return fc.constantFrom('INFO', 'DEBUG', 'TRACE');
    case 'stateName': return fc.constantFrom('P', 'W');
    case 'mock': return fc.constant({ result: '{}' });
    case 'stateConfiguration': return fc.constant({ retrierRetryCount: 0 });
    case 'loggingConfiguration': return fc.constantFrom({ level: 'OFF' }, { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:g:*' } }] });
    case 'tracingConfiguration': return fc.record({ enabled: fc.boolean() });
    case 'encryptionConfiguration': return fc.constant({ type: 'AWS_OWNED_KEY' });
    case 'maxConcurrency': case 'toleratedFailureCount': return fc.integer({ min: 0, max: 10 });
    case 'toleratedFailurePercentage': return fc.integer({ min: 0, max: 100 });
    default: return fc.constant(null);
  }
}

/** A value for a member in a hostile request: one of its kind or near it, now and then anything. */
function memberValue(member: string): fc.Arbitrary<unknown> {
  const near = ((): fc.Arbitrary<unknown> => {
    switch (member) {
      case 'stateMachineArn': case 'stateMachineVersionArn': case 'stateMachineAliasArn': return stateMachineArn;
      case 'executionArn': return executionArn;
      case 'activityArn': return activityArn;
      case 'resourceArn': return fc.oneof(stateMachineArn, activityArn);
      case 'roleArn': return fc.constantFrom(ROLE, 'arn:aws:iam::123456789012:user/x', '');
      case 'name': return fc.oneof(fc.constantFrom(...EXECUTION_NAMES, ...MACHINE_NAMES, 'fz-work', 'live'), fc.constantFrom('a b', 'a:b', 'x'.repeat(81)));
      case 'definition': return fc.oneof(fc.constantFrom(...Object.values(DEFINITIONS)), fc.constantFrom('{}', 'not json', 'null', text({ Type: 'Pass', End: true }), LONG));
      case 'type': return fc.constantFrom('STANDARD', 'EXPRESS', 'standard');
      case 'input': case 'output': case 'variables': case 'context': return inputs;
      case 'traceHeader': return fc.constantFrom('Root=1-5759e988-bd862e3fe1be46a994272793', 'R'.repeat(257), 'é');
      case 'tags': return fc.array(tag, { maxLength: 55 });
      case 'tagKeys': return fc.array(fc.oneof(fc.constantFrom('k', ...PROTOTYPE_NAMES), anyJson), { maxLength: 4 });
      case 'routingConfiguration': return routing;
      case 'maxResults': return fc.constantFrom(0, 1, 2, 100, 1000, 1001, -1, 1.5);
      case 'nextToken': return fc.oneof(
        fc.constantFrom('machines', 'activities', 'executions:x').chain((l) => fc.constantFrom(token(l, 1), token(l, -1), token(l, 0.5), token(l, 1e300))),
        hostileString,
      );
      case 'statusFilter': return fc.constantFrom('RUNNING', 'SUCCEEDED', 'FAILED', 'succeeded');
      case 'redriveFilter': return fc.constantFrom('REDRIVEN', 'NOT_REDRIVEN', 'SOMETIMES');
      case 'reverseOrder': case 'includeExecutionData': case 'publish': case 'revealSecrets': return fc.boolean();
      case 'taskToken': return fc.oneof(fc.uuid().map((u) => `${u}-0`), fc.constantFrom(...PROTOTYPE_NAMES, 't'.repeat(2049)));
      case 'error': return fc.constantFrom('Custom.Failure', 'E'.repeat(257), '');
      case 'cause': return fc.constantFrom('because', 'c'.repeat(32_769), '');
      case 'description': case 'versionDescription': return fc.constantFrom('d', 'd'.repeat(257));
      case 'workerName': return fc.constantFrom('w', 'w'.repeat(81));
      case 'clientToken': return fc.constantFrom('c', 'c'.repeat(65), 'tab\tbed');
      case 'includedData': return fc.constantFrom('ALL_DATA', 'METADATA_ONLY', 'SOME');
      case 'severity': return fc.constantFrom('ERROR', 'WARNING', 'INFO');
      case 'inspectionLevel': return fc.constantFrom('INFO', 'DEBUG', 'TRACE', 'ALL');
      case 'stateName': return fc.constantFrom('P', 'W', 'Ask', 'constructor', '__proto__', 'nope');
      case 'mock': return fc.record({ result: inputs, errorOutput: fc.record({ error: fc.string({ maxLength: 5 }), cause: fc.string({ maxLength: 5 }) }) }, { requiredKeys: [] });
      case 'stateConfiguration': return fc.record({ retrierRetryCount: fc.constantFrom(0, 1, -1), mapIterationFailureCount: fc.constantFrom(0, 2, 1.5) }, { requiredKeys: [] });
      case 'loggingConfiguration': return fc.record({
        level: fc.constantFrom('ALL', 'ERROR', 'FATAL', 'OFF', 'LOUD'),
        includeExecutionData: fc.boolean(),
        destinations: fc.array(fc.record({ cloudWatchLogsLogGroup: fc.record({ logGroupArn: fc.constantFrom('arn:aws:logs:us-east-1:123456789012:log-group:g:*') }) }), { maxLength: 2 }),
      }, { requiredKeys: [] });
      case 'tracingConfiguration': return fc.record({ enabled: fc.oneof(fc.boolean(), anyJson) }, { requiredKeys: [] });
      case 'encryptionConfiguration': return fc.record({
        type: fc.constantFrom('AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY', 'NONE'),
        kmsKeyId: fc.constantFrom('k', 'alias/x'),
        kmsDataKeyReusePeriodSeconds: fc.constantFrom(60, 900, 59, 901),
      }, { requiredKeys: [] });
      case 'maxConcurrency': case 'toleratedFailureCount': return fc.constantFrom(0, 1, -1, 1.5);
      case 'toleratedFailurePercentage': return fc.constantFrom(0, 50, 100, 100.5, -1);
      default: return validValue(member);
    }
  })();
  return fc.oneof({ arbitrary: near, weight: 8 }, { arbitrary: anyJson, weight: 1 }, { arbitrary: fc.constant(null), weight: 1 });
}

/** An object whose members are set with defineProperty: `__proto__` must become a member of the body, not the object's prototype. */
function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of entries) Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
  return params;
}

/**
 * The members of a request to `operation`. Well formed (every value one the model
 * accepts; required members there, others now and then) more often than not, so
 * that requests reach the operations' own logic; otherwise hostile: members
 * missing at random, values wrong, huge or of the wrong kind, hostile keys added.
 */
function paramsArb(operation: string): fc.Arbitrary<Record<string, unknown>> {
  const members = OPERATION_MEMBERS[operation] ?? [];
  const required = new Set(REQUIRED[operation] ?? []);
  const wellFormed = fc.tuple(...members.map((m) => fc.tuple(
    fc.constant(m),
    fc.integer({ min: 0, max: 9 }).map((n) => required.has(m) || n < 3),
    validValue(m),
  ))).map((chosen) => objectOf(chosen.filter(([, present]) => present).map(([m, , v]) => [m, v] as const)));
  const hostile = fc.tuple(
    fc.tuple(...members.map((m) => fc.tuple(
      fc.constant(m),
      fc.integer({ min: 0, max: 9 }).map((n) => (required.has(m) ? n < 9 : n < 4)),
      memberValue(m),
    ))),
    fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_NAMES, 'unknownMember'), anyJson), { maxLength: 2 }),
  ).map(([chosen, extra]) => objectOf([...chosen.filter(([, present]) => present).map(([m, , v]) => [m, v] as const), ...extra]));
  // A state machine deleted by one request comes back with a well-formed CreateStateMachine, as it was set up.
  const recreate = fc.constantFrom(...SETUP.machines)
    .map((m) => objectOf([['name', m.name], ['definition', m.definition], ['roleArn', ROLE], ['type', m.type], ['publish', true]]));
  if (operation === 'CreateStateMachine') return fc.oneof({ arbitrary: recreate, weight: 2 }, { arbitrary: wellFormed, weight: 1 }, { arbitrary: hostile, weight: 2 });
  return fc.oneof({ arbitrary: wellFormed, weight: 3 }, { arbitrary: hostile, weight: 2 });
}

/** Bodies that are not a JSON object at all. */
const brokenBody = fc.oneof(
  fc.constantFrom('', ' ', 'null', '[]', '"x"', '1', '{', '{"a":', '{"a":1,}', '\ufeff{}', '{"__proto__":{"polluted":1}}'),
  fc.string({ maxLength: 30 }),
  fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('latin1')),
);

/** X-Amz-Target values that name no operation. */
const hostileTarget = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES).map((n) => `AWSStepFunctions.${n}`),
  fc.constantFrom('AWSStepFunctions.', 'AWSStepFunctions', 'awsstepfunctions.ListStateMachines', 'DynamoDB_20120810.ListTables', 'AWSStepFunctions.ListStateMachines '),
  fc.string({ maxLength: 20 }).map((s) => `AWSStepFunctions.${s.replace(/[^\x21-\x7e]/g, '')}`),
);

/** Host headers the door lets in: loopback names, with or without a port. */
const LOOPBACK_HOSTS = ['127.0.0.1:{port}', 'localhost:{port}', '[::1]:{port}', 'LocalHost:{port}', 'orders.localhost:{port}', '127.1.2.3', 'localhost', '[0:0:0:0:0:0:0:1]:{port}'];
const LOOPBACK_ORIGINS = ['http://localhost:3000', 'https://127.0.0.1', 'http://[::1]:{port}', 'http://app.localhost:5173', 'HTTP://LOCALHOST'];

/** Host headers of a web page on a name not the server's (DNS rebinding), or malformed so as to pass a careless check. */
const foreignHost = fc.oneof(
  fc.constantFrom(
    'rebind.evil.example:{port}', 'localhost.evil.example:{port}', '127.0.0.1.nip.io:{port}', 'evil.example@localhost:{port}', 'localhost:{port}@evil.example',
    'localhost:99999', 'localhost.:{port}', '[::2]:{port}', '0.0.0.0:{port}', '192.168.1.20', '', 'evil-localhost:{port}', 'sync-evil.example:{port}',
    // The SDKs' sync- prefix is let in only on the two operations they send with it, not on these.
    'sync-localhost:{port}',
    'localhost:{port}/', 'localhost:{port}, evil.example', '[::1', '::1', '127.0.0.1:{port}:1', 'xn--localhost-0ra', '0x7f000001', '2130706433',
  ),
  fc.domain().filter((d) => !/(^|\.)localhost$/i.test(d)).map((d) => `${d}:{port}`),
  fc.string({ minLength: 1, maxLength: 40 }).map((x) => x.replace(/[^\x21-\x7e]/g, '')).filter((x) => !/localhost|127\.|::1|^\[/i.test(x)),
);

/** Origins of pages elsewhere, and origins a careless check would take for loopback. */
const foreignOrigin = fc.oneof(
  fc.constantFrom(
    'http://evil.example', 'null', 'file://', 'http://localhost.evil.example', 'https://evil.example:443', 'http://localhost:3000/', 'chrome-extension://abc',
    'http://evil.example@localhost', 'ws://localhost', 'http://localhost:3000 http://evil.example', 'http://127.0.0.1.nip.io',
  ),
  fc.domain().filter((d) => !/(^|\.)localhost$/i.test(d)).map((d) => `https://${d}`),
);

/** The door family: a ListStateMachines or StartExecution with a Host and Origin the door must let in or refuse. */
const doorArb: fc.Arbitrary<DoorHeaders> = fc.oneof(
  fc.tuple(foreignHost, fc.option(fc.constantFrom(...LOOPBACK_ORIGINS), { nil: undefined }))
    .map(([host, origin]) => ({ host, ...(origin ? { origin } : {}), expected: 'refused' as const, family: 'host refused' })),
  fc.tuple(fc.option(fc.constantFrom(...LOOPBACK_HOSTS), { nil: undefined }), foreignOrigin)
    .map(([host, origin]) => ({ ...(host ? { host } : {}), origin, expected: 'refused' as const, family: 'origin refused' })),
  fc.tuple(fc.constantFrom(...LOOPBACK_HOSTS), fc.option(fc.constantFrom(...LOOPBACK_ORIGINS), { nil: undefined }))
    .map(([host, origin]) => ({ host, ...(origin ? { origin } : {}), expected: 'in' as const, family: 'loopback' })),
);

const FILE_SWAPS: readonly FileSwap[] = ['fifo', 'link to /dev/zero', 'directory', 'sparse 300 MB', 'not JSON', 'byte order mark', 'missing', 'dangling link', 'valid'];

/** One request: mostly a real operation with a JSON object body, sometimes anything. */
export function requestArb(): fc.Arbitrary<HttpRequest> {
  const operations = Object.keys(OPERATION_MEMBERS);
  // StartExecution more often than the rest: its answers are what the restart must keep.
  const real = fc.oneof({ arbitrary: fc.constantFrom(...operations), weight: 8 }, { arbitrary: fc.constant('StartExecution'), weight: 2 }).chain((operation) => fc.tuple(fc.constant(operation), fc.oneof(
    { arbitrary: paramsArb(operation).map((p) => text(p)), weight: 9 },
    { arbitrary: brokenBody, weight: 1 },
  )));
  return fc.oneof(
    { arbitrary: real.map(([operation, body]) => ({ method: 'POST', target: `AWSStepFunctions.${operation}`, contentType: 'application/x-amz-json-1.0', body })), weight: 17 },
    { arbitrary: fc.tuple(hostileTarget, brokenBody).map(([target, body]) => ({ method: 'POST', target, contentType: 'application/x-amz-json-1.0', body })), weight: 1 },
    {
      arbitrary: fc.record({
        method: fc.constantFrom('GET', 'PUT', 'DELETE', 'POST'),
        target: fc.option(fc.constantFrom(...operations).map((o) => `AWSStepFunctions.${o}`), { nil: undefined }),
        contentType: fc.constantFrom('application/json', 'text/plain', ''),
        body: fc.oneof(brokenBody, fc.constant('{}')),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(doorArb, fc.constantFrom('ListStateMachines', 'StartExecution')).map(([door, operation]) => ({
        method: 'POST',
        target: `AWSStepFunctions.${operation}`,
        contentType: 'application/x-amz-json-1.0',
        body: operation === 'StartExecution' ? text({ stateMachineArn: `${REGION_ACCOUNT}:stateMachine:fz-pass` }) : '{}',
        door,
      })),
      weight: 2,
    },
    {
      // The SDKs' sync- host prefix: let in on StartSyncExecution and TestState from a request with no
      // Origin (an SDK's), refused with one (a page that rebound the name).
      arbitrary: fc.tuple(fc.constantFrom('StartSyncExecution', 'TestState'), fc.option(fc.constantFrom(...LOOPBACK_ORIGINS), { nil: undefined }))
        .map(([operation, origin]) => ({
          method: 'POST',
          target: `AWSStepFunctions.${operation}`,
          contentType: 'application/x-amz-json-1.0',
          body: operation === 'TestState'
            ? text({ definition: '{"Type":"Pass","End":true}', roleArn: 'arn:aws:iam::123456789012:role/fz' })
            : text({ stateMachineArn: `${REGION_ACCOUNT}:stateMachine:fz-pass` }),
          door: { host: 'sync-localhost:{port}', ...(origin ? { origin } : {}), expected: origin ? 'refused' as const : 'in' as const, family: 'sync- prefix' },
        })),
      weight: 1,
    },
    {
      arbitrary: s3RequestArb().map((r) => ({ method: 'POST', contentType: 'application/x-amz-json-1.0', ...r })),
      weight: 4,
    },
    {
      arbitrary: fc.constantFrom(...FILE_SWAPS).map((swap) => ({
        method: 'POST',
        target: 'AWSStepFunctions.StartExecution',
        contentType: 'application/x-amz-json-1.0',
        body: text({ stateMachineArn: `${REGION_ACCOUNT}:stateMachine:fz-callback#${MOCK_TEST_CASE}` }),
        swap,
      })),
      weight: 1,
    },
    { arbitrary: consoleRequestArb().map((c) => ({ method: 'GET', contentType: '', body: '', console: c })), weight: 3 },
  );
}

/** The operation a request names, for the counts: its name, or how it names none. */
export function operationLabel(r: HttpRequest): string {
  if (r.console) return `console: ${r.console.route}`;
  if (r.door) return `door: ${r.door.family}`;
  if (r.swap) return `MockConfigFile: ${r.swap}`;
  if (r.s3) return `S3: ${r.s3.machine}`;
  // HTTP drops the spaces and tabs around a header's value.
  const target = r.target?.trim();
  const name = target?.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : undefined;
  if (r.method !== 'POST') return `(${r.method})`;
  if (name === undefined) return '(no target)';
  return Object.prototype.hasOwnProperty.call(OPERATION_MEMBERS, name) ? name : '(unknown target)';
}
