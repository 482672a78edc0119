import type { StateMachineDefinition } from '../../src/asl';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A model's reply comes as a JSON text (`Body`), and the machine `$parse`s the text it compares out
 * of it: the seeds bench (--choice-rules) moved a `$length` bound on that text (600 to 601) and
 * verify missed it, for the text probes changed only the texts an answer held, never one inside a
 * JSON text. They now look into a text that holds JSON, and write it back as text.
 */

stopExploreClock();

/** A drafted answer over 601 characters (the seed: over 600) is shortened before it is sent. */
const guardrail = {
  QueryLanguage: 'JSONata',
  StartAt: 'Draft answer',
  States: {
    'Draft answer': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:bedrockruntime:invokeModel',
      Arguments: { ModelId: 'anthropic.claude-3-haiku-20240307-v1:0', Body: '{% $string({"prompt": $states.input.question}) %}' },
      Assign: { answer: '{% $parse($states.result.Body).content[0].text %}' },
      Next: 'Guardrail',
    },
    'Guardrail': { Type: 'Choice', Choices: [{ Condition: '{% $length($answer) > 601 %}', Next: 'Shorten' }], Default: 'Send' },
    'Shorten': { Type: 'Succeed' },
    'Send': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** The length of the text inside the reply, when it held one. */
const lengthOf = (run: WorkflowRun): number | undefined => {
  const body = (run.attempts('Draft answer')[0]?.output as { Body?: unknown } | undefined)?.Body;
  if (typeof body !== 'string') return undefined;
  try {
    const text = (JSON.parse(body) as { content?: Array<{ text?: unknown }> } | null)?.content?.[0]?.text;
    return typeof text === 'string' ? text.length : undefined;
  } catch {
    return undefined;
  }
};

describe('texts inside a JSON text an answer holds, tried by verify', () => {
  it('finds the reply of 601 characters that is sent, where the property shortens over 600, and it reproduces', async () => {
    const wf = Workflow.fromDefinition(guardrail);
    const longShortened = (run: WorkflowRun): boolean => (lengthOf(run) ?? 0) <= 600 || run.visited('Shorten');
    const report = await wf.verify({ longShortened });
    const v = report.properties.longShortened;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, guardrail, v, 'longShortened');
    expect({ length: lengthOf(run), shortened: run.visited('Shorten') }).toEqual({ length: 601, shortened: false });
  });
});
