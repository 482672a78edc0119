import type { Outcome } from './runner';
import type { JsonValue } from '../asl';
import { isJsonObject } from '../asl/json-value';
import { StatesErrors } from '../asl/states-errors';
import type { ExecutionResult } from '../interpreter';

/*
 * Inputs lent between runs. A probe changes one answer of a run of the search (a Comprehend
 * sentiment's score moved to a rule's edge) and keeps that run's input; the change may send the
 * run to a rule its input never reached, which reads a field that input lacks (a ticket's
 * `subject`, present in the runs that went that way), and the run fails on a data error instead of
 * going on. Such a run is made again with the fields it lacks lent from the inputs of other runs
 * of the search, answered as it was: the text and the number of one answer (a sentiment and its
 * score) together with an input that carries the run past the rule. These are only more runs: a
 * violation one of them shows is confirmed, as any, by running its counterexample again.
 */

/** The errors a read of a field an input lacks raises: a JSONPath that finds nothing, a JSONata expression that fails. */
const DATA_ERRORS: ReadonlySet<string> = new Set([StatesErrors.RUNTIME, StatesErrors.QUERY_EVALUATION_ERROR]);
/** Probe runs kept to be lent inputs, inputs lent to one of them, and runs made with inputs lent, at most. */
const MAX_BORROWERS = 24;
const MAX_DONORS = 4;
const MAX_LENT = 60;
/** How deep the fields lent are looked for. */
const DEPTH = 6;

/** A run that may borrow: its input and how its Tasks were answered. @internal */
export interface Borrower {
  readonly input: JsonValue;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
}

/** Whether a run ended on an error a missing field raises. */
function failedOnData(result: ExecutionResult): boolean {
  return result.status === 'FAILED' && result.error !== undefined && DATA_ERRORS.has(result.error);
}

type Observe = (input: JsonValue, calls: Map<string, Outcome[]>, result: ExecutionResult, partial: boolean) => void;

/** The probe runs that failed on a data error, and the runs made again from them with inputs lent. @internal */
export class Borrowers {
  private readonly kept: Borrower[] = [];
  private readonly bases: ReadonlySet<string>;

  /** `inputs`: those of the runs of the search the probes start from, which lend their fields too. */
  public constructor(private readonly inputs: readonly JsonValue[]) {
    this.bases = new Set(inputs.map((i) => JSON.stringify(i)));
  }

  /**
   * `observe`, keeping each run it is told of that failed on a data error with one of the bases'
   * inputs: a run whose answers a probe changed from those of a run of the search.
   */
  public watch(observe: Observe): Observe {
    return (input, calls, result, partial) => {
      observe(input, calls, result, partial);
      if (!partial && this.kept.length < MAX_BORROWERS && failedOnData(result) && this.bases.has(JSON.stringify(input))) {
        this.kept.push({ input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])) });
      }
    };
  }

  /** Makes each kept run again (with `run`, which tells verify of it) with the fields its input lacks lent from the bases' inputs. */
  public async lend(run: (input: JsonValue, answers: Borrower['calls']) => Promise<void>): Promise<void> {
    for (const [input, calls] of borrowedRuns(this.kept, this.inputs)) await run(input, calls);
  }
}


/** `input` with the fields `donor` has and it lacks added, through the objects both hold; undefined when none is added. @internal */
export function lent(input: JsonValue, donor: JsonValue, depth = DEPTH): JsonValue | undefined {
  if (!isJsonObject(input) || !isJsonObject(donor) || depth < 0) return undefined;
  let out: { [k: string]: JsonValue } | undefined;
  for (const [k, v] of Object.entries(donor)) {
    const had = Object.hasOwn(input, k) ? input[k] : undefined;
    const made = had === undefined ? v : lent(had, v, depth - 1);
    if (made === undefined) continue;
    out ??= { ...input };
    out[k] = made;
  }
  return out;
}

/**
 * The runs to make again: each borrower's input with the fields it lacks lent from each donor
 * (the inputs of other runs of the search) that has some, answered as the borrower was; each
 * input and answers once, at most `MAX_DONORS` donors a borrower and `MAX_LENT` runs in all.
 * @internal
 */
export function borrowedRuns(borrowers: readonly Borrower[], donors: readonly JsonValue[]): Array<readonly [JsonValue, Borrower['calls']]> {
  const out: Array<readonly [JsonValue, Borrower['calls']]> = [];
  const seen = new Set<string>();
  for (const b of borrowers) {
    let lenders = 0;
    for (const d of donors) {
      if (lenders >= MAX_DONORS || out.length >= MAX_LENT) break;
      const input = lent(b.input, d);
      if (input === undefined) continue;
      const key = JSON.stringify([input, [...b.calls]]);
      if (seen.has(key)) continue;
      seen.add(key);
      lenders++;
      out.push([input, b.calls]);
    }
  }
  return out;
}
