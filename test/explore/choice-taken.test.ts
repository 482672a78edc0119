import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { traceRun } from '../../src/explore/choice-taken';
import { exploreMachine } from '../../src/explore/engine';
import type { ScenarioRunner } from '../../src/explore/runner';
import { traceExecution } from '../../src/explore/trace';
import { coverageSummary, recordExecution, resetCoverage } from '../../src/testing/coverage';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';

/** Rules 0 and 1 and the Default all go to 'Same': only the rules, evaluated again, tell which one took a run. */
const jsonata = {
  QueryLanguage: 'JSONata',
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $states.input.n > 5 %}', Next: 'Same' },
        { Condition: '{% $states.input.n < -5 %}', Next: 'Same' },
      ],
      Default: 'Same',
    },
    Same: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

const withInputPath = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      InputPath: '$.order',
      Choices: [
        { Variable: '$.n', NumericGreaterThan: 5, Next: 'Same' },
        { Variable: '$.n', NumericLessThan: -5, Next: 'Same' },
      ],
      Default: 'Same',
    },
    Same: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

const withVariable = {
  StartAt: 'Keep',
  States: {
    Keep: { Type: 'Pass', Assign: { 'limit.$': '$.limit' }, Next: 'Check' },
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.n', NumericGreaterThanPath: '$limit', Next: 'Same' }],
      Default: 'Same',
    },
    Same: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

async function taken(definition: StateMachineDefinition, input: JsonValue): Promise<string[]> {
  const run = await Workflow.fromDefinition(definition).run(input);
  return [...(await traceRun(definition, run.history)).choices.keys()];
}

describe('the Choice rule a run took when several lead to the same state', () => {
  it.each([
    ['a JSONata Choice', jsonata, (n: number) => ({ n })],
    ['a JSONPath Choice with an InputPath', withInputPath, (n: number) => ({ order: { n } })],
  ])('is decided by evaluating the rules of %s again', async (_kind, definition, input) => {
    expect(await taken(definition, input(0))).toEqual(['Check#default']);
    expect(await taken(definition, input(9))).toEqual(['Check#0']);
    expect(await taken(definition, input(-9))).toEqual(['Check#1']);
  });

  it('reads the variables the run assigned before the Choice', async () => {
    expect(await taken(withVariable, { n: 3, limit: 1 })).toEqual(['Check#0']);
    expect(await taken(withVariable, { n: 0, limit: 1 })).toEqual(['Check#default']);
  });

  it('credits no rule when the rules read what the history does not hold', async () => {
    const definition = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$$.Execution.Name', StringEquals: 'x', Next: 'Same' }], Default: 'Same' },
        Same: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(await taken(definition, {})).toEqual([]);
  });

  it('decides a rule on the time since the execution started, which the history holds', async () => {
    // The start is the ExecutionStarted event's time, $millis() the time the Choice was entered: a run that waited past
    // the deadline took rule 0, one that did not the Default, though both went to 'Same'.
    const deadline = {
      QueryLanguage: 'JSONata',
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: '{% $states.input.seconds %}', Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $millis() - $toMillis($states.context.Execution.StartTime) > 60000 and $states.context.State.Name = "Check" %}', Next: 'Same' },
          ],
          Default: 'Same',
        },
        Same: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect(await taken(deadline, { seconds: 120 })).toEqual(['Check#0']);
    expect(await taken(deadline, { seconds: 0 })).toEqual(['Check#default']);
  });

  it('is not guessed by the synchronous trace: it leaves the visit undecided', async () => {
    const run = await Workflow.fromDefinition(jsonata).run({ n: 0 });
    const trace = traceExecution(jsonata, run.history);
    expect([...trace.choices]).toEqual([]);
    expect(trace.undecided).toEqual([{ state: 'Check', entered: expect.any(Number), candidates: [0, 1, 'default'] }]);
  });

  it('gives explore the rule each scenario took: every rule reached by a run that takes it', async () => {
    const report = await Workflow.fromDefinition(jsonata).explore();
    expect(report.choiceRules).toMatchObject({ reached: 3, total: 3, notReached: [] });
    const n = (rule: string): number => (report.scenarios.find((s) => s.covers.choiceRules?.includes(rule))!.input as { n: number }).n;
    expect(n('Check#0')).toBeGreaterThan(5);
    expect(n('Check#1')).toBeLessThan(-5);
    expect(Math.abs(n('Check#default'))).toBeLessThanOrEqual(5);
  });

  it('gives the jest coverage the rule a run took, not the first that leads there', async () => {
    resetCoverage();
    await recordExecution(jsonata, await Workflow.fromDefinition(jsonata).run({ n: 0 }));
    const [summary] = coverageSummary();
    expect(summary.choices).toMatchObject({ covered: 1, total: 3, missed: ['Check#0', 'Check#1'] });
    resetCoverage();
  });

  it('credits and reaches each rule of a Choice a loop enters with another counter each pass, a rule open only at a middle pass included', async () => {
    // Pass 1 takes rule 0, pass 2 rule 1 only when k > 3 (else rule 2), pass 3 rule 2, pass 4 the Default: every rule leads to 'Count'.
    const looping = {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        'Start': { Type: 'Pass', Assign: { i: 0 }, Next: 'Again?' },
        'Again?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $i = 0 %}', Assign: { i: '{% $i + 1 %}' }, Next: 'Count' },
            { Condition: '{% $i = 1 and $states.input.k > 3 %}', Assign: { i: '{% $i + 1 %}' }, Next: 'Count' },
            { Condition: '{% $i < 3 %}', Assign: { i: '{% $i + 1 %}' }, Next: 'Count' },
          ],
          Default: 'Done',
        },
        'Count': { Type: 'Pass', Next: 'Again?' },
        'Done': { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    expect((await taken(looping, { k: 0 })).sort()).toEqual(['Again?#0', 'Again?#2', 'Again?#default']);
    expect((await taken(looping, { k: 4 })).sort()).toEqual(['Again?#0', 'Again?#1', 'Again?#2', 'Again?#default']);
    const report = await Workflow.fromDefinition(looping).explore();
    expect(report.choiceRules).toMatchObject({ reached: 4, total: 4, notReached: [] });
    const rule1 = report.scenarios.find((s) => s.covers.choiceRules?.includes('Again?#1'))!;
    expect((rule1.input as { k: number }).k).toBeGreaterThan(3);
    expect(report.search.complete).toBe(true);
  });
});

describe("the report's runs of its scenarios", () => {
  /** explore with a runner that notes the history each run of a scenario again asked for. */
  async function exploreNoting(definition: StateMachineDefinition): Promise<{ report: Awaited<ReturnType<typeof exploreMachine>>; asked: string[] }> {
    const inner = new HarnessRunner(Workflow.fromDefinition(definition), 0);
    const asked: string[] = [];
    const runner: ScenarioRunner = {
      definition: inner.definition,
      type: inner.type,
      run: (input, answer, limits, interrupt, history) => inner.run(input, answer, limits, interrupt, history),
      replay: (input, mocks, childEvents, interrupt, history) => {
        asked.push(history ?? 'full');
        return inner.replay(input, mocks, childEvents, interrupt, history);
      },
      resultPrefix: (r) => inner.resultPrefix(r),
    };
    return { report: await exploreMachine(runner, { now: () => 0 }), asked };
  }

  it('read their goals from a history without documents when no Choice visit needs its input to be decided', async () => {
    const apart = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 5, Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Succeed' },
        Small: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const { report, asked } = await exploreNoting(apart);
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2 });
    expect(report.scenarios.map((s) => s.covers.choiceRules)).toEqual(expect.arrayContaining([['Check#0'], ['Check#default']]));
    expect(new Set(asked)).toEqual(new Set(['outline']));
  });

  it('are run again with their documents when a Choice went where several of its rules lead, and credit the rule that took them', async () => {
    const { report, asked } = await exploreNoting(jsonata);
    expect(report.choiceRules).toMatchObject({ reached: 3, total: 3, notReached: [] });
    const n = (rule: string): number => (report.scenarios.find((s) => s.covers.choiceRules?.includes(rule))!.input as { n: number }).n;
    expect(n('Check#0')).toBeGreaterThan(5);
    expect(n('Check#1')).toBeLessThan(-5);
    expect(asked.filter((h) => h === 'full')).toHaveLength(report.scenarios.length);
  });
});
