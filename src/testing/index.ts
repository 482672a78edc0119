export { extractStateMachines, selectStateMachine, templateFromStack, templateFromCdkOut, TemplateError } from './template';
export type { ExtractedStateMachine, ExtractOptions, ResolveOptions, ResourceRef, TemplateSource, TemplateErrorCode } from './template';
export { parseMockConfig, loadMockConfig, mockResponsesFor, MockConfigError } from './mock-config';
export type { MockConfig, MockConfigResponse, MockedResponse, MockedResponseSequence, MockConfigErrorCode } from './mock-config';
export { Workflow, WorkflowRun, WorkflowExecution, MockKeyError } from './workflow';
export type {
  WorkflowOptions, DefinitionOptions, RunOptions, MockConfigOptions, NestedWorkflow, WorkflowRegistry, MockKey, MockTable, TaskCall, UnmockedPolicy,
} from './workflow';
export { succeed, fail, delay, rawResult, isMockStep } from './mocks';
export type { Mock, MockFunction, MockStep, MockContext, DelayOptions } from './mocks';
export { matchers, toSucceed, toFail, toHaveVisited, toHavePath, toHaveRetried, toHaveOutput, MERMAID_IN_FAILURES_ENV } from './matchers';
export type { MatcherResult, AsymmetricMatcherLike } from './matchers';
export { runSerializer } from './serializer';
export { testState, TestStateError } from './test-state';
export type { TestStateOptions, TestStateResult, TestStateStatus, InspectionLevel, InspectionData, InspectionErrorDetails, MockError } from './test-state';
export { coverageSummary, resetCoverage, definitionId, COVERAGE_DIR_ENV } from './coverage';
export type { MachineCoverage, CategorySummary, CoverageCategory, RecordOptions } from './coverage';
export { StepwrightCoverageReporter } from './reporter';
export type { CoverageReporterOptions } from './reporter';
