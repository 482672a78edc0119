/**
 * At-least-once delivery, made testable: an Express workflow may run a Task more than once, and
 * AWS may restart an Express execution from its beginning when it loses its state ("Execution
 * guarantees" in the Developer Guide). The harness re-delivers Task invocations and restarts
 * Express executions on purpose, chosen from a seed, so that a test can check that handlers
 * and the side effects of mocks stay right when that happens.
 */
import type { JsonValue } from '../../asl';
import type { MachineType } from '../../asl/aws-defaults';
import { DEFAULT_SEED, SEED_BOUND, seededRandom, type RandomSource } from '../../asl/random';
import type { TaskAnswer, TaskRequest } from '../../interpreter/execution-types';

/**
 * Deliver Task invocations and run Express executions at least once, as AWS may: for EXPRESS
 * workflows only. AWS runs a STANDARD execution exactly once and each of its Task invocations
 * once (Retry aside), and a synchronous EXPRESS one at most once.
 */
export interface AtLeastOnceDelivery {
  /**
   * How many more times a re-delivered Task invocation is delivered: its handler or mock is
   * called again with the same input (a sequence mock gives the same step), and the run goes on
   * with the last delivery's outcome.
   * @default 1
   */
  readonly duplicates?: number;
  /**
   * The share of Task invocations re-delivered, from 0 to 1, chosen by `seed`.
   * @default 1 - every invocation
   */
  readonly rate?: number;
  /**
   * EXPRESS workflows only: how many times the execution is started over before the run that
   * is returned, each of those runs stopped after a Task invocation chosen by `seed` (each
   * invocation ends it with probability 1/2), as AWS restarts an execution that lost its state.
   * Their Task calls happened: their side effects are what a test checks. Not for `start()`.
   * `stepwright serve` starts over the EXPRESS executions a client starts with StartExecution,
   * never those of StartSyncExecution, which AWS runs at most once.
   * @default 1 for an EXPRESS workflow run with `run()`
   */
  readonly restarts?: number;
  /**
   * Seed of the choices: the same seed re-delivers the same invocations and cuts the restarted
   * runs at the same place.
   * @default 0
   */
  readonly seed?: number;
}

/** How Tasks are delivered in a run. */
export interface DeliveryOptions {
  /** Deliver at least once, with duplicates. */
  readonly atLeastOnce?: AtLeastOnceDelivery;
}

/** One Task invocation delivered more than once. */
export interface Redelivery {
  readonly stateName: string;
  /** Which call of the state it was, 0-based (retries, loops and Map iterations count). */
  readonly invocation: number;
  /** How many times it was delivered in all. */
  readonly deliveries: number;
  /**
   * How each delivery ended, in order: `ok`, or the error its handler raised (`TaskTimedOut`
   * for a duplicate callback on a token already used). Asynchronous ones are filled in when
   * they settle.
   */
  readonly outcomes: string[];
}

/** The checked settings. @internal */
export interface DeliveryPlan {
  readonly duplicates: number;
  readonly rate: number;
  readonly restarts: number;
  readonly seed: number;
}

/** An option of `delivery` that cannot be used, naming it. */
export class InvalidDeliveryError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDeliveryError';
  }
}

function whole(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidDeliveryError(`delivery.atLeastOnce.${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/**
 * Checks `delivery` for a run of a workflow of `type`; undefined when nothing is re-delivered.
 * @throws InvalidDeliveryError for an option that cannot be used, and for any at-least-once delivery of a STANDARD workflow
 * @internal
 */
export function deliveryPlan(delivery: DeliveryOptions | undefined, type: MachineType, interactive: boolean): DeliveryPlan | undefined {
  if (delivery === undefined) return undefined;
  if (delivery === null || typeof delivery !== 'object') throw new InvalidDeliveryError(`delivery must be an object such as { atLeastOnce: { duplicates: 1 } }, got ${JSON.stringify(delivery)}`);
  for (const key of Object.keys(delivery)) if (key !== 'atLeastOnce') throw new InvalidDeliveryError(`delivery has an unknown option '${key}'; it takes atLeastOnce`);
  const a = delivery.atLeastOnce;
  if (a === undefined) return undefined;
  if (a === null || typeof a !== 'object') throw new InvalidDeliveryError(`delivery.atLeastOnce must be an object such as { duplicates: 1, seed: 7 }, got ${JSON.stringify(a)}`);
  for (const key of Object.keys(a)) {
    if (!['duplicates', 'rate', 'restarts', 'seed'].includes(key)) {
      throw new InvalidDeliveryError(`delivery.atLeastOnce has an unknown option '${key}'; it takes duplicates, rate, restarts and seed`);
    }
  }
  const duplicates = whole(a.duplicates ?? 1, 'duplicates', 1, 10);
  const rate = a.rate ?? 1;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new InvalidDeliveryError(`delivery.atLeastOnce.rate must be a number from 0 to 1, got ${JSON.stringify(rate)}`);
  const seed = whole(a.seed ?? DEFAULT_SEED, 'seed', 0, SEED_BOUND - 1);
  if (type === 'STANDARD') {
    throw new InvalidDeliveryError('delivery.atLeastOnce is for EXPRESS workflows: AWS runs a STANDARD execution exactly once, and each of its Task '
      + 'invocations once (Retry aside), so nothing is delivered twice; leave delivery out, or run the workflow as EXPRESS');
  }
  if (a.restarts !== undefined && a.restarts !== 0 && interactive) {
    throw new InvalidDeliveryError('delivery.atLeastOnce.restarts needs Workflow.run: a run started with start() is driven by the test, which cannot be started over; use run(), or leave restarts out');
  }
  const restarts = whole(a.restarts ?? (type === 'EXPRESS' && !interactive ? 1 : 0), 'restarts', 0, 10);
  return { duplicates, rate, restarts, seed };
}

/** What the harness needs to deliver a call again. @internal */
export interface DeliveryTarget {
  /** The next invocation index of a state, which the first delivery will take. */
  nextInvocation(state: string): number;
  /** Delivers the call; `again` reuses that invocation index (a duplicate). */
  handle(input: JsonValue, request: TaskRequest, again?: number): TaskAnswer | Promise<TaskAnswer>;
  /** Called with each duplicate that returned a promise, which the engine takes no hold for. */
  discardHold(): void;
}

/** Re-delivers the Task invocations of one run, as the plan says. @internal */
export class Deliverer {
  public readonly redeliveries: Redelivery[] = [];
  private readonly random: RandomSource;
  private readonly byRequest = new WeakMap<TaskRequest, Redelivery>();

  constructor(private readonly plan: DeliveryPlan, salt: number) {
    this.random = seededRandom(plan.seed * 7919 + salt);
  }

  /** The re-delivery of `request`, if it was one. */
  recordOf(request: TaskRequest): Redelivery | undefined {
    return this.byRequest.get(request);
  }

  deliver(input: JsonValue, request: TaskRequest, target: DeliveryTarget): TaskAnswer | Promise<TaskAnswer> {
    if (!(this.random.next() < this.plan.rate)) return target.handle(input, request);
    const invocation = target.nextInvocation(request.stateName);
    const record: Redelivery = { stateName: request.stateName, invocation, deliveries: this.plan.duplicates + 1, outcomes: [] };
    this.redeliveries.push(record);
    this.byRequest.set(request, record);
    const settle = (i: number, r: unknown): void => {
      if (!(r instanceof Promise)) return;
      r.then(() => { record.outcomes[i] = 'ok'; }, (e: unknown) => { record.outcomes[i] = errorName(e); });
    };
    let last: TaskAnswer | Promise<TaskAnswer>;
    for (let i = 0; i <= this.plan.duplicates; i++) {
      const final = i === this.plan.duplicates;
      record.outcomes[i] = 'pending';
      try {
        last = target.handle(input, request, i === 0 ? undefined : invocation);
        // A callback refused while it was delivered has its outcome already.
        if (record.outcomes[i] === 'pending') record.outcomes[i] = 'ok';
        if (last instanceof Promise) {
          record.outcomes[i] = 'pending';
          settle(i, last);
          // Only the last delivery's promise is the engine's to wait for (and hold the clock for).
          if (!final) target.discardHold();
        }
      } catch (e) {
        record.outcomes[i] = errorName(e);
        if (final) throw e;
      }
    }
    return last!;
  }
}

/**
 * A callback's answer was refused: for a re-delivered callback task, a duplicate completing a
 * token the first delivery used (TaskTimedOut, as AWS answers). The first duplicate not yet
 * refused is the one. @internal
 */
export function noteRefusedCallback(deliverer: Deliverer, request: TaskRequest, error: unknown): void {
  const record = deliverer.recordOf(request);
  if (!record) return;
  const i = record.outcomes.findIndex((o, k) => k > 0 && (o === 'ok' || o === 'pending'));
  if (i > 0) record.outcomes[i] = errorName(error);
}

function errorName(e: unknown): string {
  const err = e as { error?: unknown; name?: unknown } | null;
  if (err && typeof err.error === 'string' && err.error !== '') return err.error;
  return err && typeof err.name === 'string' ? err.name : 'Error';
}

/**
 * Decides, after each Task invocation of a restarted (lost) run, whether the run ends there:
 * with probability 1/2, from the seed. @internal
 */
export class RestartCut {
  private readonly random: RandomSource;
  constructor(seed: number, restart: number) {
    this.random = seededRandom(seed * 104729 + restart + 1);
  }

  /** True when the run is lost after this invocation. */
  cutsHere(): boolean {
    return this.random.next() < 0.5;
  }
}
