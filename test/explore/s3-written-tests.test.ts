import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scaffoldTests, Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';
import { requireCompiledLibrary, runJest } from '../workbench/scaffold/consumer';

/*
 * Issue 63: a test `explore --s3-dir … --write-tests` writes runs the machine on the S3 folder
 * the exploration read, and passes as written under jest (before, its Distributed Map read no
 * S3 and the test failed with "No mock for Task 'Process documents'"); without a folder,
 * explore makes up the items a reader's rows would be.
 */

const DOCUMENTS = {
  QueryLanguage: 'JSONata',
  StartAt: 'Process documents',
  States: {
    'Process documents': {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Arguments: { Bucket: 'inbox', Key: 'manifest.csv' },
      },
      ItemSelector: { key: '{% $states.context.Map.Item.Value.key %}', pages: '{% $number($states.context.Map.Item.Value.pages) %}' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Long?',
        States: {
          'Long?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.pages > 20 %}', Next: 'Split' }], Default: 'Classify' },
          'Split': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'split', Payload: '{% $states.input %}' }, Output: '{% $states.result.Payload %}', End: true },
          'Classify': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'classify', Payload: '{% $states.input %}' }, Output: '{% $states.result.Payload %}', End: true },
        },
      },
      Output: '{% {"processed": $count($states.result)} %}',
      End: true,
    },
  },
};

let dir: string;

beforeAll(() => {
  requireCompiledLibrary();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-tests-'));
  fs.writeFileSync(path.join(dir, 'documents.asl.json'), JSON.stringify(DOCUMENTS));
  fs.mkdirSync(path.join(dir, 'data', 'inbox'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data', 'inbox', 'manifest.csv'), 'key,pages\ndoc-1.pdf,3\ndoc-2.pdf,40\n');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the tests explore writes for a Distributed Map that reads an S3 folder', () => {
  it('run on the folder and pass as written under jest, from the command and from scaffoldTests', async () => {
    const written = path.join(dir, 'cli.explore.test.ts');
    const r = await cli('explore', path.join(dir, 'documents.asl.json'), '--s3-dir', path.join(dir, 'data'), '--write-tests', written);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(written, 'utf8');
    expect(text).toContain("s3: { dir: path.resolve(__dirname, 'data') },");
    // The Map's items come from the folder: no mock stands in for its ItemReader.
    expect(text).not.toMatch(/'Process documents': (succeed|fail)\(/);

    const wf = Workflow.fromDefinition(path.join(dir, 'documents.asl.json'));
    const report = await wf.explore({ s3Dir: path.join(dir, 'data') });
    // Both rows of the CSV: one long document, one short.
    expect(report.states).toMatchObject({ reached: 4, total: 4 });
    fs.writeFileSync(path.join(dir, 'library.explore.test.ts'), scaffoldTests(report, { source: { definition: 'documents.asl.json' }, definition: wf.definition, s3: 'data' }));

    const results = await runJest(dir);
    expect(results.map((f) => [path.basename(f.file), f.status, f.failed])).toEqual([
      ['cli.explore.test.ts', 'passed', 0],
      ['library.explore.test.ts', 'passed', 0],
    ]);
    expect(results.every((f) => f.passed > 0)).toBe(true);
  });

  it('without a folder, reach the item processor with items explore made up, and say so', async () => {
    const wf = Workflow.fromDefinition(path.join(dir, 'documents.asl.json'));
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 4, total: 4, notReached: [] });
    expect(report.findings.find((f) => f.kind === 'needs-data')?.message).toContain("Map 'Process documents' reads its items with an ItemReader");
    const long = report.scenarios.find((s) => s.covers.states?.includes('Split'));
    expect(long?.name).toContain('[S3 items made up by explore: 1 for Map');
    expect(long?.mocks['Process documents']).toEqual({ Return: [{ key: 'key', pages: expect.stringMatching(/^\d+$/) }] });
  });
});
