import type { StateMachineDefinition } from '../../src/asl';
import { boundaryAnswers } from '../../src/explore/verify-boundaries';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A model answers JSON as text, a child execution its Output: a rule compares a number the
 * machine `$parse`s out of that text. The seeds bench (--choice-rules) moved such a rule's
 * constant (4 to 5) and verify missed it: the boundary probes changed the numbers an answer
 * holds, never those inside a text, and a change that sent the run to a Task its base did not
 * call was given up. They now look into a text that holds JSON (and write it back as text), and
 * a Task the change sends the run to is answered as the lightest run that called it.
 */

stopExploreClock();

/** A model rates a ticket's urgency in JSON text; 5 or more pages the billing team, else it is queued. */
const triage = {
  QueryLanguage: 'JSONata',
  StartAt: 'Classify',
  States: {
    'Classify': {
      Type: 'Task',
      Resource: 'arn:aws:states:::bedrock:invokeModel',
      Arguments: { ModelId: 'anthropic.claude-3-haiku-20240307-v1:0', Body: { max_tokens: 200, messages: [{ role: 'user', content: '{% $states.input.text %}' }] } },
      Output: '{% $parse($states.result.Body.content[0].text) %}',
      Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Unreadable' }],
      Next: 'Route',
    },
    'Route': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.urgency >= 5 %}', Next: 'Page billing' }], Default: 'Queue ticket' },
    'Page billing': { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:pager', Message: 'urgent' }, End: true },
    'Queue ticket': { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/tickets', MessageBody: 'later' }, End: true },
    'Unreadable': { Type: 'Fail', Error: 'Ticket.Unreadable' },
  },
} as unknown as StateMachineDefinition;

/** The urgency the model answered, when its text held one. */
const urgencyOf = (run: WorkflowRun): number | undefined => {
  const body = (run.attempts('Classify')[0]?.output as { Body?: { content?: Array<{ text?: unknown }> } } | undefined)?.Body;
  const text = body?.content?.[0]?.text;
  if (typeof text !== 'string') return undefined;
  try {
    const urgency = (JSON.parse(text) as { urgency?: unknown } | null)?.urgency;
    return typeof urgency === 'number' ? urgency : undefined;
  } catch {
    return undefined;
  }
};

describe('numbers inside a text an answer holds as JSON, tried by verify', () => {
  it('changes a number inside a JSON text and writes the text back', () => {
    const answers = new Map([['Classify', [{ kind: 'return' as const, value: { Body: { content: [{ text: '{"urgency":5,"note":"x"}' }] } } }]]]);
    type Answered = { value: { Body: { content: Array<{ text: string }> } } };
    const texts = boundaryAnswers(triage, [], answers).map((m) => (m.get('Classify')![0] as unknown as Answered).value.Body.content[0].text);
    expect(texts).toEqual(expect.arrayContaining(['{"urgency":4,"note":"x"}', '{"urgency":6,"note":"x"}']));
    expect(texts).not.toContain('{"urgency":5,"note":"x"}');
  });

  it('finds the urgency of 4 that is queued, where the property pages 4 or more, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(triage);
    const fourPages = (run: WorkflowRun): boolean => (urgencyOf(run) ?? 0) < 4 || !run.visited('Route') || run.visited('Page billing');
    const report = await wf.verify({ fourPages });
    const v = report.properties.fourPages;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, triage, v, 'fourPages');
    expect({ urgency: urgencyOf(run), paged: run.visited('Page billing') }).toEqual({ urgency: 4, paged: false });
  });
});
