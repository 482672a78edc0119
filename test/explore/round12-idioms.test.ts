import { machine, reaching, replays } from './helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, explore round 4: idioms of the round-12 modern machines explore left incomplete, each
 * in a small machine of its own.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';

describe('explore on a manifest read with $parse of an S3 Body', () => {
  stopExploreClock();

  // The manifest a Distributed Map's ResultWriter writes is read back with the SDK's getObject, whose Body is the
  // object's text; `$parse` of it gives the manifest, whose `ResultFiles.FAILED` lists the files of failed results
  // (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Read manifest',
    States: {
      'Read manifest': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
        Arguments: { Bucket: 'runs', Key: '{% $states.input.key %}' },
        Output: '{% $parse($states.result.Body) %}',
        Next: 'Any failed results?',
      },
      'Any failed results?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $count($states.input.ResultFiles.FAILED) > 0 %}', Next: 'Report failures' }],
        Default: 'Imported',
      },
      'Report failures': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'report', Payload: { files: '{% $states.input.ResultFiles.FAILED.Key %}' } },
        Next: 'Imported',
      },
      'Imported': { Type: 'Succeed' },
    },
  });

  it('makes the Body a JSON text whose parsed value holds the field a later state reads under a list', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.transitions.notReached).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
    const through = report.scenarios.find((s) => s.path.includes('Report failures') && s.status === 'SUCCEEDED');
    const body = (through?.mocks['Read manifest'] as { Return?: { Body?: unknown } } | undefined)?.Return?.Body;
    expect(typeof body).toBe('string');
    expect(JSON.parse(body as string)).toMatchObject({ ResultFiles: { FAILED: [expect.objectContaining({ Key: expect.anything() })] } });
  });
});

describe('explore on two times computed from one Task answer', () => {
  stopExploreClock();

  // A due date and a filing date read from one DynamoDB item, both as milliseconds with `$toMillis`, compared with the
  // execution's start and with each other through their difference.
  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Load claim',
    States: {
      'Load claim': {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Arguments: { TableName: 'claims', Key: { pk: { S: '{% $states.input.claimId %}' } } },
        Assign: {
          dueMs: '{% $toMillis($states.result.Item.dueAt.S) %}',
          filedMs: '{% $toMillis($states.result.Item.filedAt.S) %}',
          startedMs: '{% $toMillis($states.context.Execution.StartTime) %}',
        },
        Next: 'Where is the due date?',
      },
      'Where is the due date?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $dueMs < $startedMs %}', Next: 'Overdue' },
          { Condition: '{% $dueMs - $startedMs < 86400000 %}', Next: 'Due soon' },
          { Condition: '{% ($dueMs - $filedMs) / 86400000 > 30 %}', Next: 'Long horizon' },
        ],
        Default: 'Later',
      },
      'Overdue': { Type: 'Succeed' },
      'Due soon': { Type: 'Succeed' },
      'Long horizon': { Type: 'Succeed' },
      'Later': { Type: 'Succeed' },
    },
  });

  it('solves the answer so that both differences come out as each rule wants', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.choiceRules.notReached).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
    const long = report.scenarios.find((s) => s.path.includes('Long horizon'));
    const item = (long?.mocks['Load claim'] as { Return?: { Item?: { dueAt?: { S?: unknown }; filedAt?: { S?: unknown } } } } | undefined)?.Return?.Item;
    // Both times are ISO 8601 texts, as `$toMillis` reads them.
    expect(Number.isNaN(Date.parse(String(item?.dueAt?.S)))).toBe(false);
    expect(Number.isNaN(Date.parse(String(item?.filedAt?.S)))).toBe(false);
  });
});

describe('explore on a majority of a Map\'s results whose first iteration is special', () => {
  stopExploreClock();

  // JSON Lines numbered by `$states.context.Map.Item.Index`: line 0 is a header whatever it holds, so a result another line
  // gave (a dropped bot) is given again after the header, never in its place.
  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Replay events',
    States: {
      'Replay events': {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Arguments: { Bucket: 'clickstream', Key: 'events.jsonl' },
        },
        ItemSelector: { line: '{% $states.context.Map.Item.Index %}', event: '{% $states.context.Map.Item.Value %}' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Which event?',
          States: {
            'Which event?': {
              Type: 'Choice',
              Choices: [
                { Condition: '{% $states.input.line = 0 %}', Next: 'Session header' },
                { Condition: '{% $contains($states.input.event.userId, /^bot-/) %}', Next: 'Drop bot' },
                { Condition: '{% $states.input.event.type in ["click", "view"] %}', Next: 'Count event' },
              ],
              Default: 'Archive event',
            },
            'Session header': { Type: 'Pass', Output: '{% {"line": 0, "header": true} %}', End: true },
            'Drop bot': { Type: 'Pass', Output: '{% {"line": $states.input.line, "dropped": true} %}', End: true },
            'Count event': {
              Type: 'Task',
              Resource: LAMBDA,
              Arguments: { FunctionName: 'count-event', Payload: '{% $states.input.event %}' },
              Output: '{% {"line": $states.input.line, "counted": $states.result.Payload.counted} %}',
              End: true,
            },
            'Archive event': {
              Type: 'Task',
              Resource: 'arn:aws:states:::aws-sdk:firehose:putRecord',
              Arguments: { DeliveryStreamName: 'odd-events', Record: { Data: '{% $string($states.input.event) %}' } },
              Output: '{% {"line": $states.input.line, "archived": true} %}',
              End: true,
            },
          },
        },
        Output: '{% {"total": $count($states.result), "dropped": $count($states.result[dropped = true])} %}',
        Next: 'How did it go?',
      },
      'How did it go?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $states.input.total = 0 %}', Next: 'Nothing to replay' },
          { Condition: '{% $states.input.dropped * 2 > $states.input.total %}', Next: 'Report bots' },
        ],
        Default: 'Replayed',
      },
      'Report bots': { Type: 'Succeed' },
      'Nothing to replay': { Type: 'Fail', Error: 'Replay.Empty' },
      'Replayed': { Type: 'Succeed' },
    },
  });

  it('makes most lines bots after the header line', async () => {
    const report = await wf.explore();
    expect(report.choiceRules.notReached).toEqual([]);
    expect(report.states.notReached).toEqual([]);
    const bots = report.scenarios.find((s) => s.path.includes('Report bots'));
    for (const s of report.scenarios) await replays(wf, s);
    const items = (bots?.mocks['Replay events'] as { Return?: unknown[] } | undefined)?.Return ?? [];
    const dropped = items.slice(1).filter((i) => /^bot-/.test(String((i as { userId?: unknown }).userId))).length;
    expect(dropped * 2).toBeGreaterThan(items.length);
  });
});

describe('explore on $filter, which gives one item kept as that item', () => {
  stopExploreClock();

  it('counts the items its function keeps, one kept counted as one', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'How many open?',
      States: {
        'How many open?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $count($filter($states.input.orders, function($o) { $o.status = "open" })) = 1 %}', Next: 'One' },
            { Condition: '{% $count($filter($states.input.orders, function($o) { $o.status = "open" })) > 2 %}', Next: 'Many' },
          ],
          Default: 'Other',
        },
        'One': { Type: 'Succeed' },
        'Many': { Type: 'Succeed' },
        'Other': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules.notReached).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
  });

  it('keeps two items where a list is wanted, as a Map\'s Items must be one', async () => {
    // One open order would make `open` the order itself, which the Map refuses as its Items (States.QueryEvaluationError).
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Open orders',
      States: {
        'Open orders': {
          Type: 'Pass',
          Output: '{% {"open": $filter($states.input.orders, function($o) { $o.status = "open" })} %}',
          Next: 'Ship',
        },
        'Ship': {
          Type: 'Map',
          Items: '{% $states.input.open %}',
          ItemProcessor: {
            StartAt: 'Big?',
            States: {
              'Big?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.total > 100 %}', Next: 'Big' }], Default: 'Small' },
              'Big': { Type: 'Pass', End: true },
              'Small': { Type: 'Pass', End: true },
            },
          },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
  });
});

describe('explore\'s advice for a branch it did not reach', () => {
  stopExploreClock();

  it('never asks for a computed value its computation cannot give (a count of -1)', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Count',
      States: {
        Count: { Type: 'Pass', Output: '{% {"total": $count($states.input.items)} %}', Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.total = 0 %}', Next: 'None' },
            { Condition: '{% $states.input.total * 2 < $states.input.total %}', Next: 'Negative' },
          ],
          Default: 'Some',
        },
        None: { Type: 'Succeed' },
        Negative: { Type: 'Succeed' },
        Some: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const reason = report.choiceRules.notReached.find((r) => r.rule === 'Check#1')?.reason ?? '';
    expect(reason).toContain('give --input with $.items');
    expect(reason).not.toMatch(/so that \$states\.input\.total is/);
  });
});

describe('explore on a text a pattern checks before its parts are read', () => {
  stopExploreClock();

  // A reference must match a pattern (`Well formed?`) before its fourth part routes it and its third part, as a
  // number, is compared: the part a Choice wants is put into the text the pattern accepted, its other parts kept.
  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Look up order',
    States: {
      'Look up order': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'lookup-order', Payload: { ref: '{% $states.input.ref %}' } },
        Assign: {
          ref: '{% $uppercase($trim($states.result.Payload.reference)) %}',
          region: '{% $split($uppercase($trim($states.result.Payload.reference)), "-")[3] %}',
          seq: '{% $number($split($trim($states.result.Payload.reference), "-")[2]) %}',
        },
        Next: 'Well formed?',
      },
      'Well formed?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $not($contains($ref, /^[A-Z]{3,5}-[0-9]{4}-[0-9]{4}-[A-Z]{2}$/)) %}', Next: 'Bad reference' }],
        Default: 'Route by region',
      },
      'Route by region': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $region in ["EU", "UK"] %}', Next: 'EU desk' }],
        Default: 'Big sequence?',
      },
      'EU desk': { Type: 'Pass', Next: 'Big sequence?' },
      'Big sequence?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $seq >= 9000 %}', Next: 'Roll over sequence' }],
        Default: 'Routed',
      },
      'Roll over sequence': { Type: 'Pass', Next: 'Routed' },
      'Bad reference': { Type: 'Fail', Error: 'Order.BadReference' },
      'Routed': { Type: 'Succeed' },
    },
  });

  it('changes only the part $split(…)[k] reads, keeping the parts the pattern needs', async () => {
    const report = await wf.explore();
    expect(report.choiceRules.notReached).toEqual([]);
    for (const rule of ['Route by region#0', 'Big sequence?#0']) {
      const s = reaching(report, 'choiceRules', rule);
      expect((s.mocks['Look up order'] as { Return: { reference: string } }).Return.reference).toMatch(/^[A-Z]{3,5}-[0-9]{4}-[0-9]{4}-[A-Z]{2}$/);
      await replays(wf, s);
    }
  });
});

describe('explore on chunks $partition cuts, counted through a block', () => {
  stopExploreClock();

  // Step Functions' `$partition(array, size)` cuts an array into chunks of `size` items
  // (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); a block binds the chunks to a name
  // and builds the Output of it, and a Choice counts them: more than four chunks of 25 need more than 100 items.
  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Read cohorts',
    States: {
      'Read cohorts': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'read-cohorts', Payload: { env: '{% $states.input.env %}' } },
        Assign: { cohorts: '{% $states.result.Payload.cohorts %}' },
        Next: 'Group cohorts',
      },
      'Group cohorts': {
        Type: 'Pass',
        Output: '{% ( $groups := $partition($cohorts, 25); {"groups": $groups, "numbers": $range(1, $count($groups), 1)} ) %}',
        Next: 'How many groups?',
      },
      'How many groups?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $count($states.input.groups) = 0 %}', Next: 'Nothing to do' },
          { Condition: '{% $count($states.input.groups) > 4 %}', Next: 'Big rollout' },
        ],
        Default: 'Small rollout',
      },
      'Big rollout': { Type: 'Succeed' },
      'Small rollout': { Type: 'Succeed' },
      'Nothing to do': { Type: 'Succeed' },
    },
  });

  it('gives more items than four chunks hold where more than four chunks are wanted', async () => {
    const report = await wf.explore();
    const s = reaching(report, 'choiceRules', 'How many groups?#1');
    expect(((s.mocks['Read cohorts'] as { Return: { cohorts: unknown[] } }).Return.cohorts).length).toBeGreaterThan(100);
    await replays(wf, s);
  });
});
