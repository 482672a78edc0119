/*
 * The memory one running execution's history may hold. The interpreter keeps a
 * history's payloads by reference, so a loop that carries one large input
 * holds it once; but a loop whose every state makes a new large value (a
 * JSONata Pass that rewrites a 250 KiB string) holds each of them, up to
 * 25,000 events of 256 KiB: 6 GB, past any heap. The server would die, and
 * with a data directory die again on every restart as it ran the execution
 * again. So the server measures what a running history holds, as the journal
 * would write it (each large value once, see shared-json.ts), whenever the
 * execution pauses for the server's other work (see ExecutionClock.pause),
 * and ends the execution once it holds more than its budget: an eighth of the
 * heap, which leaves room for the journal records written when it closes and
 * for reading it back after a restart.
 */
import { getHeapStatistics } from 'node:v8';
import { SharedJsonWriter } from './shared-json';
import { AwsLimits } from '../asl/limits';
import { withThousands } from '../asl/shorten';
import type { HistoryRecorder } from '../interpreter/history-recorder';

/** The bytes one execution's history may hold by default: an eighth of the heap node was given. @internal */
export function defaultHistoryBudget(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 8);
}

/**
 * What a history holds, measured a stretch at a time: each event once, each
 * large value (a string, array or object of 1 KiB or more) once however many
 * events hold it.
 * @internal
 */
export class HistoryMeasure {
  private readonly writer = new SharedJsonWriter();
  private events = 0;
  private weight = 0;

  /** The approximate bytes `recorder`'s events hold, counting the events recorded since the last call. */
  measure(recorder: HistoryRecorder): number {
    const length = recorder.length;
    const writer = this.writer;
    for (let i = this.events; i < length; i++) {
      const ev = recorder.recordedAt(i);
      this.weight += ev.type.length + (ev.key?.length ?? 0) + 40;
      if (ev.value !== undefined) {
        writer.encode(ev.value);
        this.weight += writer.weight;
      }
      if (ev.assigned !== undefined) {
        writer.encode(ev.assigned);
        this.weight += writer.weight;
      }
      // The entries themselves are not kept: only what they weigh.
      this.weight += writer.takePool().weight;
    }
    this.events = length;
    return this.weight;
  }

  /** How many events have been measured. */
  get measured(): number {
    return this.events;
  }
}

/** The cause an execution ends with when its history passes the budget. @internal */
export function overBudgetCause(bytes: number, events: number, budget: number): string {
  const mib = (n: number): string => (n / 1024 / 1024).toFixed(0);
  const heap = getHeapStatistics().heap_size_limit;
  return `The execution's history holds about ${mib(bytes)} MiB in ${events} events, more than stepwright serve keeps for one execution `
    + `(${mib(budget)} MiB, an eighth of its ${mib(heap)} MiB heap): it ends the execution here rather than run out of memory. `
    + `AWS would go on to ${withThousands(AwsLimits.HISTORY_EVENTS)} events. To go further, give node a larger heap (NODE_OPTIONS=--max-old-space-size=<MiB>).`;
}
