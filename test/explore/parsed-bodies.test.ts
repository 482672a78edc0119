import { machine, replays } from './helpers';

/*
 * Issue 77, explore round 4 hunt: a GenAI guardrail called through the AWS SDK integration
 * (`aws-sdk:bedrockruntime:invokeModel`), whose Body is the model's answer as a string of JSON
 * (a blob in the service's model), read with `$parse($states.result.Body).content[0].text` into a
 * variable a Choice tests with `$contains`, `$match` and `$length`. explore wrote the Body as a
 * string but never one of JSON holding the text: the Assign failed with
 * States.QueryEvaluationError on every run, and nothing after the Task was reached.
 */

const MODEL = 'arn:aws:states:::aws-sdk:bedrockruntime:invokeModel';

function guardrail(read: string) {
  return machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Draft',
    States: {
      'Draft': {
        Type: 'Task',
        Resource: MODEL,
        Arguments: { ModelId: 'anthropic.claude-3-haiku-20240307-v1:0', Body: { messages: [{ role: 'user', content: '{% $states.input.question %}' }] } },
        Assign: { text: `{% ${read} %}` },
        Next: 'Guardrail',
      },
      'Guardrail': {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $contains($lowercase($text), 'password') %}", Next: 'Block' },
          { Condition: '{% $exists($match($text, /^REFUSE:/)) %}', Next: 'Refused' },
          { Condition: '{% $length($text) > 200 %}', Next: 'Too long' },
        ],
        Default: 'Send',
      },
      'Block': { Type: 'Fail', Error: 'Guardrail.Blocked' },
      'Refused': { Type: 'Succeed' },
      'Too long': { Type: 'Succeed' },
      'Send': { Type: 'Succeed' },
    },
  });
}

describe('explore on a model answer parsed from an SDK integration Body', () => {
  it.each([
    ['a field under an index', '$parse($states.result.Body).content[0].text'],
    ['a field', '$parse($states.result.Body).completion'],
  ])('reaches every rule on the text it holds: %s', async (_title, read) => {
    const wf = guardrail(read);
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    expect(report.choiceRules.notReached).toEqual([]);
    expect(report.choiceRules.unreachable).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
    // The Body each scenario answers is a string, as the service's model has it.
    for (const s of report.scenarios) {
      const answer = (s.mocks.Draft as { Return?: { Body?: unknown } } | undefined)?.Return;
      if (answer?.Body !== undefined) expect(typeof answer.Body).toBe('string');
    }
  });
});
