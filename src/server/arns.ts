import { ApiError, validationError } from './api-errors';
import { BOUNDS, checkString } from './params';
import { AwsDefaults } from '../asl/aws-defaults';

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

const PREFIX = /^arn:aws[\w-]*:states:([a-z0-9-]+):(\d{12}):/;

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
export function arnOf(scope: ArnScope, type: 'stateMachine' | 'execution' | 'express' | 'activity' | 'mapRun', ...parts: string[]): string {
  return `arn:aws:states:${scope.region}:${scope.account}:${type}:${parts.join(':')}`;
}

/** The members the model types as `LongArn` (2,000 characters) rather than `Arn` (256). */
const LONG_ARN_FIELDS: ReadonlySet<string> = new Set(['stateMachineVersionArn', 'mapRunArn']);

/** An ARN member: present, a string, and no longer than the model allows. */
function arnMember(arn: unknown, field: string): string {
  if (arn === undefined || arn === null || arn === '') throw validationError(field, 'Member must not be null');
  return checkString(arn, field, LONG_ARN_FIELDS.has(field) ? BOUNDS.longArn : BOUNDS.arn);
}

function splitArn(value: unknown, field: string, type: string): string[] {
  const arn = arnMember(value, field);
  // AWS's words: 'Invalid ARN prefix: x' for what is not an ARN (recorded), 'Resource type not
  // valid in this context: t' for an ARN of another kind (recorded for an express execution).
  if (!arn.startsWith('arn:')) throw new ApiError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  const m = PREFIX.exec(arn);
  if (!m) throw new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  const rest = arn.slice(m[0].length).split(':');
  if (rest[0] !== type) throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${rest[0]}'`);
  return rest.slice(1);
}

/** Parses a state machine, version or alias ARN (optionally with `#TestCase`). @internal */
export function parseMachineArn(value: unknown, field = 'stateMachineArn'): MachineArn {
  const arn = arnMember(value, field);
  const hash = arn.indexOf('#');
  const plain = hash >= 0 ? arn.slice(0, hash) : arn;
  // The ARN without `#TestCase` may be empty: it is then refused as AWS refuses an ARN that is not one.
  const parts = plain === '' ? invalid(arn) : splitArn(plain, field, 'stateMachine');
  if (parts.length < 1 || parts.length > 2 || parts[0] === '' || parts[1] === '') invalid(arn);
  const base = plain.split(':').slice(0, 7).join(':');
  return { name: parts[0], qualifier: parts[1], base, testCase: hash >= 0 ? arn.slice(hash + 1) : undefined };
}

function invalid(arn: string): never {
  throw new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
}

/** Parses an execution ARN (Standard `execution:` or Express `express:`). @internal */
export function parseExecutionArn(arn: unknown, field = 'executionArn'): { readonly machine: string; readonly name: string; readonly express: boolean } {
  if (typeof arn === 'string' && /^arn:aws[\w-]*:states:[^:]*:[^:]*:express:/.test(arn)) {
    const parts = splitArn(arn, field, 'express');
    return { machine: parts[0], name: parts[1], express: true };
  }
  const parts = splitArn(arn, field, 'execution');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new ApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  return { machine: parts[0], name: parts[1], express: false };
}

/** Checks an activity ARN. @internal */
export function parseActivityArn(arn: unknown, field = 'activityArn'): string {
  const parts = splitArn(arn, field, 'activity');
  if (parts.length !== 1 || !parts[0]) throw new ApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  return arn as string;
}

/** Checks a Map Run ARN. @internal */
export function parseMapRunArn(arn: unknown, field = 'mapRunArn'): string {
  splitArn(arn, field, 'mapRun');
  return arn as string;
}

/** Checks an IAM role ARN as CreateStateMachine does. @internal */
export function checkRoleArn(value: unknown, field = 'roleArn'): string {
  const arn = arnMember(value, field);
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/.+/.test(arn)) throw new ApiError('InvalidArn', `Invalid Arn: '${arn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  return arn;
}
