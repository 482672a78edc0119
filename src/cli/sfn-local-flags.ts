import { UsageError } from './cli-error';

/**
 * Step Functions Local's command-line options, as its JAR takes them (a
 * camelCase form with one dash and a long form with two), each by the
 * environment variable it stands for: `serve` reads them as it reads those
 * variables, so a start-up script written for the JAR runs unchanged.
 */
const JAR_OPTIONS: ReadonlyArray<readonly [short: string, long: string, variable: string]> = [
  ['-account', '--aws-account', 'AWS_ACCOUNT_ID'],
  ['-region', '--aws-region', 'AWS_DEFAULT_REGION'],
  ['-waitTimeScale', '--wait-time-scale', 'WAIT_TIME_SCALE'],
  ['-lambdaEndpoint', '--lambda-endpoint', 'LAMBDA_ENDPOINT'],
  ['-batchEndpoint', '--batch-endpoint', 'BATCH_ENDPOINT'],
  ['-dynamoDBEndpoint', '--dynamodb-endpoint', 'DYNAMODB_ENDPOINT'],
  ['-ecsEndpoint', '--ecs-endpoint', 'ECS_ENDPOINT'],
  ['-glueEndpoint', '--glue-endpoint', 'GLUE_ENDPOINT'],
  ['-sageMakerEndpoint', '--sagemaker-endpoint', 'SAGE_MAKER_ENDPOINT'],
  ['-sqsEndpoint', '--sqs-endpoint', 'SQS_ENDPOINT'],
  ['-snsEndpoint', '--sns-endpoint', 'SNS_ENDPOINT'],
  ['-stepFunctionsEndpoint', '--step-functions-endpoint', 'STEP_FUNCTIONS_ENDPOINT'],
];

const BY_NAME: ReadonlyMap<string, string> = new Map(JAR_OPTIONS.flatMap(([short, long, variable]) => [[short, variable], [long, variable]]));

/** The JAR's options taken out of a command line. @internal */
export interface JarOptions {
  /** The arguments left for `serve`'s own parser. */
  readonly rest: string[];
  /** The value of each option given, by the environment variable it stands for. */
  readonly variables: Record<string, string>;
  /** The option as it was written, by the variable it stands for: to name it in notes and errors. */
  readonly givenAs: ReadonlyMap<string, string>;
}

/**
 * Takes Step Functions Local's own options (`--lambda-endpoint <url>`,
 * `-waitTimeScale 0.01`, `--aws-account=<id>` …) out of `serve`'s arguments.
 * @throws UsageError for one given without a value
 * @internal
 */
export function takeJarOptions(args: readonly string[]): JarOptions {
  const rest: string[] = [];
  const variables: Record<string, string> = {};
  const givenAs = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const variable = BY_NAME.get(name);
    if (variable === undefined) {
      rest.push(arg);
      continue;
    }
    if (eq < 0 && i + 1 >= args.length) throw new UsageError(`Step Functions Local's option '${name}' needs a value`);
    variables[variable] = eq < 0 ? args[++i] : arg.slice(eq + 1);
    givenAs.set(variable, name);
  }
  return { rest, variables, givenAs };
}

/** The help text's lines on the JAR's options. @internal */
export const JAR_OPTIONS_USAGE = `Step Functions Local's options (its JAR's, each read as its variable above):
${JAR_OPTIONS.map(([short, long, variable]) => `  ${`${short}, ${long}`.padEnd(50)}${variable}`).join('\n')}
`;
