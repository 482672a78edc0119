export { extractStateMachines, selectStateMachine, templateFromStack, templateFromCdkOut, cloudAssemblyStacks, TemplateError } from '../workbench/template';
export type { ExtractedStateMachine, ExtractOptions, ResolveOptions, ResourceRef, InlineCode, LambdaFunctionRef, TemplateSource, TemplateErrorCode, SynthOptions, CloudAssemblyStack, SamConfigOptions } from '../workbench/template';
export { PublishedVersions, extractVersionedStateMachines, selectVersionOrAlias } from '../workbench/template';
export type {
  ExtractedStateMachineVersion, ExtractedStateMachineAlias, ExtractedAliasRoute, ExtractedDeploymentPreference,
  VersionedStateMachine, QualifierSelection, SelectedQualifier, QualifiedWorkflowOptions, WorkflowQualifier,
} from '../workbench/template';
export { parseMockConfig, loadMockConfig, mockResponsesFor, MockConfigError } from '../workbench/mocks';
export type { MockConfig, MockConfigResponse, MockedResponse, MockedResponseSequence, MockConfigErrorCode } from '../workbench/mocks';
export { Workflow, WorkflowRun, WorkflowExecution, MockKeyError, InvalidMockError } from './workflow';
export type {
  WorkflowOptions, FromStackOptions, DefinitionOptions, RunOptions, MockConfigOptions, TemplateParameter,
  WorkflowExploreOptions, WorkflowVerifyOptions, CheckSettings,
  NestedWorkflow, WorkflowRegistry,
  MockKey, MockTable, TaskCall, UnmockedPolicy,
} from './workflow';
export { succeed, fail, delay, rawResult, isMockStep } from '../workbench/mocks';
export { mocksFromJson, MockJsonError } from '../workbench/mocks/json';
export type {
  ExploreOptions, ExploreReport, ExploreScenario, ExploreFinding, ExploreFindingKind, ExploreSearch, CategoryReport, GoalNote, GoalKeys, GoalCategory,
  ExploreProof, AnswerShape, ShapedValue, FlowEnd, GoalRef,
} from '../explore';
export { Property, PropertyError } from '../explore/properties';
export type {
  VerifyProperty, PathProperty, RunProperty, RunPredicate, NeverProperty, LeadsToProperty, PrecedesProperty, AtMostProperty,
  EndsWithProperty, MaxTransitionsProperty, MaxSecondsProperty,
} from '../explore/properties';
export type { Verdict, Counterexample, Minimization, PropertyVerdict, VerifyBounds, VerifyProgress, VerifyReport } from '../explore';
export { scaffoldTests, scaffoldMockConfig } from '../workbench/scaffold';
export type { ScaffoldParameter, ScaffoldParameters, ScaffoldSource, ScaffoldTestsOptions, ScaffoldMockConfigOptions, TestFileFormat, TestRunner } from '../workbench/scaffold';
export { byLambdaVersion } from '../workbench/mocks/lambda-versions';
export { EndpointError, FORWARDED_SERVICES } from '../workbench/mocks';
export type { ServiceEndpoints } from '../workbench/mocks';
export type { LambdaVersionHandlers } from '../workbench/mocks/lambda-versions';
export { MOCK_VALIDATION_MODES } from '../workbench/mocks';
export type { MockAdvice, MockValidation, RunAdvice } from '../workbench/mocks';
export type { RequestChecks } from '../workbench/mocks';
export type { Mock, MockAnswer, MockSequence, MockFunction, MockStep, MockContext, DelayOptions, AnswerOptions } from '../workbench/mocks';
export {
  matchers, toSucceed, toFail, toHaveVisited, toHavePath, toHaveRetried, toHaveOutput, toHaveTaskPermissions, toMatchRecording, toCostAtMost, toHold,
  MERMAID_IN_FAILURES_ENV,
} from './matchers';
export { cost, usagesFromReport, usageCountsFromReport } from '../workbench/coverage';
export { InvalidDeliveryError } from '../workbench/workflow';
export { FolderObjectStore, MemoryObjectStore, S3FolderError, type FolderObjectStoreOptions, type FileNameFolding, LocalS3OptionError, MapResultsError, LOCAL_S3_OPERATIONS } from '../workbench/s3';
export type { LocalS3Options, MapRunResults } from '../workbench/s3';
export { ObjectStoreError } from '../interpreter/object-store';
export type { ObjectStore, ObjectPage, ObjectWriter, StoredObject, ObjectStoreErrorCode } from '../interpreter/object-store';
export type { AtLeastOnceDelivery, DeliveryOptions, Redelivery } from '../workbench/workflow';
export type { CostLimits } from './cost';
export type { CostedWorkflow } from '../workbench/coverage';
export { CostError, DEFAULT_PRICES, checkPriceTable, runCost, estimateCost, usageOf, formatEstimate, costDiffMarkdown } from '../cost';
export type {
  PriceTable, RegionPrices, CostOptions, EstimateOptions, RunCost, CostEstimate, CostWarning, RunUsage, UsageCount, EligibilityReason, CostRow,
  CostReport,
} from '../cost';
export { checkPermissions } from './iam';
export type { CheckPermissionsOptions } from './iam';
export type { HoldOptions, MatcherResult, AsymmetricMatcherLike, MatcherContextLike, StateNameMatcher, StepwrightMatchers } from './matchers';
export { runSerializer } from './serializer';
export type { RunHistoryEvent, StateAttempt, AttemptStatus } from '../workbench/workflow';
export { cleanupSynthOutput } from '../workbench/template';
export { testState, TestStateError } from '../workbench/test-state';
export type { AwsRefusal, TestStateOptions, TestStateResult, TestStateStatus, InspectionLevel, InspectionData, InspectionErrorDetails, MockError } from '../workbench/test-state';
export { coverageSummary, resetCoverage, definitionId, COVERAGE_DIR_ENV } from './coverage';
export type { MachineCoverage, CategorySummary, CategoryCount, FileCoverage, CoverageCategory, RecordOptions } from './coverage';
export { StepwrightCoverageReporter } from './reporter';
export type { CoverageReporterOptions, ParityReporterOptions } from './reporter';
export { StepwrightVitestReporter } from './vitest-reporter';
export type { VitestLike, VitestTestCaseLike, VitestTestModuleLike } from './vitest-reporter';
export { replay, resume, record, recordExecutions, redact, diffDeployed, diffTable, parseRecording, RecordingError, RECORDING_FORMAT, RECORDING_VERSION } from '../workbench/replay';
export type {
  Recording, RecordedEvent, RecordingErrorCode, ReplayOptions, ReplayResult, ReplayDivergence, UnansweredTask,
  RecordExecutionOptions, RecordExecutionsOptions, DiffInput, DiffOptions, DiffRow, ResumeOptions,
  RecordedAnswer, RecordedOutcome, NormalizeOptions, StateStep, StepDivergence, EventDivergence,
} from '../workbench/replay';
