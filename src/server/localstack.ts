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
  ['s3', 'serve does not store S3 objects: answer S3 Tasks with --handlers <module> or a MockConfigFile, and give a definition to CreateStateMachine as text'],
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
 * The message for a request meant for another AWS service: which service was
 * called, that serve answers Step Functions only, and what to use instead.
 * @internal
 */
export function otherServiceMessage(service: string, method: string | undefined, url: string | undefined): string {
  const instead = INSTEAD.get(service) ?? 'answer its Tasks with --handlers <module> or a MockConfigFile';
  const where = `${method ?? '?'} ${(url ?? '/').slice(0, 100)}`;
  return `This endpoint is stepwright serve: it answers the Step Functions API only, and this request (${where}) is for ${service.slice(0, 64)}; ${instead}`;
}
