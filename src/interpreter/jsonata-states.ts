import { addSideEvent, errorOfFailure, type CompiledCatcher, type CompiledState } from './engine';
import { compileParameterCheck } from './integration-parameters';
import { noteUnrecorded, type AttemptResult, type StateCall } from './runtime';
import type {
  Catcher, ChoiceState, FailState, JsonObject, JsonValue, MapState, ParallelState, PassState, StateDefinition, SucceedState, TaskState, WaitState,
} from '../asl';
import { checkBranchInput, parallelBranches, runBranches } from './states/branches';
import { checkedCollectedResult } from './states/collected-result';
import { baseState, nextOf, type CompileContext, type JsonataSupport } from './states/common';
import { compileJsonataValue, expectType, JsonataEvaluationError, type CompiledJsonata, type JsonataBindings } from '../asl/jsonata/compile';
import { processorOf } from '../asl/state-tree';
import { StatesErrors, StatesError } from '../asl/states-errors';
import { runMap, type MapInputs } from './states/map';
import { classifyResource, invokeTask, newTaskToken, roleArnOf } from './states/task';
import { parseTimestamp } from './states/wait';
import { AwsLimits } from '../asl/limits';

/** The bindings of one JSONata evaluation in a state. @internal */
export function bindingsOf(call: StateCall, input: JsonValue, extra?: { result?: JsonValue; errorOutput?: JsonValue }): JsonataBindings {
  const rt = call.frame.rt;
  return {
    states: { input, context: call.context(), ...extra },
    variables: call.frame.variables.all(),
    random: rt.random,
    now: rt.clock.now(),
    interrupt: rt.interrupt,
    // A clock that pauses between states (serve's) pauses a long evaluation too.
    pausing: rt.clock.pause === undefined ? undefined : rt,
    unrecorded: (message) => noteUnrecorded(rt, call.stateName, `State '${call.stateName}': ${message}`),
  };
}

const compileOptional = (value: JsonValue | undefined, field: string): CompiledJsonata | undefined =>
  value === undefined ? undefined : compileJsonataValue(value, field);

/** Output and Assign of a JSONata state or catcher: both see the variables from before the state. */
interface OutputAssign {
  readonly output: CompiledJsonata | undefined;
  readonly assign: CompiledJsonata | undefined;
}

function compileOutputAssign(def: { Output?: JsonValue; Assign?: JsonObject }, prefix = ''): OutputAssign {
  return { output: compileOptional(def.Output, `${prefix}Output`), assign: compileOptional(def.Assign, `${prefix}Assign`) };
}

/**
 * The state's result from its Assign, then its Output: at once when neither needed JSONata's own
 * evaluation (a constant, a plain path, arithmetic on paths), so such a state runs in the
 * interpreter's synchronous loop as a JSONPath state does; else a promise of it.
 */
function finish(oa: OutputAssign, b: JsonataBindings, fallback: JsonValue, next: string | undefined): AttemptResult | Promise<AttemptResult> {
  const assign = oa.assign ? oa.assign.evaluateNow(b) : undefined;
  if (assign instanceof Promise) return assign.then((a) => finishOutput(oa, b, a as JsonObject, fallback, next));
  return finishOutput(oa, b, assign as JsonObject | undefined, fallback, next);
}

function finishOutput(
  oa: OutputAssign, b: JsonataBindings, assign: JsonObject | undefined, fallback: JsonValue, next: string | undefined,
): AttemptResult | Promise<AttemptResult> {
  const output = oa.output ? oa.output.evaluateNow(b) : fallback;
  if (output instanceof Promise) return output.then((o) => (assign ? { output: o, next, assign } : { output: o, next }));
  return assign ? { output, next, assign } : { output, next };
}

/** A JSONata field that must evaluate to a number of some kind (TimeoutSeconds, MaxConcurrency, ...). */
function numberField(value: number | string | undefined, field: string, kind: 'integer' | 'number'): ((b: JsonataBindings) => Promise<number | undefined>) | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return () => Promise.resolve(value);
  const compiled = compileJsonataValue(value, field);
  return async (b) => {
    const v = await compiled.evaluate(b);
    return expectType(v, kind, compiled.expression ?? String(value), field);
  };
}

/**
 * A Task's TimeoutSeconds or HeartbeatSeconds: "a positive, non-zero integer" (the Task state page
 * of the developer guide), as its JSONPath `…Path` form must hold. An expression that gives 0 or
 * less fails the state as one giving another type does; AWS records no such run, so the error is
 * the one its JSONata fields give (docs/fidelity.md).
 */
function secondsField(value: number | string | undefined, field: string): ((b: JsonataBindings) => Promise<number | undefined>) | undefined {
  const seconds = numberField(value, field, 'integer');
  if (seconds === undefined) return undefined;
  return async (b) => {
    const v = (await seconds(b))!;
    if (v < 1) throw new JsonataEvaluationError(`The ${field} field must be a positive integer, got ${v}`, field);
    return v;
  };
}

function compileJsonataCatcher(c: Catcher, index: number): CompiledCatcher {
  const oa = compileOutputAssign(c, `Catch[${index}]/`);
  return {
    ErrorEquals: c.ErrorEquals,
    next: c.Next,
    handle(rawInput, errorOutput, call) {
      return finish(oa, bindingsOf(call, rawInput, { errorOutput }), errorOutput, c.Next);
    },
  };
}

/** @internal */
export const jsonataSupport: JsonataSupport = {
  compileCatcher: compileJsonataCatcher,
};

function compilePass(name: string, def: PassState, ctx: CompileContext): CompiledState {
  const oa = compileOutputAssign(def);
  const next = nextOf(def);
  return baseState(name, def, ctx, (input, call) => finish(oa, bindingsOf(call, input), input, next));
}

function compileSucceed(name: string, def: SucceedState, ctx: CompileContext): CompiledState {
  const oa = compileOutputAssign(def);
  return baseState(name, def, ctx, (input, call) => finish(oa, bindingsOf(call, input), input, undefined));
}

function compileFail(name: string, def: FailState, ctx: CompileContext): CompiledState {
  const error = compileOptional(def.Error, 'Error');
  const cause = compileOptional(def.Cause, 'Cause');
  return baseState(name, def, ctx, async (input, call) => {
    const b = bindingsOf(call, input);
    const e = error ? await error.evaluate(b) : undefined;
    const c = cause ? await cause.evaluate(b) : undefined;
    throw new StatesError(e === undefined ? '' : typeof e === 'string' ? e : JSON.stringify(e), c === undefined ? undefined : typeof c === 'string' ? c : JSON.stringify(c));
  }, false);
}

function compileWait(name: string, def: WaitState, ctx: CompileContext): CompiledState {
  const oa = compileOutputAssign(def);
  const next = nextOf(def);
  const seconds = numberField(def.Seconds, 'Seconds', 'integer');
  const timestamp = compileOptional(def.Timestamp, 'Timestamp');
  return baseState(name, def, ctx, async (input, call) => {
    const b = bindingsOf(call, input);
    let until: number;
    if (seconds) {
      const s = (await seconds(b))!;
      if (s < 0) throw new JsonataEvaluationError(`The Seconds field must not be negative, got ${s}`, 'Seconds');
      if (s > AwsLimits.SECONDS) throw new StatesError(StatesErrors.RUNTIME, 'Wait state delay is too long.', { inState: true });
      until = call.enteredTime + s * 1000;
    } else {
      const text = await timestamp!.evaluate(b);
      const at = typeof text === 'string' ? parseTimestamp(text) : undefined;
      if (at === undefined) {
        throw new JsonataEvaluationError(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof text === 'string' ? text : JSON.stringify(text)}`, 'Timestamp');
      }
      until = at;
    }
    const clock = call.frame.rt.clock;
    if (until > clock.now()) await clock.sleepUntil(until, call.frame.group?.cancel);
    return finish(oa, b, input, next);
  });
}

function compileChoice(name: string, def: ChoiceState, ctx: CompileContext): CompiledState {
  const stateOA = compileOutputAssign(def);
  // AWS names a rule's fields under its place in Choices: `Choices[1]/Condition`, `Choices[1]/Output/v`.
  const rules = def.Choices.map((rule, i) => {
    const conditionField = `Choices[${i}]/Condition`;
    const condition = typeof rule.Condition === 'boolean'
      ? undefined
      : compileJsonataValue(rule.Condition as JsonValue, conditionField);
    return {
      fixed: typeof rule.Condition === 'boolean' ? rule.Condition : undefined,
      condition,
      conditionField,
      next: rule.Next!,
      oa: compileOutputAssign(rule as { Output?: JsonValue; Assign?: JsonObject }, `Choices[${i}]/`),
    };
  });
  return baseState(name, def, ctx, async (input, call) => {
    const b = bindingsOf(call, input);
    for (const rule of rules) {
      let holds: boolean;
      if (rule.condition) {
        const v = await rule.condition.evaluate(b);
        holds = expectType(v, 'boolean', rule.condition.expression ?? String(v), rule.conditionField);
      } else {
        holds = rule.fixed === true;
      }
      if (holds) return finish(rule.oa, b, input, rule.next);
    }
    if (def.Default !== undefined) return finish(stateOA, b, input, def.Default);
    throw new StatesError(StatesErrors.NO_CHOICE_MATCHED, 'No Matches!');
  });
}

function compileTask(name: string, def: TaskState, ctx: CompileContext): CompiledState {
  const oa = compileOutputAssign(def);
  const next = nextOf(def);
  const args = compileOptional(def.Arguments, 'Arguments');
  const kind = classifyResource(def.Resource);
  const timeout = secondsField(def.TimeoutSeconds, 'TimeoutSeconds');
  const heartbeat = secondsField(def.HeartbeatSeconds, 'HeartbeatSeconds');
  const checkArguments = compileParameterCheck(kind, 'Arguments');
  const credentials = compileOptional(def.Credentials, 'Credentials');
  return baseState(name, def, ctx, async (input, call) => {
    const token = kind.pattern !== 'request-response' ? newTaskToken(call) : undefined;
    if (token !== undefined) call.setTaskToken(token);
    const b = bindingsOf(call, input);
    const payload = args ? await args.evaluate(b) : input;
    const timeoutSeconds = timeout ? await timeout(b) : undefined;
    const heartbeatSeconds = heartbeat ? await heartbeat(b) : undefined;
    if (checkArguments) checkArguments(payload);
    const check = call.frame.rt.requestCheck;
    const refused = args && check !== undefined ? check(name, def.Resource, payload, 'Arguments') : undefined;
    const roleArn = credentials ? roleArnOf(await credentials.evaluate(b)) : undefined;
    const result = await invokeTask(call, {
      stateName: name,
      resourceArn: def.Resource,
      kind,
      payload,
      token,
      timeoutSeconds,
      heartbeatSeconds,
      roleArn,
      ...(refused !== undefined ? { refused } : {}),
    });
    return finish(oa, bindingsOf(call, input, { result }), result, next);
  });
}

function compileParallel(name: string, def: ParallelState, ctx: CompileContext): CompiledState {
  const oa = compileOutputAssign(def);
  const next = nextOf(def);
  const args = compileOptional(def.Arguments, 'Arguments');
  const branches = def.Branches.map((b, i) => ctx.compileSubMachine(b, `${ctx.location}/Branches/${i}`));
  return baseState(name, def, ctx, async (input, call) => {
    const branchInput = args ? await args.evaluate(bindingsOf(call, input)) : input;
    if (args) checkBranchInput(name, branchInput, call);
    call.event('ParallelStateStarted');
    const outcome = await runBranches(call, parallelBranches(branches, branchInput));
    if (!outcome.ok) {
      throw errorOfFailure(outcome.failure);
    }
    addSideEvent(call.frame, 'ParallelStateSucceeded');
    return checkedCollectedResult(call, 'Parallel', outcome.outputs, finish(oa, bindingsOf(call, input, { result: outcome.outputs }), outcome.outputs, next));
  });
}

function compileMap(name: string, def: MapState, ctx: CompileContext): CompiledState {
  const oa = compileOutputAssign(def);
  const next = nextOf(def);
  const items = compileOptional(def.Items, 'Items');
  const selector = compileOptional(def.ItemSelector, 'ItemSelector');
  const maxConcurrency = numberField(def.MaxConcurrency, 'MaxConcurrency', 'integer');
  const toleratedCount = numberField(def.ToleratedFailureCount, 'ToleratedFailureCount', 'integer');
  const toleratedPercentage = numberField(def.ToleratedFailurePercentage, 'ToleratedFailurePercentage', 'number');
  const reader = def.ItemReader;
  const readerArgs = compileOptional(reader?.Arguments, 'ItemReader/Arguments');
  const maxItems = numberField(reader?.ReaderConfig?.MaxItems, 'MaxItems', 'integer');
  const batcher = def.ItemBatcher;
  const maxPerBatch = numberField(batcher?.MaxItemsPerBatch, 'MaxItemsPerBatch', 'integer');
  const maxBytesPerBatch = numberField(batcher?.MaxInputBytesPerBatch, 'MaxInputBytesPerBatch', 'integer');
  const batchInput = compileOptional(batcher?.BatchInput, 'BatchInput');
  const writerArgs = compileOptional(def.ResultWriter?.Arguments, 'ResultWriter/Arguments');
  const processorDef = processorOf(def)!;
  const processor = ctx.compileSubMachine(processorDef, `${ctx.location}/ItemProcessor`);

  return baseState(name, def, ctx, async (input, call) => {
    const b = bindingsOf(call, input);
    const inputs: MapInputs = {
      maxConcurrency: maxConcurrency ? (await maxConcurrency(b)) ?? 0 : 0,
      tolerated: async () => ({
        count: toleratedCount ? await toleratedCount(b) : undefined,
        percentage: toleratedPercentage ? await toleratedPercentage(b) : undefined,
      }),
      items: async () => {
        if (!items) {
          // Without Items the state's input is the array; AWS words this failure apart from an Items
          // expression's, and its EvaluationFailed event names no field (recorded).
          if (Array.isArray(input)) return input;
          throw new JsonataEvaluationError(`Map state input must be an array but was: ${JSON.stringify(input)}`);
        }
        const v = await items.evaluate(b);
        return items.isConstant ? expectType(v, 'array', JSON.stringify(def.Items), 'Items') : expectType(v, 'array', items.expression ?? '', 'Items');
      },
      readerParameters: async () => (readerArgs ? readerArgs.evaluate(b) : {}),
      maxItems: async () => (maxItems ? maxItems(b) : undefined),
      select: selector
        ? (value, index, source) => {
          const context = { ...(b.states.context as JsonObject), Map: { Item: { Index: index, Value: value, Source: source } } };
          return selector.evaluate({ ...b, states: { ...b.states, context } });
        }
        : undefined,
      batch: batcher
        ? async () => ({
          perBatch: maxPerBatch ? await maxPerBatch(b) : undefined,
          perBytes: maxBytesPerBatch ? await maxBytesPerBatch(b) : undefined,
          extra: batchInput ? await batchInput.evaluate(b) : undefined,
        })
        : undefined,
      writerParameters: async () => (writerArgs ? writerArgs.evaluate(b) : {}),
    };
    const result = await runMap(name, def, processor, inputs, call);
    return checkedCollectedResult(call, 'Map', result, finish(oa, bindingsOf(call, input, { result }), result, next));
  });
}

/** The JSONata state compilers, by state type. @internal */
export const JSONATA_COMPILERS: Record<StateDefinition['Type'], (name: string, def: never, ctx: CompileContext) => CompiledState> = {
  Pass: compilePass,
  Succeed: compileSucceed,
  Fail: compileFail,
  Wait: compileWait,
  Choice: compileChoice,
  Task: compileTask,
  Parallel: compileParallel,
  Map: compileMap,
};
