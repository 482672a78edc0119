/**
 * What a Task's `Resource` names: an optimized integration
 * (`arn:aws:states:::sqs:sendMessage`), an AWS SDK integration
 * (`arn:aws:states:::aws-sdk:dynamodb:getItem`), an activity, or a Lambda
 * function given by its ARN, in any partition (`arn:aws:`, `arn:aws-us-gov:`,
 * `arn:aws-cn:`, or a template's `${AWS::Partition}`).
 */

/** The integration pattern a Resource ends with. */
export type IntegrationPattern = 'request' | 'sync' | 'sync:2' | 'waitForTaskToken';

/** The kinds of Task resource. */
export type ResourceKind = 'optimized' | 'sdk' | 'activity' | 'lambda-arn' | 'unknown';

/** A Task resource, taken apart. */
export interface ParsedResource {
  readonly kind: ResourceKind;
  /** `sqs` for `sqs:sendMessage`, `dynamodb` for `aws-sdk:dynamodb:getItem`; undefined for activities and unknown resources. */
  readonly service?: string;
  /** `sendMessage`, `getItem`: as the Resource writes it. */
  readonly action?: string;
  readonly pattern: IntegrationPattern;
}

// The partition may be a template substitution (`${AWS::Partition}`), region and account are empty for integrations.
const PARTITION = String.raw`(?:aws[a-z-]*|\$\{[^}]+\})`;
const INTEGRATION = new RegExp(`^arn:${PARTITION}:states:[^:]*:[^:]*:(.+)$`);
const ACTIVITY = new RegExp(`^arn:${PARTITION}:states:[^:]*:[^:]*:activity:`);
const LAMBDA = new RegExp(`^arn:${PARTITION}:lambda:[^:]*:[^:]*:function:`);

/** Takes a Task's Resource apart; anything it does not recognise is `unknown`. */
export function parseResource(resource: string): ParsedResource {
  if (ACTIVITY.test(resource)) return { kind: 'activity', pattern: 'request' };
  if (LAMBDA.test(resource)) return { kind: 'lambda-arn', service: 'lambda', pattern: 'request' };
  const m = INTEGRATION.exec(resource);
  if (!m) return { kind: 'unknown', pattern: 'request' };
  let body = m[1];
  let pattern: IntegrationPattern = 'request';
  if (body.endsWith('.sync:2')) {
    pattern = 'sync:2';
    body = body.slice(0, -'.sync:2'.length);
  } else if (body.endsWith('.sync')) {
    pattern = 'sync';
    body = body.slice(0, -'.sync'.length);
  } else if (body.endsWith('.waitForTaskToken')) {
    pattern = 'waitForTaskToken';
    body = body.slice(0, -'.waitForTaskToken'.length);
  }
  const parts = body.split(':');
  if (parts[0] === 'aws-sdk' && parts.length === 3 && parts[1] !== '' && parts[2] !== '') {
    return { kind: 'sdk', service: parts[1], action: parts[2], pattern };
  }
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '' && parts[0] !== 'aws-sdk') {
    return { kind: 'optimized', service: parts[0], action: parts[1], pattern };
  }
  return { kind: 'unknown', pattern };
}
