/**
 * The mocks room of workbench/: mock answers, mocks from JSON, the MockConfigFile, mock keys,
 * forwarding endpoints, mock validation and request checks, and the dispatcher every run answers its
 * Tasks through.
 * Other layers and rooms import it through this file, or through a door listed in
 * test/layers.ts (SURFACES).
 */
export { InvalidMockError, delay, fail, isMockStep, rawResult, succeed } from './answers';
/** @internal */
export { lambdaShapeOf, mockProblem } from './answers';
export type { AnswerOptions, DelayOptions, Mock, MockAnswer, MockContext, MockFunction, MockSequence, MockStep } from './answers';
/** @internal */
export { HarnessClock, RunContext } from './dispatch';
export type { TaskCall, UnmockedPolicy } from './dispatch';
/** @internal */
export type { DispatchDoor, NestedStarter, RunContextProps } from './dispatch';
export { EndpointError, FORWARDED_SERVICES } from './endpoint-settings';
/** @internal */
export { checkEndpoints } from './endpoint-settings';
/** @internal */
export { EndpointForwarder } from './endpoints';
export type { ServiceEndpoints } from './endpoint-settings';
export { MockKeyError } from './keys';
/** @internal */
export { mockableStates, refersTo, resolveMocks } from './keys';
export type { MockKey, MockTable } from './keys';
/** @internal */
export type { KeyMatch, ResolvedMocks } from './keys';
/** @internal */
export { localS3FolderAt } from './local-s3-advice';
/** @internal */
export { TaskTokens } from './run-task-tokens';
/** @internal */
export type { SendTaskCall, TaskTokenDesk } from './task-tokens';
export { MockConfigError, loadMockConfig, mockResponsesFor, parseMockConfig } from './mock-config';
/** @internal */
export { absentStateAdvice, listedNames, parseMockConfigFrom } from './mock-config';
export type { MockConfig, MockConfigErrorCode, MockConfigResponse, MockedResponse, MockedResponseSequence } from './mock-config';
export { checkedRequestChecks } from './request-check';
export type { RequestCheckSettings, RequestChecks } from './request-check';
export { AdviceLog, MOCK_VALIDATION_MODES, checkedMockAdvice, checkedMockValidation } from './validation';
/** @internal */
export { checkOptionsOf, childChecks, mockModes, runChecks } from './validation-mode';
/** @internal */
export type { RunCheckOptions, RunChecks } from './validation-mode';
export type { MockAdvice, MockCheckSettings, MockDoor, MockValidation, RunAdvice } from './validation';
