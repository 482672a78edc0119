import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli } from './run-cli';
import { startServer } from '../../src/server';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-cli-s3-'));
  fs.mkdirSync(path.join(dir, 's3', 'orders'), { recursive: true });
  fs.mkdirSync(path.join(dir, 's3', 'results'));
  fs.writeFileSync(path.join(dir, 's3', 'orders', 'orders.csv'), 'id,total\n1,30\n2,45\n');
  fs.writeFileSync(path.join(dir, 'map.asl.json'), JSON.stringify({
    StartAt: 'Orders',
    States: {
      Orders: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'orders', Key: 'orders.csv' }, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs' } },
        End: true,
      },
    },
  }));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every file under a folder, as paths relative to it. */
const filesUnder = (root: string): string[] => fs.readdirSync(root, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();

describe('--s3-dir', () => {
  it('stepwright run reads a Map\'s items from the folder and writes its result files there', async () => {
    const { code, out } = await cli('run', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 's3'), '--json');
    expect(code).toBe(0);
    const key = JSON.parse(out).output.ResultWriterDetails.Key as string;
    const folder = path.dirname(key);
    expect(filesUnder(path.join(dir, 's3', 'results'))).toEqual([path.join(folder, 'SUCCEEDED_0.json'), path.join(folder, 'manifest.json')]);
    const succeeded = JSON.parse(fs.readFileSync(path.join(dir, 's3', 'results', folder, 'SUCCEEDED_0.json'), 'utf8')) as Array<{ Input: string }>;
    expect(succeeded.map((e) => JSON.parse(e.Input))).toEqual([{ id: '1', total: '30' }, { id: '2', total: '45' }]);
  });

  it('stepwright run reads a gzip CSV with backslash escapes and AWS\'s doubled quotes, and a hostile quote fails with States.ItemReaderFailed', async () => {
    fs.writeFileSync(path.join(dir, 's3', 'orders', 'orders.csv'), gzipSync('id,total\n1\\,5,{""a"":1}\n'));
    const { code, out } = await cli('run', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 's3'), '--json');
    expect(code).toBe(0);
    const key = JSON.parse(out).output.ResultWriterDetails.Key as string;
    const succeeded = JSON.parse(fs.readFileSync(path.join(dir, 's3', 'results', path.dirname(key), 'SUCCEEDED_0.json'), 'utf8')) as Array<{ Input: string }>;
    expect(succeeded.map((e) => JSON.parse(e.Input))).toEqual([{ id: '1,5', total: '{"a":1}' }]);
    fs.writeFileSync(path.join(dir, 's3', 'orders', 'orders.csv'), `id,total\n1,"${'q'.repeat(9 * 1024 * 1024)}`);
    const failed = await cli('run', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 's3'), '--json');
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.out)).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
  });

  it('stepwright run refuses a folder that does not exist as bad input, naming the flag', async () => {
    const { code, err } = await cli('run', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 'missing'));
    expect(code).toBe(2);
    expect(err).toContain('--s3-dir');
  });

  it('stepwright cost runs its --input with the folder as the local S3, prices the Map\'s child executions, and writes nothing there', async () => {
    const { code, out } = await cli('cost', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 's3'), '--per-month', '1000', '--json');
    expect(code).toBe(0);
    const estimate = JSON.parse(out) as { runs: number; failedRuns: number; standard: { stateTransitions: number } };
    expect(estimate).toMatchObject({ runs: 1, failedRuns: 0 });
    // The parent's transitions and the two children's (one row each): more than a run without items has.
    expect(estimate.standard.stateTransitions).toBeGreaterThan(3);
    // cost only reads the folder: the results its run wrote were kept in memory for the run.
    expect(fs.readdirSync(path.join(dir, 's3', 'results'))).toEqual([]);
  });

  it('stepwright cost refuses a folder that does not exist as bad input, naming the flag, and --s3-dir with --coverage', async () => {
    const missing = await cli('cost', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 'missing'), '--per-month', '1000');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^stepwright cost: --s3-dir: /);
    const both = await cli('cost', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 's3'), '--coverage', 'report.json', '--per-month', '1000');
    expect(both.code).toBe(2);
    expect(both.err).toContain('--s3-dir is for the runs of --input');
  });

  it('stepwright explore reads a Map\'s items from the folder instead of making them up, and writes nothing there', async () => {
    const { code, out } = await cli('explore', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 's3'), '--json', '--budget-seconds', '20');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { scenarios: Array<{ mocks: Record<string, unknown>; status: string }> };
    expect(report.scenarios.length).toBeGreaterThan(0);
    // The Map's items are the file's rows: no scenario answers its ItemReader.
    for (const s of report.scenarios) expect(Object.keys(s.mocks)).not.toContain('Orders');
    expect(report.scenarios.some((s) => s.status === 'SUCCEEDED')).toBe(true);
    expect(filesUnder(path.join(dir, 's3'))).toEqual([path.join('orders', 'orders.csv')]);
  });

  it('stepwright explore says a Map\'s items came from the folder, not that it made them up, when they leave the states inside it unreached', async () => {
    // A file of no rows: the Map runs no iteration, and explore does not change what the folder holds.
    fs.writeFileSync(path.join(dir, 's3', 'orders', 'orders.csv'), 'id,total\n');
    const { out } = await cli('explore', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 's3'), '--budget-seconds', '20');
    expect(out).not.toContain('made up');
    expect(out).toContain("needs: Map 'Orders' reads its items with an ItemReader (arn:aws:states:::s3:getObject) from the local S3 folder given: "
      + 'the runs used the items they found there, which explore does not change, and those did not reach every state inside it; '
      + 'to reach the rest, put other items there, or give them as mocks: { "Orders": { "Return": [ ...items ] } }');
    expect(out).toContain("not reached Ok: it needs other items than those Map 'Orders' read from the local S3 folder, which explore does not change");
    // Without the folder, explore does make them up, and says so.
    const without = await cli('explore', path.join(dir, 'map.asl.json'), '--budget-seconds', '20');
    expect(without.out).toContain('explore cannot know your S3 objects, so the scenarios that run its items use items it made up');
  });

  it('stepwright explore refuses a folder that does not exist as bad input, naming the flag', async () => {
    const { code, err } = await cli('explore', path.join(dir, 'map.asl.json'), '--s3-dir', path.join(dir, 'missing'));
    expect(code).toBe(2);
    expect(err).toContain('--s3-dir');
  });

  it('serve runs a Map over the folder\'s objects', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', s3Dir: path.join(dir, 's3'), log: () => undefined });
    try {
      const client = server.client();
      const { CreateStateMachineCommand, StartExecutionCommand, DescribeExecutionCommand } = await import('@aws-sdk/client-sfn');
      const machine = await client.send(new CreateStateMachineCommand({
        name: 'orders', definition: fs.readFileSync(path.join(dir, 'map.asl.json'), 'utf8'), roleArn: 'arn:aws:iam::123456789012:role/r',
      }));
      const started = await client.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn! }));
      let described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn! }));
      for (let i = 0; i < 200 && described.status === 'RUNNING'; i++) {
        await new Promise((r) => setImmediate(r));
        described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn! }));
      }
      expect(described.status).toBe('SUCCEEDED');
      const key = JSON.parse(described.output!).ResultWriterDetails.Key as string;
      expect(fs.existsSync(path.join(dir, 's3', 'results', key))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
