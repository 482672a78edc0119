import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRecording, replay, RecordingError, type RecordedEvent, type Recording } from '../../../src/testing';
import { answersFromHistory } from '../../../src/workbench/replay';
import { lanesOf } from '../../../src/workbench/replay/events';
import { cli } from '../../cli/run-cli';
import { startMcp, textOf, type McpSession } from '../../mcp/client';

// A recording is a user's file (or a peer's): `stepwright replay`, `parity --runs`, MCP's parity
// and replay() read it. AWS's history holds at most 25,000 events ("Step Functions service
// quotas"), numbered "sequentially, starting at one" (HistoryEvent, API Reference). Before, a
// recording of 1,000,001 events was read whole, an event id of 10^9 crashed replay ("Set maximum
// size exceeded", an internal error), 12,500 chained TaskScheduled and their endings took 4 s of
// CPU (each ending walked back past every other), and 20,000 MapIterationStarted of made-up names
// took 2.9 GB (each lane a longer copy of the one before).

const DEFINITION = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } };
const T0 = '2024-01-01T00:00:00.000Z';

function recording(events: RecordedEvent[]): Recording {
  return {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: JSON.stringify(DEFINITION) },
    execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input: {}, output: {} },
    events,
  };
}

const started: RecordedEvent = { type: 'ExecutionStarted', id: 1, previousEventId: 0, timestamp: T0, executionStartedEventDetails: { input: '{}' } };

/** `count` events in all: ExecutionStarted, then state entries each following the one before. */
function chain(count: number): RecordedEvent[] {
  const events = [started];
  for (let id = 2; id <= count; id++) events.push({ type: 'TaskStateEntered', id, previousEventId: id - 1, timestamp: T0, stateEnteredEventDetails: { name: 'T', input: '{}' } });
  return events;
}

function refusal(f: () => unknown): RecordingError {
  try {
    f();
  } catch (e) {
    if (e instanceof RecordingError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('a recording longer than any history of AWS', () => {
  it('reads 25,000 events, an execution\'s most', () => {
    expect(parseRecording(recording(chain(25_000))).events).toHaveLength(25_000);
  });

  it('refuses 25,001 events with TOO_MANY_EVENTS, naming the limit', () => {
    const e = refusal(() => parseRecording(recording(chain(25_001))));
    expect(e.code).toBe('TOO_MANY_EVENTS');
    expect(e.message).toMatch(/holds 25,001 events, more than the 25,000 an execution's history holds on AWS/);
  });

  it('refuses it in replay() before running anything', async () => {
    await expect(replay(recording(chain(25_001)))).rejects.toMatchObject({ code: 'TOO_MANY_EVENTS' });
  });
});

describe('event ids no history of AWS holds', () => {
  const entered = (id: unknown, previousEventId: unknown): RecordedEvent => ({ type: 'PassStateEntered', id, previousEventId, stateEnteredEventDetails: { name: 'T' } });
  it.each([
    ['a billion', entered(1e9, 1), /events\[1\]\.id' must be an integer from 1 to 25,000/],
    ['Infinity (1e999 in the file)', entered(JSON.parse('1e999'), 1), /events\[1\]\.id' must be an integer/],
    ['0', entered(0, 0), /events\[1\]\.id' must be an integer/],
    ['a fraction', entered(1.5, 1), /events\[1\]\.id' must be an integer/],
    ['the id of another event', entered(1, 0), /events\[1\]\.id' must be an id no other event of the recording has/],
    ['a previous event after it', entered(2, 3), /events\[1\]\.previousEventId' must be the id of an event before it, below its own id 2/],
    ['itself as its previous event', entered(2, 2), /events\[1\]\.previousEventId' must be the id of an event before it/],
    ['a negative previous event', entered(2, -1), /events\[1\]\.previousEventId' must be 0 or an integer/],
  ])('refuses an event whose id is %s', (_what, event, message) => {
    const e = refusal(() => parseRecording(recording([started, event])));
    expect(e.code).toBe('INVALID_FIELD');
    expect(e.message).toMatch(message);
  });

  it('reads placeholder ids, whose order a recording does not know', () => {
    const events = [started, entered('<id>', '<id>'), entered('<id>', '<id>')];
    expect(parseRecording(recording(events)).events).toHaveLength(3);
  });
});

describe('reading a long recording takes work in proportion to its events', () => {
  it('follows each event\'s link back a bounded number of times, however long the chain', () => {
    // One state entered, 2,000 TaskScheduled each following the one before, then 2,000 endings:
    // before, each event walked back past every event before it (about 8 million reads of previousEventId).
    const n = 2000;
    const events: RecordedEvent[] = [started, { type: 'TaskStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'T', input: '{}' } }];
    let id = 3;
    for (let i = 0; i < n; i++, id++) events.push({ type: 'TaskScheduled', id, previousEventId: id - 1, taskScheduledEventDetails: { resource: 'invoke', parameters: '{}' } });
    for (let i = 0; i < n; i++, id++) events.push({ type: 'TaskSucceeded', id, previousEventId: id - 1, taskSucceededEventDetails: { output: '{}' } });
    let reads = 0;
    const counted = events.map((e) => new Proxy(e, {
      get(target, key, receiver) {
        if (key === 'previousEventId') reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    }));
    const answers = answersFromHistory(counted);
    expect(answers.filter((a) => a.eventId !== undefined && a.eventId <= n + 2)).toHaveLength(n);
    expect(answers.every((a) => a.state === 'T')).toBe(true);
    expect(reads).toBeLessThan(10 * events.length);
  });

  it('keeps lanes no longer than the definition nests its Map states', () => {
    // 2,000 iterations of made-up Maps, each following the one before: the definition has no Map.
    const events: RecordedEvent[] = [started];
    for (let id = 2; id <= 2001; id++) events.push({ type: 'MapIterationStarted', id, previousEventId: id - 1, mapIterationStartedEventDetails: { name: `M${id}`, index: 0 } });
    expect(new Set(lanesOf(events, DEFINITION))).toEqual(new Set(['']));
    const oneMap = { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } };
    const lanes = lanesOf(events, oneMap);
    expect(lanes[1]).toBe('/M2[0]');
    // One segment at most (a name of 80 characters and an index): before, the last lane was 2,000 segments long.
    expect(Math.max(...lanes.map((l) => l.length))).toBeLessThan(200);
  });
});

describe('a too-long recording at each door that reads one', () => {
  let dir: string;
  let mcp: McpSession;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-hostile-recording-'));
    fs.writeFileSync(path.join(dir, 'long.json'), JSON.stringify(recording(chain(25_001))));
    mcp = await startMcp(dir);
  });
  afterAll(async () => {
    await mcp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stepwright replay exits 2 naming the file and the limit', async () => {
    const r = await cli('replay', path.join(dir, 'long.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/long\.json: the recording holds 25,001 events, more than the 25,000/);
  });

  it('stepwright parity --runs exits 2 naming the file and the limit', async () => {
    const r = await cli('parity', '--runs', path.join(dir, 'long.json'), '--endpoint', 'http://127.0.0.1:9');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/long\.json: the recording holds 25,001 events, more than the 25,000/);
  });

  it('MCP\'s parity answers a tool error naming the file and the limit', async () => {
    const r = await mcp.call('parity', { runsFile: 'long.json', endpoint: 'http://127.0.0.1:9' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/long\.json: the recording holds 25,001 events, more than the 25,000/);
  });
});

describe('parity over a runs file of many visits of a large state', () => {
  // 1,000 visits of a Pass state whose Parameters are 700 KB: before, each visit wrote the whole
  // definition out three times (the request, its size, the state's text) and kept its own copy,
  // and ran stepwright's TestState on it even when past maxCalls (1,000 visits: 40 s, 940 MB;
  // 12,000 visits did not end in 300 s).
  const big: Record<string, string> = {};
  for (let i = 0; i < 20_000; i++) big[`k${i}`] = 'v'.repeat(30);
  let reads = 0;
  // Counts each time the state is read whole: written out as JSON, checked, compiled.
  Object.defineProperty(big, 'counted', { enumerable: true, get: () => { reads++; return 'v'; } });
  const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: big, End: true } } };
  const visits = 1000;
  const events: RecordedEvent[] = [started];
  for (let i = 0, id = 2; i < visits; i++, id += 2) {
    events.push({ type: 'PassStateEntered', id, previousEventId: id - 1, stateEnteredEventDetails: { name: 'P', input: '{}' } });
    events.push({ type: 'PassStateExited', id: id + 1, previousEventId: id, stateExitedEventDetails: { name: 'P', output: '{}' } });
  }

  it('reads the state a few times, not at each visit, and answers locally only the visits it may send', async () => {
    const { checkParity } = await import('../../../src/workbench/parity');
    let calls = 0;
    const endpoint = { against: 'counting', call: async () => { calls++; return { status: 'SUCCEEDED' as const }; }, close: () => undefined };
    const run = {
      machine: 'm',
      definition: definition as never,
      name: 'e',
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
      input: {},
      status: 'SUCCEEDED',
      events,
    };
    const report = await checkParity({ runs: [run] }, { testStateEndpoint: endpoint, maxCalls: 2, concurrency: 1 });
    expect(calls).toBe(2);
    expect(report.rows).toHaveLength(visits);
    // The two sent are compared (this TestState answers no output: they differ); the rest are past maxCalls.
    expect(report.counts).toEqual({ equal: 0, differs: 2, skipped: 0, unchecked: visits - 2 });
    // A few times for the requests, and by stepwright's TestState for each of the two visits sent; before, 5 times a visit.
    expect(reads).toBeLessThan(100);
  });
});

describe('parity over many visits it sends of one state', () => {
  // Before, stepwright's TestState found, checked and compiled the state at each visit it
  // answered: 1,000 visits of a Pass state of 700 KB took 32 s of CPU, all of it there.
  let reads = 0;
  /** A machine whose P counts each time it is read whole: written out as JSON, checked, compiled. */
  function machine(loops: number): object {
    const parameters: Record<string, string> = { 'n.$': '$.n' };
    Object.defineProperty(parameters, 'counted', { enumerable: true, get: () => { reads++; return 'v'; } });
    return {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Parameters: parameters, Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: loops - 1, Next: 'P' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
  }
  /** The history of a run of `machine(loops)` from `{ n: from }`: P and C each visited `loops - from` times. */
  function history(loops: number, from: number): RecordedEvent[] {
    const events: RecordedEvent[] = [started];
    let id = 2;
    for (let n = from; n < loops; n++) {
      events.push({ type: 'PassStateEntered', id, previousEventId: id - 1, stateEnteredEventDetails: { name: 'P', input: JSON.stringify({ n }) } });
      events.push({ type: 'PassStateExited', id: id + 1, previousEventId: id, stateExitedEventDetails: { name: 'P', output: JSON.stringify({ n, counted: 'v' }) } });
      id += 2;
      events.push({ type: 'ChoiceStateEntered', id, previousEventId: id - 1, stateEnteredEventDetails: { name: 'C', input: JSON.stringify({ n, counted: 'v' }) } });
      events.push({ type: 'ChoiceStateExited', id: id + 1, previousEventId: id, stateExitedEventDetails: { name: 'C', output: JSON.stringify({ n, counted: 'v' }) } });
      id += 2;
    }
    const last = JSON.stringify({ n: loops - 1, counted: 'v' });
    events.push({ type: 'SucceedStateEntered', id, previousEventId: id - 1, stateEnteredEventDetails: { name: 'Done', input: last } });
    events.push({ type: 'SucceedStateExited', id: id + 1, previousEventId: id, stateExitedEventDetails: { name: 'Done', output: last } });
    events.push({ type: 'ExecutionSucceeded', id: id + 2, previousEventId: id + 1, executionSucceededEventDetails: { output: last } });
    return events;
  }
  // The TestState compared with: stepwright's own, given each request afresh as AWS's would be.
  const fresh = {
    against: 'fresh',
    call: async (wire: { definition: string; stateName?: string; input: string }) => {
      const { testState } = await import('../../../src/workbench/test-state');
      const r = await testState(JSON.parse(wire.definition), wire.stateName ?? '', JSON.parse(wire.input), { inspectionLevel: 'DEBUG' });
      const next = r.nextState !== undefined ? { nextState: r.nextState } : {};
      return { status: r.status, output: r.output!, ...next, inspectionData: r.inspectionData as never };
    },
    close: () => undefined,
  };
  const runOf = (definition: object, name: string, events: RecordedEvent[]) => ({
    machine: 'm', definition: definition as never, name, executionArn: `arn:aws:states:us-east-1:123456789012:execution:m:${name}`, input: {}, status: 'SUCCEEDED', events,
  });

  it('checks and compiles the state once for a run\'s visits, and answers each with its own input', async () => {
    const { checkParity } = await import('../../../src/workbench/parity');
    reads = 0;
    const loops = 150;
    const report = await checkParity({ runs: [runOf(machine(loops), 'e', history(loops, 0))] }, { testStateEndpoint: fresh, maxCalls: 1000, concurrency: 1 });
    expect(report.counts).toEqual({ equal: 2 * loops + 1, differs: 0, skipped: 0, unchecked: 0 });
    // Once for the requests' text, and a few times to check and compile P; before, 6 times a visit.
    expect(reads).toBeLessThan(20);
  });

  it('checks and compiles the state once for the runs of one machine, each read apart', async () => {
    const { checkParity } = await import('../../../src/workbench/parity');
    reads = 0;
    const loops = 100;
    // Each run's own copy of the definition, as each recording of a runs file is parsed apart.
    const runs = Array.from({ length: loops }, (_, i) => runOf(machine(loops), `e${i}`, history(loops, loops - 1)));
    const report = await checkParity({ runs }, { testStateEndpoint: fresh, maxCalls: 1000, concurrency: 1 });
    expect(report.counts).toEqual({ equal: 3 * loops, differs: 0, skipped: 0, unchecked: 0 });
    // Once for each run's definition text, and a few times to check and compile P; before, 7 times a run.
    expect(reads).toBeLessThan(loops + 20);
  });
});
