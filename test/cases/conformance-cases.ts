import type { BehaviourCase, MockedResponses } from './case-format';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { loadCases, type RecordedCase } from '../conformance/recorded-run';
import { sharedPath } from '../shared-data';

/*
 * The executions AWS recorded (../shared/conformance, read where they are, never copied) that
 * exercise Map, Parallel, callbacks or retries, as behaviour cases: each Task's recorded results
 * become its MockConfigFile responses in recorded order, a Map ItemReader's S3 objects the S3
 * folder, AWS's outcome the expectation (status, and the output or the error name, as the
 * conformance runner scores them; outputs compared through its normalisation).
 */

/** What makes a recorded execution a case here: the features the corpus is to carry through every door. */
const FEATURES = ['Map', 'Parallel', 'callback', 'Retry'] as const;

/** A recorded execution left out, and why: printed by the test so nothing is dropped unseen. */
export interface LeftOut {
  readonly file: string;
  readonly reason: string;
}

/** The recorded executions that exercise one of FEATURES, as cases, and those that cannot be written as one. */
export function conformanceCases(): { cases: BehaviourCase[]; leftOut: LeftOut[] } {
  const cases: BehaviourCase[] = [];
  const leftOut: LeftOut[] = [];
  for (const c of loadCases(sharedPath('conformance', 'cases'), (r) => featuresOf(r.definition).size > 0)) {
    const reason = whyNotACase(c);
    if (reason) leftOut.push({ file: c.file, reason });
    else cases.push(asCase(c));
  }
  return { cases, leftOut };
}

function asCase(c: RecordedCase): BehaviourCase {
  const byState = new Map<string, MockedResponses>();
  for (const m of [...(c.taskMocks ?? [])].sort((a, b) => a.seq - b.seq)) {
    const responses = (byState.get(m.state!) ?? {}) as Record<string, MockedResponses[string]>;
    responses[String(Object.keys(responses).length)] = 'output' in m
      ? { Return: m.output! }
      : { Throw: { Error: m.error!, Cause: m.cause ?? '' } };
    byState.set(m.state!, responses);
  }
  const s3: Record<string, Record<string, JsonValue>> = {};
  const inputBucket = (c.input as JsonObject | null)?.Bucket;
  for (const o of c.fixtures?.s3Objects ?? []) {
    const bucket = o.bucket ?? (typeof inputBucket === 'string' ? inputBucket : 'bucket-name');
    (s3[bucket] ??= {})[o.key] = o.body;
  }
  const e = c.expected;
  return {
    id: `conformance/${c.file.replace(/\.json$/, '')}`,
    description: `as AWS recorded it: ${c.id}`,
    definition: c.definition,
    input: c.input,
    ...(byState.size > 0 ? { mockConfig: Object.fromEntries(byState) } : {}),
    ...(Object.keys(s3).length > 0 ? { s3 } : {}),
    expect: {
      status: e.status as BehaviourCase['expect']['status'],
      ...(e.status === 'SUCCEEDED' && 'output' in e ? { output: e.output! } : {}),
      ...(e.status !== 'SUCCEEDED' && e.error !== undefined ? { error: e.error } : {}),
    },
    recorded: { transformers: c.snapshotTransformers ?? [] },
  };
}

/** Why a recorded execution cannot be run from data alone, or undefined when it can. */
function whyNotACase(c: RecordedCase): string | undefined {
  if (/"Resource":"(?!arn:)|:activity:/.test(JSON.stringify(c.definition))) return 'an activity needs a worker polling for it, which no data file can be';
  const mocks = c.taskMocks ?? [];
  if (mocks.some((m) => m.state === null)) return 'a recorded Task result names no state, so no MockConfigFile response can be keyed to it';
  if (mocks.some((m) => !('output' in m) && !m.error)) return 'a recorded Task failure has no error name, which a MockConfigFile Throw needs';
  return undefined;
}

/** The FEATURES a definition uses, at any depth. */
export function featuresOf(definition: StateMachineDefinition): Set<typeof FEATURES[number]> {
  const found = new Set<typeof FEATURES[number]>();
  const walk = (states: Record<string, unknown>): void => {
    for (const s of Object.values(states) as Array<Record<string, unknown>>) {
      if (s.Type === 'Map') {
        found.add('Map');
        const processor = (s.ItemProcessor ?? s.Iterator) as { States?: Record<string, unknown> } | undefined;
        if (processor?.States) walk(processor.States);
      }
      if (s.Type === 'Parallel') {
        found.add('Parallel');
        for (const b of (s.Branches as Array<{ States: Record<string, unknown> }>) ?? []) walk(b.States);
      }
      if (Array.isArray(s.Retry) && s.Retry.length > 0) found.add('Retry');
      if (typeof s.Resource === 'string' && s.Resource.endsWith('.waitForTaskToken')) found.add('callback');
    }
  };
  walk(definition.States as Record<string, unknown>);
  return found;
}
