import { machine, reaching, replays } from './helpers';
import type { JsonValue } from '../../src/asl/definition-types';
import { fail, succeed } from '../../src/testing';

/*
 * Issue 77: a Choice entered only through a Catch reads the error the Catch delivers, and a Catch
 * delivers only the errors its ErrorEquals names ("A Catcher ... matches an error when the error
 * name equals one of the strings in ErrorEquals"; States.ALL and States.TaskFailed are the
 * wildcards: Step Functions Developer Guide, "Handling errors in Step Functions workflows"). A
 * Default that only another error name takes is then unreachable, and explore proves it; beside
 * each proof, the same machine with a second name (or a wildcard) in the Catch, whose Default
 * explore must reach, never claim. No run of the proved machine, whatever error the Task raises,
 * enters the Default.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const CHARGE = 'arn:aws:lambda:us-east-1:123456789012:function:charge';

/** A charge whose one Catch goes to a Choice on the error's name; the Default is for any other name. */
function jsonPathMachine(errorEquals: readonly string[], resultPath = '$.error', read = '$.error.Error'): object {
  return {
    StartAt: 'Charge',
    States: {
      'Charge': {
        Type: 'Task',
        Resource: LAMBDA,
        Parameters: { 'FunctionName': CHARGE, 'Payload.$': '$' },
        ResultPath: '$.charge',
        Catch: [{ ErrorEquals: errorEquals, ResultPath: resultPath, Next: 'Why?' }],
        Next: 'Done',
      },
      'Why?': { Type: 'Choice', Choices: [{ Variable: read, StringEquals: 'Payment.Declined', Next: 'Declined' }], Default: 'Unknown' },
      'Declined': { Type: 'Fail', Error: 'Declined' },
      'Unknown': { Type: 'Fail', Error: 'Unknown' },
      'Done': { Type: 'Succeed' },
    },
  };
}

/** The same in JSONata, the error read from the Catch's Output or from a variable its Assign sets. */
function jsonataMachine(errorEquals: readonly string[], via: 'output' | 'assign'): object {
  const catcher = via === 'output'
    ? { ErrorEquals: errorEquals, Output: { error: '{% $states.errorOutput %}' }, Next: 'Why?' }
    : { ErrorEquals: errorEquals, Assign: { failure: '{% $states.errorOutput.Error %}' }, Next: 'Why?' };
  const condition = via === 'output' ? "{% $states.input.error.Error = 'Payment.Declined' %}" : "{% $failure = 'Payment.Declined' %}";
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Charge',
    States: {
      'Charge': {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: CHARGE, Payload: '{% $states.input %}' },
        Catch: [catcher],
        Next: 'Done',
      },
      'Why?': { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Declined' }], Default: 'Unknown' },
      'Declined': { Type: 'Fail', Error: 'Declined' },
      'Unknown': { Type: 'Fail', Error: 'Unknown' },
      'Done': { Type: 'Succeed' },
    },
  };
}

const PROVED: Record<string, object> = {
  'JSONPath, the error placed at $.error': jsonPathMachine(['Payment.Declined']),
  'JSONPath, the error output replacing the input (ResultPath $)': jsonPathMachine(['Payment.Declined'], '$', '$.Error'),
  'JSONata, the error output in the Catch\'s Output': jsonataMachine(['Payment.Declined'], 'output'),
  'JSONata, the error\'s name in a variable the Catch assigns': jsonataMachine(['Payment.Declined'], 'assign'),
};

/** Errors a run of `Charge` raises, one per run: the caught name, others, the wildcards' own. */
const RAISED = ['Payment.Declined', 'Payment.Expired', 'States.TaskFailed', 'States.Timeout', 'Lambda.ServiceException', 'States.Runtime'];

describe('explore on a Default behind a Catch of one error name', () => {
  it.each(Object.keys(PROVED))('%s: proves the Default unreachable, and no raised error takes it', async (name) => {
    const def = PROVED[name];
    const wf = machine(def);
    const report = await wf.explore();
    expect(report.choiceRules.unreachable.map((n) => n.rule)).toEqual(['Why?#default']);
    // The proof says where the error comes from.
    expect(report.choiceRules.unreachable[0].reason).toContain("it is entered only through the Catch of 'Charge' (ErrorEquals Payment.Declined)");
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Unknown']);
    expect(report.states.notReached).toEqual([]);
    expect(report.search.complete).toBe(true);
    for (const s of report.scenarios) await replays(wf, s);
    // Soundness: whatever the Task raises, or answers, the Default is never taken.
    const outcomes: JsonValue[] = [{ ok: true }, ...RAISED];
    for (const outcome of outcomes) {
      const mock = typeof outcome === 'string' ? fail(outcome, 'declined by the bank') : succeed({ Payload: outcome });
      const run = await wf.run({ id: 1 }, { mocks: { Charge: mock } });
      expect({ outcome, entered: run.path.includes('Unknown') }).toEqual({ outcome, entered: false });
    }
  });

  it.each([
    ['a second name in the Catch', jsonPathMachine(['Payment.Declined', 'Payment.Expired'])],
    ['States.ALL in the Catch', jsonPathMachine(['States.ALL'])],
    ['States.TaskFailed in the Catch', jsonPathMachine(['Payment.Declined', 'States.TaskFailed'])],
    ['a second name in the JSONata Catch', jsonataMachine(['Payment.Declined', 'Payment.Expired'], 'output')],
    ['States.ALL in the JSONata Catch that assigns', jsonataMachine(['States.ALL'], 'assign')],
  ])('reaches the Default, never proves it, with %s', async (_name, def) => {
    const wf = machine(def);
    const report = await wf.explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    const s = reaching(report, 'states', 'Unknown');
    await replays(wf, s);
  });
});

/** A Parallel whose Catch takes `caught`; a Choice routing each of `routed` by the error's name, the Default for any other. */
function routedMachine(caught: readonly string[], routed: readonly string[]): object {
  const lambda = (fn: string) => ({ Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: fn, Payload: {} }, End: true });
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Both',
    States: {
      'Both': {
        Type: 'Parallel',
        Branches: [{ StartAt: 'A', States: { A: lambda('a') } }, { StartAt: 'B', States: { B: lambda('b') } }],
        Catch: [{ ErrorEquals: caught, Output: '{% $states.errorOutput %}', Next: 'Which?' }],
        Next: 'Done',
      },
      'Which?': {
        Type: 'Choice',
        Choices: routed.map((name, i) => ({ Condition: `{% $states.input.Error = '${name}' %}`, Next: `Route ${i}` })),
        Default: 'Other',
      },
      ...Object.fromEntries(routed.map((_n, i) => [`Route ${i}`, { Type: 'Succeed' }])),
      'Other': { Type: 'Fail', Error: 'Other' },
      'Done': { Type: 'Succeed' },
    },
  };
}

describe('explore on a Default behind a Catch of several error names, each routed', () => {
  const names = ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.Unknown'];

  it('proves the Default unreachable when a rule names each error the Catch takes', async () => {
    const def = routedMachine(names.slice(0, 2), names.slice(0, 2));
    const wf = machine(def);
    const report = await wf.explore();
    expect(report.choiceRules.unreachable.map((n) => n.rule)).toEqual(['Which?#default']);
    expect(report.search.complete).toBe(true);
    for (const error of [...names, 'States.TaskFailed']) {
      const run = await wf.run({}, { mocks: { A: fail(error, 'c'), B: succeed({}) } });
      expect({ error, entered: run.path.includes('Other') }).toEqual({ error, entered: false });
    }
  });

  it('reaches the Default, never proves it, when the Catch takes a name no rule routes', async () => {
    const wf = machine(routedMachine(names, names.slice(0, 2)));
    const report = await wf.explore();
    expect(report.choiceRules.unreachable).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Other'));
  });
});

describe('explore on a Choice on part of the error name a Catch assigns', () => {
  it('fails the Task with an error its integration raises that holds the part ($contains($why, \'Throttl\'))', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Send',
      States: {
        'Send': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: '{% $string($states.input) %}' },
          Catch: [
            { ErrorEquals: ['SQS.QueueDoesNotExistException'], Assign: { why: 'missing' }, Next: 'Route' },
            { ErrorEquals: ['States.ALL'], Assign: { why: '{% $states.errorOutput.Error %}' }, Next: 'Route' },
          ],
          Next: 'Sent',
        },
        'Route': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $why = 'missing' %}", Next: 'Create queue' }, { Condition: "{% $contains($why, 'Throttl') %}", Next: 'Later' }],
          Default: 'Alarm',
        },
        'Create queue': { Type: 'Succeed' },
        'Later': { Type: 'Succeed' },
        'Alarm': { Type: 'Fail', Error: 'Alarm' },
        'Sent': { Type: 'Succeed' },
      },
    };
    const wf = machine(def);
    const report = await wf.explore();
    const later = reaching(report, 'states', 'Later');
    await replays(wf, later);
    // SQS raises throttling errors of its own: the one chosen is among them.
    expect(JSON.stringify(later.mocks.Send)).toMatch(/SQS\.\w*Throttled\w*/);
    expect(report.search.complete).toBe(true);
  });
});

describe('explore on a Catch whose Output reads the input', () => {
  it('gives the input the field the Catch\'s Output reads, so that the Catch takes the error', async () => {
    const def = jsonataMachine(['Payment.Declined'], 'output') as { States: { Charge: { Catch: Array<{ Output: unknown }> } } };
    def.States.Charge.Catch[0].Output = { order: '{% $states.input.order %}', error: '{% $states.errorOutput %}' };
    const wf = machine(def);
    const report = await wf.explore();
    const declined = reaching(report, 'states', 'Declined');
    await replays(wf, declined);
    expect(declined.input).toEqual(expect.objectContaining({ order: expect.anything() }));
    expect(report.catches.notReached).toEqual([]);
  });
});
