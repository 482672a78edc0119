import { machine, reaching, replays } from './helpers';
import type { ExploreReport } from '../../src/explore/report-types';

/*
 * Issue 63: on a JSONata machine, results and inputs reach a Choice through the Output, Assign
 * and Arguments expressions of the states before it. Each machine here is the smallest of one
 * form; each test fails when explore does not follow values through that form (the Choice
 * rule it names is then "not reached", or proved unreachable by a false claim).
 */

const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';

/** A JSONata machine: `Load` (a Task answering `resource`) with the given fields, then the Choice `Check` on `condition`. */
function choiceAfter(load: Record<string, unknown>, condition: string, resource = FN) {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Load',
    States: {
      Load: { Type: 'Task', Resource: resource, ...load, Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Succeed' },
      No: { Type: 'Succeed' },
    },
  });
}

/** Every Choice rule and state reached, and every scenario runs again as reported. */
async function reachesAll(wf: ReturnType<typeof machine>): Promise<ExploreReport> {
  const report = await wf.explore();
  expect(report.choiceRules.notReached).toEqual([]);
  expect(report.choiceRules.unreachable).toEqual([]);
  expect(report.states.notReached).toEqual([]);
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

describe('explore follows a value through a JSONata Output, Assign or Arguments to what it controls', () => {
  it('solves $exists($states.input.batch) after an Output that merges a DynamoDB result into the input (the issue\'s machine)', async () => {
    const wf = choiceAfter({
      Arguments: { TableName: 'batches', Key: { batchId: { S: '{% $states.input.batchId %}' } } },
      Output: '{% $merge([$states.input, {"batch": $states.result.Item}]) %}',
    }, '$exists($states.input.batch)', GET_ITEM);
    const report = await reachesAll(wf);
    const found = reaching(report, 'choiceRules', 'Check#0');
    expect(found.mocks.Load).toEqual({ Return: { Item: expect.any(Object) } });
    expect(JSON.stringify(report)).not.toContain('cannot be changed');
  });

  it('writes every field a Condition wants of a $parse into one string of JSON', async () => {
    const report = await reachesAll(choiceAfter({ Output: '{% $parse($states.result.Payload.body) %}' },
      '$states.input.status = "partial" and $states.input.missing < 3', 'arn:aws:states:::lambda:invoke'));
    // A Lambda mock's Return is the function's answer, the Payload.
    const answer = reaching(report, 'choiceRules', 'Check#0').mocks.Load as { Return: { body: string } };
    expect(JSON.parse(answer.Return.body)).toEqual(expect.objectContaining({ status: 'partial', missing: expect.any(Number) }));
  });

  it('follows an object constructor in Output to the field of the result it copies', async () => {
    await reachesAll(choiceAfter({ Output: '{% {"order": {"status": $states.result.state}} %}' }, '$states.input.order.status = "PAID"'));
  });

  it('follows an array constructor and $append to the item a later state reads', async () => {
    await reachesAll(choiceAfter({ Output: '{% {"tags": $append(["fixed"], [$states.result.tag])} %}' }, '$states.input.tags[1] = "urgent"'));
  });

  it('follows an array a loop appends an answer\'s items to, so a count over all of them can come out 0 (issue 77)', async () => {
    // JSONata spreads `[$items]` into the array `$append` builds: `$pages` holds the items, not one list per page.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Begin',
      States: {
        'Begin': { Type: 'Pass', Assign: { pages: [], token: '{% $states.input.startToken %}' }, Next: 'Fetch page' },
        'Fetch page': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN, Payload: { token: '{% $token %}' } },
          Assign: { pages: '{% $append($pages, [$states.result.Payload.items]) %}', token: '{% $states.result.Payload.next %}' },
          Next: 'More?',
        },
        'More?': { Type: 'Choice', Choices: [{ Condition: '{% $token != null %}', Next: 'Fetch page' }], Default: 'Summarise' },
        'Summarise': { Type: 'Pass', Output: { invoices: '{% $count($reduce($pages, $append, [])) %}' }, Next: 'Any invoices?' },
        'Any invoices?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.invoices > 0 %}', Next: 'Send digest' }], Default: 'Nothing due' },
        'Send digest': { Type: 'Succeed' },
        'Nothing due': { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    expect(JSON.stringify(report)).not.toContain('cannot be changed');
  });

  it('follows $lookup with a literal key to the field it looks up', async () => {
    await reachesAll(choiceAfter({ Output: '{% {"plan": $lookup($states.result, "plan")} %}' }, '$states.input.plan = "pro"'));
  });

  it('finds the key a $lookup of a table must be given for the value a rule wants', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Table',
      States: {
        Table: { Type: 'Pass', Assign: { providers: { US: 'stripe', DE: 'adyen' } }, Next: 'Pick' },
        Pick: { Type: 'Pass', Output: '{% {"provider": $lookup($providers, $uppercase($states.input.country))} %}', Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.provider = "adyen" %}', Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    expect(reaching(report, 'choiceRules', 'Check#0').input).toEqual({ country: expect.stringMatching(/^de$/i) });
  });

  it('takes the branch of a conditional that gives the value wanted, by steering its condition', async () => {
    await reachesAll(choiceAfter({ Output: '{% {"status": $states.result.count > 0 ? "FOUND" : "EMPTY"} %}' }, '$states.input.status = "FOUND"'));
  });

  it('steers $count, $string and $number of a result through Assign to the variable a rule compares', async () => {
    await reachesAll(choiceAfter({ Assign: { n: '{% $count($states.result.items) %}' } }, '$n > 2'));
    await reachesAll(choiceAfter({ Assign: { code: '{% $string($states.result.code) %}' } }, '$code = "404"'));
    await reachesAll(choiceAfter({ Assign: { amount: '{% $number($states.result.amount) %}' } }, '$amount >= 100'));
  });

  it('steers $contains and $substring of an input field', async () => {
    await reachesAll(choiceAfter({ Assign: { refund: '{% $contains($lowercase($states.input.subject), "refund") %}' } }, '$refund'));
    await reachesAll(choiceAfter({ Assign: { family: '{% $substring($states.input.deviceId, 0, 3) %}' } }, '$family = "GTW"'));
  });

  it('steers $keys, $sift and $each of a map in a result', async () => {
    await reachesAll(choiceAfter({
      Assign: { active: '{% $keys($sift($states.result.addons, function($v) { $v.enabled })) %}' },
    }, '"sso" in $active'));
    await reachesAll(choiceAfter({
      Assign: { lines: '{% $each($states.result.prices, function($v, $k) { $k & "=" & $string($v) }) %}' },
    }, '$count($lines) > 1'));
  });

  it('gives the items a $map lambda reads the fields it reads, of the kind it reads them ($number of a DynamoDB N)', async () => {
    // The Assign fails (States.QueryEvaluationError) when $map has no items or $number a string that is not one;
    // the Catch would hide that from a run that only looks at how the execution ends.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        Load: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: { TableName: 'reports', KeyConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: 't' } } },
          Assign: { reports: '{% $map($states.result.Items, function($i) { {"id": $i.id.S, "size": $number($i.size.N)} }) %}' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Broken' }],
          Next: 'Check',
        },
        Check: { Type: 'Choice', Choices: [{ Condition: '{% $reports.size >= 0 %}', Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
        Broken: { Type: 'Fail', Error: 'Broken' },
      },
    });
    const report = await wf.explore();
    const found = reaching(report, 'states', 'Yes');
    await replays(wf, found);
    const answer = found.mocks.Load as { Return: { Items: Array<{ size: { N: unknown } }> } };
    expect(Number.isFinite(Number(answer.Return.Items[0].size.N))).toBe(true);
    expect(typeof answer.Return.Items[0].size.N).toBe('string');
  });

  it('answers a Lambda whose body an Output reads with $parse with a string of JSON that holds the value a rule wants', async () => {
    // $parse is one of the functions Step Functions adds to JSONata: it takes a string of JSON.
    const report = await reachesAll(choiceAfter({ Output: '{% $parse($states.result.Payload.body) %}' }, '$states.input.status = "ok"', 'arn:aws:states:::lambda:invoke'));
    // A Lambda's mock answers with what the function returns; the integration puts it under Payload.
    const body = (reaching(report, 'choiceRules', 'Check#0').mocks.Load as { Return: { body: string } }).Return.body;
    expect(JSON.parse(body)).toEqual(expect.objectContaining({ status: 'ok' }));
  });

  it('builds a list whose $reduce sum passes a rule: the item is the lambda\'s second parameter, its field a number', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Condition: '{% $reduce($states.input.lines, function($sum, $l) { $sum + $l.qty }, 0) > 10 %}', Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    const lines = (reaching(report, 'choiceRules', 'Check#0').input as { lines: Array<{ qty: number }> }).lines;
    expect([lines].flat().reduce((sum, l) => sum + l.qty, 0)).toBeGreaterThan(10);
  });

  it('builds the list a filtered path reads through a block\'s binding', async () => {
    await reachesAll(choiceAfter({
      Output: '{% ($fields := $states.result.fields; {"total": $number($fields[type = "TOTAL"].value)}) %}',
    }, '$states.input.total > 1000'));
  });

  it('follows a value through Arguments into a Parallel branch', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Arguments: { order: '{% $merge([{"kind": "std"}, $states.input.order]) %}' },
          Branches: [{
            StartAt: 'Check',
            States: {
              Check: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.order.kind = "express" %}', Next: 'Fast' }], Default: 'Slow' },
              Fast: { Type: 'Succeed' },
              Slow: { Type: 'Succeed' },
            },
          }],
          End: true,
        },
      },
    });
    const report = await reachesAll(wf);
    expect(reaching(report, 'choiceRules', 'Check#0').input).toEqual({ order: { kind: 'express' } });
  });

  it('steers two variables computed from one field together', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Read',
      States: {
        Read: { Type: 'Pass', Assign: { family: '{% $substring($states.input.deviceId, 0, 3) %}', serial: '{% $substringAfter($states.input.deviceId, "-") %}' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Condition: '{% $family = "GTW" and $length($serial) >= 6 %}', Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    expect(reaching(report, 'choiceRules', 'Check#0').input).toEqual({ deviceId: expect.stringMatching(/^GTW.*-.{6,}$/) });
  });
});

describe('explore follows values through the results of a Parallel or a Map (issue 77)', () => {
  it('follows $merge($states.result) of a Parallel to the branch whose Output writes the field a rule reads', async () => {
    const branch = (name: string, field: string, from: string) => ({
      StartAt: name,
      States: { [name]: { Type: 'Task', Resource: FN, Output: `{% {"${field}": $states.result.${from}} %}`, End: true } },
    });
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Enrich',
      States: {
        Enrich: { Type: 'Parallel', Branches: [branch('Credit', 'credit', 'score'), branch('Fraud', 'fraud', 'flag')], Output: '{% $merge($states.result) %}', Next: 'Decide' },
        Decide: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.fraud = true %}', Next: 'Reject' }, { Condition: '{% $states.input.credit >= 700 %}', Next: 'Approve' }],
          Default: 'Review',
        },
        Reject: { Type: 'Succeed' },
        Approve: { Type: 'Succeed' },
        Review: { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    expect(reaching(report, 'choiceRules', 'Decide#1').mocks).toEqual({ Credit: { Return: { score: 700 } }, Fraud: { Return: expect.anything() } });
  });

  it('counts a Map\'s results by a field its iterations\' Task answers give: all of them, some of them, none', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        'Each': {
          Type: 'Map',
          Items: '{% $states.input.orders %}',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Charge',
            States: { Charge: { Type: 'Task', Resource: FN, Output: '{% {"id": $states.input.id, "ok": $states.result.ok} %}', End: true } },
          },
          Output: '{% {"failed": $count($states.result[ok = false]), "total": $count($states.result)} %}',
          Next: 'Any failed?',
        },
        'Any failed?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.failed = $states.input.total and $states.input.total > 0 %}', Next: 'All failed' },
            { Condition: '{% $states.input.failed > 0 %}', Next: 'Some failed' },
          ],
          Default: 'None failed',
        },
        'All failed': { Type: 'Succeed' },
        'Some failed': { Type: 'Succeed' },
        'None failed': { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    const some = reaching(report, 'choiceRules', 'Any failed?#1');
    expect(some.mocks.Charge).toEqual(expect.arrayContaining([{ Return: { ok: false } }]));
  });
});

describe('explore brings string and numeric Conditions round (issue 77)', () => {
  it('takes a rule that reads a value computed from fields it reads beside it, searching the computation with the rule judging', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Inspect',
      States: {
        'Inspect': {
          Type: 'Task',
          Resource: FN,
          Output: '{% $merge([$states.input, {"grade": $states.result.grade, "fee": $states.result.fee}]) %}',
          Next: 'Amount',
        },
        'Amount': { Type: 'Pass', Assign: { refund: "{% $states.input.paid - $states.input.fee - ($states.input.grade = 'C' ? 10 : 0) %}" }, Next: 'Refund?' },
        'Refund?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $refund <= 0 %}', Next: 'None' },
            { Condition: '{% $refund > $states.input.paid * 0.9 and $states.input.grade = "A" %}', Next: 'Full' },
          ],
          Default: 'Partial',
        },
        'None': { Type: 'Succeed' },
        'Full': { Type: 'Succeed' },
        'Partial': { Type: 'Succeed' },
      },
    });
    await reachesAll(wf);
  });

  it('gives a text a length past a limit a rule checks, and a value one of a list a variable holds', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Setup',
      States: {
        Setup: { Type: 'Pass', Assign: { closed: ['REJECT', 'WITHDRAWN'] }, Next: 'Ask' },
        Ask: { Type: 'Task', Resource: FN, Assign: { decision: '{% $states.result.decision %}', note: '{% $states.result.note %}' }, Next: 'Route' },
        Route: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $decision in $closed %}', Next: 'Closed' },
            { Condition: '{% $length($note) > 1200 %}', Next: 'Long' },
          ],
          Default: 'Other',
        },
        Closed: { Type: 'Succeed' },
        Long: { Type: 'Succeed' },
        Other: { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    expect(reaching(report, 'choiceRules', 'Route#0').mocks.Ask).toEqual({ Return: { decision: expect.stringMatching(/^(REJECT|WITHDRAWN)$/), note: expect.any(String) } });
  });
});

describe('explore makes the items a $map builds its results from (issue 77)', () => {
  it('answers the query with an item whose size.N gives the total a $reduce over the mapped results compares', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Scan',
      States: {
        'Scan': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: { TableName: 'Files', KeyConditionExpression: 'owner = :o', ExpressionAttributeValues: { ':o': { S: '{% $states.input.owner %}' } } },
          Assign: { files: "{% $map($states.result.Items, function($f) { {'name': $f.name.S, 'bytes': $number($f.bytes.N)} }) %}" },
          Next: 'Heavy?',
        },
        'Heavy?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $reduce($files, function($acc, $f) { $acc + $f.bytes }, 0) > 5000000 %}', Next: 'Archive' }],
          Default: 'Keep',
        },
        'Archive': { Type: 'Succeed' },
        'Keep': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 4, total: 4, notReached: [] });
    const archive = reaching(report, 'states', 'Archive');
    const items = (archive.mocks.Scan as { Return: { Items: Array<{ bytes: { N: string } }> } }).Return.Items;
    expect(items.reduce((a, i) => a + Number(i.bytes.N), 0)).toBeGreaterThan(5000000);
    await replays(wf, archive);
  });
});

describe('explore gives a Map again the items whose results a rule counts (issue 77)', () => {
  it('reaches a rule that counts two results only an item past a threshold gives, by giving that item again', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Lines',
      States: {
        'Lines': {
          Type: 'Map',
          Items: '{% $states.input.lines %}',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Big?',
            States: {
              'Big?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.amount > 10000 %}', Next: 'Hold' }], Default: 'Post' },
              'Hold': { Type: 'Pass', Output: { status: 'HELD' }, End: true },
              'Post': { Type: 'Task', Resource: FN, Output: '{% {"status": $states.result.status} %}', End: true },
            },
          },
          Output: "{% {'held': $count($states.result[status = 'HELD'])} %}",
          Next: 'Outcome?',
        },
        'Outcome?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.held >= 2 %}', Next: 'Ask finance' }], Default: 'Done' },
        'Ask finance': { Type: 'Succeed' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    const lines = reaching(report, 'choiceRules', 'Outcome?#0').input as { lines: Array<{ amount?: number }> };
    expect(lines.lines.filter((l) => (l.amount ?? 0) > 10000).length).toBeGreaterThanOrEqual(2);
  });
});

describe('explore gives a Map the items its context needs: $$.Map.Item.Index, .Value and .Source follow them (issue 77)', () => {
  it('makes as many items as an index a rule wants, each as the item the run had there (JSONPath, a CSV read)', async () => {
    const wf = machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { 'Bucket': 'b', 'Key.$': '$.key' } },
          ItemSelector: { 'i.$': '$$.Map.Item.Index', 'amount.$': '$$.Map.Item.Value.amount' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Big?',
            States: {
              'Big?': { Type: 'Choice', Choices: [{ Variable: '$.amount', StringGreaterThan: '500', Next: 'Big' }, { Variable: '$.i', NumericGreaterThan: 1, Next: 'Later' }], Default: 'Small' },
              'Big': { Type: 'Succeed' },
              'Later': { Type: 'Succeed' },
              'Small': { Type: 'Succeed' },
            },
          },
          End: true,
        },
      },
    });
    const report = await reachesAll(wf);
    const later = reaching(report, 'choiceRules', 'Big?#1');
    expect((later.mocks.Each as { Return: unknown[] }).Return).toHaveLength(3);
    expect(later.inventedItems).toEqual(['Each']);
  });

  it('writes the key an item source must hold into what the ItemReader is given (JSONata, JSON Lines)', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Arguments: { Bucket: 'b', Key: '{% $states.input.key %}' } },
          ItemSelector: { source: '{% $states.context.Map.Item.Source %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Archive?',
            States: {
              'Archive?': { Type: 'Choice', Choices: [{ Condition: '{% $contains($states.input.source, "/archive/") %}', Next: 'Old' }], Default: 'New' },
              'Old': { Type: 'Succeed' },
              'New': { Type: 'Succeed' },
            },
          },
          End: true,
        },
      },
    });
    const report = await reachesAll(wf);
    expect(reaching(report, 'choiceRules', 'Archive?#0').input).toEqual({ key: expect.stringContaining('archive/') });
  });
});

describe('explore says which JSONata expression stops it, and what to give', () => {
  it('names the expression a value is computed by, and the field of the answer to give, when no value it tries gives the one wanted', async () => {
    const wf = choiceAfter({ Assign: { ok: '{% $hash($states.result.secret, "SHA-256") = "0f00" %}' } }, '$ok');
    const report = await wf.explore({ budgetSeconds: 10 });
    const reason = report.choiceRules.notReached.find((n) => n.rule === 'Check#0')?.reason;
    expect(reason).toContain("the Assign of state 'Load' computes it with the JSONata expression '$hash($states.result.secret, \"SHA-256\") = \"0f00\"'");
    expect(reason).toContain("--mocks for 'Load' .secret");
    expect(report.choiceRules.unreachable).toEqual([]);
  });
});

describe('explore repairs what a JSONata expression lacked', () => {
  it('gives a Task\'s Assign a value that makes it give something, when the Catch of the state took the failure', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        Load: {
          Type: 'Task',
          Resource: GET_ITEM,
          Arguments: { TableName: 't', Key: { id: { S: '{% $states.input.id %}' } } },
          Assign: { addons: '{% $keys($sift($states.result.Item.addons.M, function($v) { $v.M.active.BOOL })) %}' },
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Missing' }],
          Next: 'Done',
        },
        Missing: { Type: 'Fail', Error: 'NotFound' },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    expect(reaching(report, 'states', 'Done').mocks.Load).toEqual({ Return: { Item: { addons: { M: { a: { M: { active: { BOOL: true } } } } } } } });
  });

  it('gives a Parallel\'s Assign the branch result it reads, through the branch\'s Task answer, when its Catch took the failure', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Enrich',
      States: {
        'Enrich': {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Credit', States: { Credit: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'credit' }, Output: '{% $states.result.Payload %}', End: true } } },
            { StartAt: 'Fraud', States: { Fraud: { Type: 'Pass', Output: { flag: false }, End: true } } },
          ],
          Assign: { limit: '{% $states.result[0].limit %}', flagged: '{% $states.result[1].flag %}' },
          Output: '{% $states.input %}',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Manual review' }],
          Next: 'Decide',
        },
        'Decide': { Type: 'Choice', Choices: [{ Condition: '{% $limit >= $states.input.amount %}', Next: 'Approve' }], Default: 'Decline' },
        'Approve': { Type: 'Succeed' },
        'Decline': { Type: 'Succeed' },
        'Manual review': { Type: 'Succeed' },
      },
    });
    const report = await reachesAll(wf);
    const approve = reaching(report, 'choiceRules', 'Decide#0');
    expect(approve.mocks.Credit).toEqual({ Return: { limit: expect.anything() } });
    expect(approve.path).toEqual(['Enrich', 'Credit', 'Fraud', 'Decide', 'Approve']);
  });

  it('gives a JSONata Map\'s MaxConcurrency a number, as AWS needs one there', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          Items: '{% $states.input.items %}',
          MaxConcurrency: '{% $states.input.maxConcurrency %}',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    expect(reaching(report, 'states', 'Work').input).toEqual({ items: [{}], maxConcurrency: 1 });
  });

  it('gives the items a mapping step reads numbers where it computes with them', async () => {
    const wf = choiceAfter({ Output: '{% {"total": $sum($states.result.lines.(price * quantity))} %}' }, '$states.input.total = 0');
    await reachesAll(wf);
  });
});

describe('explore seeds a value by the request member it flows into', () => {
  it('writes a string for a field used as a DynamoDB S key, where a Choice only asks that it be there', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Given?',
      States: {
        'Given?': { Type: 'Choice', Choices: [{ Condition: '{% $exists($states.input.batchId) %}', Next: 'Load' }], Default: 'Missing' },
        'Load': { Type: 'Task', Resource: GET_ITEM, Arguments: { TableName: 't', Key: { batchId: { S: '{% $states.input.batchId %}' } } }, End: true },
        'Missing': { Type: 'Fail', Error: 'Missing' },
      },
    });
    const report = await wf.explore();
    expect(reaching(report, 'states', 'Load').input).toEqual({ batchId: expect.any(String) });
  });

  it('repairs a JSONata Arguments read with a value of the request member\'s type', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        Load: { Type: 'Task', Resource: GET_ITEM, Arguments: { TableName: 't', Key: { id: { S: 'x' } }, ConsistentRead: '{% $states.input.strong %}' }, End: true },
      },
    });
    const report = await wf.explore();
    expect(reaching(report, 'states', 'Load').input).toEqual({ strong: true });
  });

  it('writes a JSONPath Parameters read that is missing with a value of the request member\'s type', async () => {
    const wf = machine({
      StartAt: 'Send',
      States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl': 'q', 'MessageBody': 'x', 'DelaySeconds.$': '$.order.delay' }, End: true } },
    });
    const report = await wf.explore();
    expect(reaching(report, 'states', 'Send').input).toEqual({ order: { delay: 1 } });
  });

  it('writes a request read whole by its Arguments with the members the request requires, which the run-time request check asks for', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: { Load: { Type: 'Task', Resource: GET_ITEM, Arguments: '{% $states.input.request %}', Next: 'Done' }, Done: { Type: 'Succeed' } },
    });
    const report = await wf.explore();
    // GetItem requires TableName and Key (botocore's dynamodb model).
    const scenario = reaching(report, 'states', 'Done');
    expect(scenario.input).toEqual({ request: { TableName: expect.any(String), Key: {} } });
    await replays(wf, scenario);
  });
});

describe('explore makes up as many Map items as a count over its results asks', () => {
  // The modern corpus's LogAggregation: a Distributed Map over a JSON Lines file whose Output counts
  // the children's results at level ERROR, and a Choice on 100 of them. The items are an input like
  // any other: explore makes up 100 that each come out as an error.
  const logs = () => machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Read log lines',
    States: {
      'Read log lines': {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Arguments: { Bucket: 'logs', Key: 'app/latest.jsonl' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Level?',
          States: {
            'Level?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.level = "ERROR" %}', Next: 'Count error' }], Default: 'Ignore' },
            'Count error': {
              Type: 'Task',
              Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
              // A field of the item the result does not hold: the items made up keep it.
              Arguments: { Namespace: 'App/Logs', MetricData: [{ MetricName: 'Errors', Value: 1, Dimensions: [{ Name: 'Service', Value: '{% $states.input.service %}' }] }] },
              Output: '{% {"level": "ERROR"} %}',
              End: true,
            },
            'Ignore': { Type: 'Pass', Output: '{% {"level": $lowercase($states.input.level)} %}', End: true },
          },
        },
        Output: '{% {"errors": $count($states.result[level = "ERROR"])} %}',
        Next: 'Error spike?',
      },
      'Error spike?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.errors >= 100 %}', Next: 'Page on-call' }], Default: 'Quiet' },
      'Page on-call': { Type: 'Task', Resource: FN, Arguments: { Payload: { errors: '{% $states.input.errors %}' } }, End: true },
      'Quiet': { Type: 'Succeed' },
    },
  });

  it("reaches a Choice on $count($states.result[level = \"ERROR\"]) >= 100 with 100 items, and finds the paged Task's unhandled failure", async () => {
    const wf = logs();
    const report = await reachesAll(wf);
    const paged = reaching(report, 'choiceRules', 'Error spike?#0');
    const items = paged.mocks['Read log lines'] as { Return: Array<{ level: string }> };
    expect(items.Return.filter((i) => i.level === 'ERROR').length).toBeGreaterThanOrEqual(100);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'unhandled-error', state: 'Page on-call' }));
  });
});
