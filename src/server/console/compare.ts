/*
 * Two executions side by side, compared as `stepwright diff` compares a deployed run with its
 * local replay: the sequence of states lane by lane (workbench's stateSteps and compareSteps),
 * then the outcome and the output.
 */
import type { JsonValue } from '../../asl/definition-types';
import type { RecordedEvent } from '../../workbench/replay';
import { compareSteps, describeStep, firstDifference, stateSteps } from '../../workbench/replay/compare';
import { ExecutionHistory } from '../execution-history';
import type { ExecutionRecord } from '../model';

/** What differs between two executions; `equal` when nothing does. */
export interface ExecutionComparison {
  readonly a: { readonly executionArn: string; readonly name: string; readonly status: string; readonly error?: string };
  readonly b: { readonly executionArn: string; readonly name: string; readonly status: string; readonly error?: string };
  readonly equal: boolean;
  /** The differences in words, first the path, then the outcome, then the output. */
  readonly differences: string[];
}

/** Compares execution `a` with execution `b`. */
export function compareExecutions(a: ExecutionRecord, b: ExecutionRecord): ExecutionComparison {
  const differences: string[] = [];
  const steps = (e: ExecutionRecord): ReturnType<typeof stateSteps> => {
    const history = new ExecutionHistory(e);
    const events: RecordedEvent[] = [];
    for (let i = 0; i < history.length; i++) events.push(history.eventAt(i) as unknown as RecordedEvent);
    return stateSteps(events, e.revision.parsed);
  };
  const divergence = compareSteps(steps(b), steps(a));
  if (divergence) {
    differences.push(`path: at step ${divergence.index + 1}, ${a.name} ${describeStep(divergence.recorded, divergence.local)}, ${b.name} ${describeStep(divergence.local, divergence.recorded)}`);
  }
  const outcome = (e: ExecutionRecord): string => (e.error === undefined ? e.status : `${e.status} (${e.error})`);
  if (outcome(a) !== outcome(b)) differences.push(`outcome: ${a.name} ${outcome(a)}, ${b.name} ${outcome(b)}`);
  const output = firstDifference(parsed(b.output), parsed(a.output));
  if (output) differences.push(`output at ${output.path}: ${a.name} ${JSON.stringify(output.expected) ?? 'none'}, ${b.name} ${JSON.stringify(output.got) ?? 'none'}`);
  const side = (e: ExecutionRecord): ExecutionComparison['a'] => ({ executionArn: e.arn, name: e.name, status: e.status, ...(e.error !== undefined ? { error: e.error } : {}) });
  return { a: side(a), b: side(b), equal: differences.length === 0, differences };
}

function parsed(text: string | undefined): JsonValue | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
