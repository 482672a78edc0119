import { machine, reaching, replays } from './helpers';

/*
 * Issue 77: a threshold over a score computed from several fields of one answer
 * (`$round(a * 0.5 + b * 0.3 + c * 0.2, 1) >= 7.5`), as a GenAI judge's scores are weighed.
 * Explore gives every field the value that makes the sum come out, and reaches the branch.
 */

function scoredMachine(score: string, condition: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Score',
    States: {
      'Score': {
        Type: 'Task',
        Resource: 'arn:aws:states:::bedrock:invokeModel',
        Arguments: { ModelId: 'amazon.nova-micro-v1:0', Body: { inputText: 'score it' } },
        Assign: { safety: '{% $states.result.Body.safety %}', score: `{% ${score} %}` },
        Next: 'Good?',
      },
      'Good?': { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Publish' }], Default: 'Redraft' },
      'Publish': { Type: 'Succeed' },
      'Redraft': { Type: 'Succeed' },
    },
  };
}

describe('explore reaches a threshold over a weighted sum of several answer fields', () => {
  it('reaches $round(a * 0.5 + b * 0.3 + c * 0.2, 1) >= 7.5 with another rule on one of the fields', async () => {
    const wf = machine(scoredMachine(
      '$round($states.result.Body.relevance * 0.5 + $states.result.Body.tone * 0.3 + $states.result.Body.safety * 0.2, 1)',
      '$safety >= 6 and $score >= 7.5',
    ));
    const report = await wf.explore();
    const s = reaching(report, 'states', 'Publish');
    reaching(report, 'states', 'Redraft');
    await replays(wf, s);
  });

  it('reaches a sum with a constant and a difference: (a + b) / 2 - c > 10', async () => {
    const wf = machine(scoredMachine('($states.result.Body.a + $states.result.Body.b) / 2 - $states.result.Body.c', '$score > 10'));
    const report = await wf.explore();
    await replays(wf, reaching(report, 'states', 'Publish'));
  });
});
