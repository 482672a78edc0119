import type * as sdk from '@aws-sdk/client-sfn';
import type { StepFunctionsService } from '../service';
import type { Params, Response } from '../values';

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

/**
 * A structure of a request as it arrives: the members its SDK shape declares, by name, each
 * still to be read and checked (a client may send any JSON value, or none). A member the model
 * does not declare is read nowhere; one it renames no longer compiles where it is read.
 * @internal
 */
export type Unchecked<T> = { readonly [K in keyof T]?: unknown } & { readonly [declared]?: T };

/** Where an Unchecked structure keeps (in its type only) the SDK shape it stands for, so that a structure read from it has its own. */
declare const declared: unique symbol;

/** The SDK shape of member `K` of an Unchecked structure `P`. @internal */
export type Declared<P, K extends PropertyKey> =
  P extends { readonly [declared]?: infer T } ? (K extends keyof T ? NonNullable<T[K]> : never) : never;

/** A value as the AWS JSON protocol carries it: a Date as epoch seconds. @internal */
export type OnTheWire<T> = T extends Date ? number
  : T extends ReadonlyArray<infer U> ? Array<OnTheWire<U>>
    : T extends object ? { [K in keyof T]: OnTheWire<T[K]> }
      : T;

/** A request to operation `N`: its `…CommandInput`'s members, unchecked. @internal */
export type RequestOf<N extends OperationName> = Unchecked<InputOf<N>>;
/** What operation `N` answers: its `…CommandOutput` without the SDK's `$metadata`, dates as epoch seconds. @internal */
export type AnswerOf<N extends OperationName> = WireFields<Omit<OutputOf<N>, '$metadata'>>;

/** A structure's members as the JSON protocol carries them (optional ones stay optional). */
type WireFields<T> = { [K in keyof T]: OnTheWire<T[K]> };

/** Operation `N`: its handler on the service, typed by the SDK's input and output of the operation. @internal */
export type Operation<N extends OperationName = OperationName> =
  (service: StepFunctionsService, params: RequestOf<N>, signal: AbortSignal) => AnswerOf<N> | Promise<AnswerOf<N>>;

/** An operation as the server dispatches it, by name, to a request not yet read. @internal */
export type AnyOperation = (service: StepFunctionsService, params: Params, signal: AbortSignal) => Response | Promise<Response>;

/**
 * Operation `name` in the server's table: its handler must take the SDK's input of that
 * operation and answer its output, so a field renamed in either fails to compile.
 * @internal
 */
export function operation<N extends OperationName>(name: N, handler: Operation<N>): readonly [N, AnyOperation] {
  return [name, handler];
}
