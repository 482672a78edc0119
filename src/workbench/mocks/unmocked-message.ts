import { forwardedServiceOf } from './forwarded-tasks';
import { refersTo } from './targets';
import type { JsonValue } from '../../asl';
import { classifyResource } from '../../interpreter/states/task';
import { LOCAL_S3_OPERATIONS } from '../s3/s3-tasks';
import type { ResourceRef } from '../template';
import { localS3Advice } from './local-s3-advice';
import type { MockDoor } from './validation-mode';

const KIND_WORDS: Record<string, string> = {
  'AWS::Lambda::Function': 'function',
  'AWS::Lambda::Version': 'function version',
  'AWS::Lambda::Alias': 'function alias',
  'AWS::StepFunctions::StateMachine': 'state machine',
  'AWS::StepFunctions::Activity': 'activity',
};

/** How a door answers a Task no mock answers: its mock, the Task's input echoed, an endpoint of the service. */
interface UnmockedWords {
  /** Where the mock of `state` (`key`: the state's name as an object key) goes. */
  readonly mock: (state: string, key: string) => string;
  /** How a run echoes each unmocked Task's input; undefined where the door has no such option. */
  readonly echo?: string;
  /** How a run sends `service`'s Tasks to an endpoint; undefined where the door has no such option. */
  readonly endpoint?: (service: string) => string;
}

/**
 * Each door's own ways, as its users give them: RunSettings in a test, `stepwright run`'s flags,
 * serve's start options, the MCP run tool's arguments (it takes no endpoint). TestState is reached
 * from several doors, and names them all.
 */
const UNMOCKED_WORDS: Readonly<Record<MockDoor, UnmockedWords>> = {
  'jest': {
    mock: (_state, key) => `mocks: { ${key}: ... } in the run's options`,
    echo: "unmocked: 'input'",
    endpoint: (service) => `endpoints: { ${service}: '<url>' } in the run's options`,
  },
  'cli': {
    mock: (state) => `${JSON.stringify(state)} in the --mocks file`,
    echo: '--unmocked input (stepwright run)',
    endpoint: (service) => `--endpoint ${service}=<url> (stepwright run)`,
  },
  'serve': {
    mock: (state) => `start stepwright serve with --handlers <module> exporting ${JSON.stringify(state)}`,
    endpoint: (service) => `start stepwright serve with --endpoint ${service}=<url>`,
  },
  'mcp': {
    mock: (state) => `${JSON.stringify(state)} in the tool's mocks (or its mocksFile)`,
    echo: 'the tool\'s unmocked: "input"',
  },
  'test-state': {
    mock: (state, key) => `mocks: { ${key}: ... } in a test, or ${JSON.stringify(state)} in the --mocks file of stepwright run`,
    echo: "unmocked: 'input' in a test, --unmocked input on the command line",
    endpoint: (service) => `endpoints: { ${service}: '<url>' } in a test, --endpoint ${service}=<url> to stepwright run or serve`,
  },
};

/**
 * The error text of an unmocked Task: the state, its resource, its target, and, in the words of
 * `door`, the door the run came through, the mock to add.
 * @internal
 */
export function unmockedMessage(
  state: string, resource: string, input: JsonValue, resources: ReadonlyMap<string, ResourceRef>, testCase?: string, localS3 = false,
  door: MockDoor = 'jest',
): string {
  const { targets, buckets } = targetsOf(resource, input, resources);
  const key = /^[A-Za-z_$][\w$]*$/.test(state) ? state : JSON.stringify(state);
  const words = UNMOCKED_WORDS[door];
  // Where a run can call the service itself: only these services' Tasks go to an endpoint, and only at a door that takes one.
  const endpointAt = words.endpoint;
  const service = endpointAt === undefined ? undefined : forwardedServiceOf(resource);
  const option = service === undefined || endpointAt === undefined ? '' : endpointAt(service);
  // A test case that leaves a state out (AWS's guide's HybridPath): Step Functions Local called the service's endpoint for it.
  const leftOut = testCase === undefined ? '' : ` MockConfigFile test case '${testCase}' gives it no response: add ${JSON.stringify(state)} to the `
    + `test case${service === undefined ? '.' : `; where Step Functions Local called the service for a state its test case leaves out, give the run that endpoint (${option}).`}`;
  // A run with a local S3 lands here for an operation it does not answer: another local S3 would not either.
  const s3 = buckets === undefined ? '' : localS3 ? localS3Operations()
    : `; or, ${localS3Advice(door, bucketFolders(buckets))}`;
  // A Task a service of the user's own could answer, as Step Functions Local sent it to LAMBDA_ENDPOINT (sam local start-lambda), SQS_ENDPOINT, ...
  const endpoint = testCase === undefined && service !== undefined
    ? `; or send it to ${service === 'lambda' ? 'the function running locally (sam local start-lambda)' : `an endpoint of your own that answers ${service}`}: ${option}`
    : '';
  const echo = words.echo === undefined ? '' : `; or echo each unmocked Task's input with ${words.echo}`;
  return `No mock for Task '${state}' (${[resource, ...targets].join(', ')}).${leftOut} Add: ${words.mock(state, key)}${echo}${endpoint}${s3}`;
}

/**
 * For an S3 Task or a Map's ItemReader of `resource` reading with `input`: the folders of the
 * template's buckets it names, as a door's advice to give the run a local S3 says them
 * (` (Data is the folder 'databuckete3889a50' in it)`, or '' when it names none); undefined for a
 * Task of another service, which no local S3 answers.
 * @internal
 */
export function localS3Folders(resource: string, input: JsonValue, resources: ReadonlyMap<string, ResourceRef>): string | undefined {
  const { buckets } = targetsOf(resource, input, resources);
  return buckets === undefined ? undefined : bucketFolders(buckets);
}

/** What a run's local S3 answers, for an S3 Task of another operation that nothing answered. */
function localS3Operations(): string {
  return `; the run's local S3 answers only ${LOCAL_S3_OPERATIONS.join(', ')}: answer this operation with a mock`;
}

/** ` (<name> is the folder '<bucket>' in it, ...)`, or nothing when the Task names no bucket of the template. */
function bucketFolders(buckets: readonly string[]): string {
  return buckets.length ? ` (${buckets.join(', ')})` : '';
}

/** The template's resources a Task's resource and input name, and, for an S3 Task, its buckets as folders. */
function targetsOf(resource: string, input: JsonValue, resources: ReadonlyMap<string, ResourceRef>): { targets: string[]; buckets?: string[] } {
  const strings: string[] = [resource];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(input);
  const targets: string[] = [];
  const buckets: string[] = [];
  for (const [placeholder, ref] of resources) {
    if (strings.some((s) => refersTo(s, placeholder))) {
      const name = ref.cdkPath ? ref.cdkPath.replace(/\/Resource$/, '').split('/').pop()! : ref.logicalId;
      targets.push(`${KIND_WORDS[ref.resourceType] ?? ref.resourceType} ${name}`);
      if (ref.resourceType === 'AWS::S3::Bucket' && ref.attribute === 'Ref') buckets.push(`${name} is the folder '${placeholder}' in it`);
    }
  }
  // A local S3 answers what an S3 Task or a Map's ItemReader reads: a run without one lands here.
  const type = classifyResource(resource).resourceType;
  return type === 's3' || type === 'aws-sdk:s3' ? { targets, buckets } : { targets };
}
