import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeMapRunCommand, DescribeExecutionCommand, ListMapRunsCommand, StartExecutionCommand, UpdateMapRunCommand } from '@aws-sdk/client-sfn';
import { asl, raw, ROLE, serve, until } from './helpers';

/*
 * A long member past 2^53 (UpdateMapRun's toleratedFailureCount, a `long` in AWS's model) is read
 * into a Java long on AWS, exact to 2^63 - 1; JSON.parse rounds 9007199254740993 to
 * 9007199254740992. serve keeps the digits sent, from the request's text to DescribeMapRun's.
 */

const FAN = asl({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
});

type Env = Awaited<ReturnType<typeof serve>>;

/** The ARN of the Map Run of one finished execution of FAN. */
async function mapRunOf(env: Env): Promise<string> {
  const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'fan', definition: FAN, roleArn: ROLE }));
  const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"items":[1,2]}' }));
  await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  const { mapRuns } = await env.sfn.send(new ListMapRunsCommand({ executionArn }));
  return mapRuns![0].mapRunArn!;
}

const call = (env: Env, operation: string, body: string) => raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body });

describe('serve: a long member past 2^53', () => {
  it.each([
    ['2^53 + 1', '9007199254740993'],
    ['Long.MAX_VALUE', '9223372036854775807'],
    ['a number of 17 digits', '12345678901234567'],
  ])('answers UpdateMapRun\'s toleratedFailureCount %s in DescribeMapRun with the digits sent', async (_what, digits) => {
    const env = await serve();
    try {
      const mapRunArn = await mapRunOf(env);
      const updated = await call(env, 'UpdateMapRun', `{"mapRunArn":${JSON.stringify(mapRunArn)},"toleratedFailureCount":${digits}}`);
      expect(updated.status).toBe(200);
      const described = await call(env, 'DescribeMapRun', JSON.stringify({ mapRunArn }));
      expect(described.text).toContain(`"toleratedFailureCount":${digits},`);
      // The SDK reads the member into a JavaScript number, the nearest double to the digits.
      expect((await env.sfn.send(new DescribeMapRunCommand({ mapRunArn }))).toleratedFailureCount).toBe(Number(digits));
    } finally {
      await env.stop();
    }
  });

  it('answers a count the AWS SDK sends as it sent it, and a long past Long.MAX_VALUE as Long.MAX_VALUE', async () => {
    const env = await serve();
    try {
      const mapRunArn = await mapRunOf(env);
      await env.sfn.send(new UpdateMapRunCommand({ mapRunArn, toleratedFailureCount: Number.MAX_SAFE_INTEGER }));
      expect((await env.sfn.send(new DescribeMapRunCommand({ mapRunArn }))).toleratedFailureCount).toBe(Number.MAX_SAFE_INTEGER);
      expect((await call(env, 'DescribeMapRun', JSON.stringify({ mapRunArn }))).text).toContain(`"toleratedFailureCount":${Number.MAX_SAFE_INTEGER},`);
      await call(env, 'UpdateMapRun', `{"mapRunArn":${JSON.stringify(mapRunArn)},"toleratedFailureCount":9223372036854775809}`);
      expect((await call(env, 'DescribeMapRun', JSON.stringify({ mapRunArn }))).text).toContain('"toleratedFailureCount":9223372036854775807,');
    } finally {
      await env.stop();
    }
  });

  it('keeps the digits in --data-dir\'s journal: the restarted server answers them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-exact-long-'));
    try {
      const first = await serve({ dataDir: dir });
      let mapRunArn: string;
      try {
        mapRunArn = await mapRunOf(first);
        await call(first, 'UpdateMapRun', `{"mapRunArn":${JSON.stringify(mapRunArn)},"toleratedFailureCount":9007199254740993}`);
      } finally {
        await first.stop();
      }
      const second = await serve({ dataDir: dir });
      try {
        expect((await call(second, 'DescribeMapRun', JSON.stringify({ mapRunArn }))).text).toContain('"toleratedFailureCount":9007199254740993,');
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
