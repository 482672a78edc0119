export { extractStateMachines, selectStateMachine, templateFromStack, templateFromCdkOut, cloudAssemblyStacks, TemplateError } from './template';
export type { ExtractedStateMachine, ExtractOptions, ResolveOptions, ResourceRef, InlineCode, LambdaFunctionRef, TemplateSource, TemplateErrorCode, SynthOptions, CloudAssemblyStack } from './template';
export { PublishedVersions, extractVersionedStateMachines, selectVersionOrAlias } from './template';
export type {
  ExtractedStateMachineVersion, ExtractedStateMachineAlias, ExtractedAliasRoute, ExtractedDeploymentPreference,
  VersionedStateMachine, QualifierSelection, SelectedQualifier, QualifiedWorkflowOptions, WorkflowQualifier,
} from './template';
export { parseMockConfig, loadMockConfig, mockResponsesFor, MockConfigError } from './mock-config';
export type { MockConfig, MockConfigResponse, MockedResponse, MockedResponseSequence, MockConfigErrorCode } from './mock-config';
export { Workflow, WorkflowRun, WorkflowExecution, MockKeyError, InvalidMockError } from './workflow';
export type {
  WorkflowOptions, FromStackOptions, DefinitionOptions, RunOptions, MockConfigOptions, NestedWorkflow, WorkflowRegistry,
  MockKey, MockTable, TaskCall, UnmockedPolicy,
} from './workflow';
export { succeed, fail, delay, rawResult, isMockStep } from './mocks';
export { mocksFromJson, MockJsonError } from './mocks/json';
export type {
  ExploreOptions, ExploreReport, ExploreScenario, ExploreFinding, ExploreFindingKind, ExploreSearch, CategoryReport, GoalNote, GoalKeys, GoalCategory,
} from '../explore';
export { scaffoldTests, scaffoldMockConfig } from './scaffold';
export type { ScaffoldSource, ScaffoldTestsOptions, ScaffoldMockConfigOptions } from './scaffold';
export { byLambdaVersion } from './version-mocks';
export { EndpointError, FORWARDED_SERVICES } from './mocks/endpoints';
export type { ServiceEndpoints } from './mocks/endpoints';
export type { LambdaVersionHandlers } from './version-mocks';
export type { Mock, MockAnswer, MockSequence, MockFunction, MockStep, MockContext, DelayOptions, AnswerOptions } from './mocks';
export {
  matchers, toSucceed, toFail, toHaveVisited, toHavePath, toHaveRetried, toHaveOutput, toHaveTaskPermissions, toMatchRecording, toCostAtMost,
  MERMAID_IN_FAILURES_ENV,
} from './matchers';
export { cost, usagesFromReport, usageCountsFromReport } from './cost';
export { InvalidDeliveryError } from './delivery';
export type { AtLeastOnceDelivery, DeliveryOptions, Redelivery } from './delivery';
export type { CostLimits, CostedWorkflow } from './cost';
export { CostError, DEFAULT_PRICES, checkPriceTable, runCost, estimateCost, usageOf, formatEstimate, costDiffMarkdown } from '../cost';
export type {
  PriceTable, RegionPrices, CostOptions, EstimateOptions, RunCost, CostEstimate, CostWarning, RunUsage, UsageCount, EligibilityReason, CostRow,
  CostReport,
} from '../cost';
export { checkPermissions } from './iam';
export type { CheckPermissionsOptions } from './iam';
export type { MatcherResult, AsymmetricMatcherLike, MatcherContextLike, StepwrightMatchers } from './matchers';
export { runSerializer } from './serializer';
export type { RunHistoryEvent, StateAttempt, AttemptStatus } from './history';
export { cleanupSynthOutput } from './synth-output';
export { testState, TestStateError } from './test-state';
export type { AwsRefusal, TestStateOptions, TestStateResult, TestStateStatus, InspectionLevel, InspectionData, InspectionErrorDetails, MockError } from './test-state';
export { coverageSummary, resetCoverage, definitionId, COVERAGE_DIR_ENV } from './coverage';
export type { MachineCoverage, CategorySummary, CategoryCount, FileCoverage, CoverageCategory, RecordOptions } from './coverage';
export { StepwrightCoverageReporter } from './reporter';
export type { CoverageReporterOptions } from './reporter';
export { replay, resume, record, recordExecutions, redact, diffDeployed, diffTable, parseRecording, RecordingError, RECORDING_FORMAT, RECORDING_VERSION } from './replay';
export type {
  Recording, RecordedEvent, RecordingErrorCode, ReplayOptions, ReplayResult, ReplayDivergence, UnansweredTask,
  RecordExecutionOptions, RecordExecutionsOptions, DiffInput, DiffOptions, DiffRow, ResumeOptions,
  RecordedAnswer, RecordedOutcome, NormalizeOptions, StateStep, StepDivergence, EventDivergence,
} from './replay';
