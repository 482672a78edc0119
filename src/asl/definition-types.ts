/**
 * Amazon States Language (ASL) types, as AWS Step Functions accepts them.
 *
 * These describe the JSON a state machine definition is made of. They are
 * deliberately loose where ASL is loose (payload templates are any JSON) and
 * exact where field names matter.
 */

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The two query languages of ASL. */
export type QueryLanguage = 'JSONPath' | 'JSONata';

/** The eight state types of ASL. */
export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

/** A whole state machine definition. */
export interface StateMachineDefinition {
  /** Name of the first state to run. */
  readonly StartAt: string;
  /** The states, by name. */
  readonly States: Record<string, StateDefinition>;
  /** Free text. */
  readonly Comment?: string;
  /** Version of ASL. @default '1.0' */
  readonly Version?: string;
  /** Maximum run time of an execution, in seconds. */
  readonly TimeoutSeconds?: number;
  /** Default query language of every state. @default 'JSONPath' */
  readonly QueryLanguage?: QueryLanguage;
}

/** A Retry rule (a retrier). */
export interface Retrier {
  readonly ErrorEquals: string[];
  /** @default 1 */
  readonly IntervalSeconds?: number;
  /** @default 3 */
  readonly MaxAttempts?: number;
  /** @default 2 */
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  /** @default 'NONE' */
  readonly JitterStrategy?: 'FULL' | 'NONE';
  readonly Comment?: string;
}

/** A Catch rule (a catcher). */
export interface Catcher {
  readonly ErrorEquals: string[];
  readonly Next: string;
  /** JSONPath only. @default '$' */
  readonly ResultPath?: string | null;
  /** JSONata only. */
  readonly Output?: JsonValue;
  readonly Assign?: JsonObject;
  readonly Comment?: string;
}

/** Fields every state may carry. */
export interface StateBase {
  readonly Type: StateType;
  readonly Comment?: string;
  readonly QueryLanguage?: QueryLanguage;
  readonly Next?: string;
  readonly End?: boolean;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly ResultPath?: string | null;
  readonly Parameters?: JsonValue;
  readonly ResultSelector?: JsonValue;
  readonly Arguments?: JsonValue;
  readonly Output?: JsonValue;
  readonly Assign?: JsonObject;
  readonly Retry?: Retrier[];
  readonly Catch?: Catcher[];
}

export interface PassState extends StateBase {
  readonly Type: 'Pass';
  readonly Result?: JsonValue;
}

export interface TaskState extends StateBase {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly TimeoutSeconds?: number | string;
  readonly TimeoutSecondsPath?: string;
  readonly HeartbeatSeconds?: number | string;
  readonly HeartbeatSecondsPath?: string;
  readonly Credentials?: JsonValue;
}

/** A Choice rule in JSONPath (a tree of comparisons) or JSONata (`Condition`). */
export interface ChoiceRule {
  readonly Next?: string;
  readonly Variable?: string;
  readonly Condition?: string | boolean;
  readonly And?: ChoiceRule[];
  readonly Or?: ChoiceRule[];
  readonly Not?: ChoiceRule;
  readonly Assign?: JsonObject;
  readonly Output?: JsonValue;
  readonly Comment?: string;
  readonly [operator: string]: JsonValue | ChoiceRule | ChoiceRule[] | undefined;
}

export interface ChoiceState extends StateBase {
  readonly Type: 'Choice';
  readonly Choices: ChoiceRule[];
  readonly Default?: string;
}

export interface WaitState extends StateBase {
  readonly Type: 'Wait';
  readonly Seconds?: number | string;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
}

export interface SucceedState extends StateBase {
  readonly Type: 'Succeed';
}

export interface FailState extends StateBase {
  readonly Type: 'Fail';
  readonly Error?: string;
  readonly ErrorPath?: string;
  readonly Cause?: string;
  readonly CausePath?: string;
}

/** A nested state machine: a Parallel branch or a Map item processor. */
export interface SubMachine {
  readonly StartAt: string;
  readonly States: Record<string, StateDefinition>;
  readonly Comment?: string;
  readonly QueryLanguage?: QueryLanguage;
  readonly ProcessorConfig?: {
    readonly Mode?: 'INLINE' | 'DISTRIBUTED';
    // eslint-disable-next-line no-restricted-syntax -- written out so that API.md shows the two values
    readonly ExecutionType?: 'STANDARD' | 'EXPRESS';
  };
}

export interface ParallelState extends StateBase {
  readonly Type: 'Parallel';
  readonly Branches: SubMachine[];
}

export interface MapState extends StateBase {
  readonly Type: 'Map';
  readonly ItemProcessor?: SubMachine;
  /** Legacy name of ItemProcessor. */
  readonly Iterator?: SubMachine;
  readonly ItemsPath?: string;
  /** JSONata only. */
  readonly Items?: JsonValue;
  readonly ItemSelector?: JsonValue;
  readonly ItemReader?: {
    readonly Resource: string;
    readonly Parameters?: JsonValue;
    readonly Arguments?: JsonValue;
    readonly ReaderConfig?: {
      readonly InputType?: 'CSV' | 'JSON' | 'JSONL' | 'MANIFEST' | 'PARQUET';
      readonly CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
      readonly CSVHeaders?: string[];
      readonly CSVDelimiter?: string;
      /** A JSON Pointer (RFC 6901) to the array of items inside a JSON file. */
      readonly ItemsPointer?: string;
      /** With `MANIFEST` (or CSV/JSONL read through a manifest): `S3_INVENTORY` or `ATHENA_DATA`. */
      readonly ManifestType?: 'S3_INVENTORY' | 'ATHENA_DATA';
      /** With `s3:listObjectsV2`: `LOAD_AND_FLATTEN` reads the items of the objects listed (by InputType), not their metadata. */
      readonly Transformation?: 'NONE' | 'LOAD_AND_FLATTEN';
      readonly MaxItems?: number | string;
      readonly MaxItemsPath?: string;
    };
  };
  readonly ItemBatcher?: {
    readonly MaxItemsPerBatch?: number | string;
    readonly MaxItemsPerBatchPath?: string;
    readonly MaxInputBytesPerBatch?: number | string;
    readonly MaxInputBytesPerBatchPath?: string;
    readonly BatchInput?: JsonValue;
  };
  readonly ResultWriter?: {
    readonly Resource?: string;
    readonly Parameters?: JsonValue;
    readonly Arguments?: JsonValue;
    readonly WriterConfig?: JsonValue;
  };
  readonly MaxConcurrency?: number | string;
  readonly MaxConcurrencyPath?: string;
  readonly ToleratedFailurePercentage?: number | string;
  readonly ToleratedFailurePercentagePath?: string;
  readonly ToleratedFailureCount?: number | string;
  readonly ToleratedFailureCountPath?: string;
  readonly Label?: string;
}

/** Any state. */
export type StateDefinition =
  | PassState
  | TaskState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;
