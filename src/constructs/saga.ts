import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Annotations, Duration } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { BuilderValidationError, isJsonata, QueryLanguageOption, statePrefix } from './common';
import { LanguageParallel } from './processor-language';
import { containingGraphOf, stateSettingField, type GraphLinks } from './saga-input';
import { AwsLimits } from '../asl/limits';

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

/** Options of {@link CompensationExhausted.fail}. */
export interface CompensationFailureOptions {
  /**
   * After a compensation has given up, still undo the other completed steps
   * (`true`), or stop compensating at once (`false`). Either way the saga then
   * fails with `Saga.CompensationFailed`, whose cause lists the original error
   * and every compensation that gave up.
   * @default true
   */
  readonly undoRemaining?: boolean;
}

/** Bound of the {@link CompensationExhausted.retryAfter} loop. Give `maxAttempts`, `maxDuration` or both. */
export interface CompensationRetryBound extends CompensationFailureOptions {
  /**
   * Rounds of the compensation, counting the first: each round runs the
   * compensation with its own retries (`compensationRetry`), and a wait comes
   * between rounds. After the last round fails the compensation gives up.
   * @default - no limit on rounds
   */
  readonly maxAttempts?: number;
  /**
   * No new round starts later than this after the compensation's first round
   * failed (measured on the execution's clock, `$states.context.State.EnteredTime`).
   * @default - no limit on time
   */
  readonly maxDuration?: Duration;
}

/** What happens when a compensation has used up its retries. */
export abstract class CompensationExhausted {
  /**
   * Wait `interval`, then run the compensation again (a new round with its own
   * retries), until it succeeds or the bound is reached; then it gives up as
   * with {@link CompensationExhausted.fail}.
   *
   * Without a bound the loop runs for as long as the execution lives: a
   * Standard execution fails with `States.Runtime` (which no Catch can take)
   * when its history reaches 25,000 events, and after one year at most; an
   * EXPRESS one after five minutes. Redrive (`RedriveExecution`) then restarts
   * it at the undo. A bound ends the loop in a named, catchable error instead.
   * @example CompensationExhausted.retryAfter(Duration.minutes(1), { maxDuration: Duration.hours(1) })
   */
  public static retryAfter(interval: Duration, bound: CompensationRetryBound = {}): CompensationExhausted {
    return { kind: 'loop', wait: interval, bound } as CompensationExhausted;
  }
  /**
   * Give up on the compensation: record its error, by default undo the other
   * completed steps, and fail with `Saga.CompensationFailed` whose cause
   * carries the original error and every compensation error.
   * @example CompensationExhausted.fail({ undoRemaining: false })  // stop at the first undo that gives up
   */
  public static fail(options: CompensationFailureOptions = {}): CompensationExhausted {
    return { kind: 'fail', bound: options } as CompensationExhausted;
  }
  /** @internal */ public readonly kind!: 'loop' | 'fail';
  /** @internal */ public readonly wait?: Duration;
  /** @internal */ public readonly bound!: CompensationRetryBound;
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
   * How the saga ends after compensating, when every compensation succeeded;
   * when one gave up the saga fails with `Saga.CompensationFailed` instead.
   * @default SagaEnd.fail()
   */
  readonly onCompensated?: SagaEnd;
  /**
   * Retry of each compensation: its one retry policy. A compensation that is
   * a single Task, Parallel or Map state gets it on itself, after the retriers
   * it already has (a `Task.lambdaInvoke`'s transient-error retry keeps
   * Lambda's service errors, this one takes the rest: the two do not
   * multiply); one that already retries `States.ALL` keeps its own. A chain of
   * several states is retried as a whole by its undo Parallel, so retries
   * inside the chain multiply with this one.
   * @default - States.ALL, 1 s, backoff 2, 3 attempts ({@link DEFAULT_COMPENSATION_RETRY})
   */
  readonly compensationRetry?: sfn.RetryProps;
  /**
   * What happens when a compensation still fails after its retries.
   * @default CompensationExhausted.retryAfter(Duration.minutes(1), { maxDuration: Duration.hours(1) })
   */
  readonly onCompensationExhausted?: CompensationExhausted;
  /**
   * Field of the saga state that holds step results. A state before the saga
   * that sets this field fails synth; an input that brings it as an object
   * has the step results merged in, as anything else fails the first step.
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
 * compensations of the completed steps run in reverse order (the failed
 * step's own compensation does not run unless `compensateFailedStep`), and the
 * saga then ends as configured (by default failing with the original error
 * and cause).
 *
 * Each compensation is retried (`compensationRetry`), then run again in
 * rounds (`onCompensationExhausted`, by default a minute apart for an hour).
 * A compensation that gives up is recorded, the other completed steps are
 * still undone, and the saga fails with `Saga.CompensationFailed`, whose
 * cause is the JSON text of `{ error, compensationErrors: [{ step, Error, Cause }] }`.
 *
 * Each action runs in a single-branch Parallel named `<prefix><name>` with a
 * catch-all, so any chain can be a step. On success the output is the input
 * with `results.<step>` (`{ ...input, results: { Flight: ..., Car: ... } }`);
 * while compensating the saga state also holds `error` ({ Error, Cause? }).
 * Generated state names: `<prefix><name>` (and `<prefix><name> result` in
 * JSONPath), `<prefix>Undo <name>`, `<prefix>Wait to undo <name>`,
 * `<prefix>Count rounds of undo <name>`, `<prefix>Undo <name> again?`,
 * `<prefix>Gave up undoing <name>`, `<prefix>Any undo failed?`,
 * `<prefix>Compensation failed`, `<prefix>Error has cause?`, `<prefix>Failed`,
 * `<prefix>Failed without cause`, `<prefix>Compensated`.
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
    const compensatedEnd: sfn.IChainable = end.kind === 'chain' ? end.chain!
      : end.kind === 'succeed' ? new sfn.Succeed(this, 'Compensated', { stateName: `${prefix}Compensated`, queryLanguage: ql })
        : reraise(this, prefix, errorKey, ql);
    const exhausted = props.onCompensationExhausted ?? DEFAULT_COMPENSATION_EXHAUSTED;
    checkExhausted(this, exhausted);
    const unbounded = exhausted.kind === 'loop' && exhausted.bound.maxAttempts === undefined && exhausted.bound.maxDuration === undefined;
    const undoRemaining = exhausted.bound.undoRemaining ?? true;
    const undoable = props.steps.some((step, i) => step.compensation && (props.compensateFailedStep || i < props.steps.length - 1));
    // The saga's bookkeeping (the rounds of a bounded loop, the undos that gave
    // up) lives in workflow variables, which no execution input can set; the
    // step's Catch that starts a compensation starts them afresh.
    const errors = !unbounded && undoable ? sagaVariable('compensationErrors', prefix) : undefined;
    const rounds = exhausted.kind === 'loop' && errors !== undefined ? roundsOf(exhausted, prefix) : undefined;

    // A compensation that gives up is recorded in `compensationErrors`; the
    // saga then fails with Saga.CompensationFailed however it would end otherwise.
    let compensationFailed: sfn.State | undefined;
    let endState: sfn.IChainable = compensatedEnd;
    if (!unbounded && undoable) {
      compensationFailed = sfn.Fail.jsonata(this, 'CompensationFailed', {
        stateName: `${prefix}Compensation failed`,
        error: COMPENSATION_FAILED,
        cause: `{% $string({"error": $states.input.${errorKey}, "compensationErrors": $${errors}}) %}`,
      });
      if (undoRemaining) {
        endState = sfn.Choice.jsonata(this, 'AnyUndoFailed', { stateName: `${prefix}Any undo failed?` })
          .when(sfn.Condition.jsonata(`{% $count($${errors}) > 0 %}`), compensationFailed)
          .otherwise(compensatedEnd);
      }
    }

    // Build compensations last-to-first so each can point at the one before it.
    const undoEntry: (sfn.State)[] = [];
    let next: sfn.IChainable = endState;
    props.steps.forEach((step, i) => {
      // The last step's undo is reachable only when a failed step undoes itself;
      // an unreachable state would be rejected by Step Functions.
      const reachable = props.compensateFailedStep || i < props.steps.length - 1;
      if (!step.compensation || !reachable) { undoEntry[i] = next.startState; return; }
      const undoName = `${prefix}Undo ${step.name}`;
      const undo = new LanguageParallel(this, `Undo${i}`, {
        stateName: undoName,
        queryLanguage: ql,
        ...(jsonata ? { outputs: '{% $states.input %}' } : { resultPath: sfn.JsonPath.DISCARD }),
        // The next undo's rounds start afresh.
        ...(rounds ? { assign: rounds.restart } : {}),
      });
      undo.branch(step.compensation);
      applyCompensationRetry(this, `steps[${i}].compensation`, step.compensation, undo, step.compensationRetry ?? props.compensationRetry ?? DEFAULT_COMPENSATION_RETRY);
      const catchProps: sfn.CatchProps = jsonata
        ? { errors: [sfn.Errors.ALL], outputs: '{% $merge([$states.input, {"compensationError": $states.errorOutput}]) %}' }
        : { errors: [sfn.Errors.ALL], resultPath: '$.compensationError' };
      const afterUndo = next;
      const gaveUp = `$append($${errors}, [$merge([{"step": ${JSON.stringify(step.name)}}, $states.input.compensationError])])`;
      const giveUp = (): sfn.IChainable => sfn.Pass.jsonata(this, `GiveUp${i}`, {
        stateName: `${prefix}Gave up undoing ${step.name}`,
        // The list is also in the state, for the compensations still to run.
        outputs: `{% $merge([$states.input, {"compensationErrors": ${gaveUp}}]) %}`,
        assign: { [errors!]: `{% ${gaveUp} %}`, ...rounds?.restart },
      }).next(undoRemaining ? afterUndo : compensationFailed!);
      if (exhausted.kind === 'loop') {
        const wait = new sfn.Wait(this, `WaitUndo${i}`, {
          stateName: `${prefix}Wait to undo ${step.name}`,
          queryLanguage: ql,
          time: sfn.WaitTime.duration(exhausted.wait!),
        });
        wait.next(undo);
        if (unbounded) {
          undo.addCatch(wait, catchProps);
        } else {
          const count = sfn.Pass.jsonata(this, `CountUndo${i}`, {
            stateName: `${prefix}Count rounds of undo ${step.name}`,
            assign: rounds!.count,
          });
          const again = sfn.Choice.jsonata(this, `UndoAgain${i}`, { stateName: `${prefix}Undo ${step.name} again?` })
            .when(sfn.Condition.jsonata(`{% ${rounds!.left} %}`), wait)
            .otherwise(giveUp());
          count.next(again);
          undo.addCatch(count, catchProps);
        }
      } else {
        undo.addCatch(giveUp(), catchProps);
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
      const run = new LanguageParallel(this, `Step${i}`, {
        stateName: `${prefix}${step.name}`,
        queryLanguage: ql,
        ...(jsonata
          ? {
            outputs: `{% $merge([$states.input, {"${resultsKey}": $merge([${earlierResults(resultsKey, this.node.id)}, {"${key}": $states.result[0]}])}]) %}`,
          }
          : { resultPath: `$.${resultsKey}.${key}` }),
      });
      run.branch(step.action);
      const firstUndo = startUndo(props.compensateFailedStep ? i : i - 1);
      const restart = errors === undefined ? {} : { assign: { [errors]: [], ...rounds?.restart } };
      run.addCatch(firstUndo, jsonata
        ? { errors: [sfn.Errors.ALL], outputs: `{% $merge([$states.input, {"${errorKey}": $states.errorOutput}]) %}`, ...restart }
        : { errors: [sfn.Errors.ALL], resultPath: `$.${errorKey}`, ...restart });
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
    warnUnreachableCompensation(this, props);
    const registered: RegisteredSaga = { saga: this, resultsKey, keys };
    const sagas = SAGAS.get(this.node.root) ?? [];
    sagas.push(registered);
    SAGAS.set(this.node.root, sagas);
    this.node.addValidation({ validate: () => [...sharedResultKeys(registered, sagas), ...resultsFieldTaken(this, resultsKey)] });
    this.endStates = [...chain!.endStates, ...(end.kind === 'chain' ? end.chain!.endStates : [])];
  }
}

/**
 * Metadata type, on the Saga's node, of a compensation the Saga leaves out of
 * the state machine because it can never run; the jest harness reads it to
 * explain a mock key that names one of its states (and matches nothing).
 * @internal
 */
export const UNREACHABLE_COMPENSATION_METADATA = 'stepwright:saga-unreachable-compensation';

/** The data of an {@link UNREACHABLE_COMPENSATION_METADATA} entry. @internal */
export interface UnreachableCompensation {
  /** Construct path of the Saga. */
  readonly saga: string;
  /** Name of the last step, whose compensation it is. */
  readonly step: string;
  /** Names of the compensation's states, none of which is in the state machine. */
  readonly states: readonly string[];
}

/**
 * A step's compensation runs when a later step fails; the last step has no
 * later one, so its compensation can run only when a failed step undoes itself
 * (`compensateFailedStep`). Otherwise the Saga leaves it out, and says so at
 * synth: a compensation silently dropped would surprise whoever wrote it, and
 * a mock for it would match nothing.
 */
function warnUnreachableCompensation(saga: Saga, props: SagaProps): void {
  const last = props.steps[props.steps.length - 1];
  if (props.compensateFailedStep || !last.compensation) return;
  const states = sfn.State.findReachableStates(last.compensation.startState).map((s) => s.stateId);
  Annotations.of(saga).addWarningV2('stepwright:saga-unreachable-compensation',
    `Saga '${saga.node.id}': the compensation of its last step '${last.name}' (state${states.length > 1 ? 's' : ''} ${states.map((n) => `'${n}'`).join(', ')}) `
    + 'can never run, so it is left out of the state machine: a step is undone when a later step fails, and no step comes after the last. '
    + `If '${last.name}' can fail after doing part of its work, set compensateFailedStep: true (a failed step then undoes itself too); else remove this compensation.`);
  const data: UnreachableCompensation = { saga: saga.node.path, step: last.name, states };
  saga.node.addMetadata(UNREACHABLE_COMPENSATION_METADATA, data);
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

interface RegisteredSaga {
  readonly saga: Saga;
  readonly resultsKey: string;
  readonly keys: readonly string[];
}

/** The sagas of each app, in construction order, to find two that write the same result fields. */
const SAGAS = new WeakMap<object, RegisteredSaga[]>();

/**
 * Errors when an earlier saga stores a step result at the same
 * `$.<resultsKey>.<resultKey>` as this one and one can run after the other
 * on the same data: the later one would overwrite the earlier one's result.
 */
function sharedResultKeys(me: RegisteredSaga, sagas: readonly RegisteredSaga[]): string[] {
  const errors: string[] = [];
  for (const other of sagas.slice(0, sagas.indexOf(me))) {
    if (other.resultsKey !== me.resultsKey || !shareData(other.saga, me.saga)) continue;
    const shared = me.keys.filter((k) => other.keys.includes(k));
    if (shared.length === 0) continue;
    errors.push(`Sagas '${other.saga.node.path}' and '${me.saga.node.path}' run one after the other in one state machine and both store step result(s) `
      + `${shared.map((k) => `'$.${me.resultsKey}.${k}'`).join(', ')}, so the second would overwrite the first's. `
      + `Give one of them its own resultsKey (e.g. resultsKey: '${lowerFirst(me.saga.node.id.replace(/[^A-Za-z0-9_]/g, ''))}Results').`);
  }
  return errors;
}

/**
 * The step results kept so far in a JSONata saga: those of the saga's
 * earlier steps (or of a saga before it with the same `resultsKey`), or none.
 * A field of that name that is not an object fails the step, naming the field
 * and the fix, as a JSONPath saga's ResultPath into it fails
 * (States.ResultPathMatchFailure), instead of `$merge` spreading an array of
 * objects into the results or failing with its own words.
 * (`$error` is a JSONata 2.0.6 built-in, which Step Functions supports: Developer Guide,
 * "Transforming data with JSONata".)
 */
function earlierResults(resultsKey: string, id: string): string {
  const field = `$states.input.${resultsKey}`;
  const message = `the saga's input field '${resultsKey}' is not an object of step results, so its steps' results cannot be merged into it; `
    + `give Saga '${id}' its own resultsKey, or rename the input's field`;
  return `($exists(${field}) ? ($type(${field}) = "object" ? ${field} : $error(${JSON.stringify(message)})) : {})`;
}

/**
 * Errors when a state before the saga already sets the field the saga keeps
 * its step results in: a JSONata saga would merge its results into that
 * field (`$merge`), a JSONPath one write them into it (ResultPath
 * `$.<resultsKey>.<step>`), mixing them with what the state put there.
 */
function resultsFieldTaken(saga: Saga, resultsKey: string): string[] {
  const earlier = stateSettingField(saga.startState, resultsKey, (s) => s.node.scopes.some((c) => c instanceof Saga));
  if (earlier === undefined) return [];
  return [`Saga '${saga.node.path}' keeps its step results in '$.${resultsKey}', which state '${earlier}' before it already sets, `
    + `so the step results would be merged into what '${earlier}' put there. Give the Saga its own resultsKey `
    + `(e.g. resultsKey: '${lowerFirst(saga.node.id.replace(/[^A-Za-z0-9_]/g, ''))}Results'), or rename the field '${earlier}' sets.`];
}

/**
 * True when one saga can run after the other on the same data: in one graph
 * when one is reachable from the other (not, say, two branches of a Choice);
 * across graphs when one sits in a Parallel branch or Map processor inside
 * the other's graph (a TryCatch hands its branch's output on). Sagas in
 * sibling Parallel branches each work on their own copy of the input.
 * aws-cdk-lib keeps the graph links private, so this reads them defensively.
 */
function shareData(a: Saga, b: Saga): boolean {
  const ga = containingGraphOf(a.startState);
  const gb = containingGraphOf(b.startState);
  if (ga === undefined || gb === undefined) return false;
  if (ga === gb) {
    const reaches = (from: Saga, to: Saga) => sfn.State.findReachableStates(from.startState, { includeErrorHandlers: true }).includes(to.startState);
    return reaches(a, b) || reaches(b, a);
  }
  const encloses = (outer: GraphLinks, inner: GraphLinks): boolean => {
    for (let g = inner.superGraph; g !== undefined; g = g.superGraph) if (g === outer) return true;
    return false;
  };
  return encloses(ga, gb) || encloses(gb, ga);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The error a saga fails with when a compensation gave up. */
export const COMPENSATION_FAILED = 'Saga.CompensationFailed';

/** What happens when none is given: a minute between rounds, for an hour, then give up and undo the rest. */
export const DEFAULT_COMPENSATION_EXHAUSTED = CompensationExhausted.retryAfter(Duration.minutes(1), { maxDuration: Duration.hours(1) });

function checkExhausted(scope: Construct, exhausted: CompensationExhausted): void {
  const { maxAttempts, maxDuration } = exhausted.bound;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    throw new BuilderValidationError(scope, 'onCompensationExhausted.maxAttempts', `${maxAttempts} is not a whole number of rounds >= 1.`);
  }
  if (maxDuration !== undefined && maxDuration.toMilliseconds() <= 0) {
    throw new BuilderValidationError(scope, 'onCompensationExhausted.maxDuration', `${maxDuration.toHumanString()} must be longer than zero.`);
  }
}

/**
 * A workflow variable of one saga's bookkeeping: `base`, followed by the
 * saga's state prefix in identifier characters, so that a saga nested in
 * another's step (an inner scope) never assigns the outer one's variable,
 * which AWS's variables page forbids
 * (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#variable-scope).
 * A variable, not a field of the state: an execution's input can bring any
 * field, and a forged count or first-failure time would stretch the bound
 * without end, a forged list of errors fail a saga whose undos all succeeded.
 */
function sagaVariable(base: string, prefix: string): string {
  const suffix = prefix.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  // The validator bounds a variable's name as a state's: at most NAME_CHARS.
  return `${base}${suffix === '' ? '' : `_${suffix}`}`.slice(0, AwsLimits.NAME_CHARS);
}

/** The workflow variables that count one saga's rounds, and the Assign values and condition that use them. */
interface Rounds {
  /** Sets the rounds afresh: no round failed yet. */
  readonly restart: Record<string, number | boolean>;
  /** Counts one more failed round. */
  readonly count: Record<string, string>;
  /** JSONata condition: the bound allows another round after the wait. */
  readonly left: string;
}

/**
 * The rounds of a bounded undo loop, in one workflow variable per bound: the rounds that failed
 * (`compensationAttempts_<prefix>`, a number) and the time the first of them failed
 * (`compensationFailingSince_<prefix>`, read from the execution's clock). Each is set afresh where
 * an undo starts (the step's Catch, the Undo before it and the give-up before it), so each undo
 * counts its own rounds, and only its Count step changes them: so verify can follow both, the
 * count as a counter and the time as the clock's.
 */
function roundsOf(exhausted: CompensationExhausted, prefix: string): Rounds {
  const { maxAttempts, maxDuration } = exhausted.bound;
  const restart: Record<string, number | boolean> = {};
  const count: Record<string, string> = {};
  const conditions: string[] = [];
  if (maxAttempts !== undefined) {
    const attempts = sagaVariable('compensationAttempts', prefix);
    restart[attempts] = 0;
    count[attempts] = `{% $${attempts} + 1 %}`;
    conditions.push(`$${attempts} < ${maxAttempts}`);
  }
  if (maxDuration !== undefined) {
    const since = sagaVariable('compensationFailingSince', prefix);
    // Not a time (aws-cdk-lib drops a null from a JSONPath Assign), so the first failed round sets it.
    restart[since] = false;
    count[since] = `{% $type($${since}) = "string" ? $${since} : $states.context.State.EnteredTime %}`;
    conditions.push(`$toMillis($states.context.State.EnteredTime) + ${exhausted.wait!.toMilliseconds()} <= `
      + `$toMillis($${since}) + ${maxDuration.toMilliseconds()}`);
  }
  return { restart, count, left: conditions.join(' and ') };
}

/**
 * Gives a compensation one retry policy. A compensation that is a single Task,
 * Parallel or Map gets the retry on itself, after its own retriers: each error
 * is retried by the first retrier that names it, so a Lambda task's
 * transient-error retry and the saga's retry do not multiply. A chain of
 * states is retried as a whole by the undo Parallel; retries inside it then
 * multiply with it.
 */
function applyCompensationRetry(scope: Construct, field: string, compensation: sfn.IChainable, undo: sfn.Parallel, retry: sfn.RetryProps): void {
  const state: sfn.State = compensation.startState;
  const single = compensation.endStates.length === 1 && (compensation.endStates[0] as unknown) === state
    && (state instanceof sfn.TaskStateBase || state instanceof sfn.Parallel || state instanceof sfn.Map);
  if (!single) {
    undo.addRetry(retry);
    return;
  }
  const own = ((state.toStateJson() as { Retry?: Array<{ ErrorEquals: string[] }> }).Retry ?? []);
  // A retrier after one on States.ALL could never apply, and Step Functions rejects it.
  if (own.some((r) => r.ErrorEquals.includes(sfn.Errors.ALL))) {
    if (retry !== DEFAULT_COMPENSATION_RETRY) {
      throw new BuilderValidationError(scope, field, `'${state.stateId}' already retries States.ALL, so compensationRetry could never apply; remove one of the two.`);
    }
    return;
  }
  (state as sfn.TaskStateBase).addRetry(retry);
}

function checkKey(scope: Construct, field: string, value: string, fix = 'use letters, digits and _ only'): string {
  if (!KEY.test(value)) throw new BuilderValidationError(scope, field, `'${value}' is not a plain identifier; ${fix}.`);
  return value;
}
