// The machine of N Task+Choice pairs explore is measured on at scale: bench/explore-scale.mjs
// runs it, and test/explore/budget.test.ts bounds explore's budget on it. One builder for both,
// so the benchmark and the test speak of the same machine. Plain CommonJS beside its .d.ts (as
// render-machine.js) because the bench runs it as it is and the test imports it through ts-jest;
// a helper under test/ would need compiling before the bench could load it.

/**
 * N pairs: Task i (a Lambda, its answer kept) then Check i on the answer's status (OK goes on,
 * anything else fails). `retryAndCatchAt` gives that Task a Retry on `Busy` and a Catch to Failed.
 */
function pairsMachine(n, options = {}) {
  const States = {};
  for (let i = 0; i < n; i++) {
    States[`Task ${i}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': `step-${i}`, 'Payload.$': '$.order' },
      ResultPath: `$.steps.s${i}`,
      ...(i === options.retryAndCatchAt ? { Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }] } : {}),
      Next: `Check ${i}`,
    };
    States[`Check ${i}`] = {
      Type: 'Choice',
      Choices: [{ Variable: `$.steps.s${i}.Payload.status`, StringEquals: 'OK', Next: i + 1 < n ? `Task ${i + 1}` : 'Done' }],
      Default: 'Failed',
    };
  }
  States.Done = { Type: 'Succeed' };
  States.Failed = { Type: 'Fail', Error: 'StepFailed' };
  return { StartAt: 'Task 0', States };
}
module.exports = { pairsMachine };
