import type * as sdk from '@aws-sdk/client-sfn';
import type { StepFunctionsService } from '../service';
import type { Params, Response } from '../values';

/** One API operation: its handler on the service. @internal */
export type Operation = (service: StepFunctionsService, params: Params, signal: AbortSignal) => Response | Promise<Response>;

/**
 * The name of a Step Functions API operation, as @aws-sdk/client-sfn names its
 * commands (`CreateStateMachine` for `CreateStateMachineCommand`): the closed set a
 * family's table may use, checked when the server compiles.
 * @internal
 */
export type OperationName = {
  [K in keyof typeof sdk]: K extends `${infer Name}Command` ? (Name extends '' | '$' ? never : Name) : never
}[keyof typeof sdk];

/** A family's operations, each under its API name. @internal */
export type OperationTable = ReadonlyArray<readonly [OperationName, Operation]>;
