/**
 * Why a CloudFormation template could not be turned into plain ASL.
 *
 * `code` is stable and meant for programs; the message is meant for people and
 * names the state machine, the token and the resource at fault.
 */
export type TemplateErrorCode =
  | 'NOT_A_TEMPLATE'
  | 'NO_STATE_MACHINES'
  | 'AMBIGUOUS_STATE_MACHINE'
  | 'STATE_MACHINE_NOT_FOUND'
  | 'MISSING_DEFINITION'
  | 'UNSUPPORTED_DEFINITION_SOURCE'
  | 'INVALID_DEFINITION_JSON'
  | 'UNKNOWN_RESOURCE'
  | 'UNRESOLVABLE_PARAMETER'
  /** A value is given to a parameter the template does not declare, which CloudFormation refuses. */
  | 'UNDECLARED_PARAMETER'
  /** A parameter's value (given, or its Default) breaks its declaration: AllowedValues, AllowedPattern, a length, a bound, its Type. */
  | 'INVALID_PARAMETER_VALUE'
  /** A SAM configuration file (samconfig.toml) cannot be read, is not TOML, or holds parameter_overrides SAM cannot read. */
  | 'INVALID_SAM_CONFIG'
  | 'UNSUPPORTED_INTRINSIC'
  | 'INVALID_INTRINSIC'
  | 'UNKNOWN_CONDITION'
  | 'CDK_OUT_NOT_FOUND'
  | 'VERSION_NOT_FOUND'
  | 'ALIAS_NOT_FOUND'
  | 'VERSION_NOT_IN_TEMPLATE'
  /** CreateStateMachine refuses the machine's LoggingConfiguration (InvalidLoggingConfiguration), so its deploy fails. */
  | 'INVALID_LOGGING_CONFIGURATION';

/**
 * Raised when a template cannot be read or one of its state machine definitions
 * cannot be resolved to plain ASL.
 */
export class TemplateError extends Error {
  /** Stable code of the fault. */
  public readonly code: TemplateErrorCode;
  /** Logical id of the state machine being resolved, when there is one. */
  public readonly stateMachine: string | undefined;
  /** Where in the template the fault is, for example `DefinitionString.Fn::Join[1][3]`. */
  public readonly location: string | undefined;

  constructor(code: TemplateErrorCode, message: string, details: { stateMachine?: string; location?: string } = {}) {
    super(message);
    this.name = 'TemplateError';
    this.code = code;
    this.stateMachine = details.stateMachine;
    this.location = details.location;
  }
}
