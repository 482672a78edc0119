import type { PathScope } from './path';
import type { JsonValue } from './types';

/** An intrinsic function call that does not parse, or names an unknown function. @internal */
export class IntrinsicSyntaxError extends Error {
  constructor(public readonly expression: string, reason: string) {
    super(`Invalid intrinsic function call '${expression}': ${reason}`);
    this.name = 'IntrinsicSyntaxError';
  }
}

/** True when a `.$` value is an intrinsic function call rather than a path. @internal */
export function isIntrinsicCall(value: string): boolean {
  return value.startsWith('States.');
}

/**
 * Compiles an intrinsic function call (`States.Format('{}', $.name)`) once into
 * a function of the scope. Runtime failures throw a StatesError.
 * @internal
 */
export function compileIntrinsic(expression: string): (scope: PathScope) => JsonValue {
  throw new IntrinsicSyntaxError(expression, 'intrinsic functions are being implemented');
}
