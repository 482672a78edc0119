/**
 * Service contracts: what each Task Resource accepts, returns and raises, from
 * AWS's service models and the Step Functions Developer Guide.
 */
export type { IntegrationPattern, TaskResource, TaskResourceKind } from '../asl/task-resource';
export { contractOf, errorsOf, closestErrors, mayRaise, serviceErrorName } from './contract';
export type { Contract, TaskErrors } from './contract';
export { checkRequest, checkAnswer } from './check';
export type { ContractFinding, FieldValidationMode, CheckRequestOptions } from './check';
export { modelIndex } from './sdk-models';
export { listedJobStates } from './job-states';
export type { ModelIndex } from './sdk-models';
export { describe as describeShape, holdsNull, isEnumMember } from './shapes';
export type { Shape, StructureShape, ListShape, MapShape, ScalarShape, ScalarType } from './shapes';
export { contractFindings, validateWithContracts } from './validate';
/** @internal */
export { checkWithContracts } from './validate';
/** @internal */
export { isAnswerTimestamp } from './check';
