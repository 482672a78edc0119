/**
 * Stable codes of the static validator's findings, in the spirit of the
 * diagnostics codes of AWS ValidateStateMachineDefinition. Tools may rely on
 * a code; the message wording may change.
 */
export const ValidationCodes = {
  /** The definition is not valid JSON. */
  INVALID_JSON_DESCRIPTION: 'INVALID_JSON_DESCRIPTION',
  /** The definition is empty, null or not a JSON object. */
  MISSING_DESCRIPTION: 'MISSING_DESCRIPTION',
  /** A required field is missing, a field is unknown, or a value has the wrong type. */
  SCHEMA_VALIDATION_FAILED: 'SCHEMA_VALIDATION_FAILED',
  /** Two fields that exclude each other are both present, or none of a required set is. */
  MUTUALLY_EXCLUSIVE_FIELDS: 'MUTUALLY_EXCLUSIVE_FIELDS',
  /**
   * The definition nests arrays and objects deeper than 1,000 levels (about
   * 250 nested Parallel or Map states), or refers to itself: it is not JSON
   * that AWS's parser (Jackson, 1,000 levels) accepts.
   */
  DEFINITION_TOO_DEEP: 'DEFINITION_TOO_DEEP',
  /** A number is outside the range AWS accepts. */
  VALUE_OUT_OF_RANGE: 'VALUE_OUT_OF_RANGE',
  /** StartAt, Next, Default or a Catch's Next names no state of its scope. */
  MISSING_TRANSITION_TARGET: 'MISSING_TRANSITION_TARGET',
  /** A state has both Next and End, neither, or a transition its type forbids. */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** No state of a scope ends the execution. */
  MISSING_END_STATE: 'MISSING_END_STATE',
  /** No path from StartAt leads to the state. */
  UNREACHABLE_STATE: 'UNREACHABLE_STATE',
  /** The same state name appears more than once in the machine, branches included. */
  DUPLICATE_STATE_NAME: 'DUPLICATE_STATE_NAME',
  /** A state name is empty or longer than 80 characters. */
  INVALID_STATE_NAME: 'INVALID_STATE_NAME',
  /** A Map's Label is empty or holds white space, a bracket, a wildcard, a control character, or one of the characters : ; , | ^ ~ $ # % & ` " or a backslash. */
  INVALID_LABEL_NAME: 'INVALID_LABEL_NAME',
  /** Two Map states of one machine have the same Label. */
  DUPLICATE_LABEL_NAME: 'DUPLICATE_LABEL_NAME',
  /** A path, reference path or ResultPath does not parse or is of the wrong kind. */
  INVALID_JSON_PATH: 'INVALID_JSON_PATH',
  /** An intrinsic function call does not parse, names no function, or has bad arguments. */
  INVALID_INTRINSIC_FUNCTION: 'INVALID_INTRINSIC_FUNCTION',
  /**
   * Warning: an intrinsic call's literal argument makes every run that reaches it fail with
   * States.Runtime (a `States.ArrayRange` step of 0, a `States.ArrayPartition` size of 0 or less,
   * a negative `States.ArrayGetItem` index, `States.JsonMerge` with `true`, a `States.Hash`
   * algorithm it does not know); whether AWS's CreateStateMachine refuses it is not recorded.
   */
  INTRINSIC_ARGUMENT_FAILS_AT_RUN: 'INTRINSIC_ARGUMENT_FAILS_AT_RUN',
  /** A payload template has a bad `.$` field or a field given twice. */
  INVALID_PAYLOAD_TEMPLATE: 'INVALID_PAYLOAD_TEMPLATE',
  /** A `{% %}` JSONata expression does not parse or its delimiters are unbalanced. */
  INVALID_JSONATA: 'INVALID_JSONATA',
  /**
   * A JSONata expression reads what Step Functions does not offer: a name or
   * `$` at the top level (there is no context item; use `$states.input`), the
   * root `$$`, or `$states.errorOutput` outside a Catch.
   */
  UNSUPPORTED_JSONATA_EXPRESSION: 'UNSUPPORTED_JSONATA_EXPRESSION',
  /** A field used under the wrong QueryLanguage, or a QueryLanguage value AWS rejects. */
  INVALID_QUERY_LANGUAGE: 'INVALID_QUERY_LANGUAGE',
  /** ErrorEquals is empty or States.ALL is not alone and last. */
  INVALID_ERROR_EQUALS: 'INVALID_ERROR_EQUALS',
  /** A Choice rule is not one well-formed comparison or combination. */
  INVALID_CHOICE_RULE: 'INVALID_CHOICE_RULE',
  /** A Task Resource is not an ARN, or a Lambda qualifier is malformed. */
  INVALID_RESOURCE: 'INVALID_RESOURCE',
  /** An integration suffix (`.sync`, `.sync:2`, `.waitForTaskToken`) the service does not offer. */
  UNSUPPORTED_INTEGRATION_PATTERN: 'UNSUPPORTED_INTEGRATION_PATTERN',
  /** A `.waitForTaskToken` Task never passes `$$.Task.Token` on. */
  MISSING_TASK_TOKEN: 'MISSING_TASK_TOKEN',
  /** An EXPRESS machine uses an activity, `.sync` or `.waitForTaskToken`. */
  EXPRESS_UNSUPPORTED_FEATURE: 'EXPRESS_UNSUPPORTED_FEATURE',
  /**
   * Warning: an EXPRESS machine's Task Resource is left to a deploy-time substitution or
   * CloudFormation function (`${ApproveArn}`, `{"Ref": ...}`) whose literal parts cannot tell
   * whether it is an activity, `.sync` or `.waitForTaskToken`.
   */
  EXPRESS_RESOURCE_UNKNOWN: 'EXPRESS_RESOURCE_UNKNOWN',
  /** Assign is misplaced, not an object, or names a variable badly. */
  INVALID_ASSIGN: 'INVALID_ASSIGN',
  /** Warning: a Task Resource that is a URI but not an ARN (the spec allows it; AWS deploys only ARNs), or a template function left unresolved. */
  RESOURCE_NOT_ARN: 'RESOURCE_NOT_ARN',
  /**
   * Warning: a definition whose substitutions are made (a template's) still holds a `${Name}`
   * (inside a Task Resource's ARN, in a value or a field name): no `DefinitionSubstitutions`
   * entry of that name replaced it.
   */
  UNRESOLVED_SUBSTITUTION: 'UNRESOLVED_SUBSTITUTION',
  /** Warning: a Task without TimeoutSeconds can wait for a year. */
  TASK_WITHOUT_TIMEOUT: 'TASK_WITHOUT_TIMEOUT',
  /** Warning: a Lambda ARN without a version or alias runs whatever $LATEST is. */
  UNQUALIFIED_LAMBDA_ARN: 'UNQUALIFIED_LAMBDA_ARN',
  /** Warning: a Map reading an ItemReader with no MaxConcurrency may start 10,000 children at once. */
  MAP_WITHOUT_MAX_CONCURRENCY: 'MAP_WITHOUT_MAX_CONCURRENCY',
  /**
   * Warning: an INLINE Map (no ProcessorConfig.Mode DISTRIBUTED) with a field AWS documents for
   * DISTRIBUTED mode only (ItemReader, ItemBatcher, ResultWriter, a tolerated failure threshold,
   * Label): stepwright runs it as a Distributed Map would, and AWS may refuse it.
   */
  DISTRIBUTED_FIELD_IN_INLINE_MAP: 'DISTRIBUTED_FIELD_IN_INLINE_MAP',
  /**
   * Warning: a Task's Parameters or Arguments name a field the integration's
   * request does not define (an AWS SDK call's member, or a nested member of an
   * optimized integration), which the service refuses when the Task runs; the
   * message names the closest fields. A top-level field an optimized
   * integration does not support is refused when the state machine is
   * created, as SCHEMA_VALIDATION_FAILED.
   */
  UNKNOWN_REQUEST_FIELD: 'UNKNOWN_REQUEST_FIELD',
  /** Warning: a field the integration's request requires is not given. */
  MISSING_REQUEST_FIELD: 'MISSING_REQUEST_FIELD',
  /** Warning: a literal of another type than the integration's request defines (a list where a string goes). */
  REQUEST_FIELD_TYPE: 'REQUEST_FIELD_TYPE',
  /** Warning: an `aws-sdk:` Resource names a service or an action the AWS service models do not have. */
  UNKNOWN_INTEGRATION: 'UNKNOWN_INTEGRATION',
  /** Warning: a Retry or Catch names an error the Task's integration never raises; the message names the closest it raises. */
  ERROR_NEVER_RAISED: 'ERROR_NEVER_RAISED',
  /** Warning: a Choice without Default fails with States.NoChoiceMatched when no rule matches. */
  CHOICE_WITHOUT_DEFAULT: 'CHOICE_WITHOUT_DEFAULT',
  /**
   * Warning: a variable assigned inside a Parallel branch or a Map iteration has the name of one
   * assigned in a scope around it, which AWS's variables page says it cannot have; whether
   * CreateStateMachine refuses it is not documented.
   */
  VARIABLE_NAME_IN_OUTER_SCOPE: 'VARIABLE_NAME_IN_OUTER_SCOPE',
  /**
   * A template's LoggingConfiguration that CreateStateMachine refuses (InvalidLoggingConfiguration):
   * a log group ARN without the `:*` its API reference asks for, or a level other than OFF without
   * exactly one destination. Only `stepwright validate` of a template reports it.
   */
  INVALID_LOGGING_CONFIGURATION: 'INVALID_LOGGING_CONFIGURATION',
} as const;

/** One of the stable codes of {@link ValidationCodes}. */
export type ValidationCode = (typeof ValidationCodes)[keyof typeof ValidationCodes];

/** How bad a finding is: an error makes AWS (and the interpreter) refuse the definition. */
export type FindingSeverity = 'error' | 'warning';

/** One problem the validator found. */
export interface Finding {
  /** Stable code, one of {@link ValidationCodes}. */
  readonly code: ValidationCode;
  /** `error` when AWS would refuse the definition; `warning` for best practice. */
  readonly severity: FindingSeverity;
  /** JSON pointer to the offending value, for example `/States/Charge/Retry/0/ErrorEquals`. */
  readonly location: string;
  /** What is wrong, naming the value, and how to fix it. */
  readonly message: string;
  /**
   * The location of the error this one follows from: fixing that one fixes this one too (a state
   * unreachable behind a mistyped `Next`, or behind another unreachable state). Absent on a root error.
   */
  readonly followsFrom?: string;
}

/** Options of {@link validateDefinition}. */
export interface ValidateOptions {
  /**
   * The workflow type the definition will run as; EXPRESS forbids activities,
   * `.sync` and `.waitForTaskToken`.
   * @default 'STANDARD'
   */
  // eslint-disable-next-line no-restricted-syntax -- written out so that API.md shows the two values
  readonly type?: 'STANDARD' | 'EXPRESS';
  /**
   * Include best-practice warnings (Task without TimeoutSeconds, unqualified
   * Lambda ARN, Map without MaxConcurrency over an ItemReader, Choice without Default).
   * @default true
   */
  readonly warnings?: boolean;
  /**
   * The definition is the one Step Functions is given: a CreateStateMachine request's, or a
   * template's once CloudFormation has made its `DefinitionSubstitutions`. A Task Resource that is
   * not an ARN is then refused as AWS refuses it (`SCHEMA_VALIDATION_FAILED: Value is not a valid
   * resource ARN`), a `${Name}` that no substitution replaced included.
   * @default false - a `${Name}` in a Resource stands for a substitution a deploy will make
   */
  readonly substituted?: boolean;
}
