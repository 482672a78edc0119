import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestStateCommand } from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../../src/asl';
import { testState } from '../../src/workbench/test-state';
import { startMcp, type McpSession } from '../mcp/client';
import { serve } from '../server/helpers';

/*
 * TestState's retryBackoffIntervalSeconds is an Integer of AWS's answer (InspectionErrorDetails, API
 * Reference): Java's int, at most 2,147,483,647. A retrier's backoff, IntervalSeconds ×
 * BackoffRate^n with no MaxDelaySeconds, passes it after a few retries and is Infinity past a
 * thousand, which JSON writes as null. Before, every door answered that: a number past any
 * Integer, or null. What AWS answers for such a backoff is not recorded: each door gives the most
 * the member holds, and says so in its advice.
 */

const MOST = 2 ** 31 - 1;
const definition: StateMachineDefinition = {
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'f' },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 99_999_999, BackoffRate: 2, MaxAttempts: 99_999_999 }],
      End: true,
    },
  },
};
/** Retries already made: 99,999,999 × 2^5 is past the most; × 2^2,000 is Infinity. */
const COUNTS = [[4, 99_999_999 * 16], [5, MOST], [2000, MOST]] as const;

describe('TestState of a retry whose backoff is past what its answer holds', () => {
  it.each(COUNTS)('jest: after %d retries, answers the backoff as a whole number of at most 2^31 - 1 seconds', async (count, seconds) => {
    const r = await testState(definition, 'Call', {}, { mock: { error: 'E' }, inspectionLevel: 'DEBUG', retrierRetryCount: count });
    expect(r.status).toBe('RETRIABLE');
    expect(r.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: seconds });
    if (seconds === MOST) expect(r.advice).toEqual([{ state: 'Call', message: expect.stringMatching(/^Retry\[0\]'s backoff before retry \d+ is past the 2,147,483,647 seconds .*not recorded/) }]);
    else expect(r.advice).toBeUndefined();
  });

  describe('serve and MCP', () => {
    let env: Awaited<ReturnType<typeof serve>>;
    let mcp: McpSession;
    let dir: string;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-backoff-'));
      [env, mcp] = await Promise.all([serve(), startMcp(dir)]);
    });
    afterAll(async () => {
      await Promise.all([env?.stop(), mcp?.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it.each(COUNTS)('serve (the AWS SDK): after %d retries, answers the backoff as a whole number of at most 2^31 - 1 seconds', async (count, seconds) => {
      const logged = env.logs.length;
      const request = { definition: JSON.stringify(definition), stateName: 'Call', input: '{}', inspectionLevel: 'DEBUG' as const };
      const r = await env.sfn.send(new TestStateCommand({ ...request, mock: { errorOutput: { error: 'E' } }, stateConfiguration: { retrierRetryCount: count } }));
      expect(r.status).toBe('RETRIABLE');
      expect(r.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: seconds });
      const advice = env.logs.slice(logged).filter((l) => l.includes('retryBackoffIntervalSeconds'));
      expect(advice).toHaveLength(seconds === MOST ? 1 : 0);
    });

    it.each(COUNTS)('MCP: after %d retries, answers the backoff as a whole number of at most 2^31 - 1 seconds', async (count, seconds) => {
      const r = await mcp.call('test_state', {
        definition, stateName: 'Call', input: {}, inspectionLevel: 'DEBUG', mock: { errorOutput: { error: 'E' } }, stateConfiguration: { retrierRetryCount: count },
      });
      expect(r.isError).toBeFalsy();
      const answer = r.structuredContent as { status: string; inspectionData: { errorDetails: unknown }; advice?: Array<{ message: string }> };
      expect(answer.status).toBe('RETRIABLE');
      expect(answer.inspectionData.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: seconds });
      expect(answer.advice?.filter((a) => a.message.includes('retryBackoffIntervalSeconds')) ?? []).toHaveLength(seconds === MOST ? 1 : 0);
    });
  });
});
