/*
 * Step Functions Local's environment, read by `stepwright serve` so that it
 * runs where the container or the JAR ran with the same settings. Flags win
 * over the environment.
 */
import { EndpointError, endpointUrl, withoutScheme } from '../workbench/mocks/endpoint-settings';

/** What Step Functions Local's environment variables set, and what `serve` says about them. @internal */
export interface LocalEnvironment {
  readonly region?: string;
  readonly account?: string;
  readonly mockConfig?: string;
  readonly timeScale?: number;
  readonly endpoints: Readonly<Record<string, string>>;
  /** One line per variable that was read, and per variable `serve` cannot honour as Step Functions Local does. */
  readonly notes: readonly string[];
}

/** A variable whose value cannot be used. @internal */
export class EnvironmentError extends Error {
  constructor(public readonly variable: string, public readonly value: string, reason: string) {
    super(`${variable}=${value}: ${reason}`);
    this.name = 'EnvironmentError';
  }
}

/** Step Functions Local's endpoint variables, by the service whose Tasks it sends there. */
const ENDPOINT_VARIABLES: ReadonlyArray<readonly [string, string]> = [
  ['LAMBDA_ENDPOINT', 'lambda'], ['BATCH_ENDPOINT', 'batch'], ['DYNAMODB_ENDPOINT', 'dynamodb'], ['ECS_ENDPOINT', 'ecs'],
  ['GLUE_ENDPOINT', 'glue'], ['SAGE_MAKER_ENDPOINT', 'sagemaker'], ['SAGEMAKER_ENDPOINT', 'sagemaker'], ['SQS_ENDPOINT', 'sqs'],
  ['SNS_ENDPOINT', 'sns'], ['STEP_FUNCTIONS_ENDPOINT', 'stepfunctions'],
];

/**
 * Step Functions Local's variables `serve` honours, each with its flag: `SQS_ENDPOINT (--endpoint sqs=<url>)`;
 * given `only`, that service's alone.
 * @internal
 */
export function honouredEndpointVariables(only?: string): string[] {
  return ENDPOINT_VARIABLES.filter(([, service]) => FORWARDED_BY_VARIABLE.has(service) && (only === undefined || service === only)).map(([variable, service]) => `${variable} (--endpoint ${service}=<url>)`);
}

/** The services whose variable `serve` honours, by the name its notes give them. */
const FORWARDED_BY_VARIABLE: ReadonlyMap<string, string> = new Map([['lambda', 'Lambda'], ['sqs', 'SQS'], ['sns', 'SNS'], ['dynamodb', 'DynamoDB']]);

/** The URL an endpoint variable stands for, or undefined when it is not one serve can use. */
function usableUrl(service: string, value: string): string | undefined {
  try {
    return endpointUrl(service, value).href;
  } catch (e) {
    if (e instanceof EndpointError) return undefined;
    throw e;
  }
}

/** WAIT_TIME_SCALE=0 (no waiting at all) as a time scale: waits, back-offs and timeouts 1000 times faster. */
export const WAIT_TIME_SCALE_ZERO = 1000;

/**
 * Reads Step Functions Local's environment variables: `SFN_MOCK_CONFIG`,
 * `AWS_DEFAULT_REGION`, `AWS_ACCOUNT_ID`, `WAIT_TIME_SCALE` (a factor on the
 * time of waits: 0.01 is `--time-scale 100`), `LAMBDA_ENDPOINT`, `SQS_ENDPOINT`,
 * `SNS_ENDPOINT` and `DYNAMODB_ENDPOINT`. The other `*_ENDPOINT` variables are
 * noted, as `serve` sends only those services' Tasks to an endpoint
 * (`STEP_FUNCTIONS_ENDPOINT`'s Tasks it runs itself, on the machines it holds).
 * @param nameOf how each variable was given, for notes and errors: the variable's own
 *   name, or the Step Functions Local option that stood for it (`--lambda-endpoint`)
 * @throws EnvironmentError for a WAIT_TIME_SCALE that is not a number of 0 or more
 * @internal
 */
export function readLocalEnvironment(env: NodeJS.ProcessEnv, nameOf: (variable: string) => string = (v) => v): LocalEnvironment {
  const notes: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const region = value('AWS_DEFAULT_REGION');
  const account = value('AWS_ACCOUNT_ID');
  const mockConfig = value('SFN_MOCK_CONFIG');
  if (region !== undefined) notes.push(`region ${region} (${nameOf('AWS_DEFAULT_REGION')})`);
  if (account !== undefined) notes.push(`account ${account} (${nameOf('AWS_ACCOUNT_ID')})`);
  if (mockConfig !== undefined) notes.push(`MockConfigFile ${mockConfig} (SFN_MOCK_CONFIG)`);
  let timeScale: number | undefined;
  const wait = value('WAIT_TIME_SCALE');
  if (wait !== undefined) {
    const factor = Number(wait);
    if (!Number.isFinite(factor) || factor < 0) throw new EnvironmentError(nameOf('WAIT_TIME_SCALE'), wait, 'must be a number of 0 or more, the factor on wait times (0.01 makes waits 100 times shorter)');
    if (factor === 0) {
      timeScale = WAIT_TIME_SCALE_ZERO;
      notes.push(`time scale ${WAIT_TIME_SCALE_ZERO} (${nameOf('WAIT_TIME_SCALE')}=0: Step Functions Local skips Wait states; serve runs waits, retry back-offs and timeouts ${WAIT_TIME_SCALE_ZERO} times faster, so a TimeoutSeconds of 60 lasts 60 ms)`);
    } else {
      timeScale = 1 / factor;
      notes.push(`time scale ${timeScale} (${nameOf('WAIT_TIME_SCALE')}=${wait}: waits, retry back-offs and timeouts take ${wait} of their time)`);
    }
  }
  const endpoints: Record<string, string> = {};
  for (const [name, service] of ENDPOINT_VARIABLES) {
    const url = value(name);
    if (url === undefined) continue;
    const forwarded = FORWARDED_BY_VARIABLE.get(service);
    if (forwarded) {
      endpoints[service] = url;
      const href = usableUrl(service, url);
      // One that cannot be used is said by the server, which does not stop for it unless a loaded machine calls the service.
      if (href !== undefined) {
        notes.push(withoutScheme(url)
          ? `${forwarded} Tasks go to ${href} (${nameOf(name)} ${url} has no scheme: https, as Step Functions Local's AWS SDK for Java takes it)`
          : `${forwarded} Tasks go to ${url} (${nameOf(name)})`);
      }
    } else if (service === 'stepfunctions') {
      // Step Functions Local sends its states:startExecution Tasks there, most often to itself; serve runs them itself.
      notes.push(`${nameOf(name)} is not used: serve runs a states:startExecution Task itself when it holds the state machine the Task names (create it here or --load it), as Step Functions Local does with the variable naming itself; answer a Task on a machine serve does not hold with the MockConfigFile or --handlers`);
    } else {
      notes.push(`${nameOf(name)} is not used: serve sends only ${[...FORWARDED_BY_VARIABLE.values()].join(', ')} Tasks to an endpoint; answer ${service} Tasks with the MockConfigFile or --handlers`);
    }
  }
  return {
    ...(region !== undefined ? { region } : {}),
    ...(account !== undefined ? { account } : {}),
    ...(mockConfig !== undefined ? { mockConfig } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    endpoints,
    notes,
  };
}
