import { StatesError } from '../../src/asl/states-errors';
import { compileStateMachine } from '../../src/interpreter';
import type { ExecutionResult } from '../../src/interpreter';
import '../../src/testing/setup';

const definition = {
  StartAt: 'Validate',
  States: {
    Validate: { Type: 'Pass', Next: 'Charge' },
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 3, MaxAttempts: 2 }],
      Next: 'Ship',
    },
    Ship: { Type: 'Pass', Result: { shipped: true }, End: true },
  },
} as const;

/** Runs the machine; Charge throws each error in `errors` (one per attempt), then returns `{ id: 'ch_1' }`. */
async function run(errors: Array<[string, string]> = []): Promise<ExecutionResult> {
  let attempt = 0;
  const machine = compileStateMachine(definition as never, {
    taskHandlers: {
      Charge: () => {
        const e = errors[attempt++];
        if (e) throw new StatesError(e[0], e[1]);
        return { id: 'ch_1' };
      },
    },
  });
  return machine.start({ orderId: 'o-1' }).result;
}

let ok: ExecutionResult;
let retried: ExecutionResult;
let declined: ExecutionResult;
beforeAll(async () => {
  ok = await run();
  retried = await run([['Flaky', 'try again']]);
  declined = await run([['Payment.Declined', 'card declined']]);
});

/** The summary a failing matcher prints under its headline, for `ok`: the last 8 of its events. */
const SHIPPED = `  status: SUCCEEDED
  output: {"shipped":true}
  path:   Validate → Charge → Ship
  last 8 of 11 events:
    #4 +0s TaskStateEntered Charge
    #5 +0s TaskScheduled
    #6 +0s TaskStarted
    #7 +0s TaskSucceeded
    #8 +0s TaskStateExited Charge
    #9 +0s PassStateEntered Ship
    #10 +0s PassStateExited Ship
    #11 +0s ExecutionSucceeded`;

/** The same summary for `declined`: error, cause and all 8 events. */
const DECLINED = `  status: FAILED
  error:  Payment.Declined
  cause:  card declined
  path:   Validate → Charge
  last 8 of 8 events:
    #1 +0s ExecutionStarted
    #2 +0s PassStateEntered Validate
    #3 +0s PassStateExited Validate
    #4 +0s TaskStateEntered Charge
    #5 +0s TaskScheduled
    #6 +0s TaskStarted
    #7 +0s TaskFailed Payment.Declined: card declined
    #8 +0s ExecutionFailed Payment.Declined: card declined`;

/** The same summary for `retried`: the retry's 3 seconds show in the times. */
const RETRIED = `  status: SUCCEEDED
  output: {"shipped":true}
  path:   Validate → Charge → Ship
  last 8 of 14 events:
    #7 +0s TaskFailed Flaky: try again
    #8 +3s TaskScheduled
    #9 +3s TaskStarted
    #10 +3s TaskSucceeded
    #11 +3s TaskStateExited Charge
    #12 +3s PassStateEntered Ship
    #13 +3s PassStateExited Ship
    #14 +3s ExecutionSucceeded`;

/** The message `assertion` fails with; fails the test when it does not fail. */
function failureOf(assertion: () => void): string {
  try {
    assertion();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the matcher to fail, but it passed');
}

/** Asserts that `assertion` fails with exactly `headline`, a blank line, then `summary`. */
function expectFailure(assertion: () => void, headline: string, summary: string): void {
  expect(failureOf(assertion)).toBe(`${headline}\n\n${summary}`);
}

describe('toSucceed', () => {
  it('passes for a SUCCEEDED execution', () => {
    expect(ok).toSucceed();
  });

  it('fails for a FAILED execution, showing status, error, cause, path and the last events', () => {
    expectFailure(() => expect(declined).toSucceed(), 'expected the execution to succeed, but it FAILED', DECLINED);
  });

  it('with .not, fails for a SUCCEEDED execution', () => {
    expect(declined).not.toSucceed();
    expectFailure(() => expect(ok).not.toSucceed(), 'expected the execution not to succeed, but it SUCCEEDED', SHIPPED);
  });

  it('rejects a value that is not an execution result, naming what it got', () => {
    expect(() => expect(Promise.resolve()).toSucceed()).toThrow('toSucceed: expected an execution result (the value of wf.run(...) or execution.result), got a Promise (did you forget await?)');
  });
});

describe('toFail', () => {
  it('passes for a FAILED execution with no error given', () => {
    expect(declined).toFail();
  });

  it('matches the error exactly and the cause by string, RegExp or asymmetric matcher', () => {
    expect(declined).toFail('Payment.Declined', 'card declined');
    expect(declined).toFail('Payment.Declined', /declined$/);
    expect(declined).toFail(expect.stringMatching(/^Payment\./), expect.stringContaining('card'));
  });

  it('fails for a SUCCEEDED execution', () => {
    expectFailure(() => expect(ok).toFail('Payment.Declined'), 'expected the execution to fail with error "Payment.Declined", but it SUCCEEDED', SHIPPED);
  });

  it('fails when the error or the cause differs, naming what it got', () => {
    expectFailure(() => expect(declined).toFail('Payment.Timeout'), 'expected the execution to fail with error "Payment.Timeout", but it FAILED with error "Payment.Declined"', DECLINED);
    expectFailure(() => expect(declined).toFail('Payment.Declined', /expired/), 'expected the execution to fail with error "Payment.Declined" and cause /expired/, but it FAILED with cause "card declined"', DECLINED);
  });

  it('with .not, passes for another error and fails for the same one', () => {
    expect(declined).not.toFail('Payment.Timeout');
    expect(ok).not.toFail();
    expectFailure(() => expect(declined).not.toFail('Payment.Declined'), 'expected the execution not to fail with error "Payment.Declined", but it FAILED with error "Payment.Declined"', DECLINED);
  });
});

describe('toHaveVisited', () => {
  it('passes when every named state was entered', () => {
    expect(ok).toHaveVisited('Validate', 'Ship');
  });

  it('fails naming the states never entered', () => {
    expectFailure(() => expect(declined).toHaveVisited('Charge', 'Ship'), "expected the execution to visit 'Charge', 'Ship', but it never entered 'Ship'", DECLINED);
  });

  it('with .not, passes only when none of the states was entered', () => {
    expect(declined).not.toHaveVisited('Ship', 'Refund');
    expectFailure(() => expect(declined).not.toHaveVisited('Ship', 'Charge'), "expected the execution not to visit 'Ship', 'Charge', but it visited 'Charge'", DECLINED);
  });

  it('requires at least one state name', () => {
    expect(() => expect(ok).toHaveVisited()).toThrow('toHaveVisited: name at least one state');
  });

  it('takes asymmetric matchers, met by any state entered that matches, and names them when unmet', () => {
    expect(ok).toHaveVisited(expect.stringMatching(/^Cha/), 'Ship');
    expect(declined).not.toHaveVisited(expect.stringMatching(/^Sh/));
    expect(() => expect(declined).toHaveVisited('Charge', expect.stringMatching(/^Sh/)))
      .toThrow("expected the execution to visit 'Charge', StringMatching /^Sh/, but it never entered StringMatching /^Sh/");
    expect(() => expect(ok).toHaveVisited(42 as unknown as string)).toThrow('toHaveVisited: expected state names or asymmetric matchers (expect.stringMatching(...)), got 42');
  });
});

describe('toHavePath', () => {
  it('passes for the exact path in order', () => {
    expect(ok).toHavePath(['Validate', 'Charge', 'Ship']);
  });

  it('fails at the first step that differs', () => {
    expectFailure(() => expect(ok).toHavePath(['Validate', 'Ship', 'Charge']), "expected the path Validate → Ship → Charge\n  but step 2 was 'Charge', expected 'Ship'", SHIPPED);
  });

  it('fails when the execution stopped early or went further', () => {
    expectFailure(() => expect(declined).toHavePath(['Validate', 'Charge', 'Ship']), "expected the path Validate → Charge → Ship\n  but it stopped after 2 states, before 'Ship'", DECLINED);
    expectFailure(() => expect(ok).toHavePath(['Validate', 'Charge']), "expected the path Validate → Charge\n  but it went on to 'Ship' after the 2 expected states", SHIPPED);
  });

  it('prints a long path (a loop gone round 162 times) by its first and last 15 states and how many were left out, in both paths', () => {
    const rounds = Array.from({ length: 162 }, (_, i) => [`Poll ${i + 1}`, `Wait ${i + 1}`]).flat();
    const looped = { ...ok, path: rounds } as ExecutionResult;
    const message = failureOf(() => expect(looped).toHavePath([...rounds.slice(0, -1), 'Done']));
    expect(message).toContain(`expected the path ${rounds.slice(0, 15).join(' → ')} → … 294 states left out … → ${[...rounds.slice(-15, -1), 'Done'].join(' → ')}\n`);
    expect(message).toContain("but step 324 was 'Wait 162', expected 'Done'");
    expect(message).toContain(`  path:   ${rounds.slice(0, 15).join(' → ')} → … 294 states left out … → ${rounds.slice(-15).join(' → ')} (324 states)`);
    expect(message.length).toBeLessThan(2_500);
  });

  it('takes expect.arrayContaining (and any asymmetric matcher) for the whole path, and prints the path taken when it is not met', () => {
    expect(ok).toHavePath(expect.arrayContaining(['Ship', 'Validate']));
    expect(declined).not.toHavePath(expect.arrayContaining(['Ship']));
    expect(() => expect(declined).toHavePath(expect.arrayContaining(['Charge', 'Ship'])))
      .toThrow(/^expected the path to match ArrayContaining \["Charge", "Ship"\]\n {2}but it was Validate → Charge\n/);
    expect(() => expect(ok).not.toHavePath(expect.arrayContaining(['Charge'])))
      .toThrow(/^expected the path not to match ArrayContaining \["Charge"\]\n/);
  });

  it('takes an asymmetric matcher for a step, and names it where the path leaves it', () => {
    expect(ok).toHavePath(['Validate', expect.stringMatching(/^Ch/), 'Ship']);
    expect(() => expect(ok).toHavePath(['Validate', expect.stringMatching(/^Sh/), 'Ship']))
      .toThrow("expected the path Validate → StringMatching /^Sh/ → Ship\n  but step 2 was 'Charge', expected StringMatching /^Sh/");
  });

  it('refuses what is neither a list nor an asymmetric matcher, saying what it takes', () => {
    expect(() => expect(ok).toHavePath('Validate' as never)).toThrow('toHavePath: expected an array of state names or an asymmetric matcher (expect.arrayContaining([...])), got "Validate"');
  });

  it('with .not, fails for the exact path', () => {
    expect(ok).not.toHavePath(['Validate', 'Ship']);
    expectFailure(() => expect(ok).not.toHavePath(['Validate', 'Charge', 'Ship']), 'expected the execution not to take the path Validate → Charge → Ship', SHIPPED);
  });
});

describe('toHaveRetried', () => {
  it('counts the re-scheduled attempts of a state', () => {
    expect(retried).toHaveRetried('Charge', 1);
    expect(ok).toHaveRetried('Charge', 0);
  });

  it('fails with the count it found', () => {
    expectFailure(() => expect(retried).toHaveRetried('Charge', 2), "expected 'Charge' to be retried 2 times, but it was retried 1 time", RETRIED);
  });

  it('says when the state was never entered', () => {
    expect(() => expect(declined).toHaveRetried('Ship', 1)).toThrow("expected 'Ship' to be retried 1 time, but it was retried 0 times (it was never entered)");
  });

  it('with .not, fails for the exact count', () => {
    expect(retried).not.toHaveRetried('Charge', 0);
    expectFailure(() => expect(retried).not.toHaveRetried('Charge', 1), "expected 'Charge' not to be retried 1 time, but it was", RETRIED);
  });

  describe('of a Parallel or Map whose branch failed once', () => {
    const work = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };
    const retry = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1 }];
    /** Runs `state` as the whole machine; its inner Task Work fails with Flaky `failures` times, then succeeds. */
    const runOnce = async (state: Record<string, unknown>, failures = 1, input: Record<string, unknown> = {}) => {
      let attempt = 0;
      const machine = compileStateMachine({ StartAt: 'S', States: { S: state } } as never, {
        taskHandlers: { Work: () => { if (attempt++ < failures) throw new StatesError('Flaky', 'try again'); return {}; } },
      });
      return machine.start(input as never).result;
    };

    it('counts the re-run of a Parallel as its retry', async () => {
      const result = await runOnce({ Type: 'Parallel', Retry: retry, End: true, Branches: [{ StartAt: 'Work', States: { Work: work } }] });
      expect(result).toSucceed();
      expect(result).toHaveRetried('S', 1);
      expect(result).toHaveRetried('Work', 0);
    });

    it('counts the re-run of a Map as its retry', async () => {
      const result = await runOnce({ Type: 'Map', ItemsPath: '$.items', Retry: retry, End: true, ItemProcessor: { StartAt: 'Work', States: { Work: work } } }, 1, { items: [1, 2] });
      expect(result).toSucceed();
      expect(result).toHaveRetried('S', 1);
      expect(result).toHaveRetried('Work', 0);
    });

    it('counts a retry of the Task inside a Parallel for the Task only', async () => {
      const result = await runOnce({ Type: 'Parallel', Retry: retry, End: true, Branches: [{ StartAt: 'Work', States: { Work: { ...work, Retry: retry } } }] }, 2);
      expect(result).toSucceed();
      expect(result).toHaveRetried('Work', 2);
      expect(result).toHaveRetried('S', 0);
    });
  });

  it('rejects a count that is not a non-negative integer', () => {
    expect(() => expect(ok).toHaveRetried('Charge', -1)).toThrow('toHaveRetried: expected a count of retries (an integer >= 0), got -1');
  });
});

describe('toHaveOutput', () => {
  it('passes for an equal output, asymmetric matchers included', () => {
    expect(ok).toHaveOutput({ shipped: true });
    expect(ok).toHaveOutput(expect.objectContaining({ shipped: expect.any(Boolean) }));
  });

  it('fails showing both outputs', () => {
    expectFailure(() => expect(ok).toHaveOutput({ shipped: false }), 'expected the execution to output\n    {"shipped":false}\n  but it output\n    {"shipped":true}', SHIPPED);
  });

  it('fails for an execution that did not succeed', () => {
    expectFailure(() => expect(declined).toHaveOutput({ shipped: true }), 'expected the execution to output {"shipped":true}, but it FAILED (no output)', DECLINED);
  });

  it('with .not, fails for an equal output', () => {
    expect(ok).not.toHaveOutput({ shipped: false });
    expectFailure(() => expect(ok).not.toHaveOutput({ shipped: true }), 'expected the execution not to output {"shipped":true}', SHIPPED);
  });
});
