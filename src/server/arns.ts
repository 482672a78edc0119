import { ApiError } from './errors';

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

/** The ARN of a resource of this scope. @internal */
export function arnOf(scope: ArnScope, type: 'stateMachine' | 'execution' | 'express' | 'activity' | 'mapRun', ...parts: string[]): string {
  return `arn:aws:states:${scope.region}:${scope.account}:${type}:${parts.join(':')}`;
}

function splitArn(arn: unknown, field: string, type: string): string[] {
  if (typeof arn !== 'string' || arn === '') throw new ApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
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
export function parseMachineArn(arn: unknown, field = 'stateMachineArn'): MachineArn {
  const hash = typeof arn === 'string' ? arn.indexOf('#') : -1;
  const plain = hash >= 0 ? (arn as string).slice(0, hash) : arn;
  const parts = splitArn(plain, field, 'stateMachine');
  if (parts.length < 1 || parts.length > 2 || parts[0] === '' || parts[1] === '') throw new ApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  const base = (plain as string).split(':').slice(0, 7).join(':');
  return { name: parts[0], qualifier: parts[1], base, testCase: hash >= 0 ? (arn as string).slice(hash + 1) : undefined };
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
export function checkRoleArn(arn: unknown, field = 'roleArn'): string {
  if (typeof arn !== 'string' || arn === '') throw new ApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/.+/.test(arn)) throw new ApiError('InvalidArn', `Invalid Arn: '${arn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  return arn;
}
