import * as fs from 'node:fs';
import * as path from 'node:path';
import { parametersOf, parseCommandArgs } from './args';
import { CliError, UsageError } from './cli-error';
import { readEndpointFlags } from './endpoint-flags';
import { checkFlags } from './mock-validation-flag';
import { JAR_OPTIONS_USAGE, takeJarOptions } from './sfn-local-flags';
import type { Streams } from './streams';
import { AwsDefaults } from '../asl/aws-defaults';
import { AwsLimits } from '../asl/limits';
import { DEFAULT_SEED, SEED_BOUND } from '../asl/random';
import { withThousands } from '../asl/shorten';
import {
  AllowHostError, ArnScopeError, EndpointError, EnvironmentError, readLocalEnvironment, startServer, TemplateLoadError,
  type LoadedStateMachine, type LocalEnvironment, type ServerOptions,
} from '../server';
import { operationsByHostPrefix } from '../server/door';
import { MockConfigError } from '../workbench/mocks/mock-config-error';
import { OPEN_EXECUTIONS_BOUND } from '../workbench/workflow/chains';

/** @internal */
export const SERVE_USAGE = `Usage: stepwright serve [options]

Serves the AWS Step Functions API on a local endpoint for the AWS SDKs and the
AWS CLI (aws stepfunctions --endpoint-url <url> ...), running executions on
stepwright's interpreter. Prints the endpoint URL; stops on SIGINT or SIGTERM.

Options:
  --port <n>              Port. Default: 8083 (Step Functions Local's); 0 picks a free one
  --host <address>        Address to listen on. Default: 127.0.0.1 and ::1 (both loopback
                          addresses, so http://localhost:<port> works wherever localhost
                          resolves first); 127.0.0.1 alone where IPv6 is not available
  --allow-host <name>     Answer requests sent to this name too (their Host or Origin); repeat
                          it for several. Without it, serve answers only requests to a loopback
                          name (localhost, *.localhost, 127.0.0.1, [::1]) or to --host, with no
                          Origin or a loopback one: a web page on another name gets 403
                          AccessDeniedException. * allows any name (only where nothing
                          untrusted can reach the port).
  --no-console            Do not serve the console (a web page of the state machines and
                          executions, live) at <endpoint>/console; see docs/console.md.
  --region <region>       Region in ARNs. Default: ${AwsDefaults.REGION}
  --account <id>          Account id in ARNs. Default: ${AwsDefaults.ACCOUNT}
  --mock-config <file>    A Step Functions Local MockConfigFile; start an execution on
                          <stateMachineArn>#<TestCase> to use a test case.
  --mock-validation STRICT|PRESENT|NONE
                          How the MockConfigFile's answers are checked against the AWS
                          service models, as TestState's mock.fieldValidationMode: STRICT,
                          required fields present and every field the model defines of
                          its type, enum and bounds; PRESENT, the fields given only; NONE,
                          nothing. An answer AWS's TestState refuses fails the Task.
                          Default: PRESENT (Step Functions Local checks no mock): a
                          missing required field is logged as advice; STRICT fails it
  --mock-advice warn|fail
                          What a field the model does not define, or a Throw naming an
                          error the integration never raises, does: warn logs an
                          'advice:' line and the execution goes on (AWS accepts such a
                          mock); fail fails the Task with States.Runtime. Default: warn
  --request-checks fail|warn
                          What a Task's request AWS refuses does: fail fails it as AWS
                          does (States.Runtime for a member an aws-sdk call's model does
                          not define, the service's error for a missing required member
                          where it is known); warn logs it as advice. Default: fail
  --s3-dir <dir>          A local S3: a folder per bucket, a file per key. Distributed Map
                          ItemReaders read it, ResultWriters write their result files to it,
                          and aws-sdk:s3 Tasks no mock or handler answers run against it.
  --handlers <module>     A JavaScript module whose exports, keyed by state name,
                          resource ARN or Lambda function (name or ARN, which answers its
                          versions and aliases too), answer Task states:
                          (input, request) => result. What one throws for a Lambda Task
                          fails it as a Lambda function error, as in the jest harness.
  --load <template | cdk.out>
                          At start, create the state machines of a synthesized template or
                          cdk.out directory, publish its state machine versions and create
                          its aliases (routing by weight). Repeat it for successive deploys,
                          oldest first: their versions number on and aliases route between them.
                          Prints one line per state machine: name, ARN, versions, aliases.
                          A Lambda function with inline code (Node.js) that no handler
                          answers runs it, also behind a version, an alias or a qualified ARN.
  --state-machine <selector>
                          With --load: only this state machine (logical id, StateMachineName or
                          construct path); repeat it for several.
  --parameter <Name=Value>
                          With --load: a template parameter's value, over its Default, as
                          sam deploy --parameter-overrides gives it (Name=Value,
                          ParameterKey=Name,ParameterValue=Value or file://params.json);
                          repeat it for several.
  --config-file <file>      A SAM configuration file whose parameter_overrides give values below
                            --parameter. Default: samconfig.toml beside the template.
  --config-env <env>        The environment of the SAM configuration file. Default: default.
  --data-dir <dir>        Keep state machines, activities and executions here; they
                          survive a restart or crash, and waiting executions resume.
                          One server per directory: a second one is refused.
  --repair                With --data-dir: start even if the journal is damaged, keeping a
                          copy of it and dropping (and naming) the records that do not check
                          out. Without it, a damaged journal stops the server unchanged.
  --compact-journal-at <bytes>
                          Compact the --data-dir journal past this size. Default: 67108864 (64 MiB)
  --open-executions <n>   The most STANDARD executions open (RUNNING) at once, the most EXPRESS
                          ones running when a Task starts one more (AWS counts none), and the
                          longest chain of executions each started by a Task of the one before; past it
                          StartExecution, RedriveExecution and a states:startExecution Task
                          get ExecutionLimitExceeded, as past AWS's quota (${withThousands(AwsLimits.OPEN_EXECUTIONS)}).
                          Default: ${OPEN_EXECUTIONS_BOUND}, serve's own bound, so that a machine that starts
                          itself ends FAILED instead of filling memory
  --time-scale <n>        Run Wait, retry back-offs, timeouts and heartbeats n times faster;
                          histories still show them at full length, and idle time passes
                          at the wall clock's pace. Default: 1
  --endpoint <service>=<url>
                          Send the Tasks of that service that no mock or handler answers to
                          an endpoint of your own, e.g. lambda=http://127.0.0.1:3001
                          (sam local start-lambda), sqs=<url> (ElasticMQ), sns=<url>,
                          dynamodb=<url> (DynamoDB Local), s3=<url> (an S3-compatible server
                          that stands for --s3-dir: Map ItemReaders, ResultWriters, aws-sdk:s3
                          Tasks). Services: lambda, sqs, sns, dynamodb, s3. A URL without a
                          scheme (host:4566) is https, as Step Functions Local takes it.
  --verbose               Log one line per request to standard error.
  --cost                  Log one line per execution when it ends, to standard error: its
                          state transitions as a Standard workflow and its request and billed
                          duration as an Express one, with their price (see stepwright cost).
  --at-least-once <n>     In each EXPRESS execution of StartExecution (at least once on AWS),
                          deliver each Task invocation n more times (1 to 10), going on with
                          the last delivery's outcome, and start the execution over before the
                          run that counts (see --delivery-restarts), to test that handlers are
                          idempotent. STANDARD executions and StartSyncExecution run each Task
                          once, as on AWS.
  --delivery-restarts <n> With --at-least-once: how many times (0 to 10) an EXPRESS execution
                          of StartExecution is started over, each lost run cut after a Task
                          the seed chooses; never a STANDARD one or a StartSyncExecution. Default: 1
  --delivery-seed <n>     With --at-least-once: the seed of its choices. Default: ${DEFAULT_SEED}
  --help                  Print this help.

Environment (Step Functions Local's; a flag wins over its variable):
  SFN_MOCK_CONFIG         as --mock-config; unset, MockConfigFile.json in the folder serve
                          starts in is read when there is one, as Step Functions Local's JAR does
  AWS_DEFAULT_REGION      as --region
  AWS_ACCOUNT_ID          as --account
  WAIT_TIME_SCALE         the factor on wait times: 0.01 is --time-scale 100; 0 is --time-scale 1000
  LAMBDA_ENDPOINT         as --endpoint lambda=<url>
  SQS_ENDPOINT            as --endpoint sqs=<url>
  SNS_ENDPOINT            as --endpoint sns=<url>
  DYNAMODB_ENDPOINT       as --endpoint dynamodb=<url>
  Other *_ENDPOINT variables are noted and not used. An endpoint variable serve
  cannot use is named at start; it stops serve only when a --load machine calls it.

${JAR_OPTIONS_USAGE}`;

const SPEC = {
  command: 'serve',
  values: ['config-file', 'config-env', 'port', 'host', 'region', 'account', 'mock-config', 'mock-validation', 'mock-advice', 'request-checks', 'handlers', 's3-dir', 'data-dir', 'compact-journal-at', 'open-executions', 'time-scale', 'at-least-once', 'delivery-restarts', 'delivery-seed'],
  flags: ['verbose', 'cost', 'help', 'repair', 'no-console'],
  lists: ['load', 'state-machine', 'endpoint', 'allow-host', 'parameter'],
  instead: {
    mocks: "a Task is answered by --handlers <module> (a function per state name; fail() and succeed() of 'stepwright/testing' as in jest) "
      + "or --mock-config <MockConfigFile> (an execution started on '<stateMachineArn>#<TestCase>')",
  },
};

/** The file Step Functions Local's JAR reads from the folder it started in when SFN_MOCK_CONFIG is not set. */
const JAR_MOCK_CONFIG = 'MockConfigFile.json';
const JAR_MOCK_CONFIG_WORDS = `as Step Functions Local's JAR reads ${JAR_MOCK_CONFIG} when SFN_MOCK_CONFIG is not set; --mock-config names another`;

/**
 * `MockConfigFile.json` in `folder` when it is a file, as Step Functions Local's JAR reads it
 * when SFN_MOCK_CONFIG is not set ("Step 2: Provide the Mock Configuration File", JAR file,
 * https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html).
 */
function jarMockConfigFile(folder: string): string | undefined {
  const file = path.join(folder, JAR_MOCK_CONFIG);
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true ? file : undefined;
}

/** Resolves when the process is asked to stop. @internal */
export type StopSignal = Promise<unknown>;

/** `stepwright serve`: parses the flags, starts the server, serves until SIGINT/SIGTERM. @internal */
export async function serveCommand(
  args: readonly string[], io: Streams, stop?: StopSignal, environment: NodeJS.ProcessEnv = process.env, startFolder: string = process.cwd(),
): Promise<number> {
  const jar = takeJarOptions(args);
  const parsed = parseCommandArgs(jar.rest, SPEC, SERVE_USAGE, io);
  if (!parsed) return 0;
  if (parsed.positionals.length > 0) throw new UsageError(`'serve' takes no positional arguments, got ${parsed.positionals.join(' ')}`);
  const v = parsed.values;
  if (parsed.flags.has('repair') && v['data-dir'] === undefined) throw new UsageError('--repair repairs the journal of a data directory; give it with --data-dir <dir>');
  if (parsed.lists['state-machine'] && !parsed.lists.load) {
    throw new UsageError('--state-machine selects among the state machines of --load; give the template or cdk.out directory with --load <template | cdk.out>');
  }
  const { parameters: loadParameters, samConfig: loadSamConfig } = parametersOf(parsed);
  if (loadSamConfig && !parsed.lists.load) {
    throw new UsageError('--config-file and --config-env read the SAM configuration of a template of --load; give the template with --load <template>');
  }
  if (loadParameters && !parsed.lists.load) {
    throw new UsageError('--parameter gives a value to a parameter of the templates of --load; give the template or cdk.out directory with --load <template | cdk.out>');
  }
  let env: LocalEnvironment;
  let fromJar: LocalEnvironment;
  try {
    env = readLocalEnvironment(environment);
    // Step Functions Local's own options win over its variables, as in its JAR.
    fromJar = readLocalEnvironment(jar.variables, (variable) => jar.givenAs.get(variable) ?? variable);
  } catch (e) {
    if (e instanceof EnvironmentError) throw new UsageError(e.message);
    throw e;
  }
  // How each endpoint was given, to name it so when the server refuses it: each forwarded service's variable is <SERVICE>_ENDPOINT.
  const variableEndpoints = Object.fromEntries(Object.entries({ ...env.endpoints, ...fromJar.endpoints }).map(([service, url]) => {
    const variable = `${service.toUpperCase()}_ENDPOINT`;
    const option = jar.givenAs.get(variable);
    return [service, { url, givenAs: option !== undefined && fromJar.endpoints[service] !== undefined ? `${option} ${url}` : `${variable}=${url}` }];
  }));
  const givenAs = new Map(Object.entries(variableEndpoints).map(([service, given]) => [service, given.givenAs]));
  const endpoints: Record<string, string> = {};
  for (const [service, flag] of readEndpointFlags(parsed.lists.endpoint)) {
    endpoints[service] = flag.url;
    givenAs.set(service, `--endpoint ${flag.setting}`);
  }
  // Step Functions Local's JAR reads MockConfigFile.json from the folder it started in when SFN_MOCK_CONFIG is not set.
  const folderMockConfig = v['mock-config'] === undefined && env.mockConfig === undefined ? jarMockConfigFile(startFolder) : undefined;
  const options: ServerOptions = {
    port: v.port === undefined ? undefined : integer('--port', v.port, 0, 65535),
    host: v.host,
    allowHosts: parsed.lists['allow-host'],
    region: v.region ?? fromJar.region ?? env.region,
    account: v.account ?? fromJar.account ?? env.account,
    mockConfig: v['mock-config'] ?? env.mockConfig ?? folderMockConfig,
    ...checkFlags(v),
    endpoints,
    variableEndpoints,
    handlers: v.handlers,
    ...(v['s3-dir'] === undefined ? {} : { s3Dir: v['s3-dir'] }),
    load: parsed.lists.load,
    loadStateMachines: parsed.lists['state-machine'],
    ...(loadParameters ? { loadParameters } : {}),
    ...(loadSamConfig?.configFile !== undefined ? { loadConfigFile: loadSamConfig.configFile } : {}),
    ...(loadSamConfig?.configEnv !== undefined ? { loadConfigEnv: loadSamConfig.configEnv } : {}),
    dataDir: v['data-dir'],
    repair: parsed.flags.has('repair'),
    compactJournalAt: v['compact-journal-at'] === undefined ? undefined : integer('--compact-journal-at', v['compact-journal-at'], 1, Number.MAX_SAFE_INTEGER),
    ...(v['open-executions'] === undefined ? {} : { openExecutionLimit: integer('--open-executions', v['open-executions'], 1, AwsLimits.OPEN_EXECUTIONS) }),
    timeScale: v['time-scale'] === undefined ? fromJar.timeScale ?? env.timeScale : positive('--time-scale', v['time-scale']),
    verbose: parsed.flags.has('verbose'),
    cost: parsed.flags.has('cost'),
    console: !parsed.flags.has('no-console'),
    ...(v['at-least-once'] === undefined ? {} : {
      delivery: {
        atLeastOnce: {
          duplicates: integer('--at-least-once', v['at-least-once'], 1, 10),
          ...(v['delivery-restarts'] === undefined ? {} : { restarts: integer('--delivery-restarts', v['delivery-restarts'], 0, 10) }),
          seed: v['delivery-seed'] === undefined ? 0 : integer('--delivery-seed', v['delivery-seed'], 0, SEED_BOUND - 1),
        },
      },
    }),
    log: (line) => io.err.write(`${line}\n`),
  };
  if (v['delivery-seed'] !== undefined && v['at-least-once'] === undefined) throw new UsageError('--delivery-seed is the seed of --at-least-once; give --at-least-once <n> too');
  if (v['delivery-restarts'] !== undefined && v['at-least-once'] === undefined) {
    throw new UsageError('--delivery-restarts is part of --at-least-once delivery; give --at-least-once <n> too');
  }
  for (const note of env.notes) io.err.write(`from the environment: ${note}\n`);
  for (const note of fromJar.notes) io.err.write(`from Step Functions Local's options: ${note}\n`);
  if (folderMockConfig !== undefined) io.err.write(`from the folder serve started in: MockConfigFile ${folderMockConfig} (${JAR_MOCK_CONFIG_WORDS})\n`);
  let server;
  try {
    server = await startServer(options).catch((e: unknown) => {
      // Read only because it is there: what it holds cannot stop serve, which starts without it and says why.
      if (!(e instanceof MockConfigError) || folderMockConfig === undefined) throw e;
      io.err.write(`${folderMockConfig} is not read: ${e.message}; serve starts without a MockConfigFile (give one with --mock-config <file>)\n`);
      return startServer({ ...options, mockConfig: undefined });
    });
  } catch (e) {
    if (e instanceof MockConfigError) {
      const given = v['mock-config'] === undefined ? 'SFN_MOCK_CONFIG' : '--mock-config';
      // A path inside Step Functions Local's container means nothing here.
      const hint = given === 'SFN_MOCK_CONFIG' && e.code === 'INVALID_CONFIG' && !fs.existsSync(options.mockConfig as string)
        ? ' (a path inside the Step Functions Local container? give the file\'s path on this machine)' : '';
      throw new CliError(`${given} ${e.message}${hint}`, 2);
    }
    if (e instanceof ArnScopeError) {
      const flag = `--${e.option}`;
      const variable = e.option === 'region' ? 'AWS_DEFAULT_REGION' : 'AWS_ACCOUNT_ID';
      const shown = JSON.stringify(e.value);
      throw new CliError(`${v[e.option] === undefined ? `${variable}=${shown}` : `${flag} ${shown}`}: ${e.reason}`, 2);
    }
    if (e instanceof AllowHostError) throw new CliError(`--allow-host ${e.message}`, 2);
    if (e instanceof EndpointError) throw new CliError(`${givenAs.get(e.service) ?? `${e.service}=${e.value}`}: ${e.reason}`, 2);
    if (e instanceof TemplateLoadError) throw new CliError(`${e.option === 'load' ? '--load' : '--state-machine'} ${e.value}: ${e.reason}`, 2);
    // By name: the local S3's module is loaded only when serve is given a folder.
    if ((e as Error).name === 'S3FolderError' || (e as Error).name === 'LocalS3OptionError') throw new CliError(`--s3-dir: ${(e as Error).message}`, 2);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${options.port ?? 8083} is in use; pick another with --port <n> (0 for any free port)`, 2);
    throw new CliError((e as Error).message, 2);
  }
  io.out.write(`${server.endpoint}\n`);
  for (const machine of server.loaded) io.out.write(`${describeLoaded(machine)}\n`);
  io.err.write(syncHostHint(server.endpoint));
  if (server.consoleUrl !== undefined) io.err.write(`console: ${server.consoleUrl} (turn it off with --no-console)\n`);
  await (stop ?? signalled(environment, io));
  await server.close();
  return 0;
}

/**
 * The SDKs and the AWS CLI send the operations whose model gives a host prefix (StartSyncExecution
 * and TestState, to `sync-<host>`) to a name that does not resolve for a local endpoint: said at
 * start, on standard error, so the first ENOTFOUND is not a mystery.
 * @param byPrefix the operations of each host prefix; botocore's model's by default
 * @internal
 */
export function syncHostHint(endpoint: string, byPrefix: ReadonlyMap<string, readonly string[]> = operationsByHostPrefix()): string {
  const url = new URL(endpoint);
  const localhost = `${url.protocol}//localhost:${url.port}`;
  const prefixes = [...byPrefix.keys()];
  if (prefixes.length === 0) return '';
  const sent = [...byPrefix].map(([prefix, operations]) =>
    `${listed(operations)}: the AWS SDKs and the AWS CLI send ${operations.length === 1 ? 'it' : 'them'} to ${prefix}${url.hostname}, which does not resolve.`);
  const hosts = prefixes.map((prefix) => `'127.0.0.1 ${prefix}localhost'`).join(' and ');
  return [
    ...sent,
    `  SDK: client() of 'stepwright/server', or new SFNClient({ endpoint: '${endpoint}', disableHostPrefix: true })`,
    `  AWS CLI: AWS_DISABLE_HOST_PREFIX_INJECTION=true, or --endpoint-url ${localhost} with ${hosts} in /etc/hosts`,
    '',
  ].join('\n');
}

/** `A`, `A and B`, `A, B and C`. */
function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One line per loaded state machine, with every ARN in full so it can be copied. */
function describeLoaded(m: LoadedStateMachine): string {
  const qualifier = (arn: string): string => `:${arn.slice(arn.lastIndexOf(':') + 1)}`;
  const versions = m.versionArns.length ? m.versionArns.map(qualifier).join(' ') : 'none';
  const aliases = m.aliases.length
    ? m.aliases.map((a) => `${a.stateMachineAliasArn} (${a.routingConfiguration.map((r) => `${qualifier(r.stateMachineVersionArn)} ${r.weight}%`).join(', ')})`).join(', ')
    : 'none';
  return `loaded ${m.name} ${m.stateMachineArn} ${m.type}; versions: ${versions}; aliases: ${aliases}`;
}

function signalled(environment: NodeJS.ProcessEnv, io: Streams): StopSignal {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (environment.npm_command === 'exec') watchLauncher(() => resolve(undefined), io);
  });
}

/** How often a server started by npx looks whether its launcher is still there. */
const LAUNCHER_POLL_MS = 250;

/**
 * Stops the server when npx, which started it, is gone. npx runs the bin
 * through `sh -c`, and terminating npx ends that shell without passing the
 * signal on: the server would go on answering (and holding its port and its
 * --data-dir) for no one. The parent is looked for, as Node keeps no
 * notice of its going; only under npx, so that a server started in the
 * background of a shell that then exits keeps running.
 */
function watchLauncher(stop: () => void, io: Streams): void {
  const launcher = process.ppid;
  if (launcher <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(launcher, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') return;
      clearInterval(timer);
      io.err.write('npx, which started serve, has ended: stopping\n');
      stop();
    }
  }, LAUNCHER_POLL_MS);
  timer.unref();
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got '${text}'`);
  return n;
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} must be a positive number, got '${text}'`);
  return n;
}
