import type { ExecutionRecord } from '../../src/server/model';
import { ResourceStore } from '../../src/server/store';

/** A STANDARD execution record of machine `m` started at `startDate`, whose start date reads are counted in `reads`. */
function record(m: number, startDate: number, reads: { n: number }): ExecutionRecord {
  return {
    arn: `arn:aws:states:us-east-1:123456789012:execution:m${m}:e${startDate}-${m}`,
    machine: { arn: `arn:aws:states:us-east-1:123456789012:stateMachine:m${m}` },
    express: false,
    get startDate() {
      reads.n++;
      return startDate;
    },
  } as unknown as ExecutionRecord;
}

describe('serve store: executions of many state machines, newest first', () => {
  it('merges the machines\' lists by start date, the later machine first when two started at once', () => {
    const store = new ResourceStore();
    const reads = { n: 0 };
    for (const [m, start] of [[0, 1], [1, 2], [0, 3], [2, 3], [1, 5], [2, 4], [0, 6]]) store.addExecution(record(m, start, reads));
    const order = [...store.executionsNewestFirst([0, 1, 2].map((m) => `arn:aws:states:us-east-1:123456789012:stateMachine:m${m}`))].map((e) => e.arn.split(':').pop());
    expect(order).toEqual(['e6-0', 'e5-1', 'e4-2', 'e3-2', 'e3-0', 'e2-1', 'e1-0']);
  });

  it('reads each execution\'s start date a logarithmic number of times: 10,000 machines of 2 executions each', () => {
    const store = new ResourceStore();
    const reads = { n: 0 };
    const machines: string[] = [];
    for (let m = 0; m < 10_000; m++) {
      machines.push(`arn:aws:states:us-east-1:123456789012:stateMachine:m${m}`);
      store.addExecution(record(m, m, reads));
      store.addExecution(record(m, 10_000 + m, reads));
    }
    reads.n = 0;
    let walked = 0;
    let last = Infinity;
    for (const e of store.executionsNewestFirst(machines)) {
      const start = e.startDate;
      expect(start).toBeLessThanOrEqual(last);
      last = start;
      walked++;
    }
    expect(walked).toBe(20_000);
    // A heap of 10,000 heads: about 4 log2(10,000) ≈ 53 reads per execution. The scan of every
    // head it replaces read 2 × 10,000 per execution, 400 million in all.
    expect(reads.n - walked).toBeLessThan(20_000 * 60);
  });
});
