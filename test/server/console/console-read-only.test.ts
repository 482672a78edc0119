import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListMapRunsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { buildConsoleAssets, consoleApi } from './console-helpers';
import { treeHash } from '../../tree-hash';
import { asl, raw, ROLE, serve, until } from '../helpers';

beforeAll(() => buildConsoleAssets());

/*
 * The console's pages only read: with an execution that read the S3 folder (made read-only:
 * chmod -R a-w, and hashed, since tests may run as root) and a journal in a data folder, every
 * page and view of the console is asked for, and neither folder changes.
 */
describe('serve console: its pages write nothing', () => {
  let dir: string;
  let s3Dir: string;
  let dataDir: string;
  let s: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-console-ro-'));
    s3Dir = path.join(dir, 's3');
    dataDir = path.join(dir, 'data');
    fs.mkdirSync(path.join(s3Dir, 'data', 'in'), { recursive: true });
    fs.mkdirSync(dataDir);
    for (const n of ['a', 'b']) fs.writeFileSync(path.join(s3Dir, 'data', 'in', `${n}.json`), `{"n":"${n}"}`);
    fs.writeFileSync(path.join(s3Dir, 'data', 'in', '.stepwright-tmp-99999999-0badc0de-x'), '{"n":"user"}');
    spawnSync('chmod', ['-R', 'a-w', s3Dir]);
    s = await serve({ s3Dir, dataDir });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    spawnSync('chmod', ['-R', 'u+w', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every page and view of an execution that read the S3 folder, and changes neither the folder nor the data folder', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({
      name: 'reads-s3',
      roleArn: ROLE,
      definition: asl({
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'data', Prefix: 'in/' } },
            ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Seen', States: { Seen: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      }),
    }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const done = await until(() => s.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    const [mapRun] = (await s.sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns ?? [];
    const s3Before = treeHash(s3Dir);
    const dataBefore = treeHash(dataDir);
    const api = await consoleApi(s.server.endpoint);
    for (const page of ['/console', '/console/app.js', '/console/app.css']) {
      expect((await raw(`${s.server.endpoint}${page}`, { method: 'GET', body: '' })).status).toBe(200);
    }
    const arn = encodeURIComponent(executionArn!);
    for (const route of [
      'machines', `machine?arn=${encodeURIComponent(stateMachineArn!)}`, 'executions', `execution?arn=${arn}`, `events?arn=${arn}`,
      `events?arn=${arn}&q=Map`, `visits?arn=${arn}&state=Each`, `maprun?arn=${encodeURIComponent(mapRun.mapRunArn!)}`, `compare?a=${arn}&b=${arn}`,
    ]) await api.get(route);
    expect(treeHash(s3Dir)).toBe(s3Before);
    expect(treeHash(dataDir)).toBe(dataBefore);
    expect(fs.readdirSync(path.join(s3Dir, 'data', 'in')).sort()).toEqual(['.stepwright-tmp-99999999-0badc0de-x', 'a.json', 'b.json']);
  }, 60_000);
});
