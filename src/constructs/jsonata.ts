import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Token, Tokenization, type IResolvable, type IResolveContext } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';
import { BuilderValidationError } from './common';
import type { JsonObject, JsonValue } from '../asl';

/**
 * A JSONata expression that resolves to `{% expression %}` when the definition is synthesized.
 * Kept as its own class so a builder can tell, from a number token, that it came from
 * {@link Jsonata.number} and not from a CloudFormation reference.
 */
class JsonataExpression implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(public readonly expression: string) {}
  public resolve(_context: IResolveContext): string {
    return `{% ${this.expression} %}`;
  }
  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * Typed JSONata values for fields aws-cdk-lib types as numbers (the JSONata counterpart of
 * `JsonPath.numberAt`): `maxConcurrency: Jsonata.number('$states.input.limit')` renders
 * `"MaxConcurrency": "{% $states.input.limit %}"` with no cast. The state must be a JSONata
 * state: in a JSONPath state the builder fails at synth and names the field.
 *
 * @example
 * Map.distributed(this, 'Import', {
 *   queryLanguage: sfn.QueryLanguage.JSONATA,
 *   itemProcessor: importRow,
 *   maxConcurrency: Jsonata.number('$states.input.parallelism'),
 *   toleratedFailure: ToleratedFailure.percentage(Jsonata.number('$states.input.tolerance')),
 * });
 */
export class Jsonata {
  /**
   * A number field computed at run time by a JSONata expression, as a number token.
   * @param expression the expression without its `{% %}` delimiters, e.g. `'$states.input.limit'`
   */
  public static number(expression: string): number {
    return Token.asNumber(new JsonataExpression(checkedExpression(expression)));
  }

  /**
   * A string field (a timestamp, an ARN) computed at run time by a JSONata expression:
   * `{% expression %}`.
   * @param expression the expression without its `{% %}` delimiters
   */
  public static string(expression: string): string {
    return `{% ${checkedExpression(expression)} %}`;
  }

  /**
   * A task role whose ARN a JSONata expression gives at run time (`"Credentials": { "RoleArn":
   * "{% ... %}" }`), for a cross-account call. The state machine's role gets `sts:AssumeRole` on
   * `assumableRoleArns` (all roles when none are given).
   * @param expression the expression without its `{% %}` delimiters, e.g. `'$states.input.roleArn'`
   * @param assumableRoleArns the roles the expression may name, for the IAM policy
   */
  public static roleArn(expression: string, assumableRoleArns?: string): sfn.TaskRole {
    return new JsonataTaskRole(Jsonata.string(expression), assumableRoleArns ?? '*');
  }

  /**
   * The JSONata expression (with its `{% %}`) a value holds: a {@link Jsonata.number} token or a
   * `{% %}` string; undefined for anything else.
   */
  public static expressionOf(value: unknown): string | undefined {
    if (typeof value === 'string') return value.trim().startsWith('{%') && value.trim().endsWith('%}') ? value : undefined;
    if (typeof value === 'number' && Token.isUnresolved(value)) {
      const token = Tokenization.reverseNumber(value);
      return token instanceof JsonataExpression ? `{% ${token.expression} %}` : undefined;
    }
    return undefined;
  }

  private constructor() {}
}

class JsonataTaskRole extends sfn.TaskRole {
  constructor(public readonly roleArn: string, public readonly resource: string) {
    super();
  }
}

function checkedExpression(expression: string): string {
  const e = expression.trim();
  if (e === '') throw new Error('Jsonata: the expression is empty; give one such as \'$states.input.limit\'');
  if (e.startsWith('{%') || e.endsWith('%}')) {
    throw new Error(`Jsonata: give the expression without its {% %} delimiters (they are added), got '${expression}'`);
  }
  return e;
}

/**
 * True when `value` is unresolved at construction (a token): a builder then checks it no further,
 * as AWS checks it at run time.
 * @internal
 */
export function isUnresolvedNumber(value: number | undefined): boolean {
  return value !== undefined && Token.isUnresolved(value);
}

/**
 * Fields of a rendered state that hold numbers or timestamps, by path: AWS accepts a JSONata
 * expression in each of them, in a JSONata state only.
 */
const JSONATA_VALUE_FIELDS: ReadonlyArray<readonly string[]> = [
  ['MaxConcurrency'],
  ['ToleratedFailureCount'],
  ['ToleratedFailurePercentage'],
  ['TimeoutSeconds'],
  ['HeartbeatSeconds'],
  ['Seconds'],
  ['Timestamp'],
  ['Credentials', 'RoleArn'],
  ['ItemReader', 'ReaderConfig', 'MaxItems'],
  ['ItemBatcher', 'MaxItemsPerBatch'],
  ['ItemBatcher', 'MaxInputBytesPerBatch'],
];

/**
 * Fails when a state rendered as JSONPath holds a JSONata expression in one of its number or
 * timing fields: AWS would refuse the definition at creation.
 * @internal
 */
export function checkNoJsonataInJsonPath(scope: IConstruct, stateName: string, rendered: JsonObject, language: sfn.QueryLanguage): void {
  if (language === sfn.QueryLanguage.JSONATA) return;
  for (const path of JSONATA_VALUE_FIELDS) {
    let value: JsonValue | undefined = rendered;
    for (const key of path) value = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    const expression = Jsonata.expressionOf(value);
    if (expression === undefined) continue;
    const field = path.join('.');
    throw new BuilderValidationError(scope, field,
      `State '${stateName}' is a JSONPath state but its ${field} is the JSONata expression ${expression}, which AWS refuses there. `
      + 'Set queryLanguage: QueryLanguage.JSONATA on the state (or the state machine), or give a number (or the field\'s ...Path variant).');
  }
}

/**
 * Wraps a state's rendering so that a JSONata expression in one of its number or timing fields
 * fails synth when the state renders as JSONPath. The check runs where the state's query language
 * is finally known: a state inherits it from the machine (or a stepwright Map) it ends up in.
 * @internal
 */
export function guardJsonataFields<T extends sfn.State>(state: T): T {
  const render = state.toStateJson.bind(state);
  state.toStateJson = (topLevel?: sfn.QueryLanguage) => {
    const rendered = render(topLevel) as JsonObject;
    // A state renders its own QueryLanguage only where it differs from the machine's (JSONata in a
    // JSONPath machine), and refuses to render JSONPath in a JSONata one: otherwise it runs the machine's.
    const language = rendered.QueryLanguage === 'JSONata' ? sfn.QueryLanguage.JSONATA : topLevel ?? sfn.QueryLanguage.JSON_PATH;
    checkNoJsonataInJsonPath(state, state.stateId, rendered, language);
    return rendered;
  };
  return state;
}
