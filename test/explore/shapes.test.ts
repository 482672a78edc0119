import { machine, reaching, replays } from './helpers';
import type { ExploreReport } from '../../src/explore/report-types';

/*
 * Issue 77: a Choice branch is unreachable when every shape of the answers its rules read ends
 * elsewhere — a DynamoDB getItem whose absent Item already fails the Task (its ResultSelector, or
 * a JSONata Assign, reads the Item whole), then a Choice on whether the Item exists. Explore must
 * prove it with the shapes and where each ends, and never claim it where another way in, or a
 * deeper field, leaves the branch open.
 */

const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';

/** The new user's JSONPath machine: getItem with a ResultSelector on $.Item, then a Choice on whether it is there. */
function jsonPathMachine(rule: object = { Variable: '$.loaded.item', IsPresent: true, Next: 'Found' }, selector: object = { 'item.$': '$.Item' }, otherwise = 'Missing') {
  return {
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: GET_ITEM,
        Parameters: { TableName: 'batches', Key: { batchId: { 'S.$': '$.batchId' } } },
        ResultSelector: selector,
        ResultPath: '$.loaded',
        Next: 'Exists?',
      },
      'Exists?': { Type: 'Choice', Choices: [rule], Default: otherwise },
      'Found': { Type: 'Succeed' },
      'Missing': { Type: 'Fail', Error: 'NotFound' },
    },
  };
}

/** The same in JSONata: the Item assigned to $batch, then a Condition on it. */
function jsonataMachine(condition = '$exists($batch)', assign: Record<string, string> = { batch: '{% $states.result.Item %}' }) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: GET_ITEM,
        Arguments: { TableName: 'batches', Key: { batchId: { S: '{% $states.input.batchId %}' } } },
        Assign: assign,
        Next: 'Exists?',
      },
      'Exists?': { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Found' }], Default: 'Missing' },
      'Found': { Type: 'Succeed' },
      'Missing': { Type: 'Fail', Error: 'NotFound' },
    },
  };
}

/** Every goal reached or proved, and each scenario runs again as reported. */
async function complete(def: object): Promise<ExploreReport> {
  const wf = machine(def);
  const report = await wf.explore();
  for (const c of ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const) expect(report[c].notReached).toEqual([]);
  expect(report.search.complete).toBe(true);
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

describe('explore proves a Choice branch unreachable by the shapes of the answers its rules read', () => {
  it('JSONPath: an absent Item fails Load (its ResultSelector reads $.Item), so Missing is unreachable, with the shapes as the proof', async () => {
    const report = await complete(jsonPathMachine());
    expect(report.states.unreachable).toEqual([{ state: 'Missing', reason: expect.stringContaining("'Load' answers .Item absent: 'Load' fails with States.Runtime, as a run shows") }]);
    expect(report.states.proofs?.Missing).toEqual({ kind: 'follows', from: [{ category: 'choiceRules', key: 'Exists?#default' }] });
    expect(report.choiceRules.proofs?.['Exists?#default']).toEqual({
      kind: 'answer-shapes',
      state: 'Exists?',
      shapes: [
        // Each case with the run that shows it: its input, and its answers as mocks.
        {
          values: [{ task: 'Load', field: '.Item', shape: 'absent' }],
          ends: { kind: 'fails', state: 'Load', error: 'States.Runtime' },
          input: expect.anything(),
          mocks: { Load: { Return: {} } },
        },
        {
          values: [{ task: 'Load', field: '.Item', shape: 'present', type: 'map' }],
          ends: { kind: 'other', state: 'Exists?', reason: expect.stringContaining('$.loaded.item IsPresent true'), takes: 'Exists?#0', next: 'Found' },
          input: expect.anything(),
          mocks: { Load: { Return: { Item: expect.anything() } } },
        },
      ],
    });
    expect(report.transitions.unreachable.map((n) => n.transition)).toEqual(['Exists? -> Missing']);
  });

  it('JSONata: an absent Item fails Load (Assign batch = $states.result.Item), so Missing is unreachable', async () => {
    const report = await complete(jsonataMachine());
    expect(report.choiceRules.unreachable).toEqual([{
      rule: 'Exists?#default',
      reason: expect.stringMatching(/'Load' answers \.Item absent: 'Load' fails with States\.QueryEvaluationError, as a run shows; 'Load' answers \.Item present: .*\$exists\(\$batch\).* is true/),
    }]);
    const proof = report.choiceRules.proofs?.['Exists?#default'];
    expect(proof).toMatchObject({ kind: 'answer-shapes', shapes: [{ ends: { kind: 'fails', state: 'Load', error: 'States.QueryEvaluationError' } }, { ends: { kind: 'other' } }] });
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Missing']);
  });

  it('JSONata: proves it for $not($exists($batch)) too', async () => {
    const report = await complete(jsonataMachine('$not($exists($batch))'));
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Found']);
  });

  it('JSONata: proves Missing for $batch != null: a GetItem answer leaves Item out when there is none, never null', async () => {
    const report = await complete(jsonataMachine('$batch != null'));
    expect(report.states.unreachable).toEqual([{ state: 'Missing', reason: expect.stringContaining('with $batch there (never null), Choices[0] ({% $batch != null %}) is true') }]);
  });

  it('JSONata: proves Missing for $type($batch) = "object" too: a present Item is a map', async () => {
    const report = await complete(jsonataMachine('$type($batch) = "object"'));
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Missing']);
  });

  it('never makes up an Item of null, which GetItem never answers, for a rule that wants one', async () => {
    const report = await complete(jsonataMachine('$type($batch) = "null"'));
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Found']);
    for (const s of report.scenarios) expect((s.mocks.Load as { Return?: { Item?: unknown } }).Return?.Item).not.toBeNull();
  });

  it('JSONPath: proves a rule that asks for the Item not to be there (Not IsPresent) unreachable', async () => {
    const report = await complete(jsonPathMachine({ Not: { Variable: '$.loaded.item', IsPresent: true }, Next: 'Missing' }, undefined, 'Found'));
    expect(report.choiceRules.unreachable.map((n) => n.rule)).toEqual(['Exists?#0']);
  });

  it('claims nothing when the rule reads a field under the Item, which an Item that is there may lack', async () => {
    const wf = machine(jsonPathMachine({ Variable: '$.loaded.item.status', IsPresent: true, Next: 'Found' }));
    const report = await wf.explore();
    expect(report.states.unreachable).toEqual([]);
    reaching(report, 'states', 'Missing');
  });

  it('claims nothing when the Task reads the Item with a JSONata expression that copes with its absence', async () => {
    const wf = machine(jsonataMachine('$batch != null', { batch: '{% $exists($states.result.Item) ? $states.result.Item : null %}' }));
    const report = await wf.explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    reaching(report, 'states', 'Missing');
  });

  it('proves Missing by the flow of values when the expression that copes with an absent Item gives null, which $exists counts', async () => {
    // $exists(null) is true: $batch, the Item or null, is always there.
    const wf = machine(jsonataMachine('$exists($batch)', { batch: '{% $exists($states.result.Item) ? $states.result.Item : null %}' }));
    const report = await wf.explore();
    expect(report.choiceRules.proofs?.['Exists?#default']).toMatchObject({ kind: 'value-flow', way: ['Load'], rule: 0, always: true });
    expect(report.states.notReached).toEqual([]);
  });

  it('claims nothing when the Choice has another way in, where what it reads comes from elsewhere', async () => {
    const def = jsonPathMachine();
    const wf = machine({
      ...def,
      StartAt: 'Start',
      States: {
        Start: { Type: 'Choice', Choices: [{ Variable: '$.skip', IsPresent: true, Next: 'Exists?' }], Default: 'Load' },
        ...def.States,
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    reaching(report, 'states', 'Missing');
  });
});

describe('the variants of the new user\'s machines: another test, a Catch into Missing', () => {
  /** The machine with a Catch on Load that leads into Missing. */
  function caught(def: { States: Record<string, object> }, errors: string[]) {
    return { ...def, States: { ...def.States, Load: { ...def.States.Load, Catch: [{ ErrorEquals: errors, Next: 'Missing' }] } } };
  }

  it('JSONPath: IsNull false proves Missing: the Item the ResultSelector reads is a map when it is there, never null', async () => {
    const report = await complete(jsonPathMachine({ Variable: '$.loaded.item', IsNull: false, Next: 'Found' }));
    expect(report.states.unreachable).toEqual([{ state: 'Missing', reason: expect.stringContaining("'Load' answers .Item never null") }]);
  });

  it('JSONPath: IsNull true on a Lambda function\'s payload field is reached with null, which a function may return', async () => {
    const wf = machine({
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': 'load', 'Payload.$': '$' },
          ResultSelector: { 'item.$': '$.Payload.item' },
          ResultPath: '$.loaded',
          Next: 'Exists?',
        },
        'Exists?': { Type: 'Choice', Choices: [{ Variable: '$.loaded.item', IsNull: true, Next: 'Missing' }], Default: 'Found' },
        'Found': { Type: 'Succeed' },
        'Missing': { Type: 'Fail', Error: 'NotFound' },
      },
    });
    const report = await wf.explore();
    expect(report.states.unreachable).toEqual([]);
    const s = reaching(report, 'states', 'Missing');
    expect(s.mocks.Load).toEqual({ Return: { item: null } });
    await replays(wf, s);
  });

  it('JSONPath: a Catch of States.ALL into Missing reaches it by a failed call, and proves only the Default closed', async () => {
    const report = await complete(caught(jsonPathMachine(), ['States.ALL']));
    expect(report.states.unreachable).toEqual([]);
    expect(report.transitions.unreachable.map((n) => n.transition)).toEqual(['Exists? -> Missing']);
  });

  it('JSONata: a Catch of States.QueryEvaluationError into Missing reaches it by the absent Item, and proves only the Default closed', async () => {
    const report = await complete(caught(jsonataMachine(), ['States.QueryEvaluationError']));
    expect(report.states.unreachable).toEqual([]);
    expect(report.transitions.unreachable.map((n) => n.transition)).toEqual(['Exists? -> Missing']);
    const s = reaching(report, 'catches', 'Load#0');
    expect({ path: s.path, error: s.error }).toEqual({ path: ['Load', 'Missing'], error: 'NotFound' });
  });
});

describe('explore never gives a reason a run it made contradicts', () => {
  it('proves the Default closed by what both ways in bring, leaving no reason that a run could contradict', async () => {
    // Missing cannot be reached: an absent Item fails Load, and the other way in sets the item. Explore proves it by
    // what every way into the Choice brings (4b616e82); before, it gave a reason, which had to say how the run with
    // the Item absent ended (States.Runtime at 'Load'), not that it went to Found.
    const def = jsonPathMachine();
    const wf = machine({
      ...def,
      StartAt: 'Start',
      States: {
        Start: { Type: 'Choice', Choices: [{ Variable: '$.skip', IsPresent: true, Next: 'Fixed' }], Default: 'Load' },
        Fixed: { Type: 'Pass', Result: { item: { id: 1 } }, ResultPath: '$.loaded', Next: 'Exists?' },
        ...def.States,
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules.notReached).toEqual([]);
    expect(report.choiceRules.unreachable).toEqual([
      { rule: 'Exists?#default', reason: expect.stringContaining("is always true on what is left, with what every way into 'Exists?' brings") },
    ]);
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Missing']);
    for (const s of report.scenarios) await replays(wf, s);
  });
});
