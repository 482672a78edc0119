import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BuilderValidationError, isJsonata, QueryLanguageOption, statePrefix } from './common';
import { LanguageParallel } from './processor-language';

/** One handler of a {@link TryCatch}. */
export interface CatchClause {
  /**
   * Error names this handler takes, matched in clause order as in a Catch field.
   * @default ['States.ALL']
   */
  readonly errors?: string[];
  /** What runs when one of `errors` is raised in the try block. */
  readonly handler: sfn.IChainable;
  /**
   * JSONPath only: where the error object `{ Error, Cause }` is placed in the
   * TryCatch's input for the handler.
   * @default '$.error'
   */
  readonly resultPath?: string;
  /**
   * JSONata only: the handler's input (`$states.input` is the TryCatch input,
   * `$states.errorOutput` the error object).
   * @default '{% $merge([$states.input, {"error": $states.errorOutput}]) %}'
   */
  readonly output?: string;
  /**
   * After the handler succeeds, raise the caught error again, with its
   * original name and its cause (or without a cause when it had none), so a
   * handler can notify or clean up and the execution still fails (or an outer
   * Catch takes the error). The handler then runs in a single-branch Parallel
   * (`<prefix>Handler <n>`) whose result is discarded; a handler that fails
   * raises its own error instead. With `finally`, `finally` runs between the
   * handler and the re-raise, and sees the handler's input.
   * @default false
   */
  readonly rethrow?: boolean;
}

/** Props of {@link TryCatch}. */
export interface TryCatchProps extends QueryLanguageOption {
  /** The protected block. Its output becomes the TryCatch's output. */
  readonly try: sfn.IChainable;
  /**
   * Handlers, tried in order. A handler's output becomes the TryCatch's output.
   * @default - none: errors go to `finally` (if any) and are raised again
   */
  readonly catch?: CatchClause[];
  /**
   * Runs after the try block succeeds, after a handler ran, and after an
   * unhandled error (which is then raised again with its original name and
   * cause). A handler that fails counts as an unhandled error: `finally`
   * runs, then the handler's error is raised. Its result is discarded: the
   * TryCatch's output does not change.
   * On the success and handled paths it receives the value the TryCatch will
   * output; on the unhandled path it receives the error object `{ Error, Cause }`.
   *
   * With `finally`, each handler runs inside its own single-branch Parallel
   * (`<prefix>Handler <n>`), so variables a handler assigns are not visible after it.
   * @default - none
   */
  readonly finally?: sfn.IChainable;
  /**
   * Retries of the whole try block, applied before any handler.
   * @default - none
   */
  readonly retry?: sfn.RetryProps[];
  /**
   * JSONata only: the TryCatch's output when the try block succeeds: the `Output` of the
   * single-branch Parallel that runs it, so `$states.result[0]` is the try block's output
   * (`$states.result` is the Parallel's one-element array of results, as on AWS) and
   * `$states.input` the TryCatch's input. Any JSON value, with `{% %}` expressions in its
   * strings, as a state's `Output`. A handler's output is its clause's `output`; `finally`
   * sees this value and passes it on unchanged.
   * @default '{% $states.result[0] %}' - the try block's output
   */
  readonly outputs?: any;
  /**
   * Workflow variables set when the try block succeeds: the `Assign` of the Parallel that
   * runs it, so the states after the TryCatch see them (variables the try block's own states
   * assign stay inside the Parallel, as AWS scopes them). JSONata: values may be `{% %}`
   * expressions, `$states.result[0]` being the try block's output; JSONPath: keys ending in
   * `.$` take a path into `{ "value": <the try block's output> }` (`"id.$": "$.value.id"`).
   * Nothing is assigned when the try block fails and a handler runs.
   * @default - no variables
   */
  readonly assign?: { [name: string]: any };
  /**
   * Prefix of the helper state names; the try block's Parallel is named after the construct id.
   * @default '<id>: '
   */
  readonly statePrefix?: string;
  /**
   * Name of the single-branch Parallel that runs the try block.
   * @default - the construct id
   */
  readonly stateName?: string;
}

/**
 * try / catch / finally for state machines, built from a single-branch
 * Parallel state whose Catch fields route to the handlers and whose Retry
 * fields retry the whole block.
 *
 * The output is the try block's output (or the handler's), not the
 * Parallel's one-element array: JSONPath unwraps with
 * `ResultSelector {"value.$": "$[0]"}` + `OutputPath "$.value"`,
 * JSONata with `Output "{% $states.result[0] %}"`.
 *
 * A handler sees the TryCatch's input with the error object
 * `{ Error, Cause? }` at `resultPath` (default `$.error`; JSONata: merged in
 * as `error`, or whatever `output` makes of `$states.errorOutput`). `Cause`
 * is missing when the error had none (a Fail state with only Error,
 * sendTaskFailure without a cause); a task's States.Timeout comes with
 * `"Cause": ""`, as AWS hands it to a Catch. A clause with
 * `rethrow: true` raises the error again after its handler.
 *
 * @example
 * const charge = new TryCatch(this, 'Charge', {
 *   try: chargeCard,
 *   catch: [{ errors: ['Payment.Declined'], handler: notifyDeclined }],
 *   finally: releaseLock,
 *   retry: [{ errors: ['States.Timeout'], maxAttempts: 2 }],
 * });
 * new sfn.StateMachine(this, 'Checkout', { definitionBody: sfn.DefinitionBody.fromChainable(charge.next(ship)) });
 */
export class TryCatch extends sfn.StateMachineFragment {
  /** A TryCatch whose states use JSONata. */
  public static jsonata(scope: Construct, id: string, props: Omit<TryCatchProps, 'queryLanguage'>): TryCatch {
    return new TryCatch(scope, id, { ...props, queryLanguage: sfn.QueryLanguage.JSONATA });
  }
  /** A TryCatch whose states use JSONPath. */
  public static jsonPath(scope: Construct, id: string, props: Omit<TryCatchProps, 'queryLanguage'>): TryCatch {
    return new TryCatch(scope, id, { ...props, queryLanguage: sfn.QueryLanguage.JSON_PATH });
  }

  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];
  /** The single-branch Parallel running the try block; add Retry/Catch to it only if the props do not suffice. */
  public readonly parallel: sfn.Parallel;

  constructor(scope: Construct, id: string, props: TryCatchProps) {
    super(scope, id);
    const jsonata = isJsonata(props.queryLanguage);
    const prefix = statePrefix(id, props.statePrefix);
    const ql = props.queryLanguage;
    const hasFinally = props.finally !== undefined;
    const clauses = props.catch ?? [];
    clauses.forEach((c, i) => checkClause(this, c, i, jsonata));
    if (!jsonata && props.outputs !== undefined) {
      throw new BuilderValidationError(this, 'outputs', 'is a JSONata field but this TryCatch uses JSONPath; use TryCatch.jsonata(...) (or queryLanguage: JSONATA), '
        + 'or shape the output in the try block.');
    }

    // With `finally`, every path carries an envelope { value, error? } so the
    // one finally chain can be shared and the rethrow decided afterwards.
    this.parallel = new LanguageParallel(this, 'Try', {
      stateName: props.stateName ?? id,
      queryLanguage: ql,
      assign: props.assign,
      ...(jsonata
        ? { outputs: tryOutput(props.outputs, hasFinally) }
        : { resultSelector: { 'value.$': '$[0]' }, outputPath: hasFinally ? undefined : '$.value' }),
    });
    this.parallel.branch(props.try);
    for (const retry of props.retry ?? []) this.parallel.addRetry(retry);

    if (!hasFinally) {
      clauses.forEach((c, i) => {
        if (!c.rethrow) {
          this.parallel.addCatch(c.handler, catchProps(c, jsonata));
          return;
        }
        // The error stays in the handler's input (its result is discarded), so it can be raised again after.
        const where = jsonata ? undefined : (c.resultPath ?? '$.error');
        const handler = new ParallelWithArguments(this, `Handler${i}`, {
          stateName: `${prefix}Handler ${i + 1}`,
          queryLanguage: ql,
          ...(jsonata ? { outputs: '{% $states.input %}' } : { resultPath: sfn.JsonPath.DISCARD }),
        }, jsonata ? '{% $states.input.input %}' : undefined);
        handler.branch(c.handler);
        handler.next(raiseAgain(this, `${prefix}Handler ${i + 1}: `, `Handler${i}`, ql, where));
        this.parallel.addCatch(handler, catchProps(c, jsonata));
      });
      this.startState = this.parallel.startState;
      this.endStates = [this.parallel, ...clauses.filter((c) => !c.rethrow).flatMap((c) => c.handler.endStates)];
      return;
    }

    const runFinally = new ParallelWithArguments(this, 'Finally', {
      stateName: `${prefix}Finally`,
      queryLanguage: ql,
      ...(jsonata
        ? { outputs: '{% $states.input %}' }
        : { inputPath: '$.value', resultPath: sfn.JsonPath.DISCARD }),
    }, jsonata ? '{% $states.input.value %}' : undefined);
    runFinally.branch(props.finally!);

    // The unhandled path: the error object becomes both the value `finally`
    // sees and the error raised again afterwards.
    const unhandledCatch: sfn.CatchProps = jsonata
      ? { errors: [sfn.Errors.ALL], outputs: '{% {"value": $states.errorOutput, "error": $states.errorOutput} %}' }
      : { errors: [sfn.Errors.ALL], resultPath: '$' };
    let wrapError: sfn.Pass | undefined;
    const unhandled = (): sfn.IChainable => {
      if (jsonata) return runFinally;
      if (!wrapError) {
        wrapError = new sfn.Pass(this, 'WrapError', {
          stateName: `${prefix}Unhandled`,
          queryLanguage: ql,
          parameters: { 'value.$': '$', 'error.$': '$' },
        });
        wrapError.next(runFinally);
      }
      return wrapError;
    };

    clauses.forEach((c, i) => {
      // Each handler runs in its own single-branch Parallel so that a handler
      // that fails still goes through `finally` (and its error is raised after).
      // A handler that rethrows passes on the envelope { value: its input, error }, so
      // `finally` runs and the decision after it raises the error again.
      const rethrowEnvelope = jsonata
        ? { outputs: '{% {"value": $states.input.input, "error": $states.input.error} %}' }
        : { resultPath: sfn.JsonPath.DISCARD };
      const handler = new ParallelWithArguments(this, `Handler${i}`, {
        stateName: `${prefix}Handler ${i + 1}`,
        queryLanguage: ql,
        ...(c.rethrow ? rethrowEnvelope
          : jsonata ? { outputs: '{% {"value": $states.result[0]} %}' } : { resultSelector: { 'value.$': '$[0]' } }),
      }, c.rethrow && jsonata ? '{% $states.input.input %}' : undefined);
      handler.branch(c.handler);
      handler.addCatch(unhandled(), unhandledCatch);
      if (c.rethrow && !jsonata) {
        handler.next(new sfn.Pass(this, `Envelope${i}`, {
          stateName: `${prefix}Handler ${i + 1} done`,
          queryLanguage: ql,
          parameters: { 'value.$': '$', 'error.$': c.resultPath ?? '$.error' },
        }).next(runFinally));
      } else {
        handler.next(runFinally);
      }
      this.parallel.addCatch(handler, catchProps(c, jsonata));
    });

    if (!clauses.some((c) => (c.errors ?? [sfn.Errors.ALL]).includes(sfn.Errors.ALL))) {
      this.parallel.addCatch(unhandled(), unhandledCatch);
    }
    this.parallel.next(runFinally);

    // Not every error has a cause (a task's States.Timeout, sendTaskFailure
    // without one, a Fail state with only Error), and a CausePath or JSONata
    // Cause that finds nothing fails the Fail state itself (States.Runtime,
    // States.QueryEvaluationError) instead of raising the original error.
    const rethrow = jsonata
      ? sfn.Fail.jsonata(this, 'Rethrow', {
        stateName: `${prefix}Rethrow`,
        error: '{% $states.input.error.Error %}',
        cause: '{% $states.input.error.Cause %}',
      })
      : new sfn.Fail(this, 'Rethrow', {
        stateName: `${prefix}Rethrow`,
        queryLanguage: ql,
        errorPath: '$.error.Error',
        causePath: '$.error.Cause',
      });
    const rethrowWithoutCause = jsonata
      ? sfn.Fail.jsonata(this, 'RethrowWithoutCause', { stateName: `${prefix}Rethrow without cause`, error: '{% $states.input.error.Error %}' })
      : new sfn.Fail(this, 'RethrowWithoutCause', { stateName: `${prefix}Rethrow without cause`, queryLanguage: ql, errorPath: '$.error.Error' });
    const unwrap = new sfn.Pass(this, 'Unwrap', {
      stateName: `${prefix}Done`,
      queryLanguage: ql,
      ...(jsonata ? { outputs: '{% $states.input.value %}' } : { outputPath: '$.value' }),
    });
    const decide = new sfn.Choice(this, 'Rethrow?', { stateName: `${prefix}Rethrow?`, queryLanguage: ql })
      // IsPresent, because any other Choice rule on a missing path fails with
      // States.Runtime; a caught error's Cause, when there is one, is a string.
      .when(jsonata ? sfn.Condition.jsonata('{% $exists($states.input.error.Cause) %}') : sfn.Condition.isPresent('$.error.Cause'), rethrow)
      .when(jsonata ? sfn.Condition.jsonata('{% $exists($states.input.error) %}') : sfn.Condition.isPresent('$.error'), rethrowWithoutCause)
      .otherwise(unwrap);
    runFinally.next(decide);

    this.startState = this.parallel.startState;
    this.endStates = [unwrap];
  }
}

const DEFAULT_JSONATA_OUTPUT = '{% $merge([$states.input, {"error": $states.errorOutput}]) %}';

/**
 * The JSONata Output of the try block's Parallel: the user's `outputs` or the try block's
 * output, inside the envelope `{ value }` when `finally` follows.
 */
function tryOutput(outputs: unknown, hasFinally: boolean): unknown {
  if (outputs === undefined) return hasFinally ? '{% {"value": $states.result[0]} %}' : '{% $states.result[0] %}';
  return hasFinally ? { value: outputs } : outputs;
}

/**
 * A JSONata Output value as an expression that can be embedded in another:
 * the expression inside `{% ... %}`, parenthesized, or a plain string as a
 * string literal.
 */
function unwrapExpression(template: string): string {
  const text = template.trim();
  return text.startsWith('{%') && text.endsWith('%}') ? `(${text.slice(2, -2).trim()})` : JSON.stringify(template);
}

/**
 * Raises the error held at `where` (JSONPath) or at `$states.input.error`
 * (JSONata) again, with its cause when it has one: a CausePath or JSONata
 * Cause that finds nothing would fail the Fail state itself instead.
 */
function raiseAgain(scope: Construct, prefix: string, idPrefix: string, ql: sfn.QueryLanguage | undefined, where: string | undefined): sfn.Choice {
  const jsonata = where === undefined;
  const withCause = jsonata
    ? sfn.Fail.jsonata(scope, `${idPrefix}Rethrow`, { stateName: `${prefix}Rethrow`, error: '{% $states.input.error.Error %}', cause: '{% $states.input.error.Cause %}' })
    : new sfn.Fail(scope, `${idPrefix}Rethrow`, { stateName: `${prefix}Rethrow`, queryLanguage: ql, errorPath: `${where}.Error`, causePath: `${where}.Cause` });
  const withoutCause = jsonata
    ? sfn.Fail.jsonata(scope, `${idPrefix}RethrowWithoutCause`, { stateName: `${prefix}Rethrow without cause`, error: '{% $states.input.error.Error %}' })
    : new sfn.Fail(scope, `${idPrefix}RethrowWithoutCause`, { stateName: `${prefix}Rethrow without cause`, queryLanguage: ql, errorPath: `${where}.Error` });
  return new sfn.Choice(scope, `${idPrefix}HasCause`, { stateName: `${prefix}Error has cause?`, queryLanguage: ql })
    .when(jsonata ? sfn.Condition.jsonata('{% $exists($states.input.error.Cause) %}') : sfn.Condition.isPresent(`${where}.Cause`), withCause)
    .otherwise(withoutCause);
}

function checkClause(scope: Construct, c: CatchClause, i: number, jsonata: boolean): void {
  if (c.rethrow && !jsonata && (c.resultPath === sfn.JsonPath.DISCARD || c.resultPath === null)) {
    throw new BuilderValidationError(scope, `catch[${i}].resultPath`, 'discards the error, but rethrow needs it to raise it again; keep the default \'$.error\' or give a path.');
  }
  if (jsonata && c.resultPath !== undefined) {
    throw new BuilderValidationError(scope, `catch[${i}].resultPath`, `'${c.resultPath}' is a JSONPath field but this TryCatch uses JSONata; use 'output' instead.`);
  }
  if (!jsonata && c.output !== undefined) {
    throw new BuilderValidationError(scope, `catch[${i}].output`, 'is a JSONata field but this TryCatch uses JSONPath; use \'resultPath\' instead.');
  }
  const errors = c.errors ?? [sfn.Errors.ALL];
  if (errors.length === 0) {
    throw new BuilderValidationError(scope, `catch[${i}].errors`, 'is empty; list at least one error name, or omit it to catch States.ALL.');
  }
  if (errors.includes(sfn.Errors.ALL) && errors.length > 1) {
    throw new BuilderValidationError(scope, `catch[${i}].errors`, `'States.ALL' must stand alone (got ${errors.join(', ')}).`);
  }
}

/**
 * The Catch that routes to a clause's handler. A JSONata clause that rethrows
 * gets the envelope `{ input: <its handler input>, error }`: the handler's
 * wrapper passes `input` to it as Arguments and keeps `error` to raise again.
 */
function catchProps(c: CatchClause, jsonata: boolean): sfn.CatchProps {
  const errors = c.errors ?? [sfn.Errors.ALL];
  if (!jsonata) return { errors, resultPath: c.resultPath ?? '$.error' };
  const output = c.output ?? DEFAULT_JSONATA_OUTPUT;
  return { errors, outputs: c.rethrow ? `{% {"input": ${unwrapExpression(output)}, "error": $states.errorOutput} %}` : output };
}

/**
 * aws-cdk-lib's Parallel does not render the JSONata `Arguments` field, which
 * ASL allows on Parallel states; `finally` needs it to see the unwrapped value.
 * @internal
 */
class ParallelWithArguments extends LanguageParallel {
  constructor(scope: Construct, id: string, props: sfn.ParallelProps, private readonly args: string | undefined) {
    super(scope, id, props);
  }
  public toStateJson(topLevelQueryLanguage?: sfn.QueryLanguage): object {
    const json = super.toStateJson(topLevelQueryLanguage);
    return this.args === undefined ? json : { ...json, Arguments: this.args };
  }
}
