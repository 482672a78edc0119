import { machine, reaching, replays } from './helpers';

/*
 * Issue 77, explore round 4: a Map whose items an expression computes. A JSONata Map's `Items`
 * given as a filter over the input (`{% $states.input.orders[status = 'open'] %}`) ran no
 * iteration ("it needs a value that comes from the Items of Map …"): explore gave such a Map one
 * item only where `Items` read a path. It now steers the expression to give a list of at least
 * one item (each passing the filter), and the fields a later state reads of an item through it.
 */

/**
 * A JSONata machine of one Map, `map`, over `items`: each item (as `itemSelector` shapes it) goes
 * through the Choice `choice`, to the Succeed `yes` where `condition` holds, else to `no`.
 */
function choiceOverItems(map: string, items: string, [choice, condition, yes, no]: [string, string, string, string], itemSelector?: object) {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: map,
    States: {
      [map]: {
        Type: 'Map',
        Items: items,
        ...(itemSelector ? { ItemSelector: itemSelector } : {}),
        ItemProcessor: {
          StartAt: choice,
          States: {
            [choice]: { Type: 'Choice', Choices: [{ Condition: condition, Next: yes }], Default: no },
            [yes]: { Type: 'Succeed' },
            [no]: { Type: 'Succeed' },
          },
        },
        End: true,
      },
    },
  });
}

const OPEN_ORDERS = "{% $states.input.orders[status = 'open'] %}";

describe('explore makes up the items a JSONata Items expression computes', () => {
  it('reaches the states inside a Map whose Items filters the input, each item passing the filter', async () => {
    const wf = choiceOverItems('Each open order', OPEN_ORDERS, ['Large?', '{% $states.input.total > 100 %}', 'Large', 'Small']);
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    for (const state of ['Large?', 'Large', 'Small']) {
      const s = reaching(report, 'states', state);
      const orders = (s.input as { orders: Array<{ status: string }> }).orders;
      expect(orders.some((o) => o.status === 'open')).toBe(true);
      await replays(wf, s);
    }
  });
});

describe('explore gives an item an index through the expression that computes the items', () => {
  it('reaches a branch on $states.context.Map.Item.Index >= 2 of a Map whose Items filters the input, with three open orders', async () => {
    const wf = choiceOverItems(
      'Each open order',
      OPEN_ORDERS,
      ['Third or later?', '{% $states.input.position >= 2 %}', 'Late', 'Early'],
      { position: '{% $states.context.Map.Item.Index %}', order: '{% $states.context.Map.Item.Value %}' },
    );
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const late = reaching(report, 'states', 'Late');
    const orders = (late.input as { orders: Array<{ status: string }> }).orders;
    expect(orders.filter((o) => o.status === 'open').length).toBeGreaterThanOrEqual(3);
    await replays(wf, late);
  });
});

describe('explore gives a range the bounds that make items', () => {
  it('reaches the states inside a Map over [1..$states.input.count], and the branch on an item over 3', async () => {
    const wf = choiceOverItems('Each page', '{% [1..$states.input.count] %}', ['Past the third?', '{% $states.input > 3 %}', 'Later page', 'Early page']);
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const later = reaching(report, 'states', 'Later page');
    expect((later.input as { count: number }).count).toBeGreaterThan(3);
    await replays(wf, later);
  });
});

describe('explore makes up a Task answer whose filtered items a Map without Items runs', () => {
  it('fills every item of the filtered list with the field the item processor reads, so no item before it fails', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Open orders',
      States: {
        'Open orders': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: { TableName: 'Orders', KeyConditionExpression: 'shop = :s', ExpressionAttributeValues: { ':s': { S: 'north' } } },
          Output: "{% $states.result.Items[status.S = 'open'] %}",
          Next: 'Each order',
        },
        'Each order': {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Large?',
            States: {
              'Large?': { Type: 'Choice', Choices: [{ Condition: '{% $number($states.input.total.N) > 100 %}', Next: 'Large' }], Default: 'Small' },
              'Large': { Type: 'Succeed' },
              'Small': { Type: 'Succeed' },
            },
          },
          End: true,
        },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Large'));
    await replays(wf, reaching(report, 'states', 'Small'));
  });
});

describe('explore gets a Map whose Items filters the input past it', () => {
  it('gives the filter two items or more (one kept item is an object, not a list), each with the fields every item reads', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Each open order',
      States: {
        'Each open order': {
          Type: 'Map',
          Items: OPEN_ORDERS,
          ItemSelector: { position: '{% $states.context.Map.Item.Index %}', order: '{% $states.context.Map.Item.Value %}' },
          ItemProcessor: {
            StartAt: 'First?',
            States: {
              'First?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.position = 0 %}', Next: 'Large?' }], Default: 'Later' },
              'Large?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $states.input.order.units * $states.input.order.unitPrice > 5000 %}', Next: 'Large' }],
                Default: 'Small',
              },
              'Large': { Type: 'Succeed' },
              'Small': { Type: 'Succeed' },
              'Later': { Type: 'Succeed' },
            },
          },
          Next: 'Done',
        },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const done = reaching(report, 'states', 'Done');
    const open = (done.input as { orders: Array<{ status: string }> }).orders.filter((o) => o.status === 'open');
    expect(open.length).toBeGreaterThanOrEqual(2);
    await replays(wf, done);
  });
});

describe('explore names only what stops a Map whose Items it cannot make a list', () => {
  it('does not blame $states.context.Map.Item.Index, which AWS gives every item, beside the Items that gave no list', async () => {
    const report = await machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          Items: '{% $states.context.Execution.StartTime %}',
          ItemSelector: { position: '{% $states.context.Map.Item.Index %}' },
          ItemProcessor: { StartAt: 'Step', States: { Step: { Type: 'Pass', End: true } } },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    }).explore();
    const done = report.states.notReached.find((n) => n.state === 'Done');
    // Named as a JSONata state writes it, not as JSONPath's `$$.`.
    expect(done?.reason).toContain('Items reads $states.context.Execution.StartTime from the Context Object, which explore cannot change');
    expect(done?.reason).not.toContain('Map.Item.Index');
  });
});

describe('explore blames $$.Map.Item a Map reads outside its ItemSelector', () => {
  it('names the ResultSelector that reads $$.Map.Item.Value, which no run of a Map outside a Map has', async () => {
    const report = await machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.list',
          Parameters: { 'slot.$': '$$.Map.Item.Index' },
          ItemProcessor: { StartAt: 'Step', States: { Step: { Type: 'Pass', End: true } } },
          ResultSelector: { 'where.$': '$$.Map.Item.Value.x' },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    }).explore();
    const done = report.states.notReached.find((n) => n.state === 'Done');
    expect(done?.reason).toContain('ResultSelector.where.$ reads $$.Map.Item.Value.x from the Context Object, which explore cannot change');
    expect(done?.reason).not.toContain('Map.Item.Index');
  });
});
