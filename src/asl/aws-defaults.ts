/**
 * The account and region a run, a loaded template or a built ARN takes when the user gives none: the
 * one place they are written (an eslint rule refuses the account's literal elsewhere). The account is
 * the one AWS's own documentation writes its example ARNs with; the region is the one AWS's
 * examples and the SDKs' documentation use. Every door (jest, the CLI, serve, MCP) defaults to
 * these two, so an ARN a test asserts on is the same at all four.
 * @internal
 */
export const AwsDefaults = {
  ACCOUNT: '123456789012',
  REGION: 'us-east-1',
} as const;

/** An ARN in the default partition, region and account: `arn:aws:<service>:us-east-1:123456789012:<resource>`. @internal */
export function defaultArn(service: string, resource: string): string {
  return `arn:aws:${service}:${AwsDefaults.REGION}:${AwsDefaults.ACCOUNT}:${resource}`;
}
