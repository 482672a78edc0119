import type { StateMachineDefinition } from '../../src/asl';
import { textsOfRulesRead } from '../../src/explore/verify-texts';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A model answers JSON as text, read into a variable with `$parse`, and a Choice rule reads a field
 * of what it holds: an answer naming a word of a list the machine keeps in a variable goes to
 * legal review, a long one is shortened. The seeds bench (--choice-rules) moved such rules'
 * constants (FlowGuardrailLoop's `> 0` to `> 1`, `> 1200` to `> 1201`) and verify missed both:
 * the text probes placed texts only at the whole text (where `$parse` fails) or at the fields the
 * JSON already held, never at the field the rule reads inside it, never with the words of the
 * variable the rule reads, and a run the change sent to a Task its base had not called (Deliver)
 * was given up.
 */

stopExploreClock();

/** The guardrail (the modern corpus's FlowGuardrailLoop): banned words kept in a variable, a model's JSON reply parsed into `verdict`, a toxic one asked again. */
const guardrail = {
  QueryLanguage: 'JSONata',
  StartAt: 'Init',
  States: {
    'Init': { Type: 'Pass', Assign: { tries: 0, banned: ['lawsuit', 'guarantee', 'refund'], question: '{% $states.input.question %}' }, Next: 'Generate' },
    'Generate': {
      Type: 'Task',
      Resource: 'arn:aws:states:::bedrock:invokeModel',
      Arguments: { ModelId: 'anthropic.claude-3-haiku-20240307-v1:0', Body: { max_tokens: 200, messages: [{ role: 'user', content: '{% $question %}' }] } },
      Assign: { tries: '{% $tries + 1 %}', verdict: '{% $parse($states.result.Body.content[0].text) %}' },
      Next: 'Check answer',
    },
    'Check answer': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $verdict.toxicity >= 0.5 and $tries < 3 %}', Next: 'Generate' },
        { Condition: '{% $verdict.toxicity >= 0.5 %}', Next: 'Refuse' },
        // Written with the wrong constant: one banned word is not enough.
        { Condition: '{% $count($banned[$contains($lowercase($verdict.answer), $)]) > 1 %}', Next: 'Legal review' },
        { Condition: "{% $verdict.label in ['OFF_TOPIC', 'UNSURE'] or $verdict.confidence < 0.4 %}", Next: 'Hand to a person' },
        // Likewise: an answer of exactly 1201 characters is not shortened.
        { Condition: '{% $length($verdict.answer) > 1201 %}', Next: 'Shorten' },
      ],
      Default: 'Deliver',
    },
    'Refuse': { Type: 'Fail', Error: 'Answer.Toxic' },
    'Legal review': { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/legal', MessageBody: '{% $verdict.answer %}' }, End: true },
    'Hand to a person': { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/people', MessageBody: '{% $question %}' }, End: true },
    'Shorten': { Type: 'Pass', End: true },
    'Deliver': { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:answers', Message: '{% $verdict.answer %}' }, End: true },
  },
} as unknown as StateMachineDefinition;

/** What the properties know of the machine's promise, kept out of their source (whose texts and numbers verify also tries). */
const PROMISE = { words: ['lawsuit', 'guarantee', 'refund'], longest: 1200 };

/** The answer the model's JSON reply held, when it held a text there. */
const answerOf = (run: WorkflowRun): string | undefined => {
  const text = (run.attempts('Generate')[0]?.output as { Body?: { content?: Array<{ text?: unknown }> } } | undefined)?.Body?.content?.[0]?.text;
  if (typeof text !== 'string') return undefined;
  try {
    const answer = (JSON.parse(text) as { answer?: unknown } | null)?.answer;
    return typeof answer === 'string' ? answer : undefined;
  } catch {
    return undefined;
  }
};
const delivered = (run: WorkflowRun): boolean => run.visited('Deliver');

describe('fields inside a JSON text a rule reads through $parse, tried by verify', () => {
  it('gives the texts of a list the rule reads from a variable, and texts of its $length bound, to the field it reads', () => {
    const rules = (guardrail as unknown as { States: { 'Check answer': { Choices: unknown[] } } }).States['Check answer'].Choices;
    const ruled = textsOfRulesRead([{ state: 'Generate', steps: ['Body', 'content', 0, 'text'], inner: ['answer'], rules: [rules[2], rules[4]] }], guardrail);
    const texts = [...ruled.values()][0];
    expect(texts).toEqual(expect.arrayContaining(['lawsuit', 'guarantee', 'refund', 'a'.repeat(1202), 'a'.repeat(1201), 'a'.repeat(1200)]));
    // Each rule's texts in turn: the second rule's length is not behind every word of the first's list.
    expect(texts.slice(0, 2)).toEqual(['lawsuit', 'a'.repeat(1202)]);
  });

  it('finds the answer naming one banned word that is delivered, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(guardrail);
    const names = (run: WorkflowRun): boolean => PROMISE.words.some((w) => (answerOf(run) ?? '').includes(w));
    const bannedGoesToLegal = (run: WorkflowRun): boolean => !names(run) || !delivered(run);
    const report = await wf.verify({ bannedGoesToLegal });
    const v = report.properties.bannedGoesToLegal;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, guardrail, v, 'bannedGoesToLegal');
    expect({ delivered: delivered(run), banned: names(run) }).toEqual({ delivered: true, banned: true });
  });

  it('finds the answer of 1201 characters that is delivered whole, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(guardrail);
    const longIsShortened = (run: WorkflowRun): boolean => (answerOf(run)?.length ?? 0) <= PROMISE.longest || !delivered(run);
    const report = await wf.verify({ longIsShortened });
    const v = report.properties.longIsShortened;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, guardrail, v, 'longIsShortened');
    expect({ delivered: delivered(run), length: answerOf(run)?.length }).toEqual({ delivered: true, length: 1201 });
  });
});
