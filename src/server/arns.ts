import { ApiError } from './api-errors';
import { PARTITIONS } from './validation/stepfunctions-model.generated';
import { ApiErrors } from '../asl/api-errors';
import { AwsDefaults, statesArn, type StatesArnType } from '../asl/aws-defaults';

/** Where ARNs are minted: the partition's region and account. @internal */
export interface ArnScope {
  readonly region: string;
  readonly account: string;
}

/** A state machine ARN, split: a qualifier names a version (`:3`) or an alias (`:prod`). @internal */
export interface MachineArn {
  readonly name: string;
  readonly qualifier?: string;
  /** The ARN without its qualifier (nor a `#TestCase` suffix). */
  readonly base: string;
  /** Step Functions Local's MockConfigFile test case, from `…:stateMachine:name#TestCase`. */
  readonly testCase?: string;
}

/** A region serve can mint ARNs in and read them back from: lower-case letters and digits in words joined by hyphens. */
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ACCOUNT = /^\d{12}$/;

/** A region or account that cannot stand in an ARN, naming the option, the value and the form expected. */
export class ArnScopeError extends Error {
  /** What is wrong and the form expected, without the option and value. */
  public readonly reason: string;

  constructor(public readonly option: 'region' | 'account', public readonly value: string) {
    const reason = `cannot stand in an ARN: ${option === 'region'
      ? `give a region such as ${AwsDefaults.REGION} or eu-west-1 (lower-case letters and digits, words joined by hyphens)`
      : `give an account id of 12 digits, such as ${AwsDefaults.ACCOUNT}`}`;
    super(`${option} ${JSON.stringify(value)} ${reason}`);
    this.name = 'ArnScopeError';
    this.reason = reason;
  }
}

/**
 * Checks the region and account ARNs are minted in: serve would refuse its own ARNs otherwise.
 * @throws ArnScopeError
 * @internal
 */
export function checkArnScope(scope: ArnScope): ArnScope {
  if (typeof scope.region !== 'string' || scope.region.length > 50 || !REGION.test(scope.region)) throw new ArnScopeError('region', String(scope.region));
  if (typeof scope.account !== 'string' || !ACCOUNT.test(scope.account)) throw new ArnScopeError('account', String(scope.account));
  return scope;
}

/** The ARN of a resource of this scope. @internal */
export function arnOf(scope: ArnScope, type: StatesArnType, ...parts: string[]): string {
  return statesArn(scope.region, scope.account, type, ...parts);
}

/** A partition AWS has (botocore's partitions.json). */
const PARTITION = `(?:${PARTITIONS.join('|')})`;

/** `arn:<partition>:states:<region>:<account>:`. */
const PREFIX = new RegExp(`^arn:${PARTITION}:states:([a-z0-9-]+):(\\d{12}):`);

/**
 * The region or account a Step Functions ARN names where it is not `scope`'s (region first), or
 * undefined: an ARN of this scope, or no Step Functions ARN.
 * @internal
 */
export function otherScopeOf(arn: string, scope: ArnScope): { readonly part: 'region' | 'account'; readonly value: string } | undefined {
  const m = PREFIX.exec(arn);
  if (!m) return undefined;
  if (m[1] !== scope.region) return { part: 'region', value: m[1] };
  return m[2] === scope.account ? undefined : { part: 'account', value: m[2] };
}

/** InvalidArn for an ARN serve cannot read: not one of Step Functions, or of a partition AWS does not have. */
function invalid(arn: string): never {
  throw new ApiError(ApiErrors.InvalidArn, `Invalid Arn: '${arn}'`);
}

/**
 * The parts after the resource type of a Step Functions ARN of resource type `type`. AWS's words
 * (recorded): 'Invalid ARN prefix: x' for what is not an ARN, 'Resource type not valid in this
 * context: t' for an ARN of another kind (an express execution's); an ARN of another service or of
 * no partition AWS has is InvalidArn too (the API reference's errors of every operation that takes one).
 */
function splitArn(arn: string, type: string | readonly string[]): { readonly type: string; readonly parts: string[] } {
  if (!arn.startsWith('arn:')) throw new ApiError(ApiErrors.InvalidArn, `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  const m = PREFIX.exec(arn);
  if (!m) invalid(arn);
  const rest = arn.slice(m[0].length).split(':');
  const types: readonly string[] = typeof type === 'string' ? [type] : type;
  if (!types.includes(rest[0])) throw new ApiError(ApiErrors.InvalidArn, `Invalid Arn: 'Resource type not valid in this context: ${rest[0]}'`);
  return { type: rest[0], parts: rest.slice(1) };
}

/** Parses a state machine, version or alias ARN (optionally with `#TestCase`). @internal */
export function parseMachineArn(arn: string): MachineArn {
  const hash = arn.indexOf('#');
  const plain = hash >= 0 ? arn.slice(0, hash) : arn;
  // The ARN without `#TestCase` may be empty: it is then refused as AWS refuses an ARN that is not one.
  const { parts } = plain === '' ? invalid(arn) : splitArn(plain, 'stateMachine');
  if (parts.length < 1 || parts.length > 2 || parts[0] === '' || parts[1] === '') invalid(arn);
  const base = plain.split(':').slice(0, 7).join(':');
  return { name: parts[0], qualifier: parts[1], base, testCase: hash >= 0 ? arn.slice(hash + 1) : undefined };
}

/**
 * Refuses `…:stateMachine:<machine>/<label>`, which names a Distributed Map's child executions (no
 * state machine's name has a '/'): "If you provide a qualified state machine ARN that refers to a
 * Distributed Map state, the request fails with ValidationException" (DescribeStateMachine,
 * StartExecution, UpdateStateMachine and DeleteStateMachine, API reference). The words are serve's.
 * @param does what the operation does to a state machine, for the words ("describe", "start")
 * @internal
 */
export function refuseMapLabelArn(arn: MachineArn, given: string, operation: string, does: string): void {
  const slash = arn.name.indexOf('/');
  if (slash < 0) return;
  throw new ApiError(ApiErrors.ValidationException, `'${given}' names the child executions of a Distributed Map (<machine>/<label>), which ${operation} does not `
    + `${does}; ${does} the state machine '${arn.name.slice(0, slash)}'${operation === 'DescribeStateMachine' ? ', or a child with DescribeStateMachineForExecution' : ''}`);
}

/** Parses an execution ARN (Standard `execution:` or Express `express:`). @internal */
export function parseExecutionArn(arn: string): { readonly machine: string; readonly name: string; readonly express: boolean } {
  const { type, parts } = splitArn(arn, ['execution', 'express']);
  if (type === 'express') return { machine: parts[0], name: parts[1], express: true };
  if (parts.length !== 2 || !parts[0] || !parts[1]) invalid(arn);
  return { machine: parts[0], name: parts[1], express: false };
}

/** Checks an activity ARN. @internal */
export function parseActivityArn(arn: string): string {
  const { parts } = splitArn(arn, 'activity');
  if (parts.length !== 1 || !parts[0]) invalid(arn);
  return arn;
}

/** Checks a Map Run ARN. @internal */
export function parseMapRunArn(arn: string): string {
  splitArn(arn, 'mapRun');
  return arn;
}

/**
 * Checks the ARN of a resource that has tags: a state machine (a version's or an alias's ARN
 * names one too) or an activity. Any other is InvalidArn, as the API reference lists it for
 * TagResource, UntagResource and ListTagsForResource.
 * @internal
 */
export function parseTaggableArn(arn: string): string {
  const { type } = splitArn(arn, ['stateMachine', 'activity']);
  if (type === 'activity') parseActivityArn(arn);
  else parseMachineArn(arn);
  return arn;
}

/** `arn:<partition>:iam::<account>:role/<name>`. */
const ROLE = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/.+`);

/**
 * Checks an IAM role ARN as CreateStateMachine does, in AWS's words: `Invalid Role Arn: '<arn>'`
 * (recorded: AWS's answer to CreateStateMachine of the placeholder `<execution-role-arn>`,
 * aws/amazon-sagemaker-examples issue 2432; Step Functions Local's to a policy's ARN,
 * localstack/localstack issue 2027), whether or not it starts `arn:`. UpdateStateMachine and
 * TestState are answered alike (inferred).
 * @internal
 */
export function checkRoleArn(arn: string): string {
  if (!ROLE.test(arn)) throw new ApiError(ApiErrors.InvalidArn, `Invalid Role Arn: '${arn}'`);
  return arn;
}
