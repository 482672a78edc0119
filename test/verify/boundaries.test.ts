import type { StateMachineDefinition } from '../../src/asl';
import { boundaryInputs, boundaryShapes } from '../../src/explore/verify-boundaries';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * A property may ask about a value no goal of explore asks for: "an amount over 1,000 is never
 * posted", on a machine whose limit is read through a path, or whose every amount is posted.
 * verify tries the numbers the machine and the properties name, and those either side of them,
 * at the input fields a Choice compares, and confirms a violation as any other.
 */

stopExploreClock();

const LAMBDA = 'arn:aws:states:::lambda:invoke';
/** Every entry is posted: the limit check is skipped (its mode is not strict). */
const postsAll = {
  StartAt: 'Defaults',
  States: {
    'Defaults': { Type: 'Pass', Result: { limit: 1000, mode: 'lenient' }, ResultPath: '$.config', Next: 'Mode?' },
    'Mode?': { Type: 'Choice', Choices: [{ Variable: '$.config.mode', StringEquals: 'strict', Next: 'Check' }], Default: 'Post' },
    'Check': { Type: 'Choice', Choices: [{ Variable: '$.entry.amount', NumericGreaterThanPath: '$.config.limit', Next: 'Reject' }], Default: 'Post' },
    'Post': { Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName': 'post', 'Payload.$': '$.entry' }, End: true },
    'Reject': { Type: 'Fail', Error: 'OverLimit' },
  },
} as unknown as StateMachineDefinition;

describe('the numbers at a rule\'s or a property\'s edge', () => {
  it('tries each number the machine and the properties name, and one either side, at the fields a Choice compares', () => {
    const tried = boundaryInputs(postsAll, ['(run) => run.input.entry.amount > 250'], [{}]).map((t) => t.input);
    for (const amount of [999, 1000, 1001, 249, 250, 251]) expect(tried).toContainEqual({ entry: { amount } });
  });

  it('finds an amount over 1,000 posted, which no goal asks for, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(postsAll);
    const bigNeverPosted = (run: { inputOf: (s: string) => unknown; visited: (s: string) => boolean }): boolean => {
      const entry = (run.inputOf('Defaults') as { entry?: { amount?: unknown } } | null)?.entry;
      return !(typeof entry?.amount === 'number' && entry.amount > 1000 && run.visited('Post'));
    };
    const report = await wf.verify({ bigNeverPosted });
    const v = report.properties.bigNeverPosted;
    expect(v.verdict).toBe('VIOLATED');
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'big') });
    expect(bigNeverPosted(run)).toBe(false);
  });
  it('tries the same numbers in what a Task answered: a count made of an answer that a rule compares', async () => {
    // bench --choice-rules' ImageModeration with rule 1's constant moved (0 to 1): an image with
    // exactly one label at 90 or more is flagged by the machine as built, not by this one. The
    // search answers no labels or two; the boundary answer gives one.
    const moderation = {
      QueryLanguage: 'JSONata',
      StartAt: 'Detect',
      States: {
        'Detect': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:rekognition:detectModerationLabels',
          Arguments: { Image: { S3Object: { Bucket: 'media', Name: '{% $states.input.key %}' } }, MinConfidence: 60 },
          Assign: { flagged: '{% $count($states.result.ModerationLabels[Confidence >= 90]) %}', labels: '{% [$states.result.ModerationLabels.Name] %}' },
          Next: 'Flagged?',
        },
        'Flagged?': { Type: 'Choice', Choices: [{ Condition: '{% $flagged > 1 %}', Next: 'Quarantine' }, { Condition: '{% $count($labels) > 0 %}', Next: 'Review' }], Default: 'Publish' },
        'Quarantine': { Type: 'Pass', End: true },
        'Review': { Type: 'Pass', End: true },
        'Publish': { Type: 'Pass', End: true },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(moderation);
    const highLabels = (run: { attempts: (s: string) => ReadonlyArray<{ output?: unknown }> }): number => {
      const labels = (run.attempts('Detect')[0]?.output as { ModerationLabels?: Array<{ Confidence?: unknown }> } | undefined)?.ModerationLabels ?? [];
      return labels.filter((l) => typeof l.Confidence === 'number' && l.Confidence >= 90).length;
    };
    const report = await wf.verify({ flaggedIsQuarantined: (run) => highLabels(run) === 0 || run.visited('Quarantine') });
    const v = report.properties.flaggedIsQuarantined;
    expect(v.verdict).toBe('VIOLATED');
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'flaggedIsQuarantined') });
    expect({ high: highLabels(run), quarantined: run.visited('Quarantine') }).toEqual({ high: 1, quarantined: false });
  });

  it('tries them as the number of items an answer holds, and as a number an answer writes as text', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Ask',
      States: { Ask: { Type: 'Task', Resource: LAMBDA, Next: 'Check' }, Check: { Type: 'Choice', Choices: [{ Condition: '{% $n >= 3 %}', Next: 'Ask' }], Default: 'Ask' } },
    } as unknown as StateMachineDefinition;
    const answered = new Map([['Ask', [{ kind: 'return' as const, value: { approvers: ['a'], seats: { N: '7' }, name: 'x' } }]]]);
    const tried = boundaryShapes(def, [], answered).map((m) => (m.get('Ask')![0] as { value: unknown }).value);
    for (const n of [2, 3, 4]) {
      expect(tried).toContainEqual({ approvers: Array.from({ length: n }, () => 'a'), seats: { N: '7' }, name: 'x' });
      expect(tried).toContainEqual({ approvers: ['a'], seats: { N: String(n) }, name: 'x' });
    }
    // Taken in turn: the first two tried change one path each.
    expect(tried.slice(0, 2)).toEqual([{ approvers: ['a', 'a'], seats: { N: '7' }, name: 'x' }, { approvers: ['a'], seats: { N: '2' }, name: 'x' }]);
  });

  it('finds a count of answered items at the moved constant\'s edge: two approvers, where the machine asks for three', async () => {
    // bench --choice-rules' ReleaseApproval with rule 1's constant moved (2 to 3): a sign-off with
    // exactly two approvers deploys as built, not here. The search answers one approver or three.
    const release = {
      QueryLanguage: 'JSONata',
      StartAt: 'Sign off',
      States: {
        'Sign off': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'signoff', Payload: {} }, Assign: { approvers: '{% $states.result.Payload.approvers %}' }, Next: 'Enough?' },
        'Enough?': { Type: 'Choice', Choices: [{ Condition: '{% $count($approvers) >= 3 %}', Next: 'Deploy' }], Default: 'Hold' },
        'Deploy': { Type: 'Pass', End: true },
        'Hold': { Type: 'Pass', End: true },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(release);
    const approvers = (run: { attempts: (s: string) => ReadonlyArray<{ output?: unknown }> }): number => {
      const list = (run.attempts('Sign off')[0]?.output as { Payload?: { approvers?: unknown } } | undefined)?.Payload?.approvers;
      return Array.isArray(list) ? list.length : 0;
    };
    const report = await wf.verify({ twoDeploy: (run) => approvers(run) !== 2 || run.visited('Deploy') });
    const v = report.properties.twoDeploy;
    expect(v.verdict).toBe('VIOLATED');
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'twoDeploy') });
    expect({ approvers: approvers(run), deployed: run.visited('Deploy') }).toEqual({ approvers: 2, deployed: false });
  });
});
