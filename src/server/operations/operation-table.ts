import type * as sdk from '@aws-sdk/client-sfn';
import type { JsonObject } from '../../asl';
import type { StepFunctionsService } from '../service';
import { checkRequest } from '../validation/request';

/**
 * The name of a Step Functions API operation, as @aws-sdk/client-sfn names its
 * commands (`CreateStateMachine` for `CreateStateMachineCommand`): the closed set a
 * server's table may use, checked when the server compiles.
 * @internal
 */
export type OperationName = {
  [K in keyof typeof sdk]: K extends `${infer Name}Command` ? (Name extends '' | '$' ? never : Name) : never
}[keyof typeof sdk];

type CommandOf<N extends OperationName> = (typeof sdk)[`${N}Command`];
/** The SDK's `…CommandInput` of operation `N`. @internal */
export type InputOf<N extends OperationName> = InstanceType<CommandOf<N>>['input'];
/** The SDK's `…CommandOutput` of operation `N`. @internal */
export type OutputOf<N extends OperationName> =
  InstanceType<CommandOf<N>> extends { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }> } ? O : never;

/** A value as the AWS JSON protocol carries it: a Date as epoch seconds. @internal */
export type OnTheWire<T> = T extends Date ? number
  : T extends ReadonlyArray<infer U> ? Array<OnTheWire<U>>
    : T extends object ? { [K in keyof T]: OnTheWire<T[K]> }
      : T;

/**
 * A request to operation `N` as the model validator (validation/request.ts) returns it: its
 * `…CommandInput`'s members that have a value, each of the model's type, within the model's
 * bounds (the SDK's input types are generated from the same model).
 * @internal
 */
export type RequestOf<N extends OperationName> = InputOf<N>;
/** What operation `N` answers: its `…CommandOutput` without the SDK's `$metadata`, dates as epoch seconds. @internal */
export type AnswerOf<N extends OperationName> = WireFields<Omit<OutputOf<N>, '$metadata'>>;

/** A structure's members as the JSON protocol carries them (optional ones stay optional). */
type WireFields<T> = { [K in keyof T]: OnTheWire<T[K]> };

/** Operation `N`: its handler on the service, typed by the SDK's input and output of the operation. @internal */
export type Operation<N extends OperationName = OperationName> =
  (service: StepFunctionsService, params: RequestOf<N>, signal: AbortSignal) => AnswerOf<N> | Promise<AnswerOf<N>>;

/** The answer of one operation or another: what a request dispatched by name is answered with. @internal */
export type AnyAnswer = { [N in OperationName]: AnswerOf<N> }[OperationName];

/** An operation as the server dispatches it, by name, to a request (a JSON object) not yet read. @internal */
export type AnyOperation = (service: StepFunctionsService, params: JsonObject, signal: AbortSignal) => AnyAnswer | Promise<AnyAnswer>;

/**
 * Operation `name` in the server's table: its handler must take the SDK's input of that
 * operation and answer its output, so a field renamed in either fails to compile. The table's
 * entry reads and validates the request as the model says (validation/request.ts) before the
 * handler sees it.
 * @internal
 */
export function operation<N extends OperationName>(name: N, handler: Operation<N>): readonly [N, AnyOperation] {
  return [name, (service, params, signal) => handler(service, checkRequest(name, params), signal)];
}
