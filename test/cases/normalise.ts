import type { Observation, ObservedMapRun, RunNames } from './observation';
import type { JsonObject, JsonValue } from '../../src/asl/definition-types';

/*
 * The one place that says what may legitimately differ between doors, and how it is made
 * comparable. Everything else a door reports must be equal, byte for byte (key order included).
 *
 * - The state machine's name: each door names it its own way (jest and `stepwright run` call an
 *   ASL file's machine `StateMachine`, serve needs one name per machine it holds). In an ARN and
 *   as a whole string it becomes `<machine>`. Every door is given the same execution name, which
 *   becomes `<execution>`.
 * - UUIDs (execution and Map Run ids, task tokens, request ids) and X-Ray trace ids
 *   (`1-<seconds in hex>-<random>`, in a Lambda invoke envelope's headers) are drawn afresh by each
 *   door: each becomes `<uuid:n>` or `<trace:n>`, numbered by first appearance in the order of
 *   Observation's fields, so the same id at two places stays the same placeholder and two ids that
 *   should be one do not.
 * - Date-times, ISO 8601 or HTTP's (a Lambda invoke envelope's `Date` header): jest, the CLI and
 *   MCP run on a virtual clock from 2024-01-01T00:00:00Z, serve on its server clock. One within a
 *   year of the run's start (AWS's longest execution) is `<time>`; any other is
 *   `<time outside the run>`, since nothing a run stamps can be there. So is a child execution's
 *   `StartDate` and `StopDate` in the answer of a `states:startExecution` Task, which Step
 *   Functions writes in milliseconds since the epoch.
 * - A Map Run's tolerated failure count and percentage: DescribeMapRun always answers them
 *   (0 when the Map sets none); the run's own Map Runs leave out what the Map does not set.
 * - Where a refused mock came from, as each door names it in the message (`(MockConfigFile)` in
 *   the harness, `(--mock-config test case 'Case')` in serve): `(<mock source>)`.
 * - The option a message tells the user to set, as each door spells it (`mockValidation: 'NONE'`
 *   in jest, `--mock-validation NONE` on the command line, `stepwright serve --mock-validation
 *   NONE`, the tool's `mockValidation: "NONE"` in MCP): `<option mockValidation NONE>`.
 * - The key order of a history event's own fields (not of the JSON text they carry): the AWS SDK
 *   builds each event serve sends in its model's member order.
 * - How long a run lasts (its seconds), between serve and the other doors: serve runs on the wall
 *   clock, where the work between waits and the wait for a test's callback take real time (more
 *   on a loaded machine), so its seconds are compared only with an expectation (compare.ts); and
 *   at any door where a Retry's JitterStrategy is FULL: each retry waits a random part of its
 *   interval, drawn from the door's own random source. jest, `stepwright run` and MCP, on the
 *   same virtual clock, must agree on it.
 * Nothing else is normalised: not other key order, not numbers, not the partition, region or account.
 */

const UUID = /[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}/g;
const DATE_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})/g;
const TRACE_ID = /\b1-[0-9a-f]{8}-[0-9a-f]{24}\b/g;
const HTTP_DATE = /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT/g;
const MOCK_SOURCE = /(The mock of Task '[^']*') \((?:MockConfigFile|--mock-config test case '[^']*')\)/g;
const DOOR_OPTION = /(?:stepwright serve )?--(mock-validation|mock-advice|request-checks) (\w+)|the tool's (mockValidation|mockAdvice|requestChecks): "(\w+)"|\b(mockValidation|mockAdvice|requestChecks): '(\w+)'/g;
const OPTION_NAMES: Readonly<Record<string, string>> = { 'mock-validation': 'mockValidation', 'mock-advice': 'mockAdvice', 'request-checks': 'requestChecks' };
const YEAR_MS = 366 * 24 * 3600 * 1000;
/** A child execution's dates in a `states:startExecution` Task's answer, as JSON text writes them (inside JSON text too: its quotes escaped). */
const CHILD_DATE = /(\\*")(StartDate|StopDate)\1:(\d{12,14})(?=[,}])/g;

/** The execution name every door is given. */
export const EXECUTION_NAME = 'behaviour-case';

/** Turns one door's reported values into the comparable form described above. */
export class Normaliser {
  private readonly uuids = new Map<string, string>();
  private readonly traces = new Map<string, string>();
  private readonly arnName: RegExp;
  /** The name as a value in JSON text (a history event's input, `$$.StateMachine.Name`), never as a key. */
  private readonly quotedName: RegExp;

  constructor(private readonly names: RunNames) {
    const name = names.machine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.arnName = new RegExp(`(:(?:stateMachine|execution|express|mapRun):)${name}(?![A-Za-z0-9_-])`, 'g');
    this.quotedName = new RegExp(`(:\\s*)"${name}"`, 'g');
  }

  string(s: string): string {
    if (s === this.names.machine) return '<machine>';
    return s
      .replace(this.arnName, '$1<machine>')
      .replace(this.quotedName, '$1"<machine>"')
      .split(this.names.execution).join('<execution>')
      .replace(MOCK_SOURCE, '$1 (<mock source>)')
      .replace(DOOR_OPTION, (_, flag?: string, flagValue?: string, tool?: string, toolValue?: string, code?: string, codeValue?: string) =>
        `<option ${flag !== undefined ? OPTION_NAMES[flag] : tool ?? code} ${flagValue ?? toolValue ?? codeValue}>`)
      .replace(UUID, (u) => this.numbered(this.uuids, 'uuid', u.toLowerCase()))
      .replace(TRACE_ID, (t) => this.numbered(this.traces, 'trace', t))
      .replace(DATE_TIME, (d) => this.time(d))
      .replace(HTTP_DATE, (d) => this.time(d))
      .replace(CHILD_DATE, (_, quote: string, key: string, ms: string) => `${quote}${key}${quote}:${quote}${this.at(Number(ms))}${quote}`);
  }

  private numbered(seen: Map<string, string>, kind: string, id: string): string {
    if (!seen.has(id)) seen.set(id, `<${kind}:${seen.size + 1}>`);
    return seen.get(id)!;
  }

  private time(text: string): string {
    return this.at(Date.parse(text));
  }

  private at(t: number): string {
    // Second-precision stamps (S3's, HTTP's) of the run's first second fall just before its start.
    return Number.isFinite(t) && t >= this.names.start - 1000 && t <= this.names.start + YEAR_MS ? '<time>' : '<time outside the run>';
  }

  value(v: JsonValue | undefined): JsonValue | undefined {
    if (v === undefined) return undefined;
    if (typeof v === 'string') return this.string(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x)!);
    if (v !== null && typeof v === 'object') {
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) out[this.string(k)] = this.value(x)!;
      return out;
    }
    return v;
  }
}

/** An observation in comparable form; the fields are walked in Observation's order, so UUIDs number alike at every door. */
export function normalise(o: Observation, names: RunNames): Observation {
  const n = new Normaliser(names);
  const out: Record<string, unknown> = { status: o.status };
  if (o.output !== undefined) out.output = n.value(o.output);
  if (o.error !== undefined) out.error = n.string(o.error);
  if (o.cause !== undefined) out.cause = n.string(o.cause);
  if (o.path !== undefined) out.path = o.path.map((s) => n.string(s));
  if (o.seconds !== undefined) out.seconds = o.seconds;
  if (o.events !== undefined) out.events = o.events.map((s) => n.string(s));
  if (o.mapRuns !== undefined) out.mapRuns = o.mapRuns.map((r) => n.value(mapRun(r) as unknown as JsonValue));
  if (o.outputMapRuns !== undefined) out.outputMapRuns = o.outputMapRuns.map((s) => n.string(s));
  if (o.history !== undefined) out.history = o.history.map((e) => keysSorted(n.value(e)!));
  if (o.cost !== undefined) out.cost = o.cost;
  if (o.costCommand !== undefined) out.costCommand = o.costCommand;
  if (o.scenarios !== undefined) out.scenarios = n.value(o.scenarios as unknown as JsonValue);
  if (o.writtenTests !== undefined) out.writtenTests = o.writtenTests;
  if (o.missed !== undefined) out.missed = o.missed;
  if (o.s3 !== undefined) out.s3 = n.value(o.s3 as JsonValue);
  return out as unknown as Observation;
}

/** A structure with its keys sorted at every depth; strings (JSON text included) as they are. */
function keysSorted(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(keysSorted);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, keysSorted(v[k])]));
  return v;
}

function mapRun(r: ObservedMapRun): ObservedMapRun {
  return {
    mapRunArn: r.mapRunArn,
    itemCounts: r.itemCounts,
    toleratedFailurePercentage: r.toleratedFailurePercentage ?? 0,
    toleratedFailureCount: r.toleratedFailureCount ?? 0,
    ...(r.maxConcurrency !== undefined ? { maxConcurrency: r.maxConcurrency } : {}),
  };
}
