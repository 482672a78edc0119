import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';

/**
 * S3 Tasks through serve's door, on its --s3-dir folder, as the jest harness runs them
 * (test/workbench/s3/s3-tasks.test.ts): getObject's Range and listObjectsV2's Delimiter, which
 * serve once ignored.
 */
describe('serve: S3 Tasks on the --s3-dir folder', () => {
  let dir: string;
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-serve-s3-'));
    for (const [key, body] of [['logs/2024/a.log', 'first line\n'], ['logs/2025/b.log', 'b'], ['logs/readme', 'r']]) {
      fs.mkdirSync(path.dirname(path.join(dir, 'data', key)), { recursive: true });
      fs.writeFileSync(path.join(dir, 'data', key), body);
    }
    s = await serve({ s3Dir: dir });
  });
  afterAll(async () => {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const task = async (operation: string, parameters: Record<string, unknown>): Promise<Record<string, any>> => {
    const definition = asl({ StartAt: 'S3', States: { S3: { Type: 'Task', Resource: `arn:aws:states:::aws-sdk:s3:${operation}`, Parameters: parameters, End: true } } });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: `s3-${operation}-${Object.keys(parameters).join('-')}`, definition, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    const done = await until(() => s.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    return JSON.parse(done.output!);
  };

  it('answers a getObject with a Range with those bytes and ContentRange', async () => {
    expect(await task('getObject', { Bucket: 'data', Key: 'logs/2024/a.log', Range: 'bytes=0-4' })).toMatchObject({ Body: 'first', ContentLength: 5, ContentRange: 'bytes 0-4/11' });
  });

  it('answers a listObjectsV2 with a Delimiter with CommonPrefixes', async () => {
    const out = await task('listObjectsV2', { Bucket: 'data', Prefix: 'logs/', Delimiter: '/' });
    expect(out.CommonPrefixes).toEqual([{ Prefix: 'logs/2024/' }, { Prefix: 'logs/2025/' }]);
    expect(out.Contents.map((c: { Key: string }) => c.Key)).toEqual(['logs/readme']);
    expect(out).toMatchObject({ Delimiter: '/', KeyCount: 3, IsTruncated: false });
  });

  it('lists a file put in the folder by hand while serve runs, at the next execution', async () => {
    expect((await task('listObjectsV2', { Bucket: 'data', Prefix: 'logs/2025/' })).KeyCount).toBe(1);
    fs.writeFileSync(path.join(dir, 'data', 'logs', '2025', 'c.log'), 'c');
    const out = await task('listObjectsV2', { Bucket: 'data', Prefix: 'logs/2025/', MaxKeys: 10 });
    expect(out.Contents.map((c: { Key: string }) => c.Key)).toEqual(['logs/2025/b.log', 'logs/2025/c.log']);
  });
});
