import type { StepFunctionsService } from '../service';
import type { Params, Response } from '../values';

/** One API operation: its handler on the service. @internal */
export type Operation = (service: StepFunctionsService, params: Params, signal: AbortSignal) => Response | Promise<Response>;

/** A family's operations, each under its API name (`CreateStateMachine`, ...). @internal */
export type OperationTable = ReadonlyArray<readonly [string, Operation]>;
