import { machine, reaching, replays } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { applyWrites } from '../../src/explore/apply-writes';
import type { Exploration, RunRecord } from '../../src/explore/context';
import { machineStates } from '../../src/explore/goals';
import { basePlan } from '../../src/explore/plan';
import { seedsOf } from '../../src/explore/seeds';

/*
 * Goals explore used to leave with a reason that was not true (issue 46, section 2): each machine
 * here is the smallest of its kind, and each test fails without the change it names.
 */

const INVOKE = 'arn:aws:states:::lambda:invoke';

describe('explore reaches what the values it writes lead to', () => {
  it('gives a JSONata Choice rule the fields its Output reads, so the rule is taken rather than failing the Choice', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [{
            Condition: "{% $states.input.kind = 'big' %}",
            Output: { id: '{% $states.input.order.id %}', total: '{% $states.input.order.total * 2 %}' },
            Next: 'Big',
          }],
          Default: 'Small',
        },
        Big: { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'big', Payload: { id: '{% $states.input.id %}' } }, Next: 'Done' },
        Small: { Type: 'Succeed' },
        Done: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    const big = reaching(report, 'choiceRules', 'Route#0');
    expect(big.input).toMatchObject({ kind: 'big', order: { total: expect.any(Number) } });
    expect(report.states).toMatchObject({ reached: 4, total: 4, notReached: [] });
    for (const s of report.scenarios) await replays(wf, s);
  });
});

describe('explore brings a conjunction over three values round', () => {
  it('takes a rule over a Task answer, a $substring of an Assigned input and a field other than a literal', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Normalize',
      States: {
        Normalize: { Type: 'Pass', Assign: { vendor: "{% $merge([$states.input.vendor, {'country': $uppercase($states.input.vendor.country)}]) %}" }, Next: 'Screen' },
        Screen: {
          Type: 'Task',
          Resource: INVOKE,
          Arguments: { FunctionName: 'screen', Payload: { country: '{% $vendor.country %}' } },
          Assign: { screening: '{% $states.result.Payload.status %}' },
          Next: 'Route',
        },
        Route: {
          Type: 'Choice',
          Choices: [{ Condition: "{% $screening = 'CLEAR' and $substring($vendor.country, 0, 2) in ['US', 'CA'] and $vendor.category != 'contractor' %}", Next: 'Create' }],
          Default: 'Review',
        },
        Create: { Type: 'Succeed' },
        Review: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 5, total: 5, notReached: [] });
    for (const s of report.scenarios) await replays(wf, s);
  });
});

describe('explore brings a run back onto the way to a Choice', () => {
  it('takes an earlier Choice\'s branch again when what it gave a later rule made the run leave there', async () => {
    // Status PENDING, written for 'Pending?', makes 'Route' read $number(total): the total given then sent it to 'Review'.
    const wf = machine({
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'Orders', Key: { id: { 'S.$': '$.id' } } },
          ResultSelector: { 'status.$': '$.Item.status.S', 'total.$': '$.Item.total.N' },
          ResultPath: '$.order',
          Next: 'Route',
        },
        'Route': {
          Type: 'Choice',
          QueryLanguage: 'JSONata',
          Choices: [
            { Condition: "{% $states.input.order.status = 'SHIPPED' %}", Next: 'Done' },
            { Condition: "{% $states.input.order.status = 'PENDING' and $number($states.input.order.total) >= 500 %}", Next: 'Review' },
          ],
          Default: 'Pending?',
        },
        'Pending?': { Type: 'Choice', Choices: [{ Variable: '$.order.status', StringEquals: 'PENDING', Next: 'Remind' }], Default: 'Unknown' },
        'Remind': { Type: 'Succeed' },
        'Review': { Type: 'Succeed' },
        'Done': { Type: 'Succeed' },
        'Unknown': { Type: 'Fail', Error: 'Order.Unknown' },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 7, total: 7, notReached: [] });
    const remind = reaching(report, 'states', 'Remind');
    expect(remind.path).toEqual(['Load', 'Route', 'Pending?', 'Remind']);
    await replays(wf, remind);
  });
});

describe('explore follows Map items made by States.StringToJson', () => {
  it('gives both fields the item processor reads in the one string the items are parsed from', async () => {
    const wf = machine({
      StartAt: 'Parse',
      States: {
        Parse: { Type: 'Pass', Parameters: { 'items.$': 'States.StringToJson($.body)' }, Next: 'Each' },
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'Send',
            States: {
              Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'QueueUrl.$': '$.queue', 'MessageBody.$': '$.message' }, Next: 'Sent' },
              Sent: { Type: 'Succeed' },
            },
          },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    const sent = reaching(report, 'states', 'Sent');
    const items = JSON.parse((sent.input as { body: string }).body);
    expect(items[0]).toEqual({ queue: expect.any(String), message: expect.any(String) });
    expect(report.states).toMatchObject({ reached: 4, total: 4, notReached: [] });
    for (const s of report.scenarios) await replays(wf, s);
  });
});

describe('explore credits a state only to a run that enters it without failing on entry', () => {
  const failsOnEntry = { Type: 'Pass', Parameters: { 'part.$': "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '#'), 1)" } };

  it('does not count a state reached when the only run that enters it fails there at once, and says why', async () => {
    const report = await machine({ StartAt: 'Name', States: { Name: { ...failsOnEntry, Next: 'Use' }, Use: { Type: 'Succeed' } } }).explore();
    expect(report.states.reached).toBe(0);
    expect(report.states.notReached.find((n) => n.state === 'Name')?.reason).toMatch(/fails with States\.Runtime .*\$\$\.StateMachine\.Name/);
  });

  it('does not count a state of a Map iteration that failed on entry, though the Map tolerated it and the run succeeded', async () => {
    const report = await machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ToleratedFailurePercentage: 100,
          ItemProcessor: { StartAt: 'Name', States: { Name: { ...failsOnEntry, End: true } } },
          End: true,
        },
      },
    }).explore();
    expect(report.states.notReached).toEqual([{ state: 'Name', reason: expect.stringMatching(/its first state 'Name' failed there on entry/) }]);
  });
});

describe('explore tells a refused intrinsic from a path that found nothing, both States.Runtime', () => {
  it('tries no intrinsic repair for a state that failed on a Context Object path, and says what it read', async () => {
    // AWS fails both with States.Runtime: the cause, not the name, tells which (INTRINSIC_FAILURE).
    const report = await machine({
      StartAt: 'Pick',
      States: {
        Pick: { Type: 'Pass', Parameters: { 'region.$': "States.ArrayGetItem(States.StringSplit($.arn, ':'), 3)", 'slot.$': '$$.Map.Item.Index' }, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    }).explore();
    const reason = report.states.notReached.find((n) => n.state === 'Pick')?.reason;
    expect(reason).toMatch(/slot\.\$ reads \$\$\.Map\.Item\.Index from the Context Object, which explore cannot change/);
    expect(reason).not.toMatch(/already there/);
  });
});

describe('explore follows a filter over the results of a Map', () => {
  it('gives the item processor\'s answer the field a filter in the Map\'s ResultSelector keeps, so a rule on what it selects is taken', async () => {
    const wf = machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.orders',
          ItemProcessor: {
            StartAt: 'Charge',
            States: { Charge: { Type: 'Task', Resource: INVOKE, Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } },
          },
          ResultSelector: { 'failed.$': "$[?(@.status == 'FAILED')]" },
          ResultPath: '$.charges',
          Next: 'AnyFailed',
        },
        AnyFailed: { Type: 'Choice', Choices: [{ Variable: '$.charges.failed[0]', IsPresent: true, Next: 'Refund' }], Default: 'Ship' },
        Refund: { Type: 'Succeed' },
        Ship: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(reaching(report, 'choiceRules', 'AnyFailed#0').mocks).toEqual({ Charge: { Return: { status: 'FAILED' } } });
    expect(report.states).toMatchObject({ reached: 5, total: 5, notReached: [] });
    for (const s of report.scenarios) await replays(wf, s);
  });
});

describe('explore says what it leaves, truly', () => {
  const hashed = machine({
    StartAt: 'Hash',
    States: {
      'Hash': { Type: 'Pass', Parameters: { 'h.$': "States.Hash($.secret, 'SHA-256')" }, Next: 'Known?' },
      'Known?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.h', StringEquals: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', Next: 'Open' }],
        Default: 'Closed',
      },
      'Open': { Type: 'Succeed' },
      'Closed': { Type: 'Succeed' },
    },
  });

  it('reports the search incomplete when a goal is left that it did not prove unreachable, though nothing cut the search', async () => {
    const report = await hashed.explore();
    expect(report.choiceRules.notReached.map((n) => n.rule)).toEqual(['Known?#0']);
    expect(report.search).toMatchObject({ complete: false });
    expect(report.search.stoppedBy).toBeUndefined();
  });

  it('says what to give, and for which field, for a rule it could not take; a transition the rule makes says the same', async () => {
    const report = await hashed.explore();
    const why = report.choiceRules.notReached[0].reason;
    expect(why).toMatch(/to reach it, give --input with \$\.secret, so that \$\.h is "9f86d081[0-9a-f]{56}" \(computed from them\)$/);
    expect(why).not.toMatch(/does not come from the execution input/);
    expect(report.transitions.notReached).toEqual([{ transition: 'Known? -> Open', reason: `Known?#0: ${why}` }]);
  });

  it('says which Task answer to give when the rule reads a field of it explore cannot steer', async () => {
    const report = await machine({
      StartAt: 'Get',
      States: {
        'Get': { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'get' }, ResultSelector: { 'h.$': "States.Hash($.Payload.token, 'SHA-256')" }, Next: 'Known?' },
        'Known?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.h', StringEquals: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', Next: 'Open' }],
          Default: 'Closed',
        },
        'Open': { Type: 'Succeed' },
        'Closed': { Type: 'Succeed' },
      },
    }).explore();
    expect(report.choiceRules.notReached[0].reason).toMatch(/to reach it, give --mocks for 'Get' \.token, so that \$\.h is "9f86d081[0-9a-f]{56}" \(computed from them\)$/);
    expect(report.search.complete).toBe(false);
  });

  it('never says the values a rule needs are there without naming them: with nothing to write, the reason says unknown', async () => {
    const rec = { plan: basePlan({ a: 1 }), calls: new Map() } as unknown as RunRecord;
    expect(await applyWrites({ fixed: new Map() } as unknown as Exploration, rec, [])).toEqual({ reason: 'unknown: explore found nothing to write for it' });
    expect(await applyWrites({ fixed: new Map() } as unknown as Exploration, rec, [{ source: { kind: 'input', steps: ['a'] }, value: 1 }]))
      .toEqual({ reason: 'the values it needs (input $.a = 1) are already there' });
  });
});

describe('explore seeds a field with the kind of value the machine compares it with', () => {
  /** A Task that reads the field (explore writes it first for the Task), then a Choice on it. */
  const reading = (rule: object) => machine({
    StartAt: 'Score',
    States: {
      Score: {
        Type: 'Task',
        Resource: INVOKE,
        Parameters: { FunctionName: 'score', Payload: { 'id.$': '$.id', 'threshold.$': '$.reviewThreshold' } },
        ResultSelector: { 'score.$': '$.Payload.score' },
        ResultPath: '$.result',
        Next: 'NeedsReview',
      },
      NeedsReview: { Type: 'Choice', Choices: [{ ...rule, Next: 'Review' }], Default: 'Approve' },
      Review: { Type: 'Succeed' },
      Approve: { Type: 'Succeed' },
    },
  });

  it.each([
    ['a number, where the value is compared with a number', { Variable: '$.result.score', NumericGreaterThanPath: '$.reviewThreshold' }, 'number'],
    ['a timestamp, where it is compared with a timestamp', { Variable: '$.reviewThreshold', TimestampLessThan: '2030-01-01T00:00:00Z' }, 'timestamp'],
    ['a boolean, where it is compared with a boolean', { Variable: '$.reviewThreshold', BooleanEquals: true }, 'boolean'],
    ['a string its StringMatches pattern matches', { Variable: '$.reviewThreshold', StringMatches: 'review-*' }, 'match'],
  ])('seeds %s, never the field\'s name', async (_what, rule, kind) => {
    const wf = reading(rule);
    const report = await wf.explore();
    const seeds = report.scenarios.map((s) => (s.input as { reviewThreshold?: unknown }).reviewThreshold);
    expect(seeds).not.toContain('reviewThreshold');
    const fits = (v: unknown): boolean => (kind === 'number' ? typeof v === 'number'
      : kind === 'timestamp' ? typeof v === 'string' && !Number.isNaN(Date.parse(v))
        : kind === 'boolean' ? typeof v === 'boolean' : typeof v === 'string' && v.startsWith('review-'));
    // The first scenario holds the seed as written; the others, what the solver chose for a rule (an empty string takes a Default).
    expect(fits(seeds[0])).toBe(true);
    expect(report.choiceRules).toMatchObject({ reached: 2, notReached: [] });
    expect(report.search.complete).toBe(true);
    for (const s of report.scenarios) await replays(wf, s);
  });

  it('seeds a number where a JSONata Condition compares the field with < or >, and nothing for a name compared with two kinds', () => {
    const seeds = seedsOf(machineStates({
      QueryLanguage: 'JSONata',
      StartAt: 'Big',
      States: {
        Big: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.amount > $states.input.reviewThreshold %}', Next: 'Done' },
            { Condition: '{% $states.input.when < 3 %}', Next: 'Done' },
          ],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    } as StateMachineDefinition));
    expect(Object.fromEntries(seeds)).toEqual({ amount: 1, reviewThreshold: 1, when: 1 });
    const mixed = seedsOf(machineStates({
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.a.when', NumericEquals: 1, Next: 'D' }, { Variable: '$.b.when', BooleanEquals: true, Next: 'D' }], Default: 'D' },
        D: { Type: 'Succeed' },
      },
    } as StateMachineDefinition));
    expect(mixed.has('when')).toBe(false);
  });

});

describe('explore seeds the fields a variable is assigned from with the kind the machine compares the variable with', () => {
  it('writes a number for the input field a JSONPath variable compared with numbers comes from, in every scenario', async () => {
    const wf = machine({
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { 'lim.$': '$.limit' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.count', NumericGreaterThanPath: '$lim', Next: 'Over' }], Default: 'Under' },
        Over: { Type: 'Fail', Error: 'Over' },
        Under: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    // Before, the Default was reached with limit = 'limit': a type mismatch, not a count under the limit.
    expect(report.scenarios.map((s) => typeof (s.input as { limit?: unknown }).limit)).toEqual(report.scenarios.map(() => 'number'));
    expect(report.choiceRules).toMatchObject({ reached: 2, notReached: [] });
    for (const s of report.scenarios) await replays(wf, s);
  });

  it('follows JSONata Assign copies and JSONata comparisons of variables, and leaves $states and function calls alone', () => {
    const seeds = seedsOf(machineStates({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { max: '{% $states.input.ceiling %}', when: '{% $states.input.start %}', other: '{% $count($states.input.items) %}' }, Next: 'Big' },
        Big: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.amount > $max %}', Next: 'Done' },
            { Condition: '{% $count($states.input.items) >= 2 %}', Next: 'Done' },
          ],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    } as StateMachineDefinition));
    expect(Object.fromEntries(seeds)).toEqual({ amount: 1, ceiling: 1 });
  });
});

describe('explore seeds the arguments of intrinsic functions with values they take', () => {
  it('reaches past a Pass whose States.Hash, States.MathRandom and States.Format read their algorithm, range and template from the input', async () => {
    const report = await machine({
      StartAt: 'Compute',
      States: {
        Compute: {
          Type: 'Pass',
          Parameters: {
            'hash.$': 'States.Hash($.data, $.algorithm)',
            'pick.$': 'States.MathRandom($.start, $.end)',
            'text.$': 'States.Format($.template, $.first, $.second)',
          },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    }).explore();
    expect(report.states.notReached).toEqual([]);
    expect(reaching(report, 'states', 'Done').input).toMatchObject({ algorithm: 'SHA-256', start: 1, end: 2, template: '{} {}' });
  });

  it('seeds by position: the algorithm of States.Hash, an end past its start, one {} per value after a template', () => {
    const seeds = seedsOf(machineStates({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'h.$': 'States.Hash($.d, $.alg)', 'r.$': 'States.ArrayRange($.from, $.to, $.by)', 'f.$': 'States.Format($.t, $.x)' }, End: true } },
    } as StateMachineDefinition));
    expect(Object.fromEntries(seeds)).toEqual({ alg: 'SHA-256', from: 1, to: 2, by: 1, t: '{}' });
  });
});

describe('explore gives states the kind of value they read', () => {
  it('gives States.Base64Decode a base64 string, so the state after it is reached', async () => {
    const report = await machine({
      StartAt: 'Decode',
      States: { Decode: { Type: 'Pass', Parameters: { 'text.$': 'States.Base64Decode($.encoded)' }, Next: 'Done' }, Done: { Type: 'Succeed' } },
    }).explore();
    expect(report.states).toMatchObject({ reached: 2, notReached: [] });
  });

  it('gives a Task the field its Credentials read, so the Task runs', async () => {
    const report = await machine({
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: INVOKE, Credentials: { 'RoleArn.$': '$.RoleArn' }, Parameters: { FunctionName: 'f' }, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    }).explore();
    expect(report.states).toMatchObject({ reached: 2, notReached: [] });
  });
});
