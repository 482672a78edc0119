/*
 * Two executions side by side, compared as `stepwright diff` compares a deployed run with its
 * local replay: the sequence of states lane by lane (workbench's stateSteps and compareSteps),
 * then the outcome and the output. The sequences are read from the histories without their
 * payloads (the digests the console keeps), so two histories of 25,000 events carrying 256 KiB
 * each cost their events' names and links, not their data; the outputs are an execution's own,
 * 256 KiB at most each.
 */
import type { JsonValue } from '../../asl';
import type { HistoryEvent } from '../../asl/history-events';
import { jsonOrText } from '../../asl/json-value';
import { compareSteps, describeStep, firstDifference, stateSteps } from '../../workbench/replay/compare';
import type { ExecutionRecord } from '../model';

/** What differs between two executions; `equal` when nothing does. */
export interface ExecutionComparison {
  readonly a: { readonly executionArn: string; readonly name: string; readonly status: string; readonly error?: string };
  readonly b: { readonly executionArn: string; readonly name: string; readonly status: string; readonly error?: string };
  readonly equal: boolean;
  /** The differences in words, first the path, then the outcome, then the output. */
  readonly differences: string[];
}

/** An execution and its history's events without their payloads. */
export interface ComparedExecution {
  readonly record: ExecutionRecord;
  readonly events: readonly HistoryEvent[];
}

/** Compares execution `a` with execution `b`. */
export function compareExecutions(left: ComparedExecution, right: ComparedExecution): ExecutionComparison {
  const a = left.record;
  const b = right.record;
  const differences: string[] = [];
  const steps = (e: ComparedExecution): ReturnType<typeof stateSteps> => stateSteps(e.events, e.record.revision.parsed);
  const divergence = compareSteps(steps(right), steps(left));
  if (divergence) {
    differences.push(`path: at step ${divergence.index + 1}, ${a.name} ${describeStep(divergence.recorded, divergence.local)}, ${b.name} ${describeStep(divergence.local, divergence.recorded)}`);
  }
  const outcome = (e: ExecutionRecord): string => (e.error === undefined ? e.status : `${e.status} (${e.error})`);
  if (outcome(a) !== outcome(b)) differences.push(`outcome: ${a.name} ${outcome(a)}, ${b.name} ${outcome(b)}`);
  const output = firstDifference(parsed(b.output), parsed(a.output));
  if (output) differences.push(`output at ${output.path}: ${a.name} ${shown(output.expected)}, ${b.name} ${shown(output.got)}`);
  const side = (e: ExecutionRecord): ExecutionComparison['a'] => ({ executionArn: e.arn, name: e.name, status: e.status, ...(e.error !== undefined ? { error: e.error } : {}) });
  return { a: side(a), b: side(b), equal: differences.length === 0, differences };
}

/** The characters of a differing value the comparison shows at most: an output may be 256 KiB. */
const SHOWN = 2000;

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'none';
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}… (${text.length} characters)` : text;
}

function parsed(text: string | undefined): JsonValue | undefined {
  return text === undefined ? undefined : jsonOrText(text);
}
