import type { GoalCategory } from './goals';
import type { JsonObject, JsonValue } from '../asl';
import type { ExecutionStatus } from '../interpreter';

/** Options of an exploration. */
export interface ExploreOptions {
  /**
   * The most scenarios the report keeps. Explore keeps as few as cover what
   * it reached; past this many, the goals only the dropped ones reached are
   * listed as not reached.
   * @default 50
   */
  readonly maxScenarios?: number;
  /**
   * Wall-clock seconds the search may take for one state machine. When they
   * run out, the report holds what was found and lists the rest as not
   * reached. A search that ends within the budget gives the same report,
   * byte for byte, every time.
   * @default 30
   */
  readonly budgetSeconds?: number;
  /**
   * Seed of the runs' random source (UUIDs, random numbers, retry jitter),
   * as `Workflow.run`'s `seed`.
   * @default 0
   */
  readonly seed?: number;
  /**
   * The execution input the search starts from; explore changes only the
   * fields the machine reads.
   * @default {}
   */
  readonly input?: JsonValue;
  /**
   * Answers explore uses as given instead of making them up, in the `--mocks`
   * JSON format (keyed by state name: a result, `{"Return": value}`,
   * `{"Throw": {"Error", "Cause"}}`, or a list with one per invocation): the
   * items a Map's ItemReader reads from S3, a Task whose results you know.
   * @default - explore answers every Task itself, and makes up the items of
   *   an ItemReader (the scenarios that use them say so)
   * @example mocks: { ProcessFiles: { Return: [{ key: 'a.csv' }] } }
   */
  readonly mocks?: Readonly<Record<string, JsonValue>>;
  /**
   * A folder for the local S3 (a folder per bucket, a file per key), as `--s3-dir` of
   * `stepwright run`: a Distributed Map's ItemReader reads its items there instead of explore
   * making them up. The folder is only read: what the runs write (a ResultWriter's files) is
   * checked as S3 would check it and then dropped.
   * @default - none: explore makes up the items of an ItemReader
   */
  readonly s3Dir?: string;
}

/** A goal explore proved no input or Task outcome reaches, or did not reach, and why. */
export type GoalNote<K extends string> = { readonly [P in K]: string } & { readonly reason: string };

/** A goal of the report, by category and key (`{ category: 'choiceRules', key: 'Check#1' }`). */
export interface GoalRef {
  readonly category: GoalCategory;
  readonly key: string;
}

/** One value a shape of an answer (or of the input) is given, in an {@link AnswerShape}. */
export interface ShapedValue {
  /** The Task whose answer holds the value; absent for the execution input. */
  readonly task?: string;
  /** Where in the answer (or the input) the value is: `.Item`, `.status`. */
  readonly field: string;
  /**
   * `absent`, or `present` (any value, of the type the service's contract gives the field, named in
   * `type` when it has one); in a witness run of a proof by the flow of values, also `null` and
   * `empty` (a list of none); in a witness run of a proof by errors, `error`: the Task's calls fail
   * with `error` (`field` is empty).
   */
  readonly shape: 'absent' | 'present' | 'null' | 'empty' | 'error';
  /** The type the service's contract gives the field (`structure`, `map`, `string`, ...), when it has one. */
  readonly type?: string;
  /** The error the Task's calls fail with, for the shape `error`. */
  readonly error?: string;
}

/**
 * One case of a proof, or one run that shows it: values of the given shapes, and where every run
 * with them ends. `fails`: at `state`, with `error`, which nothing catches, before the goal;
 * `other`: `state` goes on elsewhere than the goal (`reason` says why): the Choice takes another
 * branch, or another Catch takes the error; `takes` names the Choice rule or Catch a run of
 * explore's took, and `next` the state that run went to from `state`.
 */
export interface AnswerShape {
  readonly values: readonly ShapedValue[];
  readonly ends:
  | { readonly kind: 'fails'; readonly state: string; readonly error: string }
  | { readonly kind: 'other'; readonly state: string; readonly reason: string; readonly takes?: string; readonly next?: string };
  /** The execution input of the run that shows the case (a witness run keeps it). */
  readonly input?: JsonValue;
  /** The answers the Tasks on the way gave on that run, by Task (their last call). */
  readonly answers?: { readonly [task: string]: JsonValue };
  /**
   * The Task answers of that run in the `--mocks` JSON format of `stepwright run` (as a
   * scenario's `mocks`): with `input`, what runs it again (a witness run keeps it).
   */
  readonly mocks?: JsonObject;
}

/**
 * A case a proof by the flow of values leaves out: the values with which `state` fails with
 * `error` (`when` says which, in words), so that no run with them goes on to the Choice.
 */
export interface FlowEnd {
  readonly state: string;
  /** The field of the state whose value fails it (`Output`, `Assign.total`), or the answer's field (`.StatusCode`). */
  readonly field: string;
  readonly when: string;
  readonly error: string;
}

/**
 * How explore proved a goal unreachable, as a value (the goal's `reason` says the same in words):
 * - `rules`: the Choice rules contradict themselves or the rules before them, whatever the values;
 * - `errors`: a Catch or Retry takes no error an earlier rule does not take first, that the
 *   Task's request can raise, and that a state there raises (a name its integration never gives,
 *   case included), or (a Retry) has MaxAttempts 0;
 * - `fails`: `state` fails with `error`, which nothing takes, on every entry (`when: 'entry'`) or
 *   each time it ends well (`'exit'`);
 * - `answer-shapes`: every shape of the values the Choice `state`'s rules read (the answers of the
 *   Tasks before it, the input) ends elsewhere, case by case;
 * - `value-flow`: every run into the Choice `state` comes along `way` (the states before
 *   it, first to last, each entered only from the one before), and over every value those states'
 *   expressions can give (their answers as the service's contract describes them, less the ones
 *   AWS fails; the cases in `ends` fail a state on the way), rule `rule` always comes out
 *   `always` (true before the goal's rule, false at it);
 * - `follows`: every way to the goal passes through the goals in `from`, each proved unreachable.
 *
 * `rules`, `errors` and `fails` (on entry) proofs hold whatever the values; their `shapes`, when
 * present, are runs that show them (the runs explore made that entered the Choice, one per branch
 * taken; a run with the Task's calls failing with each error the rule names, and where it went;
 * the runs that entered the state, failing there), each with its input and mocks to run it again.
 */
export type ExploreProof =
  | { readonly kind: 'rules'; readonly state: string; readonly shapes?: readonly AnswerShape[] }
  | { readonly kind: 'errors'; readonly state: string; readonly shapes?: readonly AnswerShape[] }
  | { readonly kind: 'fails'; readonly state: string; readonly error: string; readonly when: 'entry' | 'exit'; readonly shapes?: readonly AnswerShape[] }
  | { readonly kind: 'answer-shapes'; readonly state: string; readonly shapes: readonly AnswerShape[] }
  | {
    readonly kind: 'value-flow';
    readonly state: string;
    readonly way: readonly string[];
    readonly ends: readonly FlowEnd[];
    readonly rule: number;
    readonly always: boolean;
    /**
     * The runs that show it, from a run that entered the way: each Task on the way answered as
     * that run had it, then with one field absent, null or empty; where each ended (none takes the
     * branch). Absent when no run entered the way.
     */
    readonly shapes?: readonly AnswerShape[];
  }
  | { readonly kind: 'follows'; readonly from: readonly GoalRef[] };

/** How far explore got with one category of goals. */
export interface CategoryReport<K extends string> {
  /** Goals some scenario reaches. */
  readonly reached: number;
  /** Every goal of the category. */
  readonly total: number;
  /** Goals no input and no Task outcome can reach, with the proof. */
  readonly unreachable: ReadonlyArray<GoalNote<K>>;
  /**
   * The proof of each goal in `unreachable` as a value, by the goal's key (its `reason` says it in
   * words); absent when no goal of the category is unreachable.
   */
  readonly proofs?: { readonly [key: string]: ExploreProof };
  /** Goals neither reached nor proved unreachable, with what stood in the way. */
  readonly notReached: ReadonlyArray<GoalNote<K>>;
}

/** The goals one scenario reaches, by category (the keys of the coverage report). */
export type GoalKeys = { readonly [C in GoalCategory]?: readonly string[] };

/** One execution explore found: everything a test needs to run it again. */
export interface ExploreScenario {
  /** What it shows, unique in the report. */
  readonly name: string;
  /** The execution input. */
  readonly input: JsonValue;
  /**
   * The Task answers, in the `--mocks` JSON format of `stepwright run` (as
   * `Workflow.run` reads it through the same reader): per state, one entry
   * for every call, or a list with one per call. A `lambda:invoke` Task's
   * answer is the function's return value (the harness wraps it in the
   * invoke envelope); a callback Task's answer completes its callback.
   */
  readonly mocks: JsonObject;
  /** The states entered, in order (branches and iterations included). */
  readonly path: readonly string[];
  /** How many states were entered, when `path` holds only the first 1,000. */
  readonly pathLength?: number;
  readonly status: ExecutionStatus;
  /** The output, when it SUCCEEDED. */
  readonly output?: JsonValue;
  /** The error and cause, when it did not succeed. */
  readonly error?: string;
  readonly cause?: string;
  /**
   * The Maps whose ItemReader explore answered itself in this scenario: the
   * items in `mocks` under their names (an empty list included) are made up,
   * not read from your S3 objects, and the scenario's name says so. Absent
   * when there are none. Give your items in `ExploreOptions.mocks` to explore
   * with them instead.
   */
  readonly inventedItems?: readonly string[];
  /**
   * How often each state was retried, as `toHaveRetried` counts it: every
   * attempt after the first of a state visit that the execution's history
   * shows, all visits together (a Task inside a DISTRIBUTED Map's child
   * executions is not counted: their events are not the execution's). Only
   * the states retried at least once; absent when none was, or when the
   * scenario shows explore's own run (no time was left to run it again).
   */
  readonly retries?: { readonly [state: string]: number };
  /** The goals it reaches. */
  readonly covers: GoalKeys;
}

/** The kinds of finding explore reports. */
export type ExploreFindingKind =
  /** An error some Task can raise that nothing catches: the execution fails with it. */
  | 'unhandled-error'
  /** A loop that can run until the 25,000-event history limit fails the execution. */
  | 'history-limit'
  /** A payload that grows with each pass through a loop until it exceeds 256 KiB. */
  | 'payload-limit'
  /** An EXPRESS execution that can run past its 5-minute limit. */
  | 'express-duration'
  /** Data explore cannot know (a Map ItemReader's S3 objects), for which it made up items: give the real ones with `mocks`. */
  | 'needs-data'
  /** A scenario whose run with its reported mocks differs from the run explore made. */
  | 'not-confirmed';

/** Something explore found that a test should know. */
export interface ExploreFinding {
  readonly kind: ExploreFindingKind;
  /** The state it is about. */
  readonly state?: string;
  /** The error it is about. */
  readonly error?: string;
  /** One line saying what happens and where. */
  readonly message: string;
  /** The scenario that shows it. */
  readonly scenario?: string;
}

/** How the search ended. */
export interface ExploreSearch {
  /**
   * True when every goal was reached or proved unreachable; false when the budget or a bound cut
   * the search short (`stoppedBy` says which), or when any goal is left not reached (each says why,
   * and what to give: `input` or `mocks`, and the field).
   */
  readonly complete: boolean;
  /** What cut it short. */
  readonly stoppedBy?: 'budget' | 'max-scenarios' | 'max-runs';
  /** Executions run. */
  readonly runs: number;
  /**
   * What the report itself left out to end within the budget: scenarios shown as the search ran
   * them (not run again), goals whose reason was not looked for. Absent when nothing was.
   */
  readonly reportCut?: string;
}

/**
 * What `Workflow.explore` and `stepwright explore --json` report: per
 * category, how many goals the scenarios reach, which no input can reach and
 * why, and which were not reached; the scenarios; and the findings.
 */
export interface ExploreReport {
  /** The state machine's name. */
  readonly machine: string;
  readonly states: CategoryReport<'state'>;
  readonly transitions: CategoryReport<'transition'>;
  /** Each Choice rule taken once (`Check#0`), and the Default (`Check#default`). */
  readonly choiceRules: CategoryReport<'rule'>;
  /** Each Catch taking an error (`Charge#0`). */
  readonly catches: CategoryReport<'catch'>;
  /** Each Retry taken at least once (`Charge#0`). */
  readonly retries: CategoryReport<'retry'>;
  /** Each outcome of each callback Task (`Approve#success`, `Approve#failure`, `Approve#timeout`). */
  readonly callbacks: CategoryReport<'callback'>;
  readonly scenarios: readonly ExploreScenario[];
  readonly findings: readonly ExploreFinding[];
  readonly search: ExploreSearch;
}

/** The item name each category uses in `unreachable` and `notReached`. */
export const ITEM_NAMES = {
  states: 'state', transitions: 'transition', choiceRules: 'rule', catches: 'catch', retries: 'retry', callbacks: 'callback',
} as const satisfies Record<GoalCategory, string>;
