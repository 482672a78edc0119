import type { ExecutionRecord } from './model';
import { date, type Response } from './values';
import type { JsonValue } from '../asl/types';
import type { HistoryEvent } from '../interpreter/history';
import { resumePointOf } from '../testing/replay/resume-point';

/**
 * Where a redrive resumes: the top-level state entered last, the input it had,
 * and the top-level variables as they were when it was entered (see
 * {@link resumePointOf}). A redriven Map or Parallel state runs the iterations
 * or branches that did not succeed again, with their own assignments, and keeps
 * the outputs of the others (`ExecutionRecord.completedChildren`).
 */
export function redrivePoint(
  e: ExecutionRecord, events: HistoryEvent[],
): { state: string; input: JsonValue; variables: Record<string, JsonValue> } | undefined {
  return resumePointOf(e.revision.parsed.States, events);
}

/**
 * The interpreter names a Map Run `…:mapRun:<machine>/<label>:<uuid>`; the
 * endpoint puts the execution's name where the uuid is, so that the Map Run's
 * ARN leads back to its execution (`…:mapRun:<machine>/<label>:<execution name>`).
 */
export function mapRunArnOf(e: ExecutionRecord, interpreterArn: string): string {
  const labelAndId = interpreterArn.slice(interpreterArn.lastIndexOf('/') + 1);
  const colon = labelAndId.indexOf(':');
  const state = colon < 0 ? labelAndId : labelAndId.slice(0, colon);
  return e.arn.replace(/:execution:([^:]+):([^:]+)$/, (_m, machine: string, name: string) => `:mapRun:${machine}/${state}:${name}`);
}

export function renderEvent(ev: HistoryEvent, e: ExecutionRecord, includeData: boolean): Response {
  const out: Response = {};
  for (const [k, v] of Object.entries(ev)) {
    if (k === 'timestamp') {
      out[k] = date((v as Date).getTime());
      continue;
    }
    if (!k.endsWith('EventDetails') || v === null || typeof v !== 'object') {
      out[k] = v;
      continue;
    }
    const details: Response = { ...(v as Response) };
    if (!includeData) {
      for (const field of ['input', 'output', 'parameters']) {
        delete details[field];
      }
    }
    if (k === 'mapRunStartedEventDetails' && typeof details.mapRunArn === 'string') details.mapRunArn = mapRunArnOf(e, details.mapRunArn);
    if (k === 'executionStartedEventDetails') {
      if (e.versionArn) details.stateMachineVersionArn = e.versionArn;
      if (e.aliasArn) details.stateMachineAliasArn = e.aliasArn;
    }
    out[k] = details;
  }
  return out;
}

export interface MapRunView {
  readonly mapRunArn: string;
  readonly summary: Response;
  describe(): Response;
}

/** The Map Runs of an execution, read from its history (one per DISTRIBUTED Map state run). */
export function mapRuns(e: ExecutionRecord, events: HistoryEvent[]): MapRunView[] {
  const out: MapRunView[] = [];
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (ev.type !== 'MapRunStarted') continue;
    const arn = mapRunArnOf(e, (ev.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn);
    const started = [...events.slice(0, i)].reverse().find((x) => x.type === 'MapStateStarted');
    const total = (started?.mapStateStartedEventDetails as { length?: number } | undefined)?.length ?? 0;
    const end = events.slice(i + 1).find((x) => x.type === 'MapRunSucceeded' || x.type === 'MapRunFailed' || x.type === 'MapRunAborted');
    const status = end ? end.type === 'MapRunSucceeded' ? 'SUCCEEDED' : end.type === 'MapRunFailed' ? 'FAILED' : 'ABORTED' : e.status === 'RUNNING' ? 'RUNNING' : 'ABORTED';
    const state = arn.slice(arn.lastIndexOf('/') + 1, arn.lastIndexOf(':'));
    const def = findState(e.revision.parsed, state) as MapFields | undefined;
    const counts = {
      pending: 0,
      running: status === 'RUNNING' ? total : 0,
      succeeded: status === 'SUCCEEDED' ? total : 0,
      failed: status === 'FAILED' ? total : 0,
      timedOut: 0,
      aborted: status === 'ABORTED' ? total : 0,
      total,
      resultsWritten: status === 'SUCCEEDED' ? total : 0,
      failuresNotRedrivable: 0,
      pendingRedrive: 0,
    };
    out.push({
      mapRunArn: arn,
      summary: {
        executionArn: e.arn,
        mapRunArn: arn,
        stateMachineArn: e.machine.arn,
        startDate: date(ev.timestamp.getTime()),
        ...(end ? { stopDate: date(end.timestamp.getTime()) } : {}),
      },
      describe: () => ({
        mapRunArn: arn,
        executionArn: e.arn,
        status,
        startDate: date(ev.timestamp.getTime()),
        ...(end ? { stopDate: date(end.timestamp.getTime()) } : {}),
        maxConcurrency: def?.MaxConcurrency ?? 0,
        toleratedFailurePercentage: def?.ToleratedFailurePercentage ?? 0,
        toleratedFailureCount: def?.ToleratedFailureCount ?? 0,
        itemCounts: counts,
        executionCounts: counts,
        redriveCount: 0,
      }),
    });
  }
  return out;
}

export type SubStates = { States: Record<string, unknown> };
export type MapFields = { MaxConcurrency?: number; ToleratedFailurePercentage?: number; ToleratedFailureCount?: number };

export function findState(def: { States?: Record<string, unknown> }, name: string): unknown {
  for (const [n, s] of Object.entries(def.States ?? {})) {
    if (n === name) return s;
    const st = s as { Branches?: SubStates[]; ItemProcessor?: SubStates; Iterator?: SubStates };
    for (const sub of [...(st.Branches ?? []), st.ItemProcessor, st.Iterator]) {
      const found = sub ? findState(sub, name) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
