import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { record, recordExecutions, RecordingError } from '../../../src/testing';
import { cli } from '../../cli/run-cli';

// An execution's history holds at most 25,000 events (AWS's quota, AwsLimits.HISTORY_EVENTS). An
// endpoint that answers a next page for ever (a broken or hostile one: record takes any --endpoint)
// made `stepwright record` read pages without end, growing its memory (39,000 pages in 30 s), and
// `record --executions` loop on empty ListExecutions pages. Both now stop with a RecordingError.

const MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';
const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:m:e';

/** What the fake endpoint answers to each operation; GetExecutionHistory and ListExecutions never end. */
function answer(op: string, calls: { n: number }, eventsPerPage: number): unknown {
  switch (op) {
    case 'DescribeExecution':
      return { executionArn: EXECUTION_ARN, stateMachineArn: MACHINE_ARN, name: 'e', status: 'SUCCEEDED', startDate: 1, input: '{}' };
    case 'DescribeStateMachineForExecution':
      return {
        stateMachineArn: MACHINE_ARN,
        name: 'm',
        definition: '{"StartAt":"a","States":{"a":{"Type":"Pass","End":true}}}',
        roleArn: 'arn:aws:iam::123456789012:role/r',
        updateDate: 1,
      };
    case 'GetExecutionHistory': {
      const first = calls.n * eventsPerPage;
      calls.n++;
      const events = Array.from({ length: eventsPerPage }, (_, i) => ({ id: first + i + 1, timestamp: 1, type: 'PassStateEntered', stateEnteredEventDetails: { name: 'a', input: '{}' } }));
      return { events, nextToken: `t${calls.n}` };
    }
    case 'ListExecutions':
      calls.n++;
      return { executions: [], nextToken: `t${calls.n}` };
    default:
      return {};
  }
}

/** A client whose `send` answers in process, as the SDK's would from such an endpoint. */
function fakeClient(eventsPerPage: number): { client: SFNClient; calls: { n: number } } {
  const calls = { n: 0 };
  const client = {
    // Each answer after the pending I/O, as from a socket: a reader that never stops cannot starve jest's own timers.
    send: (command: object) => new Promise((resolve) => setImmediate(() => resolve(answer(command.constructor.name.replace(/Command$/, ''), calls, eventsPerPage)))),
    config: { region: async () => 'us-east-1' },
  } as unknown as SFNClient;
  return { client, calls };
}

describe('an endpoint that never ends its pages', () => {
  it('stops record at 25,000 history events, an execution\'s most', async () => {
    const { client, calls } = fakeClient(1000);
    const recorded = record(EXECUTION_ARN, { client });
    await expect(recorded).rejects.toThrow(RecordingError);
    await expect(recorded).rejects.toThrow(/answered 25,000 events in 25 pages and still a next page; an execution's history holds at most 25,000 events/);
    expect(calls.n).toBe(25);
  });

  it('stops record at 25,000 pages that hold no event', async () => {
    const { client, calls } = fakeClient(0);
    await expect(record(EXECUTION_ARN, { client })).rejects.toThrow(/answered 0 events in 25,000 pages and still a next page/);
    expect(calls.n).toBe(25_000);
  });

  it('stops recordExecutions at 10,000 pages of ListExecutions that list nothing', async () => {
    const { client, calls } = fakeClient(0);
    await expect(recordExecutions(MACHINE_ARN, { client })).rejects.toThrow(/answered 10,000 pages and still a next one \(0 executions so far\)/);
    expect(calls.n).toBe(10_000);
  });

  it('stops `stepwright record` from such an endpoint with exit 2', async () => {
    const calls = { n: 0 };
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const op = String(req.headers['x-amz-target']).split('.').pop()!;
        res.setHeader('content-type', 'application/x-amz-json-1.0');
        res.end(JSON.stringify(answer(op, calls, 1000)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await cli('record', EXECUTION_ARN, '--endpoint', endpoint);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/answered 25,000 events in 25 pages and still a next page/);
      expect(calls.n).toBe(25);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
