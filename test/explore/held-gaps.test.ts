import { machine, reaching, replays } from './helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * What stood between explore and the last goals of four machines of the modern corpus (issue 77,
 * round 4), each as the behaviour it lacked: an item a later state needs built beside the items
 * a Choice needed, a range of indexes built at its first index, a Retry of a Task in a Parallel
 * tried from a run whose other branch ends well, and a Catch that names an error no state raises
 * proved never taken instead of tried with a mock the contract refuses.
 */
const LAMBDA = 'arn:aws:states:::lambda:invoke';

describe('explore: an item a filter selects', () => {
  stopExploreClock();

  it('is added beside the items the list holds, not written over one another filter selected', async () => {
    // Textract's expense fields: the Choice needs the TOTAL field, the Task after it reads the VENDOR_NAME one.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Analyze',
      States: {
        'Analyze': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:textract:analyzeExpense',
          Arguments: { Document: { S3Object: { Bucket: 'invoices', Name: '{% $states.input.key %}' } } },
          Output: `{% (
            $fields := $states.result.ExpenseDocuments[0].SummaryFields;
            {
              "vendor": $fields[Type.Text = "VENDOR_NAME"].ValueDetection.Text,
              "total": $number($fields[Type.Text = "TOTAL"].ValueDetection.Text)
            }
          ) %}`,
          Next: 'Large?',
        },
        'Large?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.total > 10000 %}', Next: 'Approve' }], Default: 'Done' },
        'Approve': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'approve', Payload: { vendor: '{% $states.input.vendor %}' } }, Next: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.transitions.notReached).toEqual([]);
    const approved = reaching(report, 'transitions', 'Approve -> Done');
    const fields = (approved.mocks.Analyze as { Return: { ExpenseDocuments: Array<{ SummaryFields: Array<{ Type: { Text: string } }> }> } })
      .Return.ExpenseDocuments[0].SummaryFields.map((f) => f.Type.Text);
    expect(fields).toEqual(expect.arrayContaining(['TOTAL', 'VENDOR_NAME']));
    await replays(wf, approved);
  });

  it('is built at the first index a range of indexes keeps, each step\'s list under its name', async () => {
    // Athena's rows: the first is the header, `Rows[[1..100]].Data[0]` the first column of the others.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Results',
      States: {
        'Results': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:athena:getQueryResults',
          Arguments: { QueryExecutionId: 'q-1' },
          Output: '{% {"rows": $count($states.result.ResultSet.Rows) - 1, "regions": $states.result.ResultSet.Rows[[1..100]].Data[0].VarCharValue} %}',
          Next: 'Any?',
        },
        'Any?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.rows > 0 %}', Next: 'Send' }], Default: 'None' },
        'Send': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: 'send', Payload: { regions: '{% $states.input.regions %}' } },
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
          End: true,
        },
        'None': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.retries.notReached).toEqual([]);
    const retried = reaching(report, 'retries', 'Send#0');
    const rows = (retried.mocks.Results as { Return: { ResultSet: { Rows: unknown[] } } }).Return.ResultSet.Rows;
    expect(rows[1]).toEqual({ Data: [{ VarCharValue: expect.any(String) }] });
    await replays(wf, retried);
  });
});
