import { mapItemBound, unboundedItemsWords, type FolderBound } from './verify-items';
import type { Retrier, StateDefinition, StateMachineDefinition, SubMachine } from '../asl';
import { AwsLimits } from '../asl/limits';
import { isDistributedMap, processorOf } from '../asl/state-tree';

/*
 * A bound on a run's virtual seconds, read from the definition alone: the most a run can last is
 * the longest path of its graph, each state weighted by the most it can take (a Wait's Seconds, a
 * Task's attempts each cut at its TimeoutSeconds and the retry intervals between them, a
 * Parallel's longest branch), capped by the machine's TimeoutSeconds (or an EXPRESS run's five
 * minutes). A value the definition does not fix (a Wait read from the input, a Task with no
 * TimeoutSeconds, a Map's items the definition does not bound, a loop) leaves the run unbounded,
 * and the bound says which. A Map whose items it bounds lasts at most its rounds (items over the
 * iterations it runs at once, rounded up) times its iteration's longest path ({@link mapRounds}).
 */

/** The most seconds a run can last, or what leaves it unbounded. @internal */
export type SecondsBound = { readonly seconds: number; readonly how: string } | { readonly unbounded: string };

/** What one state or sub-machine can take: seconds, or why it has no bound. */
type Cost = number | { readonly why: string };

/**
 * Who answers the Maps' ItemReader and ResultWriter calls in the runs: `fromS3Folder`, the Maps
 * whose calls the local S3 folder answers (no mock given for them), which take no virtual time;
 * `folderItems`, what the folder says of their items (verify-folder).
 * @internal
 */
export interface MapCalls {
  readonly fromS3Folder: ReadonlySet<string>;
  readonly folderItems?: ReadonlyMap<string, FolderBound>;
}

const NO_FOLDER: MapCalls = { fromS3Folder: new Set() };

/** MapCalls, and the folder's bounds a cost used, in words (`Map 'M' …`). */
type Costing = MapCalls & { readonly used: Set<string> };

const DEFAULT_INTERVAL = 1;
/** Step Functions' default MaxAttempts, for a retrier that gives none (the Task state page's Retry fields). @internal */
export const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BACKOFF = 2;

/** The most a state's retriers can add: every retrier worn out, each attempt cut at `attempt` seconds. */
function withRetries(name: string, retry: readonly Retrier[] | undefined, attempt: number): Cost {
  let attempts = 1;
  let waits = 0;
  for (const r of retry ?? []) {
    const max = r.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const interval = r.IntervalSeconds ?? DEFAULT_INTERVAL;
    const rate = r.BackoffRate ?? DEFAULT_BACKOFF;
    if (typeof max !== 'number' || typeof interval !== 'number' || typeof rate !== 'number') return { why: `'${name}' has a Retry the definition does not fix` };
    attempts += max;
    // Each retry waits IntervalSeconds × BackoffRate^k, at most MaxDelaySeconds (FULL jitter waits less).
    let delay = interval;
    for (let k = 0; k < max; k++) {
      waits += r.MaxDelaySeconds !== undefined ? Math.min(delay, r.MaxDelaySeconds) : delay;
      delay *= rate;
    }
  }
  return attempts * attempt + waits;
}

function stateCost(name: string, s: StateDefinition, express: boolean, io: Costing): Cost {
  switch (s.Type) {
    case 'Wait': {
      const seconds = (s as { Seconds?: unknown }).Seconds;
      if (typeof seconds === 'number') return seconds;
      return { why: `Wait '${name}' waits ${(s as { SecondsPath?: string }).SecondsPath ? 'for seconds read from its input' : 'until a time the definition does not fix'}` };
    }
    case 'Task': {
      const timeout = (s as { TimeoutSeconds?: unknown }).TimeoutSeconds;
      if (typeof timeout !== 'number') return { why: `Task '${name}' has no TimeoutSeconds the definition fixes, so an attempt may last as long as its service takes` };
      return withRetries(name, s.Retry, timeout);
    }
    case 'Parallel': {
      let longest = 0;
      for (const b of s.Branches ?? []) {
        const c = machineCost(b, express, io);
        if (typeof c !== 'number') return c;
        longest = Math.max(longest, c);
      }
      return withRetries(name, s.Retry, longest);
    }
    case 'Map': {
      const folder = io.folderItems?.get(name);
      const bound = mapItemBound(s, folder);
      if (!bound) return { why: unboundedItemsWords(name, s, folder) };
      // Reading the items, or writing the results, is a call to a service, which no TimeoutSeconds
      // cuts (an ItemReader and a ResultWriter have none): a handler may answer it late. The local
      // S3 answers at once, on no clock (the interpreter's object store).
      if ((s.ItemReader !== undefined || s.ResultWriter !== undefined) && !io.fromS3Folder.has(name)) {
        return { why: `Map '${name}' ${s.ItemReader !== undefined ? 'reads its items' : 'writes its results'} through a call a handler answers (a mock), which no TimeoutSeconds cuts (an ItemReader and a ResultWriter have none), so it may answer late; with the S3 folder given (--s3-dir, s3Dir) and no mock for '${name}', the local S3 answers it at once` };
      }
      const processor = processorOf(s) as SubMachine | undefined;
      const each = processor ? machineCost(processor, express, io) : 0;
      if (typeof each !== 'number') return each;
      if (bound === folder) io.used.add(`Map '${name}' is ${bound.how}`);
      return withRetries(name, s.Retry, mapRounds(s, bound.items) * each);
    }
    default:
      return 0;
  }
}

/**
 * How many iterations' lengths a run of Map `s` of at most `items` items lasts: its items over the
 * iterations it runs at once, rounded up. The interpreter (runBranches, the one home of a Map's
 * schedule) starts `c` workers together, `c` the MaxConcurrency cut at AWS's cap (40 inline,
 * 10,000 DISTRIBUTED; 0 means the cap: "up to 40 concurrent iterations", state-map-inline), and a
 * worker whose iteration ends takes the next item in the items' order at once. Each iteration
 * lasts at most L (its longest path). Then item k starts by floor(k / c) × L: items 0..c-1 start
 * at 0; for k >= c, the items up to k - c started by (floor(k / c) - 1) × L, by induction, so they
 * have ended by floor(k / c) × L, when at most the c - 1 items k - c + 1 .. k - 1 still run and a
 * worker is free for item k if it has not started yet. The last item, n - 1, ends by
 * (floor((n - 1) / c) + 1) × L = ceil(n / c) × L. With all items at once (c >= n) that is one
 * iteration's L; with one at a time, n × L. A MaxConcurrency the definition does not fix
 * (MaxConcurrencyPath, a JSONata expression) may be 1: one at a time, the longest. Fewer
 * iterations (an ItemBatcher's batches) or a run with fewer items lasts no longer.
 * @internal
 */
export function mapRounds(s: Extract<StateDefinition, { Type: 'Map' }>, items: number): number {
  if (items <= 0) return 0;
  const cap = isDistributedMap(s) ? AwsLimits.DISTRIBUTED_MAP_CONCURRENCY : AwsLimits.INLINE_MAP_CONCURRENCY;
  const fixed = s.MaxConcurrencyPath === undefined ? s.MaxConcurrency ?? 0 : undefined;
  if (typeof fixed !== 'number' || !Number.isInteger(fixed) || fixed < 0) return items;
  const atOnce = fixed === 0 ? cap : Math.min(fixed, cap);
  return Math.ceil(items / atOnce);
}

/** The longest a (sub-)machine's run can take: its graph's longest path, each state weighted by its cost; a loop has none. */
function machineCost(machine: StateMachineDefinition | SubMachine, express: boolean, io: Costing): Cost {
  const states = machine.States as Record<string, StateDefinition>;
  const memo = new Map<string, Cost>();
  const onStack = new Set<string>();
  const visit = (name: string): Cost => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const s = states[name];
    if (s === undefined) return 0;
    if (onStack.has(name)) return { why: `'${name}' sits on a loop` };
    onStack.add(name);
    let cost = stateCost(name, s, express, io);
    if (typeof cost === 'number') {
      let after = 0;
      const next: string[] = [];
      if (typeof s.Next === 'string') next.push(s.Next);
      if (s.Type === 'Choice') {
        for (const r of s.Choices ?? []) if (typeof r.Next === 'string') next.push(r.Next);
        if (typeof s.Default === 'string') next.push(s.Default);
      }
      for (const c of s.Catch ?? []) next.push(c.Next);
      for (const n of next) {
        const c = visit(n);
        if (typeof c !== 'number') {
          cost = c;
          break;
        }
        after = Math.max(after, c);
      }
      if (typeof cost === 'number') cost += after;
    }
    onStack.delete(name);
    memo.set(name, cost);
    return cost;
  };
  return visit(machine.StartAt);
}

/**
 * The most virtual seconds a run of the machine can last, or what leaves it unbounded.
 * @internal
 */
export function secondsBound(def: StateMachineDefinition, express: boolean, io: MapCalls = NO_FOLDER): SecondsBound {
  const caps: Array<{ seconds: number; how: string }> = [];
  if (typeof def.TimeoutSeconds === 'number') caps.push({ seconds: def.TimeoutSeconds, how: `the machine's TimeoutSeconds (${def.TimeoutSeconds} s) ends it` });
  if (express) caps.push({ seconds: AwsLimits.EXPRESS_DURATION_SECONDS, how: `an EXPRESS run ends at ${AwsLimits.EXPRESS_DURATION_SECONDS} s` });
  const costing: Costing = { ...io, used: new Set() };
  const cost = machineCost(def, express, costing);
  if (typeof cost === 'number') {
    const folder = [...costing.used].map((u) => `; ${u}`).join('');
    caps.push({ seconds: cost, how: `its longest path lasts ${cost} s (Wait seconds, each Task's attempts cut at its TimeoutSeconds and the retry intervals between them, a Parallel's longest branch, a Map's iteration times its rounds of items run at once)${folder}` });
  }
  caps.sort((a, b) => a.seconds - b.seconds);
  if (caps.length > 0) return caps[0];
  return { unbounded: (cost as { why: string }).why };
}
