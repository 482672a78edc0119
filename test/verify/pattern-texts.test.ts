import type { StateMachineDefinition } from '../../src/asl';
import { machineTexts } from '../../src/explore/verify-texts';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * A rule may test a text with a pattern: a regular expression (`$match`, `$contains`), or a
 * StringMatches wildcard. The search brings the rule to true and to false, but a property may ask
 * about a text at the pattern's edge (exactly one match where the rule counts two; `v1.` where the
 * rule asks for `v1.*-beta`). verify tries a text each regular expression matches (its runs of
 * digits holding the expression's numbers), and a wildcard pattern's text with each `*` empty and
 * its text before the first `*`.
 */

stopExploreClock();

interface RunLike {
  readonly visited: (s: string) => boolean;
  readonly attempts: (s: string) => ReadonlyArray<{ output?: unknown }>;
}

/** An intent router that pages a human only on two ESCALATE matches (its rule asked for one). */
const intentRouter = {
  QueryLanguage: 'JSONata',
  StartAt: 'Classify',
  States: {
    'Classify': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'classify', Payload: { text: '{% $states.input.message %}' } },
      Assign: { answer: '{% $states.result.Payload.text %}' },
      Next: 'Intent?',
    },
    'Intent?': { Type: 'Choice', Choices: [{ Condition: '{% $count($match($answer, /^\\s*ESCALATE/)) > 1 %}', Next: 'Page' }], Default: 'Reply' },
    'Page': { Type: 'Pass', End: true },
    'Reply': { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition;

/** A device registry that upgrades firmware matching `v1.*-beta` (its rule asked for `v1.*`). */
const registry = {
  StartAt: 'Read device',
  States: {
    'Read device': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 'Devices', Key: { id: { 'S.$': '$.deviceId' } } },
      ResultSelector: { 'firmware.$': '$.Item.firmware.S' },
      ResultPath: '$.device',
      Next: 'Firmware?',
    },
    'Firmware?': { Type: 'Choice', Choices: [{ Variable: '$.device.firmware', StringMatches: 'v1.*-beta', Next: 'Upgrade' }], Default: 'Keep' },
    'Upgrade': { Type: 'Pass', End: true },
    'Keep': { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition;

describe('the texts at a pattern\'s edge', () => {
  it('tries a text each regular expression matches, its digits holding the numbers the expression names', () => {
    const texts = machineTexts({
      QueryLanguage: 'JSONata',
      StartAt: 'Route',
      States: {
        Route: { Type: 'Choice', Choices: [{ Condition: '{% $number($match($ref, /^INV-(\\d+)$/).groups[0]) > 500000 %}', Next: 'Big' }], Default: 'Big' },
        Big: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition);
    expect(texts).toEqual(expect.arrayContaining(['INV-0', 'INV-500001', 'INV-500000', 'INV-499999']));
  });

  it('tries a wildcard pattern with each star empty, and its text before the first star, escapes read', () => {
    const texts = machineTexts({
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [{ Variable: '$.v', StringMatches: 'v1.*-beta', Next: 'Done' }, { Variable: '$.w', StringMatches: 'a\\*b*', Next: 'Done' }],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition);
    expect(texts).toEqual(expect.arrayContaining(['v1.-beta', 'v1.', 'a*b']));
  });

  it('finds an answer with one ESCALATE match that does not page, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(intentRouter);
    const answerOf = (run: RunLike): unknown => (run.attempts('Classify')[0]?.output as { Payload?: { text?: unknown } } | undefined)?.Payload?.text;
    const escalationPages = (run: RunLike): boolean => {
      const text = answerOf(run);
      return !(typeof text === 'string' && /^\s*ESCALATE/.test(text) && run.visited('Reply'));
    };
    const report = await wf.verify({ escalationPages });
    const v = report.properties.escalationPages;
    expect(v.verdict).toBe('VIOLATED');
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'escalationPages') });
    expect(escalationPages(run)).toBe(false);
  });

  it('finds firmware v1. that is not upgraded, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(registry);
    const firmwareOf = (run: RunLike): unknown => (run.attempts('Read device')[0]?.output as { Item?: { firmware?: { S?: unknown } } } | undefined)?.Item?.firmware?.S;
    const v1Upgraded = (run: RunLike): boolean => {
      const f = firmwareOf(run);
      return !(typeof f === 'string' && f.startsWith('v1.') && run.visited('Keep'));
    };
    const report = await wf.verify({ v1Upgraded });
    const v = report.properties.v1Upgraded;
    expect(v.verdict).toBe('VIOLATED');
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'v1Upgraded') });
    expect({ firmware: firmwareOf(run), kept: run.visited('Keep') }).toEqual({ firmware: 'v1.', kept: true });
  });
});
