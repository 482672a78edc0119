/** An intrinsic function call that does not parse, or names an unknown function. @internal */
export class IntrinsicSyntaxError extends Error {
  constructor(public readonly expression: string, reason: string) {
    super(`Invalid intrinsic function call '${expression}': ${reason}`);
    this.name = 'IntrinsicSyntaxError';
  }
}
