import type { MockContext, MockFunction } from './answers';

/**
 * Handlers of one Lambda function by version, keyed by what the Task's ARN
 * names after the function: a version number, an alias name, or `$LATEST`
 * for an unqualified ARN (what AWS runs: the code deployed last).
 */
export type LambdaVersionHandlers = Readonly<Record<string, MockFunction>>;

/**
 * A mock that answers a Lambda Task with the handler of the version the Task
 * calls, as Lambda would run that version's code: key it by the function (its
 * construct or unqualified ARN) and it serves every version. A call to a
 * version with no handler fails the Task with the error `VersionNotMocked`,
 * naming the version and the handlers there are.
 *
 * @example
 * mocks: { 'arn:aws:lambda:us-east-1:123456789012:function:charge': byLambdaVersion({
 *   1: (event) => ({ chargedBy: 'v1' }),
 *   2: (event) => ({ chargedBy: 'v2' }),
 *   $LATEST: (event) => ({ chargedBy: 'v2' }),
 * }) }
 */
export function byLambdaVersion(handlers: LambdaVersionHandlers): MockFunction {
  return (input: unknown, context: MockContext) => {
    const qualifier = qualifierOf(context.invokedFunctionArn);
    const handler = handlers[qualifier];
    if (!handler) {
      const error = new Error(`no mock for version '${qualifier}' of Lambda '${context.functionName}' (called by Task '${context.stateName}' as ${context.invokedFunctionArn}); mocked: ${Object.keys(handlers).join(', ') || 'none'}`);
      error.name = 'VersionNotMocked';
      throw error;
    }
    return handler(input, context);
  };
}

/** The version number or alias name in a function ARN, or `$LATEST` for an unqualified one. */
function qualifierOf(arn: string): string {
  const parts = arn.split(':');
  return parts.length >= 8 && parts[7] !== '' ? parts[7] : '$LATEST';
}
