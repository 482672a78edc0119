/**
 * The numbers AWS Step Functions documents as its limits, each beside the page it is taken from:
 * the one place every layer reads them (docs/limits.md lists them with how stepwright fails at each).
 * A limit of stepwright's own, where AWS documents none, stays with the code it bounds.
 *
 * Pages: "Step Functions service quotas" (quotas), the API Reference's shapes of the
 * stepfunctions model (api), "Map state" and "Distributed Map" (map), "ItemReader (Map)"
 * (item-reader), "ItemBatcher (Map)" (item-batcher).
 * @internal
 */
export const AwsLimits = {
  /**
   * quotas: "Maximum input or output size for a task, state, or execution", 256 KiB of UTF-8 JSON.
   * The same bound holds for an execution's input, a Task's result, one variable and the values of
   * one Assign together, a Distributed Map child's input and item-batcher's `MaxInputBytesPerBatch`;
   * the api's `SensitiveData` shape (an input or output in a request) bounds its characters by it.
   */
  PAYLOAD_BYTES: 256 * 1024,
  /** quotas: all the variables one execution stores, 10 MiB. */
  VARIABLES_BYTES: 10 * 1024 ** 2,
  /** quotas: "Maximum execution history size", 25,000 events (Standard executions). */
  HISTORY_EVENTS: 25_000,
  /** quotas: "Maximum definition size", 1 MB (the api `Definition` shape's max). */
  DEFINITION_BYTES: 1_048_576,
  /** quotas: "Maximum request size", 1 MB per request, a hard quota. */
  REQUEST_BYTES: 1_048_576,
  /** api `Name`: a state machine's, execution's, activity's, alias's or state's name, 1 to 80 characters. */
  NAME_CHARS: 80,
  /** api `SensitiveError`: an error name, at most 256 characters. */
  ERROR_CHARS: 256,
  /** api `SensitiveCause`: a cause, at most 32,768 characters. */
  CAUSE_CHARS: 32_768,
  /** quotas and the ASL specification: a TimeoutSeconds, HeartbeatSeconds, Wait Seconds or Retry bound, at most 99,999,999. */
  SECONDS: 99_999_999,
  /**
   * The Task state page of the developer guide: a Task's `TimeoutSeconds`, and its
   * `HeartbeatSeconds`, when it gives none: "If not provided, the default value is 99999999"
   * (longer than any execution may run). AWS names no value for it in the history: a
   * TaskScheduled of such a Task has no `timeoutInSeconds` (every recording of ../shared/conformance).
   */
  TASK_DEFAULT_TIMEOUT_SECONDS: 99_999_999,
  /** Retry's `MaxDelaySeconds`: 1 to 31,622,401 (a year and a day). */
  MAX_DELAY_SECONDS: 31_622_401,
  /**
   * RedriveExecution (API reference): it "restarts unsuccessful executions of Standard workflows
   * that didn't complete successfully in the last 14 days"; past them DescribeExecution gives
   * `redriveStatusReason` "Execution redrivable period exceeded".
   */
  REDRIVE_PERIOD_SECONDS: 14 * 24 * 3600,
  /**
   * quotas: "Maximum open executions per account", 1,000,000 in each Region (adjustable); past it
   * StartExecution answers ExecutionLimitExceeded. Express workflows are not counted.
   */
  OPEN_EXECUTIONS: 1_000_000,
  /**
   * quotas: "Maximum number of registered state machines", 10,000 by default (adjustable, to
   * 25,000); past it CreateStateMachine answers StateMachineLimitExceeded.
   */
  STATE_MACHINES: 10_000,
  /**
   * quotas: "Maximum number of registered activities", 10,000 by default (adjustable, to 15,000);
   * past it CreateActivity answers ActivityLimitExceeded.
   */
  ACTIVITIES: 10_000,
  /**
   * quotas: "Maximum number of pollers per Activity ARN", 1,000 GetActivityTask calls waiting on one
   * activity (adjustable); past it GetActivityTask answers ActivityWorkerLimitExceeded.
   */
  ACTIVITY_POLLERS: 1_000,
  /**
   * PublishStateMachineVersion (API reference): "You can publish up to 1000 versions for each state
   * machine. You must manually delete unused versions using the DeleteStateMachineVersion API
   * action"; past them ServiceQuotaExceededException.
   */
  VERSIONS_PER_MACHINE: 1_000,
  /**
   * CreateStateMachineAlias (API reference): "You can create up to 100 aliases for each state
   * machine. You must delete unused aliases using the DeleteStateMachineAlias API action"; past
   * them ServiceQuotaExceededException.
   */
  ALIASES_PER_MACHINE: 100,
  /** quotas: "Maximum execution time" of a Standard execution, one year. */
  STANDARD_DURATION_SECONDS: 365 * 24 * 3600,
  /**
   * Lambda's quotas page: "Function timeout: 900 seconds (15 minutes)", the longest a function
   * runs. A request-response Task (a Lambda invoke, an AWS API call: neither `.sync` nor
   * `.waitForTaskToken`, nor an activity) is answered within it.
   */
  REQUEST_RESPONSE_SECONDS: 900,
  /**
   * TestState (API reference): "The TestState API can run for up to five minutes. If the execution
   * of a state exceeds this duration, it fails with the States.Timeout error."
   */
  TEST_STATE_SECONDS: 5 * 60,
  /** quotas: "Maximum execution time" of an Express execution, 5 minutes. */
  EXPRESS_DURATION_SECONDS: 5 * 60,
  /** map: iterations of an inline Map that run at once (`MaxConcurrency` 0 means up to this many). */
  INLINE_MAP_CONCURRENCY: 40,
  /** map: child executions of a Distributed Map that run at once. */
  DISTRIBUTED_MAP_CONCURRENCY: 10_000,
  /** map: a Map Run's `Label`, at most 40 characters. */
  MAP_LABEL_CHARS: 40,
  /** item-reader: `MaxItems`, at most 100,000,000. */
  MAX_ITEMS: 100_000_000,
  /** item-reader: one item read from a CSV, JSON or JSON Lines file, 8 MB. */
  ITEM_BYTES: 8 * 1024 ** 2,
  /** item-reader: a CSV file's header row, 10 KB. */
  CSV_HEADER_CHARS: 10 * 1024,
  /** item-reader: one file read, 10 GB (after decompression). */
  ITEM_FILE_BYTES: 10 * 1000 ** 3,
  /** item-reader: "5MB is the maximum footer size" of a Parquet file. */
  PARQUET_FOOTER_BYTES: 5 * 1024 ** 2,
  /** item-reader: "256MB is the maximum row-group size" of a Parquet file, as stored. */
  PARQUET_ROW_GROUP_BYTES: 256 * 1024 ** 2,
  /**
   * api `PageSize`: the most results one page of a listing or of GetExecutionHistory holds
   * (`maxResults`, 0 to 1,000: "The default is 100 and the maximum allowed page size is 1000").
   */
  PAGE_SIZE: 1_000,
  /** api `maxResults` of a listing or GetExecutionHistory: "A value of 0 uses the default", 100. */
  PAGE_SIZE_DEFAULT: 100,
  /**
   * api `ValidateStateMachineDefinitionMaxResult`: ValidateStateMachineDefinition's diagnostics, at
   * most 100; 0 or none means the default, which is the most.
   */
  VALIDATION_DIAGNOSTICS: 100,
  /** S3's ListObjectsV2: keys in one page of a listing. */
  LISTING_PAGE_KEYS: 1_000,
  /**
   * The range of an `integer` member of AWS's requests and answers (a shape of type integer in the
   * service models, `Integer` in the API Reference): Java's int, which AWS's services read and write
   * it as (server/validation/request.ts says how AWS's reader reads a number into one).
   * TestState's `retryBackoffIntervalSeconds` (InspectionErrorDetails) is one.
   */
  INTEGER_MIN: -(2 ** 31),
  /** The largest `integer` member (see {@link AwsLimits.INTEGER_MIN}), 2,147,483,647. */
  INTEGER_MAX: 2 ** 31 - 1,
  /** The range of a `long` member (Java's long), as a JSON number (a double) holds it. */
  LONG_MIN: -(2 ** 63),
  /** The largest `long` member (see {@link AwsLimits.LONG_MIN}): 2^63 - 1, which a double rounds to 2^63. */
  LONG_MAX: 2 ** 63,
  /** S3: an object key, 1,024 bytes of UTF-8. */
  OBJECT_KEY_BYTES: 1_024,
  /** S3's PutObject: one result file a ResultWriter writes, 5 GB. */
  RESULT_FILE_BYTES: 5 * 1024 ** 3,
  /**
   * S3's CopyObject: the largest object it copies, 5 GB (5,368,709,120 bytes); a larger one is
   * refused with InvalidRequest, "The specified copy source is larger than the maximum allowable size
   * for a copy source" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
   */
  COPY_SOURCE_BYTES: 5 * 1024 ** 3,
} as const;

/** The payload limit as messages and help texts write it: "256 KiB". @internal */
export const PAYLOAD_WORDS = `${AwsLimits.PAYLOAD_BYTES / 1024} KiB`;

/** An Express execution's longest run as messages and help texts write it: "5 minutes". @internal */
export const EXPRESS_DURATION_WORDS = `${AwsLimits.EXPRESS_DURATION_SECONDS / 60} minutes`;
