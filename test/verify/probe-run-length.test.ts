import type { JsonValue, StateMachineDefinition } from '../../src/asl';
import type { ScenarioRunner } from '../../src/explore';
import { EXPLORE_MAX_STATES } from '../../src/explore/context';
import { Property } from '../../src/explore/properties';
import { verifyMachine } from '../../src/explore/verify';
import { probeStates } from '../../src/explore/verify-probes';
import { Workflow } from '../../src/testing/workflow';
import { HarnessRunner } from '../../src/workbench/workflow/explore-runner';
import { stopExploreClock } from '../explore-clock';

/*
 * The seeds bench's mutant of FlowGuardrailLoop with its first rule negated goes back to Generate
 * for every answer that is not toxic: the search's runs end where Generate's answer is no JSON,
 * and the text probes, which place a rule's texts in that answer, then make runs that loop for
 * ever, each further call answered as the last one was. Each was followed to EXPLORE_MAX_STATES
 * (2,000 states): that mutant's text probes took 21 of the bench's 90 seconds.
 */

stopExploreClock();

const looping = {
  QueryLanguage: 'JSONata',
  StartAt: 'Init',
  States: {
    'Init': { Type: 'Pass', Assign: { tries: 0, banned: ['lawsuit', 'guarantee', 'refund'], question: '{% $states.input.question %}' }, Next: 'Generate' },
    'Generate': {
      Type: 'Task',
      Resource: 'arn:aws:states:::bedrock:invokeModel',
      Arguments: {
        ModelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
        Body: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 500, messages: [{ role: 'user', content: "{% $question & ($tries > 0 ? ' Answer politely.' : '') %}" }] },
      },
      Assign: { tries: '{% $tries + 1 %}', verdict: '{% $parse($states.result.Body.content[0].text) %}' },
      Retry: [{ ErrorEquals: ['Bedrock.ThrottlingException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
      Next: 'Check answer',
    },
    'Check answer': {
      Type: 'Choice',
      Choices: [
        // The seed: the first rule negated.
        { Condition: '{% $not($verdict.toxicity >= 0.5 and $tries < 3) %}', Next: 'Generate' },
        { Condition: '{% $verdict.toxicity >= 0.5 %}', Next: 'Refuse' },
        { Condition: '{% $count($banned[$contains($lowercase($verdict.answer), $)]) > 0 %}', Next: 'Legal review' },
        { Condition: "{% $verdict.label in ['OFF_TOPIC', 'UNSURE'] or $verdict.confidence < 0.4 %}", Next: 'Hand to a person' },
        { Condition: '{% $length($verdict.answer) > 1200 %}', Next: 'Shorten' },
      ],
      Default: 'Deliver',
    },
    'Refuse': { Type: 'Fail', Error: 'Answer.Toxic' },
    'Legal review': { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/legal', MessageBody: '{% $verdict.answer %}' }, End: true },
    'Hand to a person': { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/people', MessageBody: '{% $question %}' }, End: true },
    'Shorten': { Type: 'Pass', Next: 'Deliver' },
    'Deliver': { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:answers', Message: '{% $verdict.answer %}' }, End: true },
  },
} as unknown as StateMachineDefinition;

/** A runner that notes the length of every run's path. */
function noting(): { runner: ScenarioRunner; lengths: number[] } {
  const inner = new HarnessRunner(Workflow.fromDefinition(looping), 0);
  const lengths: number[] = [];
  const runner: ScenarioRunner = {
    definition: inner.definition,
    type: inner.type,
    run: async (input, answer, limits, interrupt, history) => {
      const r = await inner.run(input, answer, limits, interrupt, history);
      lengths.push(r.path.length);
      return r;
    },
    replay: (input: JsonValue, mocks, childEvents, interrupt, history) => inner.replay(input, mocks, childEvents, interrupt, history),
    resultPrefix: (r) => inner.resultPrefix(r),
  };
  return { runner, lengths };
}

describe('how far verify follows a probe run', () => {
  it('follows a probe run a loop keeps going twice its base run and 100 states more, at most the search cap', () => {
    expect(probeStates({ states: 4 })).toBe(108);
    expect(probeStates({ states: 1_500 })).toBe(EXPLORE_MAX_STATES);
    expect(probeStates({})).toBe(EXPLORE_MAX_STATES);
  });

  it('cuts the text probe runs a changed answer sends round a loop for ever near their base, and still breaks the loop\'s bound', async () => {
    const { runner, lengths } = noting();
    const report = await verifyMachine(runner, {
      generateAtMostThrice: Property.atMost('Generate', 3),
      neverShorten: Property.never('Shorten'),
    }, { budgetSeconds: 2 });
    // A run that loops breaks the bound: judged on its prefix, as the search's runs cut at its cap are.
    expect(report.properties.generateAtMostThrice.verdict).toBe('VIOLATED');
    // The text probes' runs from bases of a few states that loop for ever end at their cap, not at the search's 2,000.
    const cut = lengths.filter((n) => n > 100 && n < EXPLORE_MAX_STATES);
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((n) => n === probeStates({ states: (n - 100) / 2 }))).toBe(true);
  }, 300_000);
});
