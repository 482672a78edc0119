// A 500-state machine shaped like real workflows, for bench/render.mjs: blocks of a Task with
// Retry and a Catch to the block's own handler, a Choice with two rules, a Map with an item
// processor, and a Parallel with two branches, chained one after another.

/** One block: 17 states (top level and nested), named with the block number. */
function block(i, next) {
  const n = (s) => `${s} ${i}`;
  return {
    [n('Load order')]: {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: n('Route'),
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: n('Handle error') }],
    },
    [n('Handle error')]: { Type: 'Pass', Next: n('Record failure') },
    [n('Record failure')]: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Next: next },
    [n('Route')]: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.total', NumericGreaterThan: 1000, Next: n('Approve') },
        { And: [{ Variable: '$.country', StringEquals: 'DE' }, { Variable: '$.vat', IsPresent: false }], Next: n('Add VAT') },
      ],
      Default: n('Items'),
    },
    [n('Approve')]: { Type: 'Wait', Seconds: 60, Next: n('Items') },
    [n('Add VAT')]: { Type: 'Pass', Next: n('Items') },
    [n('Items')]: {
      Type: 'Map', ItemsPath: '$.items', Next: n('Fan out'),
      ItemProcessor: {
        StartAt: n('Price'),
        States: {
          [n('Price')]: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: n('Check stock') },
          [n('Check stock')]: { Type: 'Choice', Choices: [{ Variable: '$.stock', NumericEquals: 0, Next: n('Out of stock') }], Default: n('Priced') },
          [n('Out of stock')]: { Type: 'Fail', Error: 'Stock.Empty' },
          [n('Priced')]: { Type: 'Succeed' },
        },
      },
    },
    [n('Fan out')]: {
      Type: 'Parallel', Next: n('Done'),
      Branches: [
        { StartAt: n('Email'), States: { [n('Email')]: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Next: n('Log email') }, [n('Log email')]: { Type: 'Pass', End: true } } },
        { StartAt: n('Invoice'), States: { [n('Invoice')]: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: n('Store invoice') }, [n('Store invoice')]: { Type: 'Task', Resource: 'arn:aws:states:::s3:putObject', End: true } } },
      ],
    },
    [n('Done')]: { Type: 'Pass', Next: next },
  };
}

/** A machine of exactly `states` states: blocks, Pass states to make up the count, and a final Succeed. */
function benchMachine(states = 500) {
  const blocks = Math.floor((states - 1) / 17);
  const padding = states - 1 - blocks * 17;
  const tail = padding > 0 ? 'Pad 0' : 'Finished';
  const States = {};
  for (let i = 0; i < blocks; i++) Object.assign(States, block(i, i + 1 < blocks ? `Load order ${i + 1}` : tail));
  for (let i = 0; i < padding; i++) States[`Pad ${i}`] = { Type: 'Pass', Next: i + 1 < padding ? `Pad ${i + 1}` : 'Finished' };
  States.Finished = { Type: 'Succeed' };
  return { Comment: `${states}-state benchmark machine`, StartAt: blocks > 0 ? 'Load order 0' : tail, States };
}
module.exports = { benchMachine };
