import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BuilderValidationError, isJsonata, QueryLanguageOption, statePrefix } from './common';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One forward step of a {@link Saga} and its undo. */
export interface SagaStep {
  /** Step name, used in state names (`<prefix><name>`, `<prefix>Undo <name>`). */
  readonly name: string;
  /** The forward action. Its output is stored at `$.<resultsKey>.<resultKey>`. */
  readonly action: sfn.IChainable;
  /**
   * Undoes the action. Receives the saga state: the original input, `results`
   * of the completed steps and the `error` that started the compensation.
   * Its output is discarded.
   * @default - nothing to undo for this step
   */
  readonly compensation?: sfn.IChainable;
  /**
   * Key of this step's result under `resultsKey`; a plain identifier.
   * @default - `name`, which must then be a plain identifier
   */
  readonly resultKey?: string;
  /**
   * Retry of this step's compensation.
   * @default - the saga's `compensationRetry`
   */
  readonly compensationRetry?: sfn.RetryProps;
}

/** How a {@link Saga} ends after it has compensated. */
export abstract class SagaEnd {
  /** Fail with the error and cause of the step that failed (the default); without a cause when that error had none. */
  public static fail(): SagaEnd { return { kind: 'fail' } as SagaEnd; }
  /** Succeed; the output is the saga state including `error`. */
  public static succeed(): SagaEnd { return { kind: 'succeed' } as SagaEnd; }
  /** Continue with `chain`, whose input is the saga state including `error`. */
  public static chain(chain: sfn.IChainable): SagaEnd { return { kind: 'chain', chain } as SagaEnd; }
  /** @internal */ public readonly kind!: 'fail' | 'succeed' | 'chain';
  /** @internal */ public readonly chain?: sfn.IChainable;
}

/** What happens when a compensation has used up its retries. */
export abstract class CompensationExhausted {
  /**
   * Wait, then run the compensation again, for as long as the execution
   * lives: an undo is never dropped (the classic saga loop).
   */
  public static retryAfter(wait: Duration): CompensationExhausted { return { kind: 'loop', wait } as CompensationExhausted; }
  /** Fail the execution with `Saga.CompensationFailed`, the cause being the compensation's error. */
  public static fail(): CompensationExhausted { return { kind: 'fail' } as CompensationExhausted; }
  /** @internal */ public readonly kind!: 'loop' | 'fail';
  /** @internal */ public readonly wait?: Duration;
}

/** Props of {@link Saga}. */
export interface SagaProps extends QueryLanguageOption {
  /** Forward steps, run in order. */
  readonly steps: SagaStep[];
  /**
   * Also run the failed step's own compensation (for actions that may have
   * partly happened before failing).
   * @default false
   */
  readonly compensateFailedStep?: boolean;
  /**
   * How the saga ends after compensating.
   * @default SagaEnd.fail()
   */
  readonly onCompensated?: SagaEnd;
  /**
   * Retry of each compensation.
   * @default - States.ALL, 1 s, backoff 2, 3 attempts
   */
  readonly compensationRetry?: sfn.RetryProps;
  /**
   * What happens when a compensation still fails after its retries.
   * @default CompensationExhausted.retryAfter(Duration.minutes(1))
   */
  readonly onCompensationExhausted?: CompensationExhausted;
  /**
   * Field of the saga state that holds step results.
   * @default 'results'
   */
  readonly resultsKey?: string;
  /**
   * Field of the saga state that holds the error that started the compensation.
   * @default 'error'
   */
  readonly errorKey?: string;
  /**
   * Prefix of every state name the saga generates, so two sagas can share a machine.
   * @default '<id>: '
   */
  readonly statePrefix?: string;
}

/** The compensation retry used when none is given. */
export const DEFAULT_COMPENSATION_RETRY: sfn.RetryProps = {
  errors: [sfn.Errors.ALL],
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 3,
};

/**
 * The saga pattern: forward steps in order; when step k fails, the
 * compensations of the completed steps run in reverse order, each retried
 * until it succeeds, and the saga then ends as configured (by default failing
 * with the original error and cause).
 *
 * Each action runs in a single-branch Parallel named `<prefix><name>` with a
 * catch-all, so any chain can be a step. The saga state carries the original
 * input, `results.<step>` and, while compensating, `error` ({ Error, Cause }).
 *
 * @example
 * const trip = new Saga(this, 'Trip', {
 *   steps: [
 *     { name: 'BookFlight', action: bookFlight, compensation: cancelFlight },
 *     { name: 'BookCar', action: bookCar, compensation: cancelCar },
 *     { name: 'BookHotel', action: bookHotel, compensation: cancelHotel },
 *   ],
 * });
 * new sfn.StateMachine(this, 'Booking', { definitionBody: sfn.DefinitionBody.fromChainable(trip.next(confirm)) });
 */
export class Saga extends sfn.StateMachineFragment {
  /** A Saga whose states use JSONata. */
  public static jsonata(scope: Construct, id: string, props: Omit<SagaProps, 'queryLanguage'>): Saga {
    return new Saga(scope, id, { ...props, queryLanguage: sfn.QueryLanguage.JSONATA });
  }
  /** A Saga whose states use JSONPath. */
  public static jsonPath(scope: Construct, id: string, props: Omit<SagaProps, 'queryLanguage'>): Saga {
    return new Saga(scope, id, { ...props, queryLanguage: sfn.QueryLanguage.JSON_PATH });
  }

  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: SagaProps) {
    super(scope, id);
    const jsonata = isJsonata(props.queryLanguage);
    const ql = props.queryLanguage;
    const prefix = statePrefix(id, props.statePrefix);
    const resultsKey = checkKey(this, 'resultsKey', props.resultsKey ?? 'results');
    const errorKey = checkKey(this, 'errorKey', props.errorKey ?? 'error');
    if (props.steps.length === 0) throw new BuilderValidationError(this, 'steps', 'is empty; a saga needs at least one step.');
    const names = new Set<string>();
    const keys = props.steps.map((s, i) => {
      if (names.has(s.name)) throw new BuilderValidationError(this, `steps[${i}].name`, `'${s.name}' is used twice; step names must be unique.`);
      names.add(s.name);
      return checkKey(this, `steps[${i}].resultKey`, s.resultKey ?? s.name, 'set resultKey to a plain identifier');
    });

    const end = props.onCompensated ?? SagaEnd.fail();
    const endState: sfn.IChainable = end.kind === 'chain' ? end.chain!
      : end.kind === 'succeed' ? new sfn.Succeed(this, 'Compensated', { stateName: `${prefix}Compensated`, queryLanguage: ql })
        : reraise(this, prefix, errorKey, ql);
    const exhausted = props.onCompensationExhausted ?? CompensationExhausted.retryAfter(Duration.minutes(1));
    const compensationFailed = exhausted.kind === 'fail'
      ? (jsonata ? sfn.Fail.jsonata(this, 'CompensationFailed', {
        stateName: `${prefix}Compensation failed`,
        error: 'Saga.CompensationFailed',
        cause: '{% $string($states.input.compensationError) %}',
      }) : new sfn.Fail(this, 'CompensationFailed', {
        stateName: `${prefix}Compensation failed`,
        queryLanguage: ql,
        error: 'Saga.CompensationFailed',
        causePath: 'States.JsonToString($.compensationError)',
      }))
      : undefined;

    // Build compensations last-to-first so each can point at the one before it.
    const undoEntry: (sfn.State)[] = [];
    let next: sfn.IChainable = endState;
    props.steps.forEach((step, i) => {
      // The last step's undo is reachable only when a failed step undoes itself;
      // an unreachable state would be rejected by Step Functions.
      const reachable = props.compensateFailedStep || i < props.steps.length - 1;
      if (!step.compensation || !reachable) { undoEntry[i] = next.startState; return; }
      const undo = new sfn.Parallel(this, `Undo${i}`, {
        stateName: `${prefix}Undo ${step.name}`,
        queryLanguage: ql,
        ...(jsonata ? { outputs: '{% $states.input %}' } : { resultPath: sfn.JsonPath.DISCARD }),
      });
      undo.branch(step.compensation);
      undo.addRetry(step.compensationRetry ?? props.compensationRetry ?? DEFAULT_COMPENSATION_RETRY);
      const catchProps: sfn.CatchProps = jsonata
        ? { errors: [sfn.Errors.ALL], outputs: '{% $merge([$states.input, {"compensationError": $states.errorOutput}]) %}' }
        : { errors: [sfn.Errors.ALL], resultPath: '$.compensationError' };
      if (exhausted.kind === 'loop') {
        const wait = new sfn.Wait(this, `WaitUndo${i}`, {
          stateName: `${prefix}Wait to undo ${step.name}`,
          queryLanguage: ql,
          time: sfn.WaitTime.duration(exhausted.wait!),
        });
        undo.addCatch(wait, catchProps);
        wait.next(undo);
      } else {
        undo.addCatch(compensationFailed!, catchProps);
      }
      undo.next(next);
      next = undo;
      undoEntry[i] = undo;
    });
    // undoEntry[i]: where compensation starts when step i is the latest step to undo.
    const startUndo = (lastToUndo: number): sfn.State => (lastToUndo < 0 ? endState.startState : undoEntry[lastToUndo]);

    let chain: sfn.Chain | undefined;
    props.steps.forEach((step, i) => {
      const key = keys[i];
      const run = new sfn.Parallel(this, `Step${i}`, {
        stateName: `${prefix}${step.name}`,
        queryLanguage: ql,
        ...(jsonata
          ? {
            outputs: `{% $merge([$states.input, {"${resultsKey}": $merge([$exists($states.input.${resultsKey}) ? $states.input.${resultsKey} : {}, {"${key}": $states.result[0]}])}]) %}`,
          }
          : { resultPath: `$.${resultsKey}.${key}` }),
      });
      run.branch(step.action);
      const firstUndo = startUndo(props.compensateFailedStep ? i : i - 1);
      run.addCatch(firstUndo, jsonata
        ? { errors: [sfn.Errors.ALL], outputs: `{% $merge([$states.input, {"${errorKey}": $states.errorOutput}]) %}` }
        : { errors: [sfn.Errors.ALL], resultPath: `$.${errorKey}` });
      let piece: sfn.Chain = sfn.Chain.start(run);
      if (!jsonata) {
        // A Parallel's result is a one-element array; store the element itself.
        piece = piece.next(new sfn.Pass(this, `Unwrap${i}`, {
          stateName: `${prefix}${step.name} result`,
          queryLanguage: ql,
          inputPath: `$.${resultsKey}.${key}[0]`,
          resultPath: `$.${resultsKey}.${key}`,
        }));
      }
      chain = chain ? chain.next(piece) : piece;
    });

    this.startState = chain!.startState;
    this.endStates = [...chain!.endStates, ...(end.kind === 'chain' ? end.chain!.endStates : [])];
  }
}

/**
 * Fails with the error held at `$.<errorKey>`, with its cause when it has one.
 * Not every error has a cause (a task's States.Timeout, sendTaskFailure
 * without one, a Fail state with only Error), and a CausePath or JSONata Cause
 * that finds nothing fails the Fail state itself (States.Runtime,
 * States.QueryEvaluationError) instead of raising the saga's error; so a
 * Choice picks the Fail state that matches.
 */
function reraise(scope: Construct, prefix: string, errorKey: string, ql: sfn.QueryLanguage | undefined): sfn.Choice {
  const withCause = isJsonata(ql)
    ? sfn.Fail.jsonata(scope, 'Failed', {
      stateName: `${prefix}Failed`,
      error: `{% $states.input.${errorKey}.Error %}`,
      cause: `{% $states.input.${errorKey}.Cause %}`,
    })
    : new sfn.Fail(scope, 'Failed', {
      stateName: `${prefix}Failed`,
      queryLanguage: ql,
      errorPath: `$.${errorKey}.Error`,
      causePath: `$.${errorKey}.Cause`,
    });
  const withoutCause = isJsonata(ql)
    ? sfn.Fail.jsonata(scope, 'FailedWithoutCause', { stateName: `${prefix}Failed without cause`, error: `{% $states.input.${errorKey}.Error %}` })
    : new sfn.Fail(scope, 'FailedWithoutCause', { stateName: `${prefix}Failed without cause`, queryLanguage: ql, errorPath: `$.${errorKey}.Error` });
  return new sfn.Choice(scope, 'HasCause', { stateName: `${prefix}Error has cause?`, queryLanguage: ql })
    .when(hasCause(errorKey, ql), withCause)
    .otherwise(withoutCause);
}

/**
 * True when `$.<field>` has a Cause (a caught error's Cause is always a string).
 * IsPresent, because any other Choice rule on a missing path fails with States.Runtime.
 */
function hasCause(field: string, ql: sfn.QueryLanguage | undefined): sfn.Condition {
  return isJsonata(ql)
    ? sfn.Condition.jsonata(`{% $exists($states.input.${field}.Cause) %}`)
    : sfn.Condition.isPresent(`$.${field}.Cause`);
}

function checkKey(scope: Construct, field: string, value: string, fix = 'use letters, digits and _ only'): string {
  if (!KEY.test(value)) throw new BuilderValidationError(scope, field, `'${value}' is not a plain identifier; ${fix}.`);
  return value;
}
