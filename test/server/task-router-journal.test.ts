import type { JsonValue } from '../../src/asl/definition-types';
import type { TaskRequest } from '../../src/interpreter/execution-types';
import type { ExecutionRecord } from '../../src/server/model';
import { TaskRouter, type TaskRouterHost } from '../../src/server/tasks';

/** A call of a plain Lambda Task answered by a handler, in a STANDARD execution. */
function request(n: number): TaskRequest {
  return {
    stateName: 'Work',
    resource: 'arn:aws:lambda:us-east-1:123456789012:function:Work',
    input: { n },
    retryCount: 0,
    context: { Map: { Item: { Index: n } } },
    execution: {} as TaskRequest['execution'],
    signal: new AbortController().signal,
  } as unknown as TaskRequest;
}

type Route = (input: JsonValue, call: TaskRequest) => unknown;

/** The router with a journal or without one, and what it asked the journal for and gave it. */
function router(journaling: boolean): { route: Route; record: ExecutionRecord; asked: string[]; kept: string[] } {
  const asked: string[] = [];
  const kept: string[] = [];
  const record = {
    arn: 'arn:aws:states:us-east-1:123456789012:execution:M:e',
    express: false,
    redriveCount: 0,
    invocations: new Map<string, number>(),
    calls: new Map<string, number>(),
    clock: { now: () => 0, holdNow: () => 0, goLive: () => undefined, callMade: () => undefined },
  } as unknown as ExecutionRecord;
  const host: TaskRouterHost = {
    handlers: new Map([['Work', (input: JsonValue) => ({ done: input })]]),
    journaling,
    recordOf: () => record,
    replayedAnswer: () => undefined,
    replayedHeartbeat: () => undefined,
    replayedDelivery: () => undefined,
    delivered: () => undefined,
    replayedResult: (_arn, key) => { asked.push(key); return undefined; },
    answered: (_arn, key) => { kept.push(key); },
    log: () => undefined,
  };
  // What the workbench's dispatcher does with a request-response Task a handler answers: the call through serve's door.
  const door = new TaskRouter(host).door(record);
  const route: Route = (input, call) => {
    const handler = door.handler!(call, undefined)!;
    return door.outside!(call, () => handler(input, call) as JsonValue, true);
  };
  return { route, record, asked, kept };
}

describe('serve: what the task router keeps per call of a Task', () => {
  it('without a journal, keeps nothing per call (a Distributed Map of a million items holds no million names)', async () => {
    const { route, record, asked, kept } = router(false);
    for (let n = 0; n < 100; n++) expect(await route({ n }, request(n))).toEqual({ done: { n } });
    expect(record.calls.size).toBe(0);
    expect(asked).toEqual([]);
    expect(kept).toEqual([]);
  });

  it('with a journal, names each call and journals its answer, so a restart answers it again', async () => {
    const { route, record, asked, kept } = router(true);
    for (let n = 0; n < 3; n++) expect(await route({ n }, request(n))).toEqual({ done: { n } });
    expect(record.calls.size).toBe(3);
    expect(asked).toHaveLength(3);
    expect(kept).toEqual(asked);
  });
});
