import type { StateMachineDefinition } from '../../src/asl';
import { borrowedRuns, lent } from '../../src/explore/verify-donors';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * A rule may need a text and a number of one answer together (a Comprehend sentiment and its
 * score, a Textract expense field's type and its value) where the services nest them deep, and
 * the run may need an input field the runs that gave those answers never carried. verify's
 * probes change numbers however deep an answer holds them, and make a probe that failed on a
 * field its input lacks again with that field lent from another run's input.
 */

stopExploreClock();

interface RunLike {
  readonly visited: (s: string) => boolean;
  readonly attempts: (s: string) => ReadonlyArray<{ output?: unknown }>;
}

/** The rule of a ticket router as written had `> 0.9`; this one's constant is moved to 1.9. */
const ticketRouter = {
  QueryLanguage: 'JSONata',
  StartAt: 'Detect sentiment',
  States: {
    'Detect sentiment': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:comprehend:detectSentiment',
      Arguments: { Text: '{% $states.input.body %}', LanguageCode: 'en' },
      Output: '{% $merge([$states.input, {"sentiment": $states.result.Sentiment, "negative": $states.result.SentimentScore.Negative}]) %}',
      Next: 'Route ticket',
    },
    'Route ticket': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $states.input.sentiment = "NEGATIVE" and $states.input.negative > 1.9 %}', Next: 'Escalate' },
        { Condition: '{% $contains($lowercase($states.input.subject), "refund") %}', Next: 'Refund' },
      ],
      Default: 'Answer',
    },
    'Escalate': { Type: 'Pass', End: true },
    'Refund': { Type: 'Pass', End: true },
    'Answer': { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition;

/** An invoice reader whose approval threshold was moved from 10000 to 10001. */
const invoiceReader = {
  QueryLanguage: 'JSONata',
  StartAt: 'Analyze expense',
  States: {
    'Analyze expense': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:textract:analyzeExpense',
      Arguments: { Document: { S3Object: { Bucket: '{% $states.input.bucket %}', Name: '{% $states.input.key %}' } } },
      Output: '{% ($fields := $states.result.ExpenseDocuments[0].SummaryFields; {"total": $number($fields[Type.Text = "TOTAL"].ValueDetection.Text)}) %}',
      Next: 'Total found?',
    },
    'Total found?': {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $not($exists($states.input.total)) %}', Next: 'No total' },
        { Condition: '{% $states.input.total > 10001 %}', Next: 'Approve' },
      ],
      Default: 'Store',
    },
    'No total': { Type: 'Fail', Error: 'Invoice.NoTotal' },
    'Approve': { Type: 'Pass', End: true },
    'Store': { Type: 'Pass', End: true },
  },
} as unknown as StateMachineDefinition;

describe('a text and a number of one answer together', () => {
  it('finds a NEGATIVE sentiment scored between the two constants, with a subject lent from another run', async () => {
    const wf = Workflow.fromDefinition(ticketRouter);
    const answerOf = (run: RunLike) => run.attempts('Detect sentiment')[0]?.output as { Sentiment?: unknown; SentimentScore?: { Negative?: unknown } } | undefined;
    const escalates = (run: RunLike): boolean => {
      const a = answerOf(run);
      const negative = a?.SentimentScore?.Negative;
      return !(a?.Sentiment === 'NEGATIVE' && typeof negative === 'number' && negative > 0.9 && (run.visited('Refund') || run.visited('Answer')));
    };
    const report = await wf.verify({ escalates });
    const v = report.properties.escalates;
    expect(v.verdict).toBe('VIOLATED');
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'escalates') });
    expect(escalates(run)).toBe(false);
    expect(answerOf(run)?.Sentiment).toBe('NEGATIVE');
    expect(run.status).toBe('SUCCEEDED');
  });

  it('finds a Textract total between the two constants, a number written as text six levels into the answer', async () => {
    const wf = Workflow.fromDefinition(invoiceReader);
    const totalOf = (run: RunLike): number | undefined => {
      const docs = (run.attempts('Analyze expense')[0]?.output as { ExpenseDocuments?: Array<{ SummaryFields?: Array<{ Type?: { Text?: string }; ValueDetection?: { Text?: string } }> }> } | undefined)?.ExpenseDocuments;
      const field = docs?.[0]?.SummaryFields?.find((f) => f.Type?.Text === 'TOTAL');
      return field?.ValueDetection?.Text === undefined ? undefined : Number(field.ValueDetection.Text);
    };
    const bigApproved = (run: RunLike): boolean => !((totalOf(run) ?? 0) > 10000 && run.visited('Store'));
    const report = await wf.verify({ bigApproved });
    const v = report.properties.bigApproved;
    expect(v.verdict).toBe('VIOLATED');
    const run = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, 'bigApproved') });
    expect({ total: totalOf(run), stored: run.visited('Store') }).toEqual({ total: 10001, stored: true });
  });

  it('lends only the fields an input lacks, through the objects both hold', () => {
    expect(lent({ body: 'b', order: { id: 'o' } }, { body: 'x', subject: 's', order: { id: 'p', lines: [] } }))
      .toEqual({ body: 'b', subject: 's', order: { id: 'o', lines: [] } });
    expect(lent({ body: 'b' }, { body: 'x' })).toBeUndefined();
    expect(lent('text', { subject: 's' })).toBeUndefined();
  });

  it('makes each borrower again once per donor that lends it something, answered as it was', () => {
    const calls = new Map([['Detect sentiment', [{ kind: 'return' as const, value: { Sentiment: 'NEGATIVE' } }]]]);
    const runs = borrowedRuns([{ input: { body: 'b' }, calls }], [{ body: 'x' }, { subject: 's' }, { subject: 's' }, { queue: 'q' }]);
    expect(runs.map(([input]) => input)).toEqual([{ body: 'b', subject: 's' }, { body: 'b', queue: 'q' }]);
    expect(runs.every(([, answers]) => answers === calls)).toBe(true);
  });
});
