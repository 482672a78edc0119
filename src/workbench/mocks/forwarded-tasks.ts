import { lambdaShapeOf } from './answers';
import { taskResource } from '../../asl/task-resource';

/*
 * Which Tasks an endpoint of the user's own can answer, read from the Resource alone: the one
 * answer the forwarder (endpoints.ts) sends by and the advice for an unanswered Task names. Apart
 * from the forwarder, which loads the SDK clients: the advice is given by runs that forward nothing.
 */

/** The services besides Lambda whose Tasks can go to an endpoint. @internal */
export type AwsService = 'sqs' | 'sns' | 'dynamodb';

/**
 * The actions of each service's optimized integrations, and whether each has `.waitForTaskToken`
 * (the Step Functions Developer Guide's pages on the SQS, SNS and DynamoDB integrations).
 */
const OPTIMIZED_ACTIONS: ReadonlyMap<AwsService, ReadonlyMap<string, boolean>> = new Map<AwsService, ReadonlyMap<string, boolean>>([
  ['sqs', new Map([['sendMessage', true]])],
  ['sns', new Map([['publish', true]])],
  ['dynamodb', new Map([['getItem', false], ['putItem', false], ['updateItem', false], ['deleteItem', false]])],
]);

/** A Task of one of these services: which service, which integration, which API action. @internal */
export interface ServiceTarget {
  readonly service: AwsService;
  readonly integration: 'optimized' | 'sdk';
  /** The action as the Resource writes it (`sendMessage`). */
  readonly action: string;
  readonly callback: boolean;
}

function isAwsService(service: string | undefined): service is AwsService {
  return service !== undefined && (OPTIMIZED_ACTIONS as ReadonlyMap<string, unknown>).has(service);
}

/** An API action's name, as the SDK's commands are named (`sendMessage`, `getItem`). */
const ACTION = /^[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * The service Task a Resource names, or undefined: an optimized integration
 * of SQS, SNS or DynamoDB (`arn:aws:states:::sqs:sendMessage`), or any action
 * of their AWS SDK integrations (`arn:aws:states:::aws-sdk:dynamodb:query`),
 * with or without `.waitForTaskToken` where it has one.
 * @internal
 */
export function serviceTargetOf(resource: string): ServiceTarget | undefined {
  const r = taskResource(resource);
  if ((r.kind !== 'optimized' && r.kind !== 'aws-sdk') || !isAwsService(r.service) || !ACTION.test(r.action!)) return undefined;
  if (r.suffix !== undefined && r.suffix !== 'waitForTaskToken') return undefined;
  const service = r.service;
  const callback = r.suffix !== undefined;
  if (r.kind === 'aws-sdk') return { service, integration: 'sdk', action: r.action!, callback };
  const waits = OPTIMIZED_ACTIONS.get(service)!.get(r.action!);
  if (waits === undefined || (callback && !waits)) return undefined;
  return { service, integration: 'optimized', action: r.action!, callback };
}

/**
 * The service whose endpoint (`endpoints: { <service>: '<url>' }`, `--endpoint <service>=<url>`)
 * answers a Task of `resource`: `lambda` for a Lambda function, `sqs`, `sns` or `dynamodb` for
 * their Tasks; undefined for a Task no endpoint answers (Glue, ECS, Batch, ...), which only a
 * mock, a handler or a MockConfigFile response answers.
 * @internal
 */
export function forwardedServiceOf(resource: string): 'lambda' | AwsService | undefined {
  return lambdaShapeOf(resource) !== undefined ? 'lambda' : serviceTargetOf(resource)?.service;
}
