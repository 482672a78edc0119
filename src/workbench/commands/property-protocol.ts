import type { MessagePort } from 'node:worker_threads';
import type { StateMachineDefinition } from '../../asl';

/*
 * What verify and the thread its property module lives in say to each other
 * (property-host.ts, property-thread.ts).
 */

/** The slots of the shared counter the thread wakes verify with. @internal */
export const SIGNAL = {
  /** Answers the thread has posted (the load's, then one per call). */
  answers: 0,
  /** 1 once the thread's own code is loaded, before the user's module. */
  ready: 1,
} as const;

/** What the thread starts with. @internal */
export interface ThreadData {
  readonly file: string;
  readonly port: MessagePort;
  readonly signal: SharedArrayBuffer;
}

/** One export of the module, as verify receives it: a function stays in the thread. @internal */
export type PropertyExport =
  | { readonly name: string; readonly kind: 'function'; readonly source: string }
  | { readonly name: string; readonly kind: 'run'; readonly source: string; readonly rest: Record<string, unknown> }
  | { readonly name: string; readonly kind: 'value'; readonly value: unknown }
  | { readonly name: string; readonly kind: 'unreadable'; readonly message: string };

/** The load's answer. @internal */
export type LoadAnswer = { readonly loaded: readonly PropertyExport[] } | { readonly failed: string };

/** A call of one function of the run; the run is sent once, then named by its id. @internal */
export interface PropertyCall {
  /** This call's number on its thread, which its answer carries back (see PropertyReply). */
  readonly callId: number;
  readonly name: string;
  readonly runId: number;
  readonly run?: unknown;
  readonly definition?: StateMachineDefinition;
}

/** An answer as the thread posts it: with the number of the call it answers. @internal */
export interface PropertyReply {
  readonly callId: number;
  readonly answer: PropertyAnswer;
}

/** What the function returned or threw. @internal */
export type PropertyAnswer =
  | { readonly value: boolean }
  | { readonly threw: string }
  | { readonly returned: 'promise' | 'function' | 'symbol' }
  | { readonly returned: 'value'; readonly value: unknown };
