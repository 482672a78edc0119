export { extractStateMachines, selectStateMachine, templateFromStack, templateFromCdkOut, TemplateError } from './template';
export type { ExtractedStateMachine, ExtractOptions, ResolveOptions, ResourceRef, TemplateSource, TemplateErrorCode } from './template';
export { parseMockConfig, loadMockConfig, mockResponsesFor, MockConfigError } from './mock-config';
export type { MockConfig, MockConfigResponse, MockedResponse, MockedResponseSequence, MockConfigErrorCode } from './mock-config';
