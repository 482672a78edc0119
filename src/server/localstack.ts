/**
 * The readiness endpoints suites written for LocalStack poll before their first
 * test, answered as LocalStack answers them, and the words for a request meant
 * for another AWS service, which a deploy script written for LocalStack sends
 * to the same port.
 */

/** What serve answers on one of LocalStack's own paths: status and JSON text. @internal */
export interface LocalStackAnswer {
  readonly status: number;
  readonly body: string;
}

/** LocalStack's lifecycle stages, as `/_localstack/init` names them. */
const STAGES = ['BOOT', 'START', 'READY', 'SHUTDOWN'] as const;

/**
 * JSON as LocalStack writes it (Python's `json.dumps`: `", "` and `": "`
 * between items), so that the `grep '"stepfunctions": "running"'` loops of
 * shell scripts match.
 */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The answer to a GET or HEAD of LocalStack's health and init paths, or
 * undefined for any other request:
 * - `/_localstack/health` (and `/health`, where LocalStack before 0.12 had it):
 *   200 with `services.stepfunctions` `"running"`, the one service served here;
 * - `/_localstack/init`: every stage completed but SHUTDOWN, and no scripts;
 * - `/_localstack/init/<stage>`: that stage's `completed` and its (no) scripts;
 *   404 for a stage LocalStack does not have.
 * @param persistence whether executions survive a restart (`--data-dir`), as LocalStack's `PERSISTENCE`
 * @internal
 */
export function localStackAnswer(
  method: string | undefined, url: string | undefined, version: string, persistence: boolean,
): LocalStackAnswer | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const path = (url ?? '').split('?')[0].replace(/\/+$/, '');
  if (path === '/_localstack/health' || path === '/health') {
    return {
      status: 200,
      body: pythonJson({
        services: { stepfunctions: 'running' },
        features: { initScripts: 'initialized', persistence: persistence ? 'enabled' : 'disabled' },
        edition: 'stepwright',
        version,
      }),
    };
  }
  if (path === '/_localstack/init') {
    return { status: 200, body: pythonJson({ completed: Object.fromEntries(STAGES.map((s) => [s, s !== 'SHUTDOWN'])), scripts: [] }) };
  }
  const stage = /^\/_localstack\/init\/([^/]+)$/.exec(path)?.[1].toUpperCase();
  if (stage === undefined) return undefined;
  if (!(STAGES as readonly string[]).includes(stage)) {
    return { status: 404, body: pythonJson({ error: `no such stage: '${stage.slice(0, 40)}'; LocalStack's stages are ${STAGES.join(', ')}` }) };
  }
  return { status: 200, body: pythonJson({ completed: stage !== 'SHUTDOWN', scripts: [] }) };
}

/**
 * What to use in serve for each AWS service a deploy script for LocalStack
 * calls, by the service's signing name (the credential scope of its
 * `Authorization` header).
 */
const INSTEAD = new Map<string, string>([
  ['lambda', 'answer Lambda Tasks with --handlers <module>, send them to a Lambda emulator with --endpoint lambda=<url>, or --load a template whose functions have inline code'],
  ['iam', 'serve does not check roles: leave out the IAM calls and give any role ARN to CreateStateMachine'],
  ['sts', 'serve takes any credentials: leave out the STS calls'],
  ['sqs', 'run an SQS emulator (ElasticMQ) and create the queue there; send SQS Tasks to it with --endpoint sqs=<url>'],
  ['sns', 'run an SNS emulator and create the topic there; send SNS Tasks to it with --endpoint sns=<url>'],
  ['dynamodb', 'run DynamoDB Local and create the table there; send DynamoDB Tasks to it with --endpoint dynamodb=<url>'],
  ['cloudformation', 'give the synthesized template or cdk.out directory to serve with --load <template | cdk.out>'],
  ['logs', 'serve keeps no log groups: leave out the CloudWatch Logs calls (a LoggingConfiguration is accepted as given)'],
  ['events', 'serve does not route EventBridge events: answer events:putEvents Tasks with --handlers <module> or a MockConfigFile'],
]);

/**
 * The AWS service a request that is not Step Functions' is meant for, from
 * its signature's credential scope (`Credential=<key>/<date>/<region>/<service>/aws4_request`)
 * or its `X-Amz-Target` prefix; undefined when it names none.
 * @internal
 */
export function otherServiceOf(authorization: string | undefined, target: string): string | undefined {
  const scope = /Credential=[^/,\s]*\/\d{8}\/[^/,\s]+\/([a-z0-9-]{1,64})\/aws4_request/.exec(authorization ?? '')?.[1];
  if (scope !== undefined && scope !== 'states') return scope;
  if (target.startsWith('DynamoDB_')) return 'dynamodb';
  if (target.startsWith('AmazonSQS.')) return 'sqs';
  return undefined;
}

/**
 * Where serve keeps S3 objects: a folder (`--s3-dir`), an S3-compatible endpoint (`--endpoint
 * s3=`), or neither.
 * @internal
 */
export interface ServeS3 {
  /** Whether serve was given a folder (`--s3-dir`); its path is the user's and is not repeated to a client. */
  readonly folder: boolean;
  /** The endpoint's origin (no credentials, path or query), when serve was given one. */
  readonly endpoint?: string;
}

/**
 * What to do with an S3 call: serve stores objects when it was given a folder or an endpoint,
 * but it answers no S3 API on its own port, so the S3 client must write to the folder or go to
 * that endpoint.
 */
function s3Instead(s3: ServeS3 | undefined): string {
  const definitions = 'give a definition to CreateStateMachine as text';
  if (s3?.endpoint !== undefined) {
    return `serve keeps S3 objects on the S3 endpoint it was given (--endpoint s3=${s3.endpoint}): point the S3 client there `
      + `(aws --endpoint-url ${s3.endpoint} s3 ...); Distributed Map ItemReaders, ResultWriters and aws-sdk:s3 Tasks use it; ${definitions}`;
  }
  if (s3?.folder) {
    return 'serve keeps S3 objects in the folder it was given (--s3-dir), not behind an S3 API: write each object there as a file '
      + `<bucket>/<key> (aws s3 cp becomes a copy into that folder); Distributed Map ItemReaders, ResultWriters and aws-sdk:s3 Tasks read and write it; ${definitions}`;
  }
  return 'serve answers no S3 API on this port: start it with --s3-dir <dir> (a folder per bucket, a file per key; copy objects into it) '
    + 'or --endpoint s3=<url> (an S3-compatible server; point the S3 client there) for Distributed Map ItemReaders, ResultWriters and aws-sdk:s3 Tasks, '
    + `or answer S3 Tasks with --handlers <module> or a MockConfigFile; ${definitions}`;
}

/**
 * The message for a request meant for another AWS service: which service was
 * called, that serve answers Step Functions only, and what to use instead.
 * @param s3 where serve keeps S3 objects, for a request signed for S3
 * @internal
 */
export function otherServiceMessage(service: string, method: string | undefined, url: string | undefined, s3?: ServeS3): string {
  const instead = service === 's3' ? s3Instead(s3) : INSTEAD.get(service) ?? 'answer its Tasks with --handlers <module> or a MockConfigFile';
  const where = `${method ?? '?'} ${(url ?? '/').slice(0, 100)}`;
  return `This endpoint is stepwright serve: it answers the Step Functions API only, and this request (${where}) is for ${service.slice(0, 64)}; ${instead}`;
}
