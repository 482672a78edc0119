import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SFNClient, SFNClientConfig } from '@aws-sdk/client-sfn';
import { checkArnScope } from './arns';
import { ServerClock } from './clock';
import type { Console } from './console';
import { consoleUrl } from './console/guard';
import type { PreparedTemplates } from './deploy';
import { Door } from './door';
import { createHandler } from './http';
import { boundedHttpServer } from './http-limits';
import { importEsm } from './import-esm';
import type { OpenedJournal } from './journal';
import { TemplateLoadError, type LoadedStateMachine } from './loaded';
import type { ServeQuotas } from './quotas';
import { StepFunctionsService } from './service';
import { AwsDefaults } from '../asl/aws-defaults';
import type { TaskHandler } from '../interpreter';
import { requireOptionalPeer } from '../workbench/common/optional-peers';
import { packageVersion } from '../workbench/common/package-root';
import { printableLines } from '../workbench/common/printable';
import type { MockConfig } from '../workbench/mocks';
import { EndpointError, resolveEndpoints, type ServiceEndpoints, type VariableEndpoint } from '../workbench/mocks/endpoint-settings';
import { localS3FolderAt } from '../workbench/mocks/local-s3-advice';
import {
  runChecks, type MockAdvice, type MockValidation, type RequestChecks,
} from '../workbench/mocks/validation-mode';
import { deliveryPlan, type DeliveryOptions } from '../workbench/workflow/delivery';

export { TemplateLoadError } from './loaded';
export { AllowHostError } from './door';
export { ArnScopeError } from './arns';
export { EndpointError, FORWARDED_SERVICES, type ServiceEndpoints } from '../workbench/mocks/endpoint-settings';
/** For `stepwright serve`, which reads the same settings. @internal */
export { parseEndpointSetting } from '../workbench/mocks/endpoint-settings';
/** @internal */
export { readLocalEnvironment, EnvironmentError, type LocalEnvironment } from './environment';
export { DataDirLockedError, JournalDamagedError } from './journal/errors';
export type { LoadedAlias, LoadedRoute, LoadedStateMachine } from './loaded';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /**
   * Port to listen on; 0 picks a free one (read it from `endpoint`).
   * @default 8083 - Step Functions Local's port, so existing configurations work
   */
  readonly port?: number;
  /**
   * Address to listen on.
   * @default - the loopback addresses 127.0.0.1 and ::1 (the one `localhost` may resolve to first);
   *   127.0.0.1 alone where the machine has no IPv6
   */
  readonly host?: string;
  /**
   * More names a request's `Host` (and `Origin`) may carry. Without them, serve answers only
   * requests sent to a loopback name (`localhost`, `*.localhost`, `127.0.0.1`, `[::1]`, any
   * port, and their `sync-` prefix, which the SDKs put before the host for StartSyncExecution
   * and TestState) or to `host`, and with no `Origin` or a loopback one: a web page on another
   * name (DNS rebinding) or of another origin gets a 403 `AccessDeniedException`. The AWS SDKs
   * and the AWS CLI send the endpoint's name and no `Origin`. Give the names under which you
   * deliberately expose serve (a container's service name, a machine's address); `'*'`
   * allows any, only where nothing untrusted can reach the port.
   * @default - loopback names and `host` only
   * @example
   * await startServer({ host: '0.0.0.0', allowHosts: ['stepwright'] }); // http://stepwright:8083 from another container
   * @throws AllowHostError for an entry that is not a host name, an IP address or `*`
   */
  readonly allowHosts?: readonly string[];
  /**
   * Region in the ARNs: lower-case letters and digits in words joined by hyphens.
   * @default 'us-east-1'
   * @throws ArnScopeError for a region that cannot stand in an ARN (`EU`, `us-east-1;x`)
   */
  readonly region?: string;
  /**
   * Account id in the ARNs: 12 digits.
   * @default '123456789012'
   * @throws ArnScopeError for an account that is not 12 digits
   */
  readonly account?: string;
  /**
   * A Step Functions Local MockConfigFile (a path, or the parsed object).
   * Choose a test case per execution by starting it on `<stateMachineArn>#<TestCase>`.
   * @default - no mocked responses
   */
  readonly mockConfig?: string | MockConfig;
  /**
   * How the MockConfigFile's answers are checked against the AWS service models, as
   * TestState's `mock.fieldValidationMode` and the harness's `mockValidation`: a `Return`
   * AWS's TestState refuses (a value of the wrong type, outside its enum or bounds, and under
   * STRICT a required field missing) fails the Task with `States.Runtime` naming the state,
   * the field, the model version and the expected shape. A field the model does not define,
   * a `Throw` naming an error the integration never raises and, under the default PRESENT, a
   * required field left out are advice (see `mockAdvice`): Step Functions Local, whose
   * format the MockConfigFile is, checks no mock. `'STRICT'` refuses a missing field, as
   * TestState's own default does.
   * @default 'PRESENT'
   */
  readonly mockValidation?: MockValidation;
  /**
   * What the advice on a MockConfigFile answer does: `'warn'` logs it (a line starting
   * `advice:`) and the execution goes on, as AWS would; `'fail'` fails the Task with
   * `States.Runtime`.
   * @default 'warn'
   */
  readonly mockAdvice?: MockAdvice;
  /**
   * What a Task's request AWS refuses does (checked as the Task sends it): `'fail'` fails it
   * as AWS does (States.Runtime for a member an `aws-sdk:` call's model does not define, the
   * service's error for a missing required member where it is known); `'warn'` logs it
   * (`advice:`) and the execution goes on.
   * @default 'fail'
   */
  readonly requestChecks?: RequestChecks;
  /**
   * Task handlers keyed by state name or resource ARN: a module path (its
   * exports, or its default export, are the handlers) or the object itself.
   * For a Lambda Task a handler may also be keyed by the function it calls
   * (name or ARN), and then answers the function's versions and aliases too;
   * one keyed by the version or alias wins. What a handler throws for a Lambda
   * Task fails it as Lambda reports a function error (the error's name, and
   * `{"errorType","errorMessage","trace"}` as cause), as in the jest harness;
   * it may return `fail(...)`, `succeed(...)` or `rawResult(...)` from
   * `stepwright/testing`, which mean what they mean there.
   * @default - no handlers
   */
  readonly handlers?: string | Readonly<Record<string, TaskHandler>>;
  /**
   * Send the Tasks of a service to an endpoint of your own, by service name,
   * as Step Functions Local's `LAMBDA_ENDPOINT`, `SQS_ENDPOINT`, `SNS_ENDPOINT`
   * and `DYNAMODB_ENDPOINT` do: a Lambda Task (a `lambda:invoke`, with or
   * without `.waitForTaskToken`, or a function ARN `Resource`) calls the Lambda
   * Invoke API there, for `sam local start-lambda` or another emulator; an
   * SQS, SNS or DynamoDB Task (`sqs:sendMessage`, `sns:publish`,
   * `dynamodb:getItem|putItem|updateItem|deleteItem`, and any
   * `aws-sdk:sqs|sns|dynamodb:<action>`) calls that service's API there
   * (ElasticMQ, LocalStack, DynamoDB Local), each through the service's AWS SDK
   * client. A MockConfigFile test case and the handlers still answer first.
   * What the endpoint answers is the task result as AWS gives it; an error of
   * the service fails the Task with the error Step Functions names
   * (`SQS.QueueDoesNotExistException`, `DynamoDb.ResourceNotFoundException`), an
   * endpoint that cannot be reached with `<Service>.SdkClientException` naming it.
   * `s3` is an S3-compatible server (MinIO, LocalStack) that stands for the local S3 instead of
   * a folder (`s3Dir`, which it excludes): Distributed Map ItemReaders read there, ResultWriters
   * write there, `aws-sdk:s3` Tasks run there, with the folder's errors (`S3.NoSuchKeyException`).
   * Supported: `lambda`, `sqs`, `sns`, `dynamodb`, `s3`. A URL without a scheme (`localhost:4566`)
   * is https, as Step Functions Local's AWS SDK for Java takes it.
   * @default - no Task is sent anywhere
   * @example
   * await startServer({ endpoints: { lambda: 'http://127.0.0.1:3001', sqs: 'http://127.0.0.1:9324' } });
   * @throws EndpointError for a service not supported, or a URL that is not http(s)
   */
  readonly endpoints?: ServiceEndpoints;
  /**
   * Endpoints given by Step Functions Local's variables (`LAMBDA_ENDPOINT`, `SQS_ENDPOINT`,
   * `SNS_ENDPOINT`, `DYNAMODB_ENDPOINT`), by service, each with how it was given, as `stepwright
   * serve` reads them. Each is used as `endpoints` would be, but one that cannot be used (a URL
   * that is not http(s), the service's AWS SDK client not installed) does not stop the server,
   * since a compose file often gives every service's variable and Step Functions Local starts
   * with them: it is said in the log, and a Task of its service fails with `States.Runtime`
   * saying why. It stops the server only when a state machine of `load` calls its service.
   * `endpoints` wins for a service given in both.
   * @default - none
   * @internal
   */
  readonly variableEndpoints?: Readonly<Record<string, VariableEndpoint>>;
  /**
   * How many STANDARD executions may be open (RUNNING) at once: past it, StartExecution and
   * RedriveExecution answer ExecutionLimitExceeded, and a `states:startExecution` Task fails with
   * it, as AWS does past its quota of open executions (1,000,000 by default). The same number
   * bounds the EXPRESS executions running when a Task starts one more (AWS counts none).
   * @default - 5,000: serve's own bound, which fits in memory (a machine that starts itself ends FAILED at it)
   * @internal
   */
  readonly openExecutionLimit?: number;
  /**
   * The account's quotas of registered state machines, registered activities and GetActivityTask
   * calls waiting on one activity, where they are not AWS's defaults (10,000, 10,000 and 1,000):
   * past one, CreateStateMachine, CreateActivity or GetActivityTask answers its LimitExceeded error.
   * @default - AWS's default quotas
   * @internal
   */
  readonly quotas?: ServeQuotas;
  /**
   * A folder for the local S3: a folder per bucket, a file per key. A Distributed Map's ItemReader
   * reads its items there, its ResultWriter writes its result files there, and `aws-sdk:s3`
   * Tasks no mock or handler answers run against it.
   * @default - none
   * @throws S3FolderError when the folder does not exist
   */
  readonly s3Dir?: string;
  /**
   * Keep state machines, activities and executions in this directory, so they
   * survive a restart (or a crash); waiting executions resume.
   * @default - in memory only
   */
  readonly dataDir?: string;
  /**
   * With `dataDir`: compact the journal once it would grow past this many
   * bytes. It is rewritten as the records that rebuild the current state
   * (closed executions keep their start and their closing, with their whole
   * history; their task tokens, heartbeats and redrives are dropped) and atomically replaces the
   * old one, so a restart reads less and a crash at any moment loses nothing.
   * Past the first compaction, the next comes when the journal has doubled.
   * @default 67108864 - 64 MiB
   * @example
   * await startServer({ dataDir: '.stepwright', compactJournalAt: 8 * 1024 * 1024 });
   */
  readonly compactJournalAt?: number;
  /**
   * With `dataDir`: start even when the journal is damaged. The journal is
   * first copied beside itself (`journal.jsonl.damaged-<time>.bak`); then every
   * record that checks out and can be applied is kept, and the others (a line
   * whose checksum or frame is wrong, a record that lacks a field or refers to
   * something a dropped record made) are dropped, each named in a log line, and
   * the journal is written anew. An execution whose closing is dropped runs
   * again from its start, as one the server was killed in. Without it, a
   * damaged journal stops the server with {@link JournalDamagedError}, which
   * names the line and byte offset, and nothing is changed.
   * @default false
   */
  readonly repair?: boolean;
  /**
   * Synthesized CDK output to serve from the start: CloudFormation templates
   * (`*.template.json`) and cloud assemblies (`cdk.out` directories), deployed
   * in order as CloudFormation would deploy them one after the other. Each
   * `AWS::StepFunctions::StateMachine` is created (named by its
   * `StateMachineName`, else its logical id, as in the harness's placeholder
   * ARNs; typed STANDARD or EXPRESS as declared) or updated to the template's
   * definition; each `AWS::StepFunctions::StateMachineVersion` is published in
   * template order with its description; each
   * `AWS::StepFunctions::StateMachineAlias` routes as its
   * `RoutingConfiguration` says or, with a `DeploymentPreference`, as the
   * deployment starts: a new alias at the target version with weight 100, an
   * alias that pointed at another version (from an earlier template) at
   * CANARY's or LINEAR's first step (the new version takes `Percentage`).
   * Templates are resolved for this server's `region` and `account`, so the
   * ARNs in definitions are the server's. Give the templates of successive
   * deploys in order to get their versions numbered on (1, 2, ...) and an
   * alias that routes between them.
   *
   * The resources are created through the API's operations, so with `dataDir`
   * they are journaled like any other; loading the same templates again after
   * a restart changes nothing. `loaded` on the running server lists them.
   * @default - nothing is loaded
   * @example
   * const server = await startServer({ port: 0, load: ['cdk.out'] });
   * const [orders] = server.loaded;
   * await server.client().send(new StartExecutionCommand({ stateMachineArn: orders.aliases[0].stateMachineAliasArn }));
   * @throws TemplateLoadError when a path cannot be read, has no state machine, or a definition cannot be resolved or is invalid
   */
  readonly load?: readonly string[];
  /**
   * With `load`: serve only the state machines these select, each a logical
   * id, `StateMachineName` or construct path (or its tail), as `stepwright run --state-machine` takes.
   * @default - every state machine of the loaded templates
   * @throws TemplateLoadError listing the state machines when a selector matches none
   */
  readonly loadStateMachines?: readonly string[];
  /**
   * With `load`: values of the templates' `Parameters`, by name, over each one's `Default`,
   * as `sam deploy --parameter-overrides` gives them.
   * @default - each parameter's Default
   * @throws TemplateLoadError when values are given without `load`, or the templates refuse them
   */
  readonly loadParameters?: Readonly<Record<string, string>>;
  /**
   * With `load`: the SAM configuration file whose `parameter_overrides` give a template file's
   * parameters values below `loadParameters`, as `sam deploy --config-file` names it; which file
   * gave values is logged.
   * @default - samconfig.toml (else samconfig.yaml) beside the template, when there is one
   */
  readonly loadConfigFile?: string;
  /**
   * With `load`: the environment of the SAM configuration file, as `sam deploy --config-env` names it.
   * @default 'default'
   */
  readonly loadConfigEnv?: string;
  /**
   * Run what executions wait for this many times faster: Wait states, retry
   * back-off, TimeoutSeconds, HeartbeatSeconds, and GetActivityTask's long
   * poll. An execution's history still shows each wait at its full length (its
   * time jumps ahead when the wait ends), while the work between waits, and
   * the server's own time (creation dates, startDates), run at the wall
   * clock's pace: idle time never passes faster.
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * Serve the console, a web page of the state machines and executions (their diagrams, retries,
   * history, live), at `/console` on the same port: see docs/console.md. It passes the same
   * Host and Origin checks as the API, and its actions need the page's per-process token.
   * @default true
   */
  readonly console?: boolean;
  /**
   * Log one line per request.
   * @default false
   */
  readonly verbose?: boolean;
  /**
   * Log one line per execution when it ends: what it would cost on AWS, its state transitions
   * as a Standard workflow and its request and billed duration as an Express one, at the
   * prices of `region` (stepwright's price table; see `stepwright cost`).
   * @default false
   */
  readonly cost?: boolean;
  /**
   * Deliver at least once where AWS may, as the harness's `delivery` option does,
   * deterministically from `seed`: in an EXPRESS execution started with StartExecution
   * (at-least-once on AWS), each chosen Task invocation's handler, Lambda endpoint, inline code
   * or MockConfigFile response is delivered `duplicates` more times, and the execution goes on
   * with the last delivery's outcome; and the execution is started over `restarts` times
   * (default 1), each lost run cut after a Task invocation the seed chooses, before the run that
   * counts. A STANDARD execution (exactly once) and one started with StartSyncExecution (at most
   * once) run each Task invocation once and are never started over.
   * @default - every invocation delivered once, every execution run once
   * @example startServer({ handlers: './handlers.js', delivery: { atLeastOnce: { duplicates: 1, seed: 7 } } })
   */
  readonly delivery?: DeliveryOptions;
  /**
   * Where log lines go (requests with `verbose`, and errors of the handlers module always). The
   * control characters of what a line quotes (a state's name, a handler's error) are escaped
   * (`\u001b`), line breaks aside, so that no client can drive the terminal the lines reach.
   * @default - standard error
   */
  readonly log?: (line: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** The URL to give an SDK client or `aws --endpoint-url`, e.g. `http://127.0.0.1:8083`. */
  readonly endpoint: string;
  /** The port it listens on. */
  readonly port: number;
  /** The console's URL (`<endpoint>/console`); undefined when `console` is false. */
  readonly consoleUrl?: string;
  /** What `load` created or found, one entry per state machine. */
  readonly loaded: readonly LoadedStateMachine[];
  /** An SFNClient configured for this server. */
  client(config?: SFNClientConfig): SFNClient;
  /**
   * Stops listening and ends open connections; with a data directory, the journal is closed.
   * Running executions stop where they are, at their next state or JSONata step, recording
   * nothing (with a data directory, the next server runs them on from the journal): one that
   * never waits no longer keeps the process alive.
   */
  close(): Promise<void>;
}

/**
 * Starts a local AWS Step Functions endpoint: the Step Functions API (AWS JSON
 * 1.0) over HTTP, running executions on stepwright's interpreter, for the
 * AWS SDKs and the AWS CLI.
 *
 * @example
 * // jest globalSetup
 * const server = await startServer({ port: 0, mockConfig: 'test/MockConfigFile.json' });
 * process.env.SFN_ENDPOINT = server.endpoint;
 * const sfn = server.client();
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  let deploy: typeof import('./deploy') | undefined;
  const sink = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // A line quotes what clients and handlers wrote (state names, executions' names, handlers' errors
  // and stacks): its control characters are escaped, so that none can drive the terminal it reaches.
  const log = (line: string): void => sink(printableLines(line));
  const { region, account } = checkArnScope({ region: options.region ?? AwsDefaults.REGION, account: options.account ?? AwsDefaults.ACCOUNT });
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`timeScale must be a positive number, got ${String(options.timeScale)}`);
  const { endpoints, unusable } = resolveEndpoints(options.endpoints, options.variableEndpoints);
  const door = new Door(options.host, options.allowHosts);
  // Loaded only when given: the MockConfigFile's reader and its checks.
  const mockConfig = options.mockConfig === undefined ? undefined
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
    : (require('./mock-config-file') as typeof import('./mock-config-file')).MockConfigSource.open(options.mockConfig, log);
  // A Map, so that a state named like a property of Object.prototype (`constructor`) finds its own handler or none.
  const handlers = typeof options.handlers === 'string' ? await loadHandlers(options.handlers) : new Map(Object.entries(options.handlers ?? {}));
  let prepared: PreparedTemplates | undefined;
  const parameterNames = Object.keys(options.loadParameters ?? {});
  if (options.load?.length || options.loadStateMachines?.length || parameterNames.length > 0) {
    if (!options.load?.length && options.loadStateMachines?.length) {
      throw new TemplateLoadError('loadStateMachines', options.loadStateMachines.join(', '), 'selects among the state machines of load; give the templates or cdk.out directories to load too');
    }
    // As `--parameter` without `--load` is refused: a value no template takes would be dropped without a word.
    if (!options.load?.length) {
      throw new TemplateLoadError('loadParameters', parameterNames.join(', '), 'gives values to the parameters of the templates of load; give the templates or cdk.out directories to load too');
    }
    // Loaded on demand: the template loaders bring aws-cdk-lib, which a server without templates does not need.
    deploy = await import('./deploy');
    prepared = deploy.prepareTemplates({ region, account }, options.load, options.loadStateMachines, options.loadParameters,
      {
        options: {
          ...(options.loadConfigFile !== undefined ? { configFile: options.loadConfigFile } : {}),
          ...(options.loadConfigEnv !== undefined ? { configEnv: options.loadConfigEnv } : {}),
        },
        note: (message) => log(message),
      });
    refuseUnusableCalled(prepared, unusable);
  }
  for (const { givenAs, reason } of unusable.values()) log(`${givenAs} is not used: ${reason}; a Task that would go there fails saying so`);
  // Loaded only with a data directory: the journal's reader, writer and replay.
  const persisted = options.dataDir === undefined ? undefined : journaling();
  let opened: OpenedJournal | undefined = options.dataDir === undefined ? undefined
    : persisted!.Journal.open(options.dataDir, { compactAt: options.compactJournalAt, repair: options.repair, log });
  const journal = opened?.journal;
  // Checked as for an EXPRESS run the harness starts over: restarts apply to asynchronous EXPRESS executions.
  const delivery = deliveryPlan(options.delivery, 'EXPRESS', false);
  const service = new StepFunctionsService({
    region,
    account,
    ...(options.cost ? { cost: true } : {}),
    ...(delivery ? { delivery } : {}),
    ...(options.openExecutionLimit !== undefined ? { openExecutionLimit: options.openExecutionLimit } : {}),
    ...(options.quotas !== undefined ? { quotas: options.quotas } : {}),
    // The server's time never runs backwards: after a restart it goes on from the last journaled server time.
    clock: new ServerClock(timeScale, opened ? persisted!.latestTime(opened.records) : 0),
    mockConfig,
    checks: runChecks(options, 'serve'),
    handlers,
    // Loaded only when asked for: the forwarder brings the answers' rules and the integrations' catalogue.
    ...(endpoints.size > 0 || unusable.size > 0 ? { forwarder: new (forwarding().EndpointForwarder)(endpoints, region, unusable) } : {}),
    // Loaded only when asked for: the local S3 brings part of the interpreter.
    ...(options.s3Dir !== undefined || endpoints.has('s3')
      ? {
        // A bucket of a loaded template missing from it: its NoSuchBucket says how the run named the bucket, as at every door.
        s3: (await import('../workbench/s3/local-s3')).templateLocalS3Of(
          options.s3Dir === undefined ? undefined : { dir: options.s3Dir }, endpoints.get('s3'), region, Date.now, prepared?.functions ?? new Map(),
          localS3FolderAt('serve'),
        )!,
      }
      : {}),
    // Known before the journal replays: a call in flight at a crash has no journaled answer and is made again.
    ...(prepared ? { functions: prepared.functions } : {}),
    journal,
    log,
  });
  if (opened) {
    try {
      persisted!.restoreJournal(opened, options.repair === true, log, (records, repair) => service.restore(records, repair));
    } catch (e) {
      service.close();
      await journal!.close();
      throw e;
    }
    // The records are the state now; the server holds the state, not the records.
    opened = undefined;
  }
  let loaded: LoadedStateMachine[] = [];
  if (prepared && deploy) {
    try {
      loaded = await deploy.deployTemplates(service, { region, account }, prepared);
    } catch (e) {
      service.close();
      await journal?.close();
      throw e;
    }
  }
  const consoleApp = options.console === false ? undefined : new ConsoleOnFirstPage(service, log);
  const handler = createHandler(service, door, options.verbose ? log : undefined, log,
    {
      version: packageVersion(),
      persistence: options.dataDir !== undefined,
      s3: { folder: options.s3Dir !== undefined, ...(endpoints.has('s3') ? { endpoint: endpoints.get('s3')!.origin } : {}) },
    }, consoleApp);
  let servers: http.Server[];
  try {
    servers = await listen(handler, options.port ?? 8083, options.host, log);
  } catch (e) {
    // A port in use: give the data directory back, so that a server on another port can have it.
    service.close();
    await journal?.close();
    throw e;
  }
  const address = servers[0].address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `http://${host}:${address.port}`;
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    port: address.port,
    ...(consoleApp ? { consoleUrl: `${endpoint}/console` } : {}),
    loaded,
    client: (config) => client(endpoint, { region, ...config }),
    close: () => closed ??= (async () => {
      consoleApp?.close();
      service.close();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })));
      await journal?.close();
    })(),
  };
}

/**
 * The console, loaded with its first page: its module brings the drawing of diagrams (and the
 * layout library), which a server that only answers the API never runs.
 */
class ConsoleOnFirstPage implements Pick<Console, 'handle' | 'close'> {
  private loaded: Console | undefined;
  constructor(private readonly service: StepFunctionsService, private readonly log: (line: string) => void) {}

  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (this.loaded === undefined && consoleUrl(req.url) === undefined) return false;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
    this.loaded ??= new (require('./console') as typeof import('./console')).Console(this.service, this.log);
    return this.loaded.handle(req, res);
  }

  close(): void {
    this.loaded?.close();
  }
}

/**
 * A variable's endpoint that cannot be used stops the server when a loaded
 * state machine calls its service: every run of it would fail there.
 */
function refuseUnusableCalled(prepared: PreparedTemplates, unusable: ReturnType<typeof resolveEndpoints>['unusable']): void {
  if (unusable.size === 0) return;
  const { forwardedServicesOf } = forwarding();
  for (const group of prepared.groups) {
    for (const { machine } of group.machines) {
      for (const service of forwardedServicesOf(machine.rawDefinition)) {
        const bad = unusable.get(service);
        if (bad) throw new EndpointError(service, bad.url, `${bad.reason}; state machine '${machine.name ?? machine.logicalId}' of ${group.stack.label} calls ${service}, so it could not run`);
      }
    }
  }
}

/** The journal of a data directory and its replay, loaded with the first server given one. */
function journaling(): typeof import('./journal') & typeof import('./journal/restore') {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use */
  return { ...require('./journal') as typeof import('./journal'), ...require('./journal/restore') as typeof import('./journal/restore') };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The forwarding of Tasks to endpoints, loaded with the first server given one. */
function forwarding(): typeof import('../workbench/mocks/endpoints') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  return require('../workbench/mocks/endpoints') as typeof import('../workbench/mocks/endpoints');
}

/** How many free ports to try for one that is free on both loopback addresses. */
const PORT_TRIES = 10;

/**
 * Listens on `host`, or by default on both loopback addresses at one port, so
 * that a client given `http://localhost:<port>` connects wherever `localhost`
 * resolves first (::1 on many machines). Where IPv6 is not available, it
 * listens on 127.0.0.1 alone and says so. With port 0, a port free on both is
 * picked.
 */
async function listen(handler: http.RequestListener, port: number, host: string | undefined, log: (line: string) => void): Promise<http.Server[]> {
  if (host !== undefined) return [await listenOne(handler, port, host)];
  for (let attempt = 1; ; attempt++) {
    const v4 = await listenOne(handler, port, '127.0.0.1');
    const chosen = (v4.address() as AddressInfo).port;
    try {
      return [v4, await listenOne(handler, chosen, '::1')];
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL') {
        log(`IPv6 loopback ::1 is not available here (${code}); listening on 127.0.0.1 only: give clients http://127.0.0.1:${chosen}`);
        return [v4];
      }
      await new Promise<void>((resolve) => v4.close(() => resolve()));
      // Port 0 picked a port that something holds on ::1: pick again.
      if (code === 'EADDRINUSE' && port === 0 && attempt < PORT_TRIES) continue;
      throw e;
    }
  }
}

function listenOne(handler: http.RequestListener, port: number, host: string): Promise<http.Server> {
  const server = boundedHttpServer(handler);
  return new Promise<http.Server>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/**
 * An SFNClient for a local endpoint: any credentials do, and the `sync-`
 * host prefix of StartSyncExecution is turned off (it would send the call to
 * `sync-127.0.0.1`).
 *
 * @param endpoint the server's URL (`startServer`'s `endpoint`); default `http://127.0.0.1:8083`
 * @param config more SFNClient settings (region, credentials, a request handler, ...)
 * @example
 * const sfn = client('http://127.0.0.1:8083');
 * await sfn.send(new ListStateMachinesCommand({}));
 */
export function client(endpoint = 'http://127.0.0.1:8083', config: SFNClientConfig = {}): SFNClient {
  // Loaded on first use: the SDK takes longer to load than the whole server, which needs none of it (an optional peer).
  const sdk = requireOptionalPeer<typeof import('@aws-sdk/client-sfn')>('@aws-sdk/client-sfn', "client() of 'stepwright/server'");
  return new sdk.SFNClient({
    region: AwsDefaults.REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...config,
    endpoint,
    disableHostPrefix: true,
  });
}


/** A value a module threw, as text, never throwing itself (an object with no prototype cannot be printed). */
function safeText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'a value that cannot be printed';
  }
}

/** Loads a handlers module (CommonJS or ES module): its exports keyed by state name or resource ARN. */
async function loadHandlers(file: string): Promise<Map<string, TaskHandler>> {
  const abs = path.resolve(file);
  // What a module resolves to is read whole: a pipe would hold serve's start until something writes
  // to it, and a device (a link to /dev/zero) would never end. Resolving reads nothing.
  const special = (p: string): boolean => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    return stat !== undefined && !stat.isFile() && !stat.isDirectory();
  };
  let resolved: string | undefined;
  try {
    resolved = special(abs) ? abs : require.resolve(abs);
  } catch {
    // Not found: require says so below, as it always has.
  }
  if (resolved !== undefined && special(resolved)) {
    throw new Error(`cannot load the handlers module ${abs}: ${resolved === abs ? 'it' : resolved} is not a regular file (a pipe, socket or device); save the module to a file`);
  }
  // A user's module: what it exports is checked below, export by export.
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a user's module, CommonJS first
    mod = require(abs);
  } catch (e) {
    // A module may throw anything at all (`throw null`): only an Error carries a code and a message.
    const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw new Error(`cannot load the handlers module ${abs}: ${e instanceof Error ? e.message : safeText(e)}`);
    // An ES module: imported by import-esm.ts (node's loader compiles it, not the start's code cache).
    mod = await importEsm(pathToFileURL(abs).href);
  }
  const handlers = new Map<string, TaskHandler>();
  if ((typeof mod !== 'object' && typeof mod !== 'function') || mod === null) return handlers;
  const exported = 'default' in mod && mod.default && typeof mod.default === 'object' ? mod.default : mod;
  for (const entry of Object.entries(exported)) {
    const [key, value]: [string, unknown] = entry;
    if (key === 'default' || key === '__esModule') continue;
    if (typeof value !== 'function') throw new Error(`the handlers module ${abs} exports '${key}' as ${typeof value}; each export must be a function (input, request) => result`);
    handlers.set(key, value as TaskHandler);
  }
  return handlers;
}
