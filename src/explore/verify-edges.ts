// The vocabulary of verify's graph of a machine (verify-graph.ts): the nodes a run ends at and the
// status each stands for, what a run does on an edge, and the facts from explore that narrow it.
import type { DataError } from './verify-data';
import type { FolderBound } from './verify-items';
import type { ExecutionStatus } from '../interpreter';

/** The ends of a run in the graph: succeeded, timed out, failed with a named or with any error. */
export const END_OK = '#succeeded';
export const END_TIMEOUT = '#timed-out';
export const END_FAIL_ANY = '#failed';
export const failEnd = (error: string): string => `#failed:${error}`;

/** What explore learned that narrows the graph. @internal */
export interface GraphFacts {
  /** States explore proved no input or Task outcome reaches. */
  readonly unreachableStates: ReadonlySet<string>;
  /** Transitions (`A -> B`) explore proved no run takes. */
  readonly unreachableTransitions: ReadonlySet<string>;
  /** Per state, the errors runs were seen to end with there (the last state of a FAILED path). */
  readonly failedAt: ReadonlyMap<string, ReadonlySet<string>>;
  /** The runs are EXPRESS: AWS ends one at five minutes, in whatever state it is. */
  readonly express: boolean;
  /** Per state, the data errors the definition says it can raise on some input or answer (verify-data). */
  readonly dataErrors?: ReadonlyMap<string, readonly DataError[]>;
  /** Per Map whose ItemReader the local S3 folder answers, what the folder says of its items (verify-folder). */
  readonly folderItems?: ReadonlyMap<string, FolderBound>;
  /**
   * The user's bound on a loop's turns (`loopTurns`, `--max-loop-turns`): a run enters the state
   * each loop goes back to at most this many times per run of its branch or iteration. Loops the
   * definition bounds (a counter, the clock, a Map's items) do not need it.
   */
  readonly loopTurns?: number;
  /**
   * States inside a DISTRIBUTED Map's iteration where AWS's history limit can end the child
   * execution (a loop no bound limits runs in it, and these states are on or after it), each with
   * the Maps (verify-cut's childCutsOf). The child's history is its own, so the limit ends the
   * child there, not the run: the Map sees a failed item.
   */
  readonly childCuts?: ReadonlyMap<string, readonly string[]>;
}

/**
 * What a run does on one edge of the graph, as far as the counter bounds (verify-counters) read
 * it: a Choice rule that matched, a Default taken because no rule did, an `Assign` that applied
 * (the state's on its normal exit, the Catch's on a caught error, the rule's or the Choice's).
 * @internal
 */
export type EdgeStep =
  /** `scope`: the pointer of the (sub-)machine of the state whose Assign it is, where the values go. */
  | { readonly kind: 'assign'; readonly assign: unknown; readonly jsonata: boolean; readonly scope: string }
  /**
   * A new run of the branch or iteration at `scope` starts: its variables start afresh (AWS gives
   * each its own scope). For a Map's iteration, `item` says which Map and whether it is the first
   * iteration of a run of the Map (entered from the Map, or from its own Retry) or another one.
   */
  | { readonly kind: 'enter'; readonly scope: string; readonly item?: { readonly map: string; readonly first: boolean } }
  | { readonly kind: 'rule'; readonly choice: string; readonly index: number }
  | { readonly kind: 'default'; readonly choice: string }
  /** A branch of Parallel `parallel` failed and its later ones go on (`on`), or a Retry starts afresh. */
  | { readonly kind: 'failing'; readonly parallel: string; readonly on: boolean }
  /** Parallel `parallel` leaves by its normal exit: every branch ended, so none failed. */
  | { readonly kind: 'join'; readonly parallel: string };

/** One way along an edge: the steps a run takes on it, in order. @internal */
export type EdgeLabel = readonly EdgeStep[];

/** Whether a node of the graph is an end of the run rather than a state. @internal */
export const isEnd = (n: string): boolean => n.startsWith('#');


/** A Parallel of two branches or more, as the longest path walks a run that fails in it. @internal */
export interface FailingParallel {
  /** The first state of each branch, in the branches' order. */
  readonly starts: readonly string[];
  /** The states inside it, at any depth. */
  readonly inside: ReadonlySet<string>;
  /** Where an error raised inside it leads out of it: a Catch's Next, or an end of the run. */
  readonly failures: ReadonlySet<string>;
}

/** The status (and error) of a run that ends at end node `n`. @internal */
export function endStatus(n: string): { status: ExecutionStatus; error?: string } {
  if (n === END_OK) return { status: 'SUCCEEDED' };
  if (n === END_TIMEOUT) return { status: 'TIMED_OUT' };
  if (n === END_FAIL_ANY) return { status: 'FAILED' };
  return { status: 'FAILED', error: n.slice(failEnd('').length) };
}
