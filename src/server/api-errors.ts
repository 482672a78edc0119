import { API_ERROR_STATUS, ApiErrors, PROTOCOL_API_ERRORS, type ApiErrorName } from '../asl/api-errors';

/**
 * The package of Step Functions' own exceptions, the namespace of their `__type`
 * (`com.amazonaws.swf.service.v2.model#InvalidToken`, `…#ActivityDoesNotExist`: AWS's answers
 * recorded by a public suite run against Step Functions, aws_api_step_functions' tests), and the
 * package its reader names a structure in.
 * @internal
 */
export const SERVICE_PACKAGE = 'com.amazonaws.swf.service.v2.model';

/** The namespace of a request refused for the model's constraints (recorded as the above: `com.amazon.coral.validate#ValidationException`). */
const CONSTRAINTS_NAMESPACE = 'com.amazon.coral.validate';

/**
 * The errors AWS's service framework answers before the service sees a request, or past it, in
 * their namespace (`com.amazon.coral.service#SerializationException`, `…#UnknownOperationException`,
 * `…#AccessDeniedException`, `…#InternalFailure`: AWS's answers of DynamoDB, a JSON 1.0 service of
 * the same framework, recorded in dynalite's suite; not recorded for Step Functions).
 */
const FRAMEWORK_NAMESPACE = 'com.amazon.coral.service';
/** The URI AWS's framework names a namespace by in `x-amzn-errortype` (ApiError.errorTypeHeader). */
const CORAL_URI = 'http://internal.amazon.com/coral/';
const FRAMEWORK_ERRORS: ReadonlySet<string> = new Set(Object.values(PROTOCOL_API_ERRORS));

/**
 * The framework's errors whose words are the member `Message`, not `message`: SerializationException
 * (AWS's answers of DynamoDB and Kinesis for a member of the wrong type, recorded in dynalite's and
 * kinesalite's suites) and AccessDeniedException (AWS's answers of DynamoDB, SQS and Step Functions
 * to a caller IAM denies, captured by users and emulators). UnknownOperationException's is `message`
 * (recorded in kinesalite's suite); InternalFailure's is not recorded, and is `message` here.
 */
const CAPITALISED_MESSAGE: ReadonlySet<string> = new Set([ApiErrors.SerializationException, ApiErrors.AccessDeniedException]);

/**
 * An error answered as AWS answers it: the HTTP status of the error (API_ERROR_STATUS, generated
 * from AWS's model, unless said), `__type` (the exception's name in its namespace, which the SDK turns into its own typed exception), `message`, and the
 * exception's other members, if it has any (`resourceName` of TooManyTags).
 * @internal
 */
export class ApiError extends Error {
  constructor(
    public readonly type: ApiErrorName, message: string, public readonly status = API_ERROR_STATUS[type],
    public readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = type;
  }

  /** The namespace AWS names this error in. */
  protected get namespace(): string {
    return FRAMEWORK_ERRORS.has(this.type) ? FRAMEWORK_NAMESPACE : SERVICE_PACKAGE;
  }

  /**
   * The answer's JSON body: the words under `message`, the member the model gives each of the
   * service's exceptions, or `Message` for the framework's errors that AWS writes so (see
   * CAPITALISED_MESSAGE).
   */
  public body(): Record<string, string> {
    const namespace = this.namespace;
    const capitalised = namespace === FRAMEWORK_NAMESPACE && CAPITALISED_MESSAGE.has(this.type);
    return { ...this.fields, __type: `${namespace}#${this.type}`, [capitalised ? 'Message' : 'message']: this.message };
  }

  /**
   * The `x-amzn-errortype` header, as AWS's service framework writes it: the error's name, a colon
   * and its namespace as a URI, `ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/`
   * (the form AWS's framework sends, seen in users' captures of Bedrock's, SES's and RDS Data's
   * answers and written into Smithy's awsJson1_0 protocol tests, `AwsJson10FooErrorUsingXAmznErrorTypeWithUri`,
   * which every SDK passes by reading the name before the colon; botocore and the AWS CLI read `__type`).
   * Not recorded for Step Functions, whose `__type` names the same namespaces.
   */
  public errorTypeHeader(): string {
    return `${this.type}:${CORAL_URI}${this.namespace}/`;
  }
}

/**
 * An error AWS's service framework answers with its type alone, no words: `{"__type":"com.amazon.coral.service#SerializationException"}`
 * for a body that is not JSON or is empty, `{"__type":"com.amazon.coral.service#UnknownOperationException"}` for an
 * `X-Amz-Target` that is missing or names no operation (AWS's answers of DynamoDB and Kinesis, JSON services of the same
 * framework, recorded in dynalite's and kinesalite's suites, `test/connection.js`; not recorded for Step Functions).
 * Its message is serve's explanation, for serve's log (http.ts), never the answer.
 * @internal
 */
export class UnwordedApiError extends ApiError {
  public override body(): Record<string, string> {
    return { __type: `${this.namespace}#${this.type}` };
  }
}

/**
 * A client's string as a log line shows it: one line, control characters and all but printable
 * ASCII escaped, at most 200 characters.
 * @internal
 */
export function printable(text: string): string {
  const escaped = text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}

/**
 * The one answer to an operation Step Functions' model does not have: UnknownOperationException
 * with its type alone, as AWS's framework answers it (see UnwordedApiError); the explanation, for
 * serve's log, quotes the name the client sent escaped and cut (printable).
 * @internal
 */
export function unknownOperation(operation: string): UnwordedApiError {
  return new UnwordedApiError(ApiErrors.UnknownOperationException, `X-Amz-Target names no operation of Step Functions: '${printable(operation)}'`);
}

/**
 * A request refused for the model's constraints (a member missing, too long, out of range, outside
 * its enum or pattern): AWS's framework refuses it before the service reads it, as
 * `com.amazon.coral.validate#ValidationException`, where the service's own ValidationException
 * (an alias's routes, a version's description) is of the service's package.
 * @internal
 */
export class ConstraintViolation extends ApiError {
  constructor(message: string) {
    super(ApiErrors.ValidationException, message);
  }

  protected override get namespace(): string {
    return CONSTRAINTS_NAMESPACE;
  }
}

/**
 * Characters AWS refuses in the name of a state machine, execution, activity or alias (the `name`
 * of CreateStateMachine, StartExecution and CreateActivity, API Reference): white space, brackets,
 * wildcards, the special characters, control characters (U+0000-001F, U+007F-009F, U+FFFE-FFFF),
 * surrogates (U+D800-DFFF: with the `u` flag, one not paired into a character) and U+10FFFF.
 */
const BAD_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff\u{10ffff}]/u;

/**
 * Checks the name of a state machine, execution or activity as AWS does once the model's bounds
 * (the `Name` shape's 1-80 characters) let it through: none of the forbidden characters;
 * InvalidName otherwise, in AWS's words, which name only the name (recorded).
 * @internal
 */
export function checkName(name: string): void {
  if (BAD_NAME.test(name)) throw new ApiError(ApiErrors.InvalidName, `Invalid Name: '${name}'`);
}

/** `versionDescription` without `publish: true`, refused as AWS refuses it. @internal */
export function checkVersionDescription(description: string | undefined, publish: boolean): void {
  if (description !== undefined && !publish) {
    throw new ApiError(ApiErrors.ValidationException, 'Version description can only be set when publish is true');
  }
}

/**
 * What a 500 InternalFailure says of an error serve did not expect. A file system's error is told
 * by its code and call only: node's message names the file ("ENOENT: no such file or directory,
 * open '/srv/data/x'"), a path of the machine, which is the operator's to read in serve's log (the
 * caller logs the stack), never a client's. It is read by its fields: an error of node's own is no
 * `instanceof Error` of another realm (a vm's, jest's).
 * @internal
 */
export function faultMessage(e: unknown): string {
  const system = (typeof e === 'object' && e !== null ? e : {}) as NodeJS.ErrnoException;
  if (typeof system.code === 'string' && typeof system.syscall === 'string') return `${system.code} in ${system.syscall} (the server's log names the file)`;
  return e instanceof Error ? e.message : String(e);
}
