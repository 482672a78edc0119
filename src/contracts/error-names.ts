/**
 * The names under which Step Functions reports a service's errors, so that
 * `Retry`/`Catch` and mocks can name them.
 *
 * - AWS SDK integrations: `<ServiceName>.<ErrorName>`, both PascalCase, the
 *   error name always ending in `Exception` even where the API reference omits
 *   it (`S3.NoSuchBucket` is caught as `S3.BucketAlreadyExistsException`):
 *   "AWS SDK service integrations", Step Functions Developer Guide. These are
 *   the class names of the AWS SDK for Java 2.x: `Fault` becomes `Exception`
 *   and acronyms are cased as words (`Rds.DbInstanceNotFoundException`), and
 *   an error the model does not name is the service's base exception
 *   (`DynamoDb.DynamoDbException`).
 * - Optimized integrations keep the names of the AWS SDK for Java 1.x under
 *   their own prefix (`DynamoDB.ConditionalCheckFailedException`,
 *   `SQS.AmazonSQSException`, `Lambda.ResourceNotFoundException`), as AWS's
 *   recorded executions show.
 */
import { ServiceErrors } from '../asl/service-errors';
import { editDistance } from '../asl/spelling';
import { StatesErrors } from '../asl/states-errors';

/** Errors any Task can fail with, whatever it calls ("Error names", Step Functions Developer Guide). */
export const TASK_STATES_ERRORS: readonly string[] = [
  StatesErrors.ALL, StatesErrors.TASK_FAILED, StatesErrors.TIMEOUT, StatesErrors.HEARTBEAT_TIMEOUT, StatesErrors.PERMISSIONS,
  StatesErrors.DATA_LIMIT_EXCEEDED, StatesErrors.RUNTIME, StatesErrors.RESULT_PATH_MATCH_FAILURE, StatesErrors.PARAMETER_PATH_FAILURE,
  StatesErrors.QUERY_EVALUATION_ERROR, StatesErrors.INTRINSIC_FAILURE,
];

/**
 * Splits a name into words as the SDK for Java 2.x does (its code generator's
 * `CodegenNamingUtils.splitOnWordBoundaries`): `DBInstanceNotFound` → DB Instance Not Found,
 * `EC2Access` → EC2 Access, `PrivateIPv4Address` → Private IP v4 Address (a version's `v` stands
 * alone), `MemoryMiB` → Memory MiB (a capital ending the name stays in its word).
 */
export function javaWords(name: string): string[] {
  return name
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .replace(/([^a-z]{2,})v([0-9]+)/g, '$1 v$2 ')
    .replace(/([^A-Z]{2,})V([0-9]+)/g, '$1 V$2 ')
    .split(/(?<=[a-z])(?=[A-Z][a-zA-Z0-9])/)
    .join(' ')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([0-9])([a-zA-Z])/g, '$1 $2')
    .trim()
    .split(/ +/);
}

const javaCasedNames = new Map<string, string>();
/** The models' names are finite, but the remembered ones are bounded all the same. */
const JAVA_CASED_LIMIT = 100_000;

/**
 * A name as the SDK for Java 2.x spells it in a class or a member, each of its
 * {@link javaWords} capitalized and the rest lower-cased (`DBInstanceNotFound` →
 * `DbInstanceNotFound`). Remembered: the models repeat a member's name in many
 * structures and an error's in many operations.
 */
export function javaCased(name: string): string {
  let cased = javaCasedNames.get(name);
  if (cased === undefined) {
    cased = javaWords(name).map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
    if (javaCasedNames.size < JAVA_CASED_LIMIT) javaCasedNames.set(name, cased);
  }
  return cased;
}

function stem(shape: string): string {
  if (shape.endsWith('Fault')) return shape.slice(0, -'Fault'.length);
  if (shape.endsWith('Exception')) return shape.slice(0, -'Exception'.length);
  return shape;
}

/**
 * The name an AWS SDK integration reports for an error shape of the model,
 * after the service's prefix: the SDK for Java 2.x class name. A shape named
 * like the service's own base exception is renamed `Default…` by that SDK.
 */
export function sdkErrorName(shape: string, errorPrefix: string): string {
  const name = `${javaCased(stem(shape))}Exception`;
  return name === ServiceErrors.baseClass(errorPrefix) ? `Default${name}` : name;
}

/** The name an optimized integration reports for an error shape of the model: the SDK for Java 1.x class name. */
export function optimizedErrorName(shape: string): string {
  return `${stem(shape)}Exception`;
}

/**
 * The candidates closest to a name, best first: those within a third of the
 * name's length in edits, or that contain it or are contained in it ignoring
 * case (`NotFound` → `ResourceNotFoundException`). At most `limit`.
 */
export function closest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  if (name.length > 256) return [];
  // An error name is compared after its prefix too (`DynamoDB.NotFound` is in `DynamoDB.ResourceNotFoundException`).
  const split = (s: string): [string, string] => {
    const dot = s.lastIndexOf('.');
    return [s.slice(0, dot + 1).toLowerCase(), s.slice(dot + 1).toLowerCase()];
  };
  const [prefix, rest] = split(name);
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === name) continue;
    const distance = editDistance(name, candidate);
    const [candidatePrefix, candidateRest] = split(candidate);
    const contains = rest.length >= 4 && prefix === candidatePrefix && (candidateRest.includes(rest) || rest.includes(candidateRest));
    if (distance <= Math.max(2, Math.floor(name.length / 3)) || contains) {
      scored.push({ candidate, score: contains ? Math.min(distance, 3) : distance });
    }
  }
  return scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate)).slice(0, limit).map((s) => s.candidate);
}
