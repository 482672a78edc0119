import { machine, reaching, replays } from './helpers';

/*
 * Distributed Maps over S3 given no folder, whose later states need the items explore makes up:
 * how many results the Map gives (one per batch when an ItemBatcher groups them), and what each
 * item holds at the index a rule reads.
 */

const READER = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Arguments: { Bucket: 'events', Key: 'today.jsonl' } };

describe('explore: the items of a Distributed Map over S3 given no folder', () => {
  it('makes a full batch of items for each result but the last when a later state counts the results of a Map with an ItemBatcher', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Map',
          ItemReader: READER,
          ItemBatcher: { MaxItemsPerBatch: 25 },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Batch',
            States: { Batch: { Type: 'Pass', Output: '{% {"n": $count($states.input.Items)} %}', End: true } },
          },
          Output: '{% {"batches": $count($states.result)} %}',
          Next: 'Many?',
        },
        'Many?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.batches > 1 %}', Next: 'Big' }], Default: 'Small' },
        'Big': { Type: 'Succeed' },
        'Small': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const items = (reaching(report, 'states', 'Big').mocks.Load as { Return: unknown[] }).Return;
    // Two batches: a full one of 25, then at least one more item.
    expect(items.length).toBeGreaterThan(25);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('moves what a rule wants of an item to the index a JSONata expression over $states.context.Map.Item.Index asks for', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Events',
      States: {
        Events: {
          Type: 'Map',
          ItemReader: READER,
          ItemSelector: { line: '{% $states.context.Map.Item.Index + 1 %}', event: '{% $states.context.Map.Item.Value %}', file: '{% $states.context.Map.Item.Source %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Kind',
            States: {
              'Kind': {
                Type: 'Choice',
                Choices: [
                  { Condition: "{% $states.input.line = 1 and $states.input.event.type != 'start' %}", Next: 'Bad start' },
                  { Condition: "{% $states.input.event.type = 'buy' and $states.input.event.amount >= 100 %}", Next: 'Big buy' },
                ],
                Default: 'Plain',
              },
              'Bad start': { Type: 'Fail', Error: 'BadStart', Cause: "{% $states.input.file & ' opens with ' & $states.input.event.type %}" },
              'Big buy': { Type: 'Succeed' },
              'Plain': { Type: 'Succeed' },
            },
          },
          ToleratedFailureCount: 0,
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Quarantine' }],
          End: true,
        },
        Quarantine: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:copyObject',
          Arguments: { Bucket: 'quarantine', CopySource: 'events/today.jsonl', Key: 'today.jsonl' },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    // A buy on the first line is a bad start: the buy is made the second item.
    const items = (reaching(report, 'states', 'Big buy').mocks.Events as { Return: Array<{ type?: string; amount?: number }> }).Return;
    expect(items.findIndex((i) => i.type === 'buy' && (i.amount ?? 0) >= 100)).toBeGreaterThan(0);
    for (const s of report.scenarios) await replays(wf, s);
  });

  it('reaches the Catch of States.ExceedToleratedFailureThreshold by failing the items of a Map over S3, not its ItemReader', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Apply',
      States: {
        Apply: {
          Type: 'Map',
          ItemReader: READER,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Work',
            States: {
              Work: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:work', Payload: '{% $states.input %}' },
                Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
                End: true,
              },
            },
          },
          ToleratedFailurePercentage: 10,
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Rejected' }],
          Next: 'Applied',
        },
        Applied: { Type: 'Succeed' },
        Rejected: { Type: 'Fail', Error: 'Rejected' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const rejected = reaching(report, 'states', 'Rejected');
    expect(rejected.status).toBe('FAILED');
    for (const s of report.scenarios) await replays(wf, s);
  });
  it('makes more than a hundred items pass a filter on a field alone when a later rule counts the results it keeps', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Sweep',
      States: {
        'Sweep': {
          Type: 'Map',
          ItemReader: READER,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Old?',
            States: {
              'Old?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.old = true %}', Next: 'Drop' }], Default: 'Keep' },
              'Drop': { Type: 'Pass', Output: '{% {"deleted": true} %}', End: true },
              'Keep': { Type: 'Pass', Output: '{% {"deleted": false} %}', End: true },
            },
          },
          Output: '{% {"deleted": $count($states.result[deleted])} %}',
          Next: 'Many?',
        },
        'Many?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.deleted > 100 %}', Next: 'Alert' }], Default: 'Done' },
        'Alert': { Type: 'Succeed' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const items = (reaching(report, 'states', 'Alert').mocks.Sweep as { Return: unknown[] }).Return;
    expect(items.length).toBeGreaterThan(100);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('makes a batch hold an item a `!=` filter keeps when a rule in the processor counts them', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Feed',
      States: {
        Feed: {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['sku', 'currency'] },
            Arguments: { Bucket: 'feeds', Key: 'today.csv' },
          },
          ItemBatcher: { MaxItemsPerBatch: 10, BatchInput: { region: '{% $states.input.region %}' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Currency?',
            States: {
              'Currency?': {
                Type: 'Choice',
                Choices: [{ Condition: "{% $states.input.BatchInput.region = 'EU' and $count($states.input.Items[currency != 'EUR']) > 0 %}", Next: 'Wrong' }],
                Default: 'Fine',
              },
              'Wrong': { Type: 'Fail', Error: 'Feed.WrongCurrency' },
              'Fine': { Type: 'Succeed' },
            },
          },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const items = (reaching(report, 'states', 'Wrong').mocks.Feed as { Return: Array<{ currency?: string }> }).Return;
    expect(items.some((i) => i.currency !== 'EUR')).toBe(true);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('makes up as many items as a rule after the Map needs, each with the field an average over the results reads', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Grade',
      States: {
        'Grade': {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Arguments: { Bucket: 'exams', Key: 'term.json' } },
          ItemSelector: { n: '{% $states.context.Map.Item.Index %}', paper: '{% $states.context.Map.Item.Value %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Late?',
            States: {
              'Late?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.paper.late = true %}', Next: 'Late' }], Default: 'Marked' },
              'Late': { Type: 'Pass', Output: '{% {"late": true, "score": 0} %}', End: true },
              'Marked': { Type: 'Pass', Output: '{% {"late": false, "score": $states.input.paper.score} %}', End: true },
            },
          },
          Output: '{% {"papers": $count($states.result), "late": $count($states.result[late]), "total": $sum($states.result.score)} %}',
          Next: 'Class?',
        },
        'Class?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.late > 0 %}', Next: 'Chase' },
            { Condition: '{% $states.input.papers >= 4 and $states.input.total / $states.input.papers >= 85 %}', Next: 'Honours' },
          ],
          Default: 'Pass list',
        },
        'Chase': { Type: 'Succeed' },
        'Honours': { Type: 'Succeed' },
        'Pass list': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const items = (reaching(report, 'states', 'Honours').mocks.Grade as { Return: Array<{ score?: unknown; late?: unknown }> }).Return;
    expect(items.length).toBeGreaterThanOrEqual(4);
    const scores = items.map((i) => i.score);
    expect(scores.every((x) => typeof x === 'number')).toBe(true);
    expect((scores as number[]).reduce((a, b) => a + b, 0) / items.length).toBeGreaterThanOrEqual(85);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('writes a number a rule after the Map sums as the text a CSV row holds, in the column the row read it from', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Claims',
      States: {
        'Claims': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
            Arguments: { Bucket: 'claims', Key: 'week.csv' },
          },
          ItemSelector: { cost: '{% $number($states.context.Map.Item.Value.cost) %}', id: '{% $states.context.Map.Item.Value.id %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Large?',
            States: {
              'Large?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.cost > 2500 %}', Next: 'Review' }], Default: 'Approve' },
              'Review': { Type: 'Pass', Output: '{% {"review": true, "cost": $states.input.cost} %}', End: true },
              'Approve': { Type: 'Pass', Output: '{% {"review": false, "cost": $states.input.cost} %}', End: true },
            },
          },
          Output: '{% {"reviewed": $sum($states.result[review].cost)} %}',
          Next: 'Audit?',
        },
        'Audit?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.reviewed >= 40000 %}', Next: 'Audit' }], Default: 'Done' },
        'Audit': { Type: 'Succeed' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const rows = (reaching(report, 'states', 'Audit').mocks.Claims as { Return: Array<Record<string, unknown>> }).Return;
    // A CSV with a header row gives every field as text: the costs are written so, and add up past the threshold.
    expect(rows.every((r) => Object.values(r).every((v) => typeof v === 'string'))).toBe(true);
    expect(rows.map((r) => Number(r.cost)).filter((c) => c > 2500).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(40000);
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });

  it('makes up no results for a Map whose ResultWriter writes them to S3: its output is where they went, not the results', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Export',
      States: {
        'Export': {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Arguments: { Bucket: 'in', Key: 'rows.json' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Row',
            States: { Row: { Type: 'Pass', Output: '{% {"ok": $states.input.ok} %}', End: true } },
          },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: 'out', Prefix: 'runs' } },
          Output: '{% {"bad": $count($states.result[ok = false])} %}',
          Next: 'Any bad?',
        },
        'Any bad?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.bad > 0 %}', Next: 'Bad' }], Default: 'Good' },
        'Bad': { Type: 'Succeed' },
        'Good': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    // `$states.result` is the ResultWriter's answer ({ MapRunArn, ResultWriterDetails }): no item makes a result of it.
    const bad = report.states.notReached.find((n) => n.state === 'Bad');
    expect(bad?.reason).toContain('reads only values that cannot be changed');
    expect(bad?.reason).not.toContain('values tried for $states.result');
    for (const s of report.scenarios) await replays(wf, s, { output: true });
  });
});

