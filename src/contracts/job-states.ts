import { contractOf } from './contract';
import type { Shape } from './shapes';
import { AwsDefaults, awsArn } from '../asl/aws-defaults';
import type { CatalogueRunning } from '../asl/integrations';

/**
 * The states the model of the API that describes a `.sync` job lists for it, at the path its
 * answer holds them (the catalogue's `running.described`: Batch's DescribeJobs, `Jobs.0.Status`,
 * a list's entry by its index), or undefined where the model gives no list. The one reader of
 * them: explore bounds a job's end with them, and the advice names an end they list that no page
 * ties to the Task's outcome.
 */
export function listedJobStates(described: NonNullable<CatalogueRunning['described']>): readonly string[] | undefined {
  const resource = awsArn(AwsDefaults.PARTITION, 'states', '', '', `aws-sdk:${described.api[0]}:${described.api[1]}`);
  let shape: Shape | undefined = contractOf(resource).output;
  for (const step of described.at.split('.')) {
    if (shape?.type === 'structure') shape = shape.member(shape.canonical(step) ?? step);
    else if (shape?.type === 'list' && /^\d+$/.test(step)) shape = shape.member;
    else return undefined;
  }
  return shape?.type === 'string' && shape.enum !== undefined && shape.enum.length > 0 ? shape.enum : undefined;
}
